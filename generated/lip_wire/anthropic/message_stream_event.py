# generated from specs/anthropic/message_stream_event.json by codegen; do not edit
# overlay applied: specs/anthropic/overlays/message_stream_event.json
# root: MessageStreamEvent (anthropic.types.RawMessageStreamEvent)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel
from typing_extensions import TypeAliasType


class Base64PDFSource(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: str
    media_type: Literal["application/pdf"]
    type: Literal["base64"]


class BashCodeExecutionOutputBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    type: Literal["bash_code_execution_output"]


class BashCodeExecutionResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[BashCodeExecutionOutputBlock]
    return_code: int
    stderr: str
    stdout: str
    type: Literal["bash_code_execution_result"]


class BashCodeExecutionToolResultErrorObject(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error_code: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `invalid_tool_input`, `unavailable`, `too_many_requests`, `execution_time_exceeded`, `output_file_too_large`."
        ),
    ]
    type: Literal["bash_code_execution_tool_result_error"]


class CacheCreation(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    ephemeral_1h_input_tokens: int
    ephemeral_5m_input_tokens: int


class CacheMissMessagesChanged(BaseModel):
    """
    A `cache_miss_reason` for a request whose `messages` differ from the previous request's in an earlier entry, instead of only having entries appended. The `model`, `system`, and `tools` match.

    See the [cache diagnostics guide](https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics#cache-miss-reason-types) to learn what to change for each reason.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_missed_input_tokens: int
    type: Literal["messages_changed"]


class CacheMissModelChanged(BaseModel):
    """
    A `cache_miss_reason` for a request whose `model` or `speed` differs from the previous request's.

    See the [cache diagnostics guide](https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics#cache-miss-reason-types) to learn what to change for each reason.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_missed_input_tokens: int
    type: Literal["model_changed"]


class CacheMissPreviousMessageNotFound(BaseModel):
    """
    A `cache_miss_reason` for when the API doesn't have a stored record of the request that `diagnostics.previous_message_id` references.

    This doesn't mean that this request changed.

    See the [cache diagnostics guide](https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics#cache-miss-reason-types) to learn what to change for each reason.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["previous_message_not_found"]


class CacheMissSystemChanged(BaseModel):
    """
    A `cache_miss_reason` for a request whose `system` differs from the previous request's.

    See the [cache diagnostics guide](https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics#cache-miss-reason-types) to learn what to change for each reason.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_missed_input_tokens: int
    type: Literal["system_changed"]


class CacheMissToolsChanged(BaseModel):
    """
    A `cache_miss_reason` for a request whose `tools` differ from the previous request's, for example because tools were added, removed, or reordered.

    See the [cache diagnostics guide](https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics#cache-miss-reason-types) to learn what to change for each reason.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_missed_input_tokens: int
    type: Literal["tools_changed"]


class CacheMissUnavailable(BaseModel):
    """
    A `cache_miss_reason` for when the API can't give a diagnosis.

    The request itself was processed normally.

    This includes a request whose `model`, `system`, and `tools` match the previous request's but whose other prompt-affecting parameters, such as `thinking` or `tool_choice`, differ.

    See the [cache diagnostics guide](https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics#cache-miss-reason-types) to learn what to change for each reason.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["unavailable"]


class CitationCharLocation(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    document_index: int
    document_title: str | None = None
    end_char_index: int
    file_id: str | None = None
    start_char_index: int
    type: Literal["char_location"]


class CitationContentBlockLocation(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    document_index: int
    document_title: str | None = None
    end_block_index: int
    file_id: str | None = None
    start_block_index: int
    type: Literal["content_block_location"]


class CitationPageLocation(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    document_index: int
    document_title: str | None = None
    end_page_number: int
    file_id: str | None = None
    start_page_number: int
    type: Literal["page_location"]


class CitationsConfig(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    enabled: bool


class CitationsSearchResultLocation(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    end_block_index: int
    search_result_index: int
    source: str
    start_block_index: int
    title: str | None = None
    type: Literal["search_result_location"]


class CitationsWebSearchResultLocation(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    encrypted_index: str
    title: str | None = None
    type: Literal["web_search_result_location"]
    url: str


class CodeExecutionOutputBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    type: Literal["code_execution_output"]


class CodeExecutionResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[CodeExecutionOutputBlock]
    return_code: int
    stderr: str
    stdout: str
    type: Literal["code_execution_result"]


class CodeExecutionToolResultErrorObject(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error_code: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `invalid_tool_input`, `unavailable`, `too_many_requests`, `execution_time_exceeded`."
        ),
    ]
    type: Literal["code_execution_tool_result_error"]


class ContainerSkill(BaseModel):
    """
    A skill that was loaded in a container (response model).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    skill_id: str
    type: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `anthropic`, `custom`."
        ),
    ]
    version: str


class ContainerUploadBlock(BaseModel):
    """
    Response model for a file uploaded to the container.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    type: Literal["container_upload"]


DiagnosticsCacheMissReason = TypeAliasType(
    "DiagnosticsCacheMissReason",
    Annotated[
        CacheMissModelChanged
        | CacheMissSystemChanged
        | CacheMissToolsChanged
        | CacheMissMessagesChanged
        | CacheMissPreviousMessageNotFound
        | CacheMissUnavailable,
        Field(discriminator="type"),
    ],
)


class DirectCaller(BaseModel):
    """
    Tool invocation directly from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["direct"]


class EncryptedCodeExecutionResultBlock(BaseModel):
    """
    The output and exit code of Python code that Claude ran with the code execution tool, with standard output in encrypted form.

    The API returns this block in place of `code_execution_result` when the code called the web search tool.

    See the [programmatic tool calling guide](https://platform.claude.com/docs/en/agents-and-tools/tool-use/programmatic-tool-calling) to learn more about programmatic tool calling.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[CodeExecutionOutputBlock]
    encrypted_stdout: str
    return_code: int
    stderr: str
    type: Literal["encrypted_code_execution_result"]


class ErrorEventError(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    message: str
    type: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `invalid_request_error`, `authentication_error`, `billing_error`, `permission_error`, `not_found_error`, `request_too_large`, `rate_limit_error`, `timeout_error`, `api_error`, `overloaded_error`."
        ),
    ]


class InputJSONDelta(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    partial_json: str
    type: Literal["input_json_delta"]


class OutputTokensDetails(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    thinking_tokens: int


class PingEvent(BaseModel):
    """
    Keep-alive event (`event: ping`); carries no data besides its type.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["ping"]


class PlainTextSource(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: str
    media_type: Literal["text/plain"]
    type: Literal["text"]


class RawContentBlockStopEvent(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    index: int
    type: Literal["content_block_stop"]


class RawMessageStopEvent(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["message_stop"]


class RedactedThinkingBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: str
    type: Literal["redacted_thinking"]


class RefusalStopDetails(BaseModel):
    """
    Structured information about a refusal.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    category: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `cyber`, `bio`, `frontier_llm`, `reasoning_extraction`, `general_harms`."
        ),
    ] = None
    explanation: str | None = None
    type: Literal["refusal"]


class ServerToolCaller(BaseModel):
    """
    Tool invocation generated by a server-side tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tool_id: str
    type: Literal["code_execution_20250825"]


class ServerToolCaller20260120(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tool_id: str
    type: Literal["code_execution_20260120"]


class ServerToolUsage(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    web_fetch_requests: int
    web_search_requests: int


ServerToolUseBlockCaller = TypeAliasType(
    "ServerToolUseBlockCaller",
    Annotated[
        DirectCaller | ServerToolCaller | ServerToolCaller20260120,
        Field(discriminator="type"),
    ],
)


class SignatureDelta(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    signature: str
    type: Literal["signature_delta"]


class TextDelta(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    text: str
    type: Literal["text_delta"]


class TextEditorCodeExecutionCreateResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    is_file_update: bool
    type: Literal["text_editor_code_execution_create_result"]


class TextEditorCodeExecutionStrReplaceResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    lines: list[str] | None = None
    new_lines: int | None = None
    new_start: int | None = None
    old_lines: int | None = None
    old_start: int | None = None
    type: Literal["text_editor_code_execution_str_replace_result"]


class TextEditorCodeExecutionToolResultErrorObject(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error_code: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `invalid_tool_input`, `unavailable`, `too_many_requests`, `execution_time_exceeded`, `file_not_found`."
        ),
    ]
    error_message: str | None = None
    type: Literal["text_editor_code_execution_tool_result_error"]


class TextEditorCodeExecutionViewResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: str
    file_type: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `text`, `image`, `pdf`."
        ),
    ]
    num_lines: int | None = None
    start_line: int | None = None
    total_lines: int | None = None
    type: Literal["text_editor_code_execution_view_result"]


class ThinkingBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    signature: str
    thinking: str
    type: Literal["thinking"]


class ThinkingDelta(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    thinking: str
    type: Literal["thinking_delta"]


class ToolReferenceBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tool_name: str
    type: Literal["tool_reference"]


class ToolSearchToolResultErrorObject(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error_code: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `invalid_tool_input`, `unavailable`, `too_many_requests`, `execution_time_exceeded`."
        ),
    ]
    error_message: str | None = None
    type: Literal["tool_search_tool_result_error"]


class ToolSearchToolSearchResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tool_references: list[ToolReferenceBlock]
    type: Literal["tool_search_tool_search_result"]


class ToolUseBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller: ServerToolUseBlockCaller | None = None
    id: str
    input: dict[str, Any]
    name: str
    toolset_name: str | None = None
    type: Literal["tool_use"]


class Usage(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_creation: CacheCreation | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    inference_geo: str | None = None
    input_tokens: int
    output_tokens: int
    output_tokens_details: OutputTokensDetails | None = None
    server_tool_use: ServerToolUsage | None = None
    service_tier: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `standard`, `priority`, `batch`."
        ),
    ] = None
    speed: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `standard`, `fast`."
        ),
    ] = None


class WebFetchToolResultErrorBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error_code: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `invalid_tool_input`, `url_too_long`, `url_not_allowed`, `url_not_in_prior_context`, `url_not_accessible`, `unsupported_content_type`, `too_many_requests`, `max_uses_exceeded`, `unavailable`, `content_too_large`."
        ),
    ]
    type: Literal["web_fetch_tool_result_error"]


class WebSearchResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    encrypted_content: str
    page_age: str | None = None
    title: str
    type: Literal["web_search_result"]
    url: str


class WebSearchToolResultErrorObject(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error_code: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `invalid_tool_input`, `unavailable`, `max_uses_exceeded`, `too_many_requests`, `query_too_long`, `request_too_large`."
        ),
    ]
    type: Literal["web_search_tool_result_error"]


BashCodeExecutionToolResultBlockContent = TypeAliasType(
    "BashCodeExecutionToolResultBlockContent",
    Annotated[
        BashCodeExecutionToolResultErrorObject | BashCodeExecutionResultBlock,
        Field(discriminator="type"),
    ],
)


CitationsDeltaCitation = TypeAliasType(
    "CitationsDeltaCitation",
    Annotated[
        CitationCharLocation
        | CitationPageLocation
        | CitationContentBlockLocation
        | CitationsWebSearchResultLocation
        | CitationsSearchResultLocation,
        Field(discriminator="type"),
    ],
)


CodeExecutionToolResultBlockContent = TypeAliasType(
    "CodeExecutionToolResultBlockContent",
    Annotated[
        CodeExecutionToolResultErrorObject
        | CodeExecutionResultBlock
        | EncryptedCodeExecutionResultBlock,
        Field(discriminator="type"),
    ],
)


class Container(BaseModel):
    """
    Information about the container used in the request (for the code execution tool)
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    expires_at: Annotated[str, Field(description="Format: `date-time`.")]
    id: str
    skills: list[ContainerSkill] | None = None


class Delta(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    container: Container | None = None
    stop_details: RefusalStopDetails | None = None
    stop_reason: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, `pause_turn`, `refusal`, `model_context_window_exceeded`."
        ),
    ]
    stop_sequence: str | None


class Diagnostics(BaseModel):
    """
    Request-level diagnostics: why the prompt cache could not fully reuse
    the prefix of the request named by `diagnostics.previous_message_id`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_miss_reason: DiagnosticsCacheMissReason | None = None


DocumentBlockSource = TypeAliasType(
    "DocumentBlockSource",
    Annotated[Base64PDFSource | PlainTextSource, Field(discriminator="type")],
)


class ErrorEvent(BaseModel):
    """
    Mid-stream error (`event: error`), e.g. {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error: ErrorEventError
    type: Literal["error"]


class MessageDeltaUsage(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    input_tokens: int | None = None
    output_tokens: int
    output_tokens_details: OutputTokensDetails | None = None
    server_tool_use: ServerToolUsage | None = None


class RawMessageDeltaEvent(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: Delta
    type: Literal["message_delta"]
    usage: MessageDeltaUsage


class ServerToolUseBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller: ServerToolUseBlockCaller | None = None
    id: str
    input: dict[str, Any]
    name: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `web_search`, `web_fetch`, `code_execution`, `bash_code_execution`, `text_editor_code_execution`, `tool_search_tool_regex`, `tool_search_tool_bm25`."
        ),
    ]
    type: Literal["server_tool_use"]


class TextBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    citations: list[CitationsDeltaCitation] | None = None
    text: str
    type: Literal["text"]


TextEditorCodeExecutionToolResultBlockContent = TypeAliasType(
    "TextEditorCodeExecutionToolResultBlockContent",
    Annotated[
        TextEditorCodeExecutionToolResultErrorObject
        | TextEditorCodeExecutionViewResultBlock
        | TextEditorCodeExecutionCreateResultBlock
        | TextEditorCodeExecutionStrReplaceResultBlock,
        Field(discriminator="type"),
    ],
)


ToolSearchToolResultBlockContent = TypeAliasType(
    "ToolSearchToolResultBlockContent",
    Annotated[
        ToolSearchToolResultErrorObject | ToolSearchToolSearchResultBlock,
        Field(discriminator="type"),
    ],
)


class WebSearchToolResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller: ServerToolUseBlockCaller | None = None
    content: WebSearchToolResultErrorObject | list[WebSearchResultBlock]
    tool_use_id: str
    type: Literal["web_search_tool_result"]


class BashCodeExecutionToolResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: BashCodeExecutionToolResultBlockContent
    tool_use_id: str
    type: Literal["bash_code_execution_tool_result"]


class CitationsDelta(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    citation: CitationsDeltaCitation
    type: Literal["citations_delta"]


class CodeExecutionToolResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: CodeExecutionToolResultBlockContent
    tool_use_id: str
    type: Literal["code_execution_tool_result"]


class DocumentBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    citations: CitationsConfig | None = None
    source: DocumentBlockSource
    title: str | None = None
    type: Literal["document"]


RawContentBlockDeltaEventDelta = TypeAliasType(
    "RawContentBlockDeltaEventDelta",
    Annotated[
        TextDelta | InputJSONDelta | CitationsDelta | ThinkingDelta | SignatureDelta,
        Field(discriminator="type"),
    ],
)


class TextEditorCodeExecutionToolResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: TextEditorCodeExecutionToolResultBlockContent
    tool_use_id: str
    type: Literal["text_editor_code_execution_tool_result"]


class ToolSearchToolResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: ToolSearchToolResultBlockContent
    tool_use_id: str
    type: Literal["tool_search_tool_result"]


class WebFetchBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: DocumentBlock
    retrieved_at: str | None = None
    type: Literal["web_fetch_result"]
    url: str


WebFetchToolResultBlockContent = TypeAliasType(
    "WebFetchToolResultBlockContent",
    Annotated[
        WebFetchToolResultErrorBlock | WebFetchBlock, Field(discriminator="type")
    ],
)


class RawContentBlockDeltaEvent(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: RawContentBlockDeltaEventDelta
    index: int
    type: Literal["content_block_delta"]


class WebFetchToolResultBlock(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller: ServerToolUseBlockCaller | None = None
    content: WebFetchToolResultBlockContent
    tool_use_id: str
    type: Literal["web_fetch_tool_result"]


MessageContentItem = TypeAliasType(
    "MessageContentItem",
    Annotated[
        TextBlock
        | ThinkingBlock
        | RedactedThinkingBlock
        | ToolUseBlock
        | ServerToolUseBlock
        | WebSearchToolResultBlock
        | WebFetchToolResultBlock
        | CodeExecutionToolResultBlock
        | BashCodeExecutionToolResultBlock
        | TextEditorCodeExecutionToolResultBlock
        | ToolSearchToolResultBlock
        | ContainerUploadBlock,
        Field(discriminator="type"),
    ],
)


class RawContentBlockStartEvent(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_block: MessageContentItem
    index: int
    type: Literal["content_block_start"]


class Message(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    container: Container | None = None
    content: list[MessageContentItem]
    diagnostics: Diagnostics | None = None
    id: str
    model: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `claude-fable-5-2`, `claude-mythos-5-2`, `claude-haiku-5-5`, `claude-sonnet-5-5`, `claude-fable-5-1`, `claude-opus-5-5`, `claude-mythos-5-1`, `claude-sonnet-5`, `claude-fable-5`, `claude-mythos-5`, `claude-opus-5`, `claude-opus-4-8`, `claude-opus-4-7`, `claude-mythos-preview`, `claude-opus-4-6`, `claude-sonnet-4-6`, `claude-haiku-4-5`, `claude-haiku-4-5-20251001`, `claude-opus-4-5`, `claude-opus-4-5-20251101`, `claude-sonnet-4-5`, `claude-sonnet-4-5-20250929`."
        ),
    ]
    role: Literal["assistant"]
    stop_details: RefusalStopDetails | None = None
    stop_reason: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, `pause_turn`, `refusal`, `model_context_window_exceeded`."
        ),
    ]
    stop_sequence: str | None
    type: Literal["message"]
    usage: Usage


class RawMessageStartEvent(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    message: Message
    type: Literal["message_start"]


MessageStreamEventUnion = TypeAliasType(
    "MessageStreamEventUnion",
    Annotated[
        RawMessageStartEvent
        | RawMessageDeltaEvent
        | RawMessageStopEvent
        | RawContentBlockStartEvent
        | RawContentBlockDeltaEvent
        | RawContentBlockStopEvent
        | PingEvent
        | ErrorEvent,
        Field(discriminator="type"),
    ],
)


class MessageStreamEvent(RootModel[MessageStreamEventUnion]):
    """The ``MessageStreamEvent`` union as a model, so callers can ``model_validate_json``.

    Added by codegen: datamodel-codegen emits a root union as a type alias.
    """

    model_config = ConfigDict(defer_build=True)

    root: MessageStreamEventUnion
