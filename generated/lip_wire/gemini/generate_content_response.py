# generated from specs/gemini/generate_content_response.json by codegen; do not edit
# root: GenerateContentResponse (google.ai.generativelanguage_v1beta.types.GenerateContentResponse)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class AttributionSourceIdGroundingPassageId(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.AttributionSourceId.GroundingPassageId.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    part_index: Annotated[int | None, Field(alias="partIndex")] = None
    passage_id: Annotated[str | None, Field(alias="passageId")] = None


class AttributionSourceIdSemanticRetrieverChunk(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.AttributionSourceId.SemanticRetrieverChunk.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    chunk: str | None = None
    source: str | None = None


class Blob(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Blob.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    data: Annotated[str | None, Field(description="Base64-encoded bytes.")] = None
    mime_type: Annotated[str | None, Field(alias="mimeType")] = None


class CitationSource(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.CitationSource.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    end_index: Annotated[int | None, Field(alias="endIndex")] = None
    license: str | None = None
    start_index: Annotated[int | None, Field(alias="startIndex")] = None
    uri: str | None = None


class CodeExecutionResult(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.CodeExecutionResult.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    outcome: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `OUTCOME_UNSPECIFIED`, `OUTCOME_OK`, `OUTCOME_FAILED`, `OUTCOME_DEADLINE_EXCEEDED`."
        ),
    ] = None
    output: str | None = None


class ExecutableCode(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.ExecutableCode.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    code: str | None = None
    language: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `LANGUAGE_UNSPECIFIED`, `PYTHON`."
        ),
    ] = None


class FileData(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FileData.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    file_uri: Annotated[str | None, Field(alias="fileUri")] = None
    mime_type: Annotated[str | None, Field(alias="mimeType")] = None


class FunctionCall(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FunctionCall.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    args: dict[str, Any] | None = None
    id: str | None = None
    name: str | None = None


class FunctionResponseBlob(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FunctionResponseBlob.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    data: Annotated[str | None, Field(description="Base64-encoded bytes.")] = None
    mime_type: Annotated[str | None, Field(alias="mimeType")] = None


class FunctionResponsePart(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FunctionResponsePart. Oneof groups (set at most one field of each): `data`: `inlineData`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    inline_data: Annotated[FunctionResponseBlob | None, Field(alias="inlineData")] = (
        None
    )


class GroundingChunkMapsPlaceAnswerSourcesReviewSnippet(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingChunk.Maps.PlaceAnswerSources.ReviewSnippet.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    google_maps_uri: Annotated[str | None, Field(alias="googleMapsUri")] = None
    review_id: Annotated[str | None, Field(alias="reviewId")] = None
    title: str | None = None


class GroundingChunkRetrievedContext(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingChunk.RetrievedContext.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    text: str | None = None
    title: str | None = None
    uri: str | None = None


class GroundingChunkWeb(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingChunk.Web.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    title: str | None = None
    uri: str | None = None


class LogprobsResultCandidate(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.LogprobsResult.Candidate.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    log_probability: Annotated[float | None, Field(alias="logProbability")] = None
    token: str | None = None
    token_id: Annotated[int | None, Field(alias="tokenId")] = None


class LogprobsResultTopCandidates(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.LogprobsResult.TopCandidates.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    candidates: list[LogprobsResultCandidate] | None = None


class ModalityTokenCount(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.ModalityTokenCount.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    modality: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `MODALITY_UNSPECIFIED`, `TEXT`, `IMAGE`, `VIDEO`, `AUDIO`, `DOCUMENT`."
        ),
    ] = None
    token_count: Annotated[int | None, Field(alias="tokenCount")] = None


class RetrievalMetadata(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.RetrievalMetadata.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    google_search_dynamic_retrieval_score: Annotated[
        float | None, Field(alias="googleSearchDynamicRetrievalScore")
    ] = None


class SafetyRating(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.SafetyRating.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    blocked: bool | None = None
    category: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `HARM_CATEGORY_UNSPECIFIED`, `HARM_CATEGORY_DEROGATORY`, `HARM_CATEGORY_TOXICITY`, `HARM_CATEGORY_VIOLENCE`, `HARM_CATEGORY_SEXUAL`, `HARM_CATEGORY_MEDICAL`, `HARM_CATEGORY_DANGEROUS`, `HARM_CATEGORY_HARASSMENT`, `HARM_CATEGORY_HATE_SPEECH`, `HARM_CATEGORY_SEXUALLY_EXPLICIT`, `HARM_CATEGORY_DANGEROUS_CONTENT`, `HARM_CATEGORY_CIVIC_INTEGRITY`."
        ),
    ] = None
    probability: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `HARM_PROBABILITY_UNSPECIFIED`, `NEGLIGIBLE`, `LOW`, `MEDIUM`, `HIGH`."
        ),
    ] = None


class SearchEntryPoint(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.SearchEntryPoint.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    rendered_content: Annotated[str | None, Field(alias="renderedContent")] = None
    sdk_blob: Annotated[
        str | None, Field(alias="sdkBlob", description="Base64-encoded bytes.")
    ] = None


class Segment(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Segment.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    end_index: Annotated[int | None, Field(alias="endIndex")] = None
    part_index: Annotated[int | None, Field(alias="partIndex")] = None
    start_index: Annotated[int | None, Field(alias="startIndex")] = None
    text: str | None = None


class UrlMetadata(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.UrlMetadata.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    retrieved_url: Annotated[str | None, Field(alias="retrievedUrl")] = None
    url_retrieval_status: Annotated[
        str | None,
        Field(
            alias="urlRetrievalStatus",
            description="Known values (open set, widened to a string): `URL_RETRIEVAL_STATUS_UNSPECIFIED`, `URL_RETRIEVAL_STATUS_SUCCESS`, `URL_RETRIEVAL_STATUS_ERROR`, `URL_RETRIEVAL_STATUS_PAYWALL`, `URL_RETRIEVAL_STATUS_UNSAFE`.",
        ),
    ] = None


class VideoMetadata(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.VideoMetadata.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    end_offset: Annotated[
        str | None, Field(alias="endOffset", description='Duration such as "3.5s".')
    ] = None
    fps: float | None = None
    start_offset: Annotated[
        str | None, Field(alias="startOffset", description='Duration such as "3.5s".')
    ] = None


class AttributionSourceId(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.AttributionSourceId. Oneof groups (set at most one field of each): `source`: `groundingPassage`, `semanticRetrieverChunk`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    grounding_passage: Annotated[
        AttributionSourceIdGroundingPassageId | None, Field(alias="groundingPassage")
    ] = None
    semantic_retriever_chunk: Annotated[
        AttributionSourceIdSemanticRetrieverChunk | None,
        Field(alias="semanticRetrieverChunk"),
    ] = None


class CitationMetadata(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.CitationMetadata.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    citation_sources: Annotated[
        list[CitationSource] | None, Field(alias="citationSources")
    ] = None


class FunctionResponse(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FunctionResponse.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    id: str | None = None
    name: str | None = None
    parts: list[FunctionResponsePart] | None = None
    response: dict[str, Any] | None = None
    scheduling: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `SCHEDULING_UNSPECIFIED`, `SILENT`, `WHEN_IDLE`, `INTERRUPT`."
        ),
    ] = None
    will_continue: Annotated[bool | None, Field(alias="willContinue")] = None


class GenerateContentResponsePromptFeedback(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GenerateContentResponse.PromptFeedback.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    block_reason: Annotated[
        str | None,
        Field(
            alias="blockReason",
            description="Known values (open set, widened to a string): `BLOCK_REASON_UNSPECIFIED`, `SAFETY`, `OTHER`, `BLOCKLIST`, `PROHIBITED_CONTENT`, `IMAGE_SAFETY`.",
        ),
    ] = None
    safety_ratings: Annotated[
        list[SafetyRating] | None, Field(alias="safetyRatings")
    ] = None


class GenerateContentResponseUsageMetadata(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GenerateContentResponse.UsageMetadata.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    cache_tokens_details: Annotated[
        list[ModalityTokenCount] | None, Field(alias="cacheTokensDetails")
    ] = None
    cached_content_token_count: Annotated[
        int | None, Field(alias="cachedContentTokenCount")
    ] = None
    candidates_token_count: Annotated[
        int | None, Field(alias="candidatesTokenCount")
    ] = None
    candidates_tokens_details: Annotated[
        list[ModalityTokenCount] | None, Field(alias="candidatesTokensDetails")
    ] = None
    prompt_token_count: Annotated[int | None, Field(alias="promptTokenCount")] = None
    prompt_tokens_details: Annotated[
        list[ModalityTokenCount] | None, Field(alias="promptTokensDetails")
    ] = None
    thoughts_token_count: Annotated[int | None, Field(alias="thoughtsTokenCount")] = (
        None
    )
    tool_use_prompt_token_count: Annotated[
        int | None, Field(alias="toolUsePromptTokenCount")
    ] = None
    tool_use_prompt_tokens_details: Annotated[
        list[ModalityTokenCount] | None, Field(alias="toolUsePromptTokensDetails")
    ] = None
    total_token_count: Annotated[int | None, Field(alias="totalTokenCount")] = None


class GroundingChunkMapsPlaceAnswerSources(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingChunk.Maps.PlaceAnswerSources.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    review_snippets: Annotated[
        list[GroundingChunkMapsPlaceAnswerSourcesReviewSnippet] | None,
        Field(alias="reviewSnippets"),
    ] = None


class GroundingSupport(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingSupport.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    confidence_scores: Annotated[
        list[float] | None, Field(alias="confidenceScores")
    ] = None
    grounding_chunk_indices: Annotated[
        list[int] | None, Field(alias="groundingChunkIndices")
    ] = None
    segment: Segment | None = None


class LogprobsResult(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.LogprobsResult.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    chosen_candidates: Annotated[
        list[LogprobsResultCandidate] | None, Field(alias="chosenCandidates")
    ] = None
    log_probability_sum: Annotated[float | None, Field(alias="logProbabilitySum")] = (
        None
    )
    top_candidates: Annotated[
        list[LogprobsResultTopCandidates] | None, Field(alias="topCandidates")
    ] = None


class Part(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Part. Oneof groups (set at most one field of each): `data`: `text`, `inlineData`, `functionCall`, `functionResponse`, `fileData`, `executableCode`, `codeExecutionResult`; `metadata`: `videoMetadata`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    code_execution_result: Annotated[
        CodeExecutionResult | None, Field(alias="codeExecutionResult")
    ] = None
    executable_code: Annotated[ExecutableCode | None, Field(alias="executableCode")] = (
        None
    )
    file_data: Annotated[FileData | None, Field(alias="fileData")] = None
    function_call: Annotated[FunctionCall | None, Field(alias="functionCall")] = None
    function_response: Annotated[
        FunctionResponse | None, Field(alias="functionResponse")
    ] = None
    inline_data: Annotated[Blob | None, Field(alias="inlineData")] = None
    part_metadata: Annotated[dict[str, Any] | None, Field(alias="partMetadata")] = None
    text: str | None = None
    thought: bool | None = None
    thought_signature: Annotated[
        str | None, Field(alias="thoughtSignature", description="Base64-encoded bytes.")
    ] = None
    video_metadata: Annotated[VideoMetadata | None, Field(alias="videoMetadata")] = None


class UrlContextMetadata(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.UrlContextMetadata.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    url_metadata: Annotated[list[UrlMetadata] | None, Field(alias="urlMetadata")] = None


class Content(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Content.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    parts: list[Part] | None = None
    role: str | None = None


class GroundingAttribution(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingAttribution.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    content: Content | None = None
    source_id: Annotated[AttributionSourceId | None, Field(alias="sourceId")] = None


class GroundingChunkMaps(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingChunk.Maps.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    place_answer_sources: Annotated[
        GroundingChunkMapsPlaceAnswerSources | None, Field(alias="placeAnswerSources")
    ] = None
    place_id: Annotated[str | None, Field(alias="placeId")] = None
    text: str | None = None
    title: str | None = None
    uri: str | None = None


class GroundingChunk(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingChunk. Oneof groups (set at most one field of each): `chunk_type`: `web`, `retrievedContext`, `maps`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    maps: GroundingChunkMaps | None = None
    retrieved_context: Annotated[
        GroundingChunkRetrievedContext | None, Field(alias="retrievedContext")
    ] = None
    web: GroundingChunkWeb | None = None


class GroundingMetadata(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GroundingMetadata.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    google_maps_widget_context_token: Annotated[
        str | None, Field(alias="googleMapsWidgetContextToken")
    ] = None
    grounding_chunks: Annotated[
        list[GroundingChunk] | None, Field(alias="groundingChunks")
    ] = None
    grounding_supports: Annotated[
        list[GroundingSupport] | None, Field(alias="groundingSupports")
    ] = None
    retrieval_metadata: Annotated[
        RetrievalMetadata | None, Field(alias="retrievalMetadata")
    ] = None
    search_entry_point: Annotated[
        SearchEntryPoint | None, Field(alias="searchEntryPoint")
    ] = None
    web_search_queries: Annotated[list[str] | None, Field(alias="webSearchQueries")] = (
        None
    )


class Candidate(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Candidate.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    avg_logprobs: Annotated[float | None, Field(alias="avgLogprobs")] = None
    citation_metadata: Annotated[
        CitationMetadata | None, Field(alias="citationMetadata")
    ] = None
    content: Content | None = None
    finish_message: Annotated[str | None, Field(alias="finishMessage")] = None
    finish_reason: Annotated[
        str | None,
        Field(
            alias="finishReason",
            description="Known values (open set, widened to a string): `FINISH_REASON_UNSPECIFIED`, `STOP`, `MAX_TOKENS`, `SAFETY`, `RECITATION`, `OTHER`, `LANGUAGE`, `BLOCKLIST`, `PROHIBITED_CONTENT`, `SPII`, `MALFORMED_FUNCTION_CALL`, `IMAGE_SAFETY`, `UNEXPECTED_TOOL_CALL`, `TOO_MANY_TOOL_CALLS`, `IMAGE_PROHIBITED_CONTENT`, `IMAGE_OTHER`, `NO_IMAGE`, `IMAGE_RECITATION`.",
        ),
    ] = None
    grounding_attributions: Annotated[
        list[GroundingAttribution] | None, Field(alias="groundingAttributions")
    ] = None
    grounding_metadata: Annotated[
        GroundingMetadata | None, Field(alias="groundingMetadata")
    ] = None
    index: int | None = None
    logprobs_result: Annotated[LogprobsResult | None, Field(alias="logprobsResult")] = (
        None
    )
    safety_ratings: Annotated[
        list[SafetyRating] | None, Field(alias="safetyRatings")
    ] = None
    token_count: Annotated[int | None, Field(alias="tokenCount")] = None
    url_context_metadata: Annotated[
        UrlContextMetadata | None, Field(alias="urlContextMetadata")
    ] = None


class GenerateContentResponse(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GenerateContentResponse.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    candidates: list[Candidate] | None = None
    model_version: Annotated[str | None, Field(alias="modelVersion")] = None
    prompt_feedback: Annotated[
        GenerateContentResponsePromptFeedback | None, Field(alias="promptFeedback")
    ] = None
    response_id: Annotated[str | None, Field(alias="responseId")] = None
    usage_metadata: Annotated[
        GenerateContentResponseUsageMetadata | None, Field(alias="usageMetadata")
    ] = None
