# generated from specs/gemini/generate_content_request.json by codegen; do not edit
# root: GenerateContentRequest (google.ai.generativelanguage_v1beta.types.GenerateContentRequest)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


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


class CodeExecution(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.CodeExecution.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )


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


class DynamicRetrievalConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.DynamicRetrievalConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    dynamic_threshold: Annotated[float | None, Field(alias="dynamicThreshold")] = None
    mode: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `MODE_UNSPECIFIED`, `MODE_DYNAMIC`."
        ),
    ] = None


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


class FileSearchRetrievalConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FileSearch.RetrievalConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    metadata_filter: Annotated[str | None, Field(alias="metadataFilter")] = None
    top_k: Annotated[int | None, Field(alias="topK")] = None


class FileSearchRetrievalResource(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FileSearch.RetrievalResource.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    rag_store_name: Annotated[str | None, Field(alias="ragStoreName")] = None


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


class FunctionCallingConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FunctionCallingConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    allowed_function_names: Annotated[
        list[str] | None, Field(alias="allowedFunctionNames")
    ] = None
    mode: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `MODE_UNSPECIFIED`, `AUTO`, `ANY`, `NONE`, `VALIDATED`."
        ),
    ] = None


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


class GoogleMaps(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GoogleMaps.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    enable_widget: Annotated[bool | None, Field(alias="enableWidget")] = None


class GoogleSearchRetrieval(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GoogleSearchRetrieval.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    dynamic_retrieval_config: Annotated[
        DynamicRetrievalConfig | None, Field(alias="dynamicRetrievalConfig")
    ] = None


class ImageConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.ImageConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    aspect_ratio: Annotated[str | None, Field(alias="aspectRatio")] = None


class Interval(BaseModel):
    """
    Proto message google.type.Interval.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    end_time: Annotated[
        str | None, Field(alias="endTime", description="RFC 3339 timestamp.")
    ] = None
    start_time: Annotated[
        str | None, Field(alias="startTime", description="RFC 3339 timestamp.")
    ] = None


class LatLng(BaseModel):
    """
    Proto message google.type.LatLng.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    latitude: float | None = None
    longitude: float | None = None


class PrebuiltVoiceConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.PrebuiltVoiceConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    voice_name: Annotated[str | None, Field(alias="voiceName")] = None


class RetrievalConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.RetrievalConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    language_code: Annotated[str | None, Field(alias="languageCode")] = None
    lat_lng: Annotated[LatLng | None, Field(alias="latLng")] = None


class SafetySetting(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.SafetySetting.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    category: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `HARM_CATEGORY_UNSPECIFIED`, `HARM_CATEGORY_DEROGATORY`, `HARM_CATEGORY_TOXICITY`, `HARM_CATEGORY_VIOLENCE`, `HARM_CATEGORY_SEXUAL`, `HARM_CATEGORY_MEDICAL`, `HARM_CATEGORY_DANGEROUS`, `HARM_CATEGORY_HARASSMENT`, `HARM_CATEGORY_HATE_SPEECH`, `HARM_CATEGORY_SEXUALLY_EXPLICIT`, `HARM_CATEGORY_DANGEROUS_CONTENT`, `HARM_CATEGORY_CIVIC_INTEGRITY`."
        ),
    ] = None
    threshold: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `HARM_BLOCK_THRESHOLD_UNSPECIFIED`, `BLOCK_LOW_AND_ABOVE`, `BLOCK_MEDIUM_AND_ABOVE`, `BLOCK_ONLY_HIGH`, `BLOCK_NONE`, `OFF`."
        ),
    ] = None


class Schema(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Schema.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    any_of: Annotated[list[Schema] | None, Field(alias="anyOf")] = None
    default: Annotated[Any | None, Field(description="Any JSON value.")] = None
    description: str | None = None
    enum: list[str] | None = None
    example: Annotated[Any | None, Field(description="Any JSON value.")] = None
    format: str | None = None
    items: Schema | None = None
    max_items: Annotated[
        str | int | None,
        Field(
            alias="maxItems",
            description="64-bit integer: a decimal string on the wire (numbers are also accepted).",
        ),
    ] = None
    max_length: Annotated[
        str | int | None,
        Field(
            alias="maxLength",
            description="64-bit integer: a decimal string on the wire (numbers are also accepted).",
        ),
    ] = None
    max_properties: Annotated[
        str | int | None,
        Field(
            alias="maxProperties",
            description="64-bit integer: a decimal string on the wire (numbers are also accepted).",
        ),
    ] = None
    maximum: float | None = None
    min_items: Annotated[
        str | int | None,
        Field(
            alias="minItems",
            description="64-bit integer: a decimal string on the wire (numbers are also accepted).",
        ),
    ] = None
    min_length: Annotated[
        str | int | None,
        Field(
            alias="minLength",
            description="64-bit integer: a decimal string on the wire (numbers are also accepted).",
        ),
    ] = None
    min_properties: Annotated[
        str | int | None,
        Field(
            alias="minProperties",
            description="64-bit integer: a decimal string on the wire (numbers are also accepted).",
        ),
    ] = None
    minimum: float | None = None
    nullable: bool | None = None
    pattern: str | None = None
    properties: dict[str, Schema] | None = None
    property_ordering: Annotated[list[str] | None, Field(alias="propertyOrdering")] = (
        None
    )
    required: list[str] | None = None
    title: str | None = None
    type: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `TYPE_UNSPECIFIED`, `STRING`, `NUMBER`, `INTEGER`, `BOOLEAN`, `ARRAY`, `OBJECT`, `NULL`."
        ),
    ] = None


class ThinkingConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.ThinkingConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    include_thoughts: Annotated[bool | None, Field(alias="includeThoughts")] = None
    thinking_budget: Annotated[int | None, Field(alias="thinkingBudget")] = None


class ToolComputerUse(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Tool.ComputerUse.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    environment: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `ENVIRONMENT_UNSPECIFIED`, `ENVIRONMENT_BROWSER`."
        ),
    ] = None
    excluded_predefined_functions: Annotated[
        list[str] | None, Field(alias="excludedPredefinedFunctions")
    ] = None


class ToolConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.ToolConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    function_calling_config: Annotated[
        FunctionCallingConfig | None, Field(alias="functionCallingConfig")
    ] = None
    retrieval_config: Annotated[
        RetrievalConfig | None, Field(alias="retrievalConfig")
    ] = None


class ToolGoogleSearch(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Tool.GoogleSearch.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    time_range_filter: Annotated[Interval | None, Field(alias="timeRangeFilter")] = None


class UrlContext(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.UrlContext.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )


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


class VoiceConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.VoiceConfig. Oneof groups (set at most one field of each): `voice_config`: `prebuiltVoiceConfig`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    prebuilt_voice_config: Annotated[
        PrebuiltVoiceConfig | None, Field(alias="prebuiltVoiceConfig")
    ] = None


class FileSearch(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FileSearch.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    retrieval_config: Annotated[
        FileSearchRetrievalConfig | None, Field(alias="retrievalConfig")
    ] = None
    retrieval_resources: Annotated[
        list[FileSearchRetrievalResource] | None, Field(alias="retrievalResources")
    ] = None


class FunctionDeclaration(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.FunctionDeclaration.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    behavior: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `UNSPECIFIED`, `BLOCKING`, `NON_BLOCKING`."
        ),
    ] = None
    description: str | None = None
    name: str | None = None
    parameters: Schema | None = None
    parameters_json_schema: Annotated[
        Any | None, Field(alias="parametersJsonSchema", description="Any JSON value.")
    ] = None
    response: Schema | None = None
    response_json_schema: Annotated[
        Any | None, Field(alias="responseJsonSchema", description="Any JSON value.")
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


class SpeakerVoiceConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.SpeakerVoiceConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    speaker: str | None = None
    voice_config: Annotated[VoiceConfig | None, Field(alias="voiceConfig")] = None


class Tool(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.Tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    code_execution: Annotated[CodeExecution | None, Field(alias="codeExecution")] = None
    computer_use: Annotated[ToolComputerUse | None, Field(alias="computerUse")] = None
    file_search: Annotated[FileSearch | None, Field(alias="fileSearch")] = None
    function_declarations: Annotated[
        list[FunctionDeclaration] | None, Field(alias="functionDeclarations")
    ] = None
    google_maps: Annotated[GoogleMaps | None, Field(alias="googleMaps")] = None
    google_search: Annotated[ToolGoogleSearch | None, Field(alias="googleSearch")] = (
        None
    )
    google_search_retrieval: Annotated[
        GoogleSearchRetrieval | None, Field(alias="googleSearchRetrieval")
    ] = None
    url_context: Annotated[UrlContext | None, Field(alias="urlContext")] = None


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


class MultiSpeakerVoiceConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.MultiSpeakerVoiceConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    speaker_voice_configs: Annotated[
        list[SpeakerVoiceConfig] | None, Field(alias="speakerVoiceConfigs")
    ] = None


class SpeechConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.SpeechConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    language_code: Annotated[str | None, Field(alias="languageCode")] = None
    multi_speaker_voice_config: Annotated[
        MultiSpeakerVoiceConfig | None, Field(alias="multiSpeakerVoiceConfig")
    ] = None
    voice_config: Annotated[VoiceConfig | None, Field(alias="voiceConfig")] = None


class GenerationConfig(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GenerationConfig.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    candidate_count: Annotated[int | None, Field(alias="candidateCount")] = None
    enable_enhanced_civic_answers: Annotated[
        bool | None, Field(alias="enableEnhancedCivicAnswers")
    ] = None
    frequency_penalty: Annotated[float | None, Field(alias="frequencyPenalty")] = None
    image_config: Annotated[ImageConfig | None, Field(alias="imageConfig")] = None
    logprobs: int | None = None
    max_output_tokens: Annotated[int | None, Field(alias="maxOutputTokens")] = None
    media_resolution: Annotated[
        str | None,
        Field(
            alias="mediaResolution",
            description="Known values (open set, widened to a string): `MEDIA_RESOLUTION_UNSPECIFIED`, `MEDIA_RESOLUTION_LOW`, `MEDIA_RESOLUTION_MEDIUM`, `MEDIA_RESOLUTION_HIGH`.",
        ),
    ] = None
    presence_penalty: Annotated[float | None, Field(alias="presencePenalty")] = None
    response_json_schema: Annotated[
        Any | None, Field(alias="responseJsonSchema", description="Any JSON value.")
    ] = None
    response_json_schema_ordered: Annotated[
        Any | None,
        Field(alias="responseJsonSchemaOrdered", description="Any JSON value."),
    ] = None
    response_logprobs: Annotated[bool | None, Field(alias="responseLogprobs")] = None
    response_mime_type: Annotated[str | None, Field(alias="responseMimeType")] = None
    response_modalities: Annotated[
        list[str] | None,
        Field(
            alias="responseModalities",
            description="Known values (open set, widened to a string): `MODALITY_UNSPECIFIED`, `TEXT`, `IMAGE`, `AUDIO`.",
        ),
    ] = None
    response_schema: Annotated[Schema | None, Field(alias="responseSchema")] = None
    seed: int | None = None
    speech_config: Annotated[SpeechConfig | None, Field(alias="speechConfig")] = None
    stop_sequences: Annotated[list[str] | None, Field(alias="stopSequences")] = None
    temperature: float | None = None
    thinking_config: Annotated[ThinkingConfig | None, Field(alias="thinkingConfig")] = (
        None
    )
    top_k: Annotated[int | None, Field(alias="topK")] = None
    top_p: Annotated[float | None, Field(alias="topP")] = None


class GenerateContentRequest(BaseModel):
    """
    Proto message google.ai.generativelanguage.v1beta.GenerateContentRequest.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    cached_content: Annotated[str | None, Field(alias="cachedContent")] = None
    contents: list[Content] | None = None
    generation_config: Annotated[
        GenerationConfig | None, Field(alias="generationConfig")
    ] = None
    model: str | None = None
    safety_settings: Annotated[
        list[SafetySetting] | None, Field(alias="safetySettings")
    ] = None
    system_instruction: Annotated[Content | None, Field(alias="systemInstruction")] = (
        None
    )
    tool_config: Annotated[ToolConfig | None, Field(alias="toolConfig")] = None
    tools: list[Tool] | None = None


Schema.model_rebuild()
