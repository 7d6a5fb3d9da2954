# generated from specs/anthropic/message_create_request.json by codegen; do not edit
# root: MessageCreateRequest (anthropic.types.message_create_params.MessageCreateParams)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType


class Base64ImageSourceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: str
    media_type: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `image/jpeg`, `image/png`, `image/gif`, `image/webp`."
        ),
    ]
    type: Literal["base64"]


class Base64PDFSourceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: str
    media_type: Literal["application/pdf"]
    type: Literal["base64"]


class BashCodeExecutionOutputBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    type: Literal["bash_code_execution_output"]


class BashCodeExecutionResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[BashCodeExecutionOutputBlockParam]
    return_code: int
    stderr: str
    stdout: str
    type: Literal["bash_code_execution_result"]


class BashCodeExecutionToolResultErrorParam(BaseModel):
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


class BrowserCloseTabConfigParam(BaseModel):
    """
    ``close_tab``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserDoubleClickConfigParam(BaseModel):
    """
    ``double_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserFileUploadConfigParam(BaseModel):
    """
    ``file_upload``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserFindConfigParam(BaseModel):
    """
    ``find``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserFormInputConfigParam(BaseModel):
    """
    ``form_input``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserGetPageTextConfigParam(BaseModel):
    """
    ``get_page_text``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserHoldKeyConfigParam(BaseModel):
    """
    ``hold_key``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserHoverConfigParam(BaseModel):
    """
    ``hover``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserJavascriptExecConfigParam(BaseModel):
    """
    ``javascript_exec``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserKeyConfigParam(BaseModel):
    """
    ``key``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserLeftClickConfigParam(BaseModel):
    """
    ``left_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserLeftClickDragConfigParam(BaseModel):
    """
    ``left_click_drag``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserLeftMouseDownConfigParam(BaseModel):
    """
    ``left_mouse_down``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserLeftMouseUpConfigParam(BaseModel):
    """
    ``left_mouse_up``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserListTabsConfigParam(BaseModel):
    """
    ``list_tabs``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserMiddleClickConfigParam(BaseModel):
    """
    ``middle_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserMouseMoveConfigParam(BaseModel):
    """
    ``mouse_move``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserNavigateConfigParam(BaseModel):
    """
    ``navigate``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserNewTabConfigParam(BaseModel):
    """
    ``new_tab``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserReadConsoleConfigParam(BaseModel):
    """
    ``read_console``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserReadNetworkConfigParam(BaseModel):
    """
    ``read_network``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserReadPageConfigParam(BaseModel):
    """
    ``read_page``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserRightClickConfigParam(BaseModel):
    """
    ``right_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserScreenshotConfigParam(BaseModel):
    """
    ``screenshot``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserScrollConfigParam(BaseModel):
    """
    ``scroll``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserScrollToConfigParam(BaseModel):
    """
    ``scroll_to``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserStateChangeDownloadCompletedParam(BaseModel):
    """
    A file download that finished during this call, reported with the
    same `download_id` as its `download_started` — or without a prior
    `download_started`, when the download finished during the call that
    started it (at most one state change per `download_id` per result).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    download_id: str
    path: str | None = None
    size_bytes: int | None = None
    type: Literal["download_completed"]
    url: str


class BrowserStateChangeDownloadFailedParam(BaseModel):
    """
    A file download that failed — or was cancelled — during this call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    download_id: str
    error: str | None = None
    type: Literal["download_failed"]
    url: str


class BrowserStateChangeDownloadStartedParam(BaseModel):
    """
    A file download that started during this call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    download_id: str
    type: Literal["download_started"]
    url: str


class BrowserStateChangeTabOpenedParam(BaseModel):
    """
    A tab this call's execution opened that remains open at its end —
    the creation delta of the `tabs` inventory, not an event log.

    Carries only the `tab_id`; the tab's `title` and `url` live on its
    `tabs` entry, which must include the same `tab_id`. A tab opened
    during a failed call gets no deferred `tab_opened`; it simply appears
    in the next result's `tabs` inventory.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tab_id: str
    type: Literal["tab_opened"]


class BrowserStateTabEntryParam(BaseModel):
    """
    One open browser tab reported in a `browser_state` block's `tabs`
    inventory.

    `tab_id` is the caller-assigned identifier for the tab; `title` and
    `url` describe the page the tab is currently showing and may be empty
    strings (a blank tab legitimately has both empty). `active` marks the
    tab that is active after this call; whenever `tabs` is non-empty,
    exactly one entry is marked.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    active: bool | None = None
    tab_id: str
    title: str
    url: str


class BrowserSwitchTabConfigParam(BaseModel):
    """
    ``switch_tab``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserTripleClickConfigParam(BaseModel):
    """
    ``triple_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserTypeConfigParam(BaseModel):
    """
    ``type``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserWaitConfigParam(BaseModel):
    """
    ``wait``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class BrowserZoomConfigParam(BaseModel):
    """
    ``zoom``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class CacheControlEphemeralParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    ttl: Annotated[
        str | None,
        Field(description="Known values (open set, widened to a string): `5m`, `1h`."),
    ] = None
    type: Literal["ephemeral"]


class CitationCharLocationParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    document_index: int
    document_title: str | None
    end_char_index: int
    start_char_index: int
    type: Literal["char_location"]


class CitationContentBlockLocationParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    document_index: int
    document_title: str | None
    end_block_index: int
    start_block_index: int
    type: Literal["content_block_location"]


class CitationPageLocationParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    document_index: int
    document_title: str | None
    end_page_number: int
    start_page_number: int
    type: Literal["page_location"]


class CitationSearchResultLocationParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    end_block_index: int
    search_result_index: int
    source: str
    start_block_index: int
    title: str | None
    type: Literal["search_result_location"]


class CitationWebSearchResultLocationParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cited_text: str
    encrypted_index: str
    title: str | None
    type: Literal["web_search_result_location"]
    url: str


class CitationsConfigParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    enabled: bool | None = None


class CodeExecutionOutputBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    type: Literal["code_execution_output"]


class CodeExecutionResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[CodeExecutionOutputBlockParam]
    return_code: int
    stderr: str
    stdout: str
    type: Literal["code_execution_result"]


class CodeExecutionTool20250522Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    name: Literal["code_execution"]
    strict: bool | None = None
    type: Literal["code_execution_20250522"]


class CodeExecutionTool20250825Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    name: Literal["code_execution"]
    strict: bool | None = None
    type: Literal["code_execution_20250825"]


class CodeExecutionTool20260120Param(BaseModel):
    """
    A `tools` entry for the code execution tool, version `code_execution_20260120`.

    It adds REPL state persistence to version `code_execution_20250825`.

    REPL state persistence applies with programmatic tool calling. With it, the Python interpreter state, such as variable bindings, persists across requests that reuse the container.

    See the [code execution tool guide](https://platform.claude.com/docs/en/agents-and-tools/tool-use/code-execution-tool#tool-versions) to learn what each tool version adds.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    name: Literal["code_execution"]
    strict: bool | None = None
    type: Literal["code_execution_20260120"]


class CodeExecutionTool20260521Param(BaseModel):
    """
    Code execution tool with REPL state persistence.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    name: Literal["code_execution"]
    strict: bool | None = None
    type: Literal["code_execution_20260521"]


class CodeExecutionToolResultErrorParam(BaseModel):
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


class ComputerCursorPositionConfigParam(BaseModel):
    """
    ``cursor_position``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerDoubleClickConfigParam(BaseModel):
    """
    ``double_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerHoldKeyConfigParam(BaseModel):
    """
    ``hold_key``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerKeyConfigParam(BaseModel):
    """
    ``key``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerLeftClickConfigParam(BaseModel):
    """
    ``left_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerLeftClickDragConfigParam(BaseModel):
    """
    ``left_click_drag``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerLeftMouseDownConfigParam(BaseModel):
    """
    ``left_mouse_down``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerLeftMouseUpConfigParam(BaseModel):
    """
    ``left_mouse_up``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerMiddleClickConfigParam(BaseModel):
    """
    ``middle_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerMouseMoveConfigParam(BaseModel):
    """
    ``mouse_move``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerRightClickConfigParam(BaseModel):
    """
    ``right_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerScreenshotConfigParam(BaseModel):
    """
    ``screenshot``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerScrollConfigParam(BaseModel):
    """
    ``scroll``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerTripleClickConfigParam(BaseModel):
    """
    ``triple_click``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerTypeConfigParam(BaseModel):
    """
    ``type``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerWaitConfigParam(BaseModel):
    """
    ``wait``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ComputerZoomConfigParam(BaseModel):
    """
    ``zoom``'s config overrides.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    defer_loading: bool | None = None
    enabled: bool | None = None


class ContainerUploadBlockParam(BaseModel):
    """
    A content block that represents a file to be uploaded to the container
    Files uploaded via this block will be available in the container's input directory.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    file_id: str
    type: Literal["container_upload"]


class DiagnosticsParam(BaseModel):
    """
    Request-level diagnostics.

    Currently carries the previous response
    id for prompt-cache divergence reporting.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    previous_message_id: str | None = None


class DirectCallerParam(BaseModel):
    """
    Tool invocation directly from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["direct"]


class EncryptedCodeExecutionResultBlockParam(BaseModel):
    """
    The output and exit code of Python code that Claude ran with the code execution tool, with standard output in encrypted form, sent back in a later request.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[CodeExecutionOutputBlockParam]
    encrypted_stdout: str
    return_code: int
    stderr: str
    type: Literal["encrypted_code_execution_result"]


class FileDocumentSourceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    type: Literal["file"]


class FileImageSourceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    type: Literal["file"]


class ImageTransformationsParam(BaseModel):
    """
    Configures the transformations the server applies to this image before the model observes it. Each key names a condition the server transforms images for; its value selects the transformation applied. Omitted keys keep their default behavior, and an empty object is equivalent to omitting the field.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    oversized_image: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `downsize`, `error`."
        ),
    ] = None


class InputSchemaTyped(BaseModel):
    """
    [JSON schema](https://json-schema.org/draft/2020-12) for this tool's input.

    This defines the shape of the `input` that your tool accepts and that the model will produce.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    properties: dict[str, Any] | None = None
    required: list[str] | None = None
    type: Literal["object"]


class JSONOutputFormatParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    schema_: Annotated[dict[str, Any], Field(alias="schema")]
    type: Literal["json_schema"]


class MemoryTool20250818Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    input_examples: list[dict[str, Any]] | None = None
    name: Literal["memory"]
    strict: bool | None = None
    type: Literal["memory_20250818"]


class MetadataParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    user_id: str | None = None


class OutputConfigParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    effort: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`, `xhigh`, `max`."
        ),
    ] = None
    format: JSONOutputFormatParam | None = None


class PlainTextSourceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: str
    media_type: Literal["text/plain"]
    type: Literal["text"]


class RedactedThinkingBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: str
    type: Literal["redacted_thinking"]


class ServerToolCaller20260120Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tool_id: str
    type: Literal["code_execution_20260120"]


class ServerToolCallerParam(BaseModel):
    """
    Tool invocation generated by a server-side tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tool_id: str
    type: Literal["code_execution_20250825"]


ServerToolUseBlockParamCaller = TypeAliasType(
    "ServerToolUseBlockParamCaller",
    Annotated[
        DirectCallerParam | ServerToolCallerParam | ServerToolCaller20260120Param,
        Field(discriminator="type"),
    ],
)


class SkillParams(BaseModel):
    """
    Specification for a skill to be loaded in a container.
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
    version: str | None = None


TextBlockParamCitationsItem = TypeAliasType(
    "TextBlockParamCitationsItem",
    Annotated[
        CitationCharLocationParam
        | CitationPageLocationParam
        | CitationContentBlockLocationParam
        | CitationWebSearchResultLocationParam
        | CitationSearchResultLocationParam,
        Field(discriminator="type"),
    ],
)


class TextEditorCodeExecutionCreateResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    is_file_update: bool
    type: Literal["text_editor_code_execution_create_result"]


class TextEditorCodeExecutionStrReplaceResultBlockParam(BaseModel):
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


class TextEditorCodeExecutionToolResultErrorParam(BaseModel):
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


class TextEditorCodeExecutionViewResultBlockParam(BaseModel):
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


class ThinkingBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    signature: str
    thinking: str
    type: Literal["thinking"]


class ThinkingConfigAdaptiveParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    display: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `summarized`, `omitted`."
        ),
    ] = None
    type: Literal["adaptive"]


class ThinkingConfigBetweenToolsParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["between_tools"]


class ThinkingConfigDisabledParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["disabled"]


class ThinkingConfigEnabledParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    budget_tokens: int
    display: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `summarized`, `omitted`."
        ),
    ] = None
    type: Literal["enabled"]


class ToolBash20250124Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    input_examples: list[dict[str, Any]] | None = None
    name: Literal["bash"]
    strict: bool | None = None
    type: Literal["bash_20250124"]


class ToolChoiceAnyParam(BaseModel):
    """
    The model will use any available tools.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    disable_parallel_tool_use: bool | None = None
    type: Literal["any"]


class ToolChoiceAutoParam(BaseModel):
    """
    The model will automatically decide whether to use tools.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    disable_parallel_tool_use: bool | None = None
    type: Literal["auto"]


class ToolChoiceNoneParam(BaseModel):
    """
    The model will not be allowed to use tools.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["none"]


class ToolChoiceToolParam(BaseModel):
    """
    The model will use the specified tool with `tool_choice.name`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    disable_parallel_tool_use: bool | None = None
    name: str
    type: Literal["tool"]


class ToolParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    description: str | None = None
    eager_input_streaming: bool | None = None
    input_examples: list[dict[str, Any]] | None = None
    input_schema: InputSchemaTyped | dict[str, Any]
    name: str
    strict: bool | None = None
    type: Literal["custom"] | None = None


class ToolReferenceBlockParam(BaseModel):
    """
    Tool reference block that can be included in tool_result content.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    tool_name: str
    type: Literal["tool_reference"]


class ToolSearchToolBm2520251119Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    name: Literal["tool_search_tool_bm25"]
    strict: bool | None = None
    type: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `tool_search_tool_bm25_20251119`, `tool_search_tool_bm25`."
        ),
    ]


class ToolSearchToolRegex20251119Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    name: Literal["tool_search_tool_regex"]
    strict: bool | None = None
    type: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `tool_search_tool_regex_20251119`, `tool_search_tool_regex`."
        ),
    ]


class ToolSearchToolResultErrorParam(BaseModel):
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


class ToolSearchToolSearchResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tool_references: list[ToolReferenceBlockParam]
    type: Literal["tool_search_tool_search_result"]


class ToolTextEditor20250124Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    input_examples: list[dict[str, Any]] | None = None
    name: Literal["str_replace_editor"]
    strict: bool | None = None
    type: Literal["text_editor_20250124"]


class ToolTextEditor20250429Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    input_examples: list[dict[str, Any]] | None = None
    name: Literal["str_replace_based_edit_tool"]
    strict: bool | None = None
    type: Literal["text_editor_20250429"]


class ToolTextEditor20250728Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    input_examples: list[dict[str, Any]] | None = None
    max_characters: int | None = None
    name: Literal["str_replace_based_edit_tool"]
    strict: bool | None = None
    type: Literal["text_editor_20250728"]


class ToolUseBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    caller: ServerToolUseBlockParamCaller | None = None
    id: str
    input: dict[str, Any]
    name: str
    toolset_name: str | None = None
    type: Literal["tool_use"]


class URLImageSourceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["url"]
    url: str


class URLPDFSourceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["url"]
    url: str


class UserLocationParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    city: str | None = None
    country: str | None = None
    region: str | None = None
    timezone: str | None = None
    type: Literal["approximate"]


class WebFetchToolResultErrorBlockParam(BaseModel):
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


class WebFetchURLSourceAllParam(BaseModel):
    """
    The ``url_sources`` variant under which a source contributes in
    full: every result of the tool filter's source, or all user input.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["all"]


class WebFetchURLSourceNoneParam(BaseModel):
    """
    The ``url_sources`` variant under which a source contributes nothing:
    no result of the tool filter's source, or no user input.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["none"]


class WebFetchURLSourceToolReferenceParam(BaseModel):
    """
    One entry of a tool filter's ``tools``: it must name a tool declared
    in this request's ``tools[]``.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    name: str
    type: Literal["tool_reference"]


WebFetchURLSourcesParamUserInput = TypeAliasType(
    "WebFetchURLSourcesParamUserInput",
    Annotated[
        WebFetchURLSourceAllParam | WebFetchURLSourceNoneParam,
        Field(discriminator="type"),
    ],
)


class WebSearchResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    encrypted_content: str
    page_age: str | None = None
    title: str
    type: Literal["web_search_result"]
    url: str


class WebSearchTool20250305Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    allowed_domains: list[str] | None = None
    blocked_domains: list[str] | None = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    max_uses: int | None = None
    name: Literal["web_search"]
    strict: bool | None = None
    type: Literal["web_search_20250305"]
    user_location: UserLocationParam | None = None


class WebSearchTool20260209Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    allowed_domains: list[str] | None = None
    blocked_domains: list[str] | None = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    max_uses: int | None = None
    name: Literal["web_search"]
    strict: bool | None = None
    type: Literal["web_search_20260209"]
    user_location: UserLocationParam | None = None


class WebSearchTool20260318Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    allowed_domains: list[str] | None = None
    blocked_domains: list[str] | None = None
    cache_control: CacheControlEphemeralParam | None = None
    defer_loading: bool | None = None
    max_uses: int | None = None
    name: Literal["web_search"]
    response_inclusion: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `full`, `excluded`."
        ),
    ] = None
    strict: bool | None = None
    type: Literal["web_search_20260318"]
    user_location: UserLocationParam | None = None


class WebSearchToolRequestErrorObjectParam(BaseModel):
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


class WebSearchToolResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    caller: ServerToolUseBlockParamCaller | None = None
    content: list[WebSearchResultBlockParam] | WebSearchToolRequestErrorObjectParam
    tool_use_id: str
    type: Literal["web_search_tool_result"]


BashCodeExecutionToolResultBlockParamContent = TypeAliasType(
    "BashCodeExecutionToolResultBlockParamContent",
    Annotated[
        BashCodeExecutionToolResultErrorParam | BashCodeExecutionResultBlockParam,
        Field(discriminator="type"),
    ],
)


BrowserStateBlockParamStateChangesItem = TypeAliasType(
    "BrowserStateBlockParamStateChangesItem",
    Annotated[
        BrowserStateChangeTabOpenedParam
        | BrowserStateChangeDownloadStartedParam
        | BrowserStateChangeDownloadCompletedParam
        | BrowserStateChangeDownloadFailedParam,
        Field(discriminator="type"),
    ],
)


class BrowserToolsetConfigsParam(BaseModel):
    """
    Per-member configuration for ``browser_toolset_20260801``: one
    optional field per member tool, keyed by the member name — the same
    name the member's ``tool_use`` blocks carry. Every member is an
    accepted key, and a member's defaults apply wherever its key is
    absent. Unknown keys are rejected: the field set is this toolset
    version's complete member set.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    close_tab: BrowserCloseTabConfigParam | None = None
    double_click: BrowserDoubleClickConfigParam | None = None
    file_upload: BrowserFileUploadConfigParam | None = None
    find: BrowserFindConfigParam | None = None
    form_input: BrowserFormInputConfigParam | None = None
    get_page_text: BrowserGetPageTextConfigParam | None = None
    hold_key: BrowserHoldKeyConfigParam | None = None
    hover: BrowserHoverConfigParam | None = None
    javascript_exec: BrowserJavascriptExecConfigParam | None = None
    key: BrowserKeyConfigParam | None = None
    left_click: BrowserLeftClickConfigParam | None = None
    left_click_drag: BrowserLeftClickDragConfigParam | None = None
    left_mouse_down: BrowserLeftMouseDownConfigParam | None = None
    left_mouse_up: BrowserLeftMouseUpConfigParam | None = None
    list_tabs: BrowserListTabsConfigParam | None = None
    middle_click: BrowserMiddleClickConfigParam | None = None
    mouse_move: BrowserMouseMoveConfigParam | None = None
    navigate: BrowserNavigateConfigParam | None = None
    new_tab: BrowserNewTabConfigParam | None = None
    read_console: BrowserReadConsoleConfigParam | None = None
    read_network: BrowserReadNetworkConfigParam | None = None
    read_page: BrowserReadPageConfigParam | None = None
    right_click: BrowserRightClickConfigParam | None = None
    screenshot: BrowserScreenshotConfigParam | None = None
    scroll: BrowserScrollConfigParam | None = None
    scroll_to: BrowserScrollToConfigParam | None = None
    switch_tab: BrowserSwitchTabConfigParam | None = None
    triple_click: BrowserTripleClickConfigParam | None = None
    type: BrowserTypeConfigParam | None = None
    wait: BrowserWaitConfigParam | None = None
    zoom: BrowserZoomConfigParam | None = None


CodeExecutionToolResultBlockParamContent = TypeAliasType(
    "CodeExecutionToolResultBlockParamContent",
    Annotated[
        CodeExecutionToolResultErrorParam
        | CodeExecutionResultBlockParam
        | EncryptedCodeExecutionResultBlockParam,
        Field(discriminator="type"),
    ],
)


class ComputerToolsetConfigsParam(BaseModel):
    """
    Per-member configuration for ``computer_toolset_20260801``: one
    optional field per member tool, keyed by the member name — the same
    name the member's ``tool_use`` blocks carry. Every member is an
    accepted key, and a member's defaults apply wherever its key is
    absent. Unknown keys are rejected: the field set is this toolset
    version's complete member set.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cursor_position: ComputerCursorPositionConfigParam | None = None
    double_click: ComputerDoubleClickConfigParam | None = None
    hold_key: ComputerHoldKeyConfigParam | None = None
    key: ComputerKeyConfigParam | None = None
    left_click: ComputerLeftClickConfigParam | None = None
    left_click_drag: ComputerLeftClickDragConfigParam | None = None
    left_mouse_down: ComputerLeftMouseDownConfigParam | None = None
    left_mouse_up: ComputerLeftMouseUpConfigParam | None = None
    middle_click: ComputerMiddleClickConfigParam | None = None
    mouse_move: ComputerMouseMoveConfigParam | None = None
    right_click: ComputerRightClickConfigParam | None = None
    screenshot: ComputerScreenshotConfigParam | None = None
    scroll: ComputerScrollConfigParam | None = None
    triple_click: ComputerTripleClickConfigParam | None = None
    type: ComputerTypeConfigParam | None = None
    wait: ComputerWaitConfigParam | None = None
    zoom: ComputerZoomConfigParam | None = None


class ContainerParams(BaseModel):
    """
    Container parameters with skills to be loaded.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str | None = None
    skills: list[SkillParams] | None = None


ImageBlockParamSource = TypeAliasType(
    "ImageBlockParamSource",
    Annotated[
        Base64ImageSourceParam | URLImageSourceParam | FileImageSourceParam,
        Field(discriminator="type"),
    ],
)


MessageCreateRequestThinking = TypeAliasType(
    "MessageCreateRequestThinking",
    Annotated[
        ThinkingConfigEnabledParam
        | ThinkingConfigDisabledParam
        | ThinkingConfigBetweenToolsParam
        | ThinkingConfigAdaptiveParam,
        Field(discriminator="type"),
    ],
)


MessageCreateRequestToolChoice = TypeAliasType(
    "MessageCreateRequestToolChoice",
    Annotated[
        ToolChoiceAutoParam
        | ToolChoiceAnyParam
        | ToolChoiceToolParam
        | ToolChoiceNoneParam,
        Field(discriminator="type"),
    ],
)


class ServerToolUseBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    caller: ServerToolUseBlockParamCaller | None = None
    id: str
    input: dict[str, Any]
    name: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `web_search`, `web_fetch`, `code_execution`, `bash_code_execution`, `text_editor_code_execution`, `tool_search_tool_regex`, `tool_search_tool_bm25`."
        ),
    ]
    type: Literal["server_tool_use"]


class TextBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    citations: list[TextBlockParamCitationsItem] | None = None
    text: str
    type: Literal["text"]


TextEditorCodeExecutionToolResultBlockParamContent = TypeAliasType(
    "TextEditorCodeExecutionToolResultBlockParamContent",
    Annotated[
        TextEditorCodeExecutionToolResultErrorParam
        | TextEditorCodeExecutionViewResultBlockParam
        | TextEditorCodeExecutionCreateResultBlockParam
        | TextEditorCodeExecutionStrReplaceResultBlockParam,
        Field(discriminator="type"),
    ],
)


ToolSearchToolResultBlockParamContent = TypeAliasType(
    "ToolSearchToolResultBlockParamContent",
    Annotated[
        ToolSearchToolResultErrorParam | ToolSearchToolSearchResultBlockParam,
        Field(discriminator="type"),
    ],
)


class WebFetchURLSourceExceptParam(BaseModel):
    """
    The tool filter variant under which every result but the named
    tools' contributes.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tools: list[WebFetchURLSourceToolReferenceParam]
    type: Literal["except"]


class WebFetchURLSourceOnlyParam(BaseModel):
    """
    The tool filter variant under which only the named tools' results
    contribute.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    tools: list[WebFetchURLSourceToolReferenceParam]
    type: Literal["only"]


WebFetchURLSourcesParamClientToolResults = TypeAliasType(
    "WebFetchURLSourcesParamClientToolResults",
    Annotated[
        WebFetchURLSourceAllParam
        | WebFetchURLSourceNoneParam
        | WebFetchURLSourceOnlyParam
        | WebFetchURLSourceExceptParam,
        Field(discriminator="type"),
    ],
)


class BashCodeExecutionToolResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    content: BashCodeExecutionToolResultBlockParamContent
    tool_use_id: str
    type: Literal["bash_code_execution_tool_result"]


class BrowserStateBlockParam(BaseModel):
    """
    The caller's browser state after a browser toolset member call —
    the full inventory of open tabs, which tab is active, and any side
    effects (tabs opened, download state changes) the call produced.

    At most one per `tool_result`, only on a non-error result answering a
    browser toolset member `tool_use`. The server renders the
    model-visible text from it; the model never sees the raw fields.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    state_changes: list[BrowserStateBlockParamStateChangesItem] | None = None
    tabs: list[BrowserStateTabEntryParam]
    type: Literal["browser_state"]


class BrowserToolset20260801Param(BaseModel):
    """
    The browser toolset: a single ``tools[]`` entry (carrying no
    ``name``) that declares the browser tool family. The model is served
    the family's tool with any members disabled via ``configs`` removed
    from its schema.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    configs: BrowserToolsetConfigsParam | None = None
    type: Literal["browser_toolset_20260801"]


class CodeExecutionToolResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    content: CodeExecutionToolResultBlockParamContent
    tool_use_id: str
    type: Literal["code_execution_tool_result"]


class ComputerToolset20260801Param(BaseModel):
    """
    The computer toolset: a single ``tools[]`` entry (carrying no
    ``name``) that declares the computer tool family. The model is
    served the family's tool with any members disabled via ``configs``
    removed from its schema. Every member is enabled by default, zoom
    included. The single-tool options ``display_number`` and
    ``enable_zoom`` are not fields of a toolset entry — it carries only
    ``type``, ``configs``, and ``cache_control``; zoom is controlled
    via ``configs.zoom.enabled``.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    configs: ComputerToolsetConfigsParam | None = None
    type: Literal["computer_toolset_20260801"]


class ImageBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    source: ImageBlockParamSource
    transformations: ImageTransformationsParam | None = None
    type: Literal["image"]


class SearchResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    citations: CitationsConfigParam | None = None
    content: list[TextBlockParam]
    source: str
    title: str
    type: Literal["search_result"]


class SystemMessageParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: str | list[TextBlockParam]
    role: Literal["system"]


class TextEditorCodeExecutionToolResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    content: TextEditorCodeExecutionToolResultBlockParamContent
    tool_use_id: str
    type: Literal["text_editor_code_execution_tool_result"]


class ToolSearchToolResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    content: ToolSearchToolResultBlockParamContent
    tool_use_id: str
    type: Literal["tool_search_tool_result"]


class WebFetchURLSourcesParam(BaseModel):
    """
    Which sources contribute to the set of URLs web fetch may fetch.

    Each key is a tagged variant: ``user_input`` is ``all`` or ``none``; the
    two tool filters are ``all``, ``none``, ``only`` (only the named tools'
    results) or ``except`` (every result but the named tools'). A named tool
    must be declared in this request's ``tools[]``.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    client_tool_results: WebFetchURLSourcesParamClientToolResults | None = None
    server_tool_results: WebFetchURLSourcesParamClientToolResults | None = None
    user_input: WebFetchURLSourcesParamUserInput | None = None


ContentBlockSourceParamContentItem = TypeAliasType(
    "ContentBlockSourceParamContentItem",
    Annotated[TextBlockParam | ImageBlockParam, Field(discriminator="type")],
)


class WebFetchTool20250910Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    allowed_domains: list[str] | None = None
    blocked_domains: list[str] | None = None
    cache_control: CacheControlEphemeralParam | None = None
    citations: CitationsConfigParam | None = None
    defer_loading: bool | None = None
    max_content_tokens: int | None = None
    max_uses: int | None = None
    name: Literal["web_fetch"]
    strict: bool | None = None
    type: Literal["web_fetch_20250910"]
    url_sources: WebFetchURLSourcesParam | None = None


class WebFetchTool20260209Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    allowed_domains: list[str] | None = None
    blocked_domains: list[str] | None = None
    cache_control: CacheControlEphemeralParam | None = None
    citations: CitationsConfigParam | None = None
    defer_loading: bool | None = None
    max_content_tokens: int | None = None
    max_uses: int | None = None
    name: Literal["web_fetch"]
    strict: bool | None = None
    type: Literal["web_fetch_20260209"]
    url_sources: WebFetchURLSourcesParam | None = None


class WebFetchTool20260309Param(BaseModel):
    """
    Web fetch tool with use_cache parameter for bypassing cached content.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    allowed_domains: list[str] | None = None
    blocked_domains: list[str] | None = None
    cache_control: CacheControlEphemeralParam | None = None
    citations: CitationsConfigParam | None = None
    defer_loading: bool | None = None
    max_content_tokens: int | None = None
    max_uses: int | None = None
    name: Literal["web_fetch"]
    strict: bool | None = None
    type: Literal["web_fetch_20260309"]
    url_sources: WebFetchURLSourcesParam | None = None
    use_cache: bool | None = None


class WebFetchTool20260318Param(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `code_execution_20250825`, `code_execution_20260120`, `code_execution_20260521`."
        ),
    ] = None
    allowed_domains: list[str] | None = None
    blocked_domains: list[str] | None = None
    cache_control: CacheControlEphemeralParam | None = None
    citations: CitationsConfigParam | None = None
    defer_loading: bool | None = None
    max_content_tokens: int | None = None
    max_uses: int | None = None
    name: Literal["web_fetch"]
    response_inclusion: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `full`, `excluded`."
        ),
    ] = None
    strict: bool | None = None
    type: Literal["web_fetch_20260318"]
    url_sources: WebFetchURLSourcesParam | None = None
    use_cache: bool | None = None


class ContentBlockSourceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: str | list[ContentBlockSourceParamContentItem]
    type: Literal["content"]


DocumentBlockParamSource = TypeAliasType(
    "DocumentBlockParamSource",
    Annotated[
        Base64PDFSourceParam
        | PlainTextSourceParam
        | ContentBlockSourceParam
        | URLPDFSourceParam
        | FileDocumentSourceParam,
        Field(discriminator="type"),
    ],
)


class DocumentBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    citations: CitationsConfigParam | None = None
    context: str | None = None
    source: DocumentBlockParamSource
    title: str | None = None
    type: Literal["document"]


ToolResultBlockParamContentItem = TypeAliasType(
    "ToolResultBlockParamContentItem",
    Annotated[
        TextBlockParam
        | ImageBlockParam
        | SearchResultBlockParam
        | DocumentBlockParam
        | ToolReferenceBlockParam
        | BrowserStateBlockParam,
        Field(discriminator="type"),
    ],
)


class WebFetchBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: DocumentBlockParam
    retrieved_at: str | None = None
    type: Literal["web_fetch_result"]
    url: str


WebFetchToolResultBlockParamContent = TypeAliasType(
    "WebFetchToolResultBlockParamContent",
    Annotated[
        WebFetchToolResultErrorBlockParam | WebFetchBlockParam,
        Field(discriminator="type"),
    ],
)


class ToolResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    content: str | list[ToolResultBlockParamContentItem] | None = None
    is_error: bool | None = None
    tool_use_id: str
    toolset_name: str | None = None
    type: Literal["tool_result"]


class WebFetchToolResultBlockParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    caller: ServerToolUseBlockParamCaller | None = None
    content: WebFetchToolResultBlockParamContent
    tool_use_id: str
    type: Literal["web_fetch_tool_result"]


AssistantMessageParamContentItem = TypeAliasType(
    "AssistantMessageParamContentItem",
    Annotated[
        TextBlockParam
        | ImageBlockParam
        | DocumentBlockParam
        | SearchResultBlockParam
        | ThinkingBlockParam
        | RedactedThinkingBlockParam
        | ToolUseBlockParam
        | ToolResultBlockParam
        | ServerToolUseBlockParam
        | WebSearchToolResultBlockParam
        | WebFetchToolResultBlockParam
        | CodeExecutionToolResultBlockParam
        | BashCodeExecutionToolResultBlockParam
        | TextEditorCodeExecutionToolResultBlockParam
        | ToolSearchToolResultBlockParam
        | ContainerUploadBlockParam,
        Field(
            description="Discriminated on `type`; dropped members with a duplicate tag: TextBlock, ThinkingBlock, RedactedThinkingBlock, ToolUseBlock, ServerToolUseBlock, WebSearchToolResultBlock, WebFetchToolResultBlock, CodeExecutionToolResultBlock, BashCodeExecutionToolResultBlock, TextEditorCodeExecutionToolResultBlock, ToolSearchToolResultBlock, ContainerUploadBlock.",
            discriminator="type",
        ),
    ],
)


class UserMessageParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: str | list[AssistantMessageParamContentItem]
    role: Literal["user"]


class AssistantMessageParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: str | list[AssistantMessageParamContentItem]
    role: Literal["assistant"]


MessageCreateRequestMessagesItem = TypeAliasType(
    "MessageCreateRequestMessagesItem",
    Annotated[
        UserMessageParam | AssistantMessageParam | SystemMessageParam,
        Field(discriminator="role"),
    ],
)


class MessageCreateRequest(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_control: CacheControlEphemeralParam | None = None
    container: ContainerParams | str | None = None
    diagnostics: DiagnosticsParam | None = None
    inference_geo: str | None = None
    max_tokens: int
    messages: list[MessageCreateRequestMessagesItem]
    metadata: MetadataParam | None = None
    model: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `claude-fable-5-2`, `claude-mythos-5-2`, `claude-haiku-5-5`, `claude-sonnet-5-5`, `claude-fable-5-1`, `claude-opus-5-5`, `claude-mythos-5-1`, `claude-sonnet-5`, `claude-fable-5`, `claude-mythos-5`, `claude-opus-5`, `claude-opus-4-8`, `claude-opus-4-7`, `claude-mythos-preview`, `claude-opus-4-6`, `claude-sonnet-4-6`, `claude-haiku-4-5`, `claude-haiku-4-5-20251001`, `claude-opus-4-5`, `claude-opus-4-5-20251101`, `claude-sonnet-4-5`, `claude-sonnet-4-5-20250929`."
        ),
    ]
    output_config: OutputConfigParam | None = None
    service_tier: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `standard_only`."
        ),
    ] = None
    speed: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `fast`, `standard`."
        ),
    ] = None
    stop_sequences: list[str] | None = None
    stream: bool | None = None
    system: str | list[TextBlockParam] | None = None
    thinking: MessageCreateRequestThinking | None = None
    tool_choice: MessageCreateRequestToolChoice | None = None
    tools: (
        list[
            ToolParam
            | ToolBash20250124Param
            | CodeExecutionTool20250522Param
            | CodeExecutionTool20250825Param
            | CodeExecutionTool20260120Param
            | CodeExecutionTool20260521Param
            | BrowserToolset20260801Param
            | MemoryTool20250818Param
            | ComputerToolset20260801Param
            | ToolTextEditor20250124Param
            | ToolTextEditor20250429Param
            | ToolTextEditor20250728Param
            | WebSearchTool20250305Param
            | WebFetchTool20250910Param
            | WebSearchTool20260209Param
            | WebFetchTool20260209Param
            | WebFetchTool20260309Param
            | WebSearchTool20260318Param
            | WebFetchTool20260318Param
            | ToolSearchToolBm2520251119Param
            | ToolSearchToolRegex20251119Param
        ]
        | None
    ) = None
    user_profile_id: str | None = None
    workspace_id: str | None = None
