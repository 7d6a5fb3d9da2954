# generated from specs/openai/responses_request.json by codegen; do not edit
# overlay applied: specs/openai/overlays/responses_request.json
# root: ResponsesRequest (openai.types.responses.response_create_params.ResponseCreateParams)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType


class AccessPrograms(BaseModel):
    """
    Domain-specific access programs to use for this request.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cyber: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `standard`, `daybreak_blue`, `daybreak_red`."
        ),
    ] = None


class ActionClick(BaseModel):
    """
    A click action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    button: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `left`, `right`, `wheel`, `back`, `forward`."
        ),
    ]
    keys: list[str] | None = None
    type: Literal["click"]
    x: int
    y: int


class ActionDoubleClick(BaseModel):
    """
    A double click action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None
    type: Literal["double_click"]
    x: int
    y: int


class ActionDragPath(BaseModel):
    """
    An x/y coordinate pair, e.g. `{ x: 100, y: 200 }`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    x: int
    y: int


class ActionFind(BaseModel):
    """
    Action type "find_in_page": Searches for a pattern within a loaded page.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    pattern: str
    type: Literal["find_in_page"]
    url: str


class ActionKeypress(BaseModel):
    """
    A collection of keypresses the model would like to perform.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str]
    type: Literal["keypress"]


class ActionMove(BaseModel):
    """
    A mouse move action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None = None
    type: Literal["move"]
    x: int
    y: int


class ActionOpenPage(BaseModel):
    """
    Action type "open_page" - Opens a specific URL from search results.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["open_page"]
    url: str | None = None


class ActionScreenshot(BaseModel):
    """
    A screenshot action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["screenshot"]


class ActionScroll(BaseModel):
    """
    A scroll action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None = None
    scroll_x: int
    scroll_y: int
    type: Literal["scroll"]
    x: int
    y: int


class ActionSearchSource(BaseModel):
    """
    A source used in the search.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["url"]
    url: str


class ActionType(BaseModel):
    """
    An action to type in text.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    text: str
    type: Literal["type"]


class ActionWait(BaseModel):
    """
    A wait action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["wait"]


class AnnotationContainerFileCitation(BaseModel):
    """
    A citation for a container file used to generate a model response.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    container_id: str
    end_index: int
    file_id: str
    filename: str
    start_index: int
    type: Literal["container_file_citation"]


class AnnotationFileCitation(BaseModel):
    """
    A citation to a file.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    filename: str
    index: int
    type: Literal["file_citation"]


class AnnotationFilePath(BaseModel):
    """
    A path to a file.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str
    index: int
    type: Literal["file_path"]


class AnnotationURLCitation(BaseModel):
    """
    A citation for a web resource used to generate a model response.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    end_index: int
    start_index: int
    title: str
    type: Literal["url_citation"]
    url: str


class ApplyPatchCallCallerDirect(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["direct"]


class ApplyPatchCallCallerProgram(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller_id: str
    type: Literal["program"]


class ApplyPatchCallOperationCreateFile(BaseModel):
    """
    Instruction for creating a new file via the apply_patch tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    diff: str
    path: str
    type: Literal["create_file"]


class ApplyPatchCallOperationDeleteFile(BaseModel):
    """
    Instruction for deleting an existing file via the apply_patch tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    path: str
    type: Literal["delete_file"]


class ApplyPatchCallOperationUpdateFile(BaseModel):
    """
    Instruction for updating an existing file via the apply_patch tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    diff: str
    path: str
    type: Literal["update_file"]


class ApplyPatchCallOutputCallerDirect(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["direct"]


class ApplyPatchCallOutputCallerProgram(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller_id: str
    type: Literal["program"]


class ApplyPatchToolParam(BaseModel):
    """
    Allows the assistant to create, delete, or update files using unified diffs.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    type: Literal["apply_patch"]


class BackgroundOptions(BaseModel):
    """
    Options for background execution on HTTP requests.

    The `2h` and `8h`
    completion windows require `background: true`, Standard processing,
    and `stream: false` or omitted.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    completion_window: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `soonest`, `2h`, `8h`."
        ),
    ] = None
    continuation_id: str | None = None


class CallerDirect(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["direct"]


class CallerProgram(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller_id: str
    type: Literal["program"]


class Click(BaseModel):
    """
    A click action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    button: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `left`, `right`, `wheel`, `back`, `forward`."
        ),
    ]
    keys: list[str] | None = None
    type: Literal["click"]
    x: int
    y: int


class CompactionTrigger(BaseModel):
    """
    Compacts the current context. Must be the final input item.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str | None = None
    type: Literal["compaction_trigger"]


class ComparisonFilter(BaseModel):
    """
    A filter used to compare a specified attribute key to a given value using a defined comparison operation.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    key: str
    type: Literal["eq", "gt", "gte", "in", "lt", "lte", "ne", "nin"]
    value: str | float | bool | list[str | float]


class CompoundFilter(BaseModel):
    """
    Combine multiple filters using `and` or `or`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    filters: list[ComparisonFilter | Any]
    type: Literal["and", "or"]


class ComputerCallOutputAcknowledgedSafetyCheck(BaseModel):
    """
    A pending safety check for the computer call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str | None = None
    id: str
    message: str | None = None


class ComputerToolParam(BaseModel):
    """
    A tool that controls a virtual computer.

    Learn more about the [computer tool](https://developers.openai.com/api/docs/guides/tools-computer-use).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["computer"]


class ComputerUsePreviewToolParam(BaseModel):
    """
    A tool that controls a virtual computer.

    Learn more about the [computer tool](https://developers.openai.com/api/docs/guides/tools-computer-use).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    display_height: int
    display_width: int
    environment: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `windows`, `mac`, `linux`, `ubuntu`, `browser`."
        ),
    ]
    type: Literal["computer_use_preview"]


class ContainerNetworkPolicyDisabledParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["disabled"]


class ContainerNetworkPolicyDomainSecretParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    domain: str
    name: str
    value: str


class ContainerReferenceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    container_id: str
    type: Literal["container_reference"]


class Content(BaseModel):
    """
    Reasoning text from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    text: str
    type: Literal["reasoning_text"]


class ContextManagement(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    compact_threshold: int | None = None
    type: str


class CustomToolInputFormatText(BaseModel):
    """
    Unconstrained free-form text.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["text"]


class DoubleClick(BaseModel):
    """
    A double click action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None
    type: Literal["double_click"]
    x: int
    y: int


class DragPath(BaseModel):
    """
    An x/y coordinate pair, e.g. `{ x: 100, y: 200 }`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    x: int
    y: int


FileSearchToolParamFilters = TypeAliasType(
    "FileSearchToolParamFilters",
    Annotated[ComparisonFilter | CompoundFilter, Field(discriminator="type")],
)


class Filters(BaseModel):
    """
    Filters for the search.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_domains: list[str] | None = None


class FunctionCallOutputCallerDirect(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["direct"]


class FunctionCallOutputCallerProgram(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller_id: str
    type: Literal["program"]


class FunctionToolParam(BaseModel):
    """
    Defines a function in your own code the model can choose to call.

    Learn more about [function calling](https://developers.openai.com/api/docs/guides/function-calling).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    async_: Annotated[bool | None, Field(alias="async")] = None
    defer_loading: bool | None = None
    description: str | None = None
    name: str
    output_schema: dict[str, Any] | None = None
    parameters: dict[str, Any] | None
    strict: bool | None = None
    type: Literal["function"]


class Grammar(BaseModel):
    """
    A grammar defined by the user.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    definition: str
    syntax: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `lark`, `regex`."
        ),
    ]
    type: Literal["grammar"]


class HTTPError(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: int
    message: str
    type: Literal["http_error"]


class Image(BaseModel):
    """
    Request level image options.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    context_compression: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `enabled`, `disabled`."
        ),
    ] = None


class ImageGenerationCallErrorModerationDetails(BaseModel):
    """
    Public details for a `moderation_blocked` error, when available.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    categories: list[str]
    moderation_stage: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `input`, `output`, `unknown`."
        ),
    ]


class ImageGenerationCallSvgUsage(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    input_tokens: int
    model: str
    output_tokens: int
    reasoning_tokens: int
    total_tokens: int


class ImageGenerationInputImageMask(BaseModel):
    """
    Optional mask for inpainting.

    Contains `image_url`
    (string, optional) and `file_id` (string, optional).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str | None = None
    image_url: str | None = None


class ImageGenerationSvgReasoning(BaseModel):
    """
    Reasoning effort for SVG authoring.

    When omitted, uses the author model's default in both Images and Responses.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    effort: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `none`, `minimal`, `low`, `medium`, `high`, `xhigh`, `max`."
        ),
    ] = None


class InlineSkillSourceParam(BaseModel):
    """
    Inline skill payload
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: str
    media_type: Literal["application/zip"]
    type: Literal["base64"]


class ItemReference(BaseModel):
    """
    An internal identifier for an item to reference.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str
    type: Literal["item_reference"] | None = None


class Keypress(BaseModel):
    """
    A collection of keypresses the model would like to perform.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str]
    type: Literal["keypress"]


class LocalShell(BaseModel):
    """
    A tool that allows the model to execute shell commands in a local environment.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["local_shell"]


class LocalShellCallAction(BaseModel):
    """
    Execute a shell command on the server.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    command: list[str]
    env: dict[str, str]
    timeout_ms: int | None = None
    type: Literal["exec"]
    user: str | None = None
    working_directory: str | None = None


class LocalShellCallOutput(BaseModel):
    """
    The output of a local shell tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str
    output: str
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["local_shell_call_output"]


class LocalSkillParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str
    name: str
    path: str


class LogprobTopLogprob(BaseModel):
    """
    The top log probability of a token.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    bytes: list[int]
    logprob: float
    token: str


class McpAllowedToolsMcpToolFilter(BaseModel):
    """
    A filter object to specify which tools are allowed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    read_only: bool | None = None
    tool_names: list[str] | None = None


class McpApprovalRequest(BaseModel):
    """
    A request for human approval of a tool invocation.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    arguments: str
    id: str
    name: str
    server_label: str
    type: Literal["mcp_approval_request"]


class McpApprovalResponse(BaseModel):
    """
    A response to an MCP approval request.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    approval_request_id: str
    approve: bool
    id: str | None = None
    reason: str | None = None
    type: Literal["mcp_approval_response"]


class McpListToolsTool(BaseModel):
    """
    A tool available on an MCP server.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    annotations: Any = None
    description: str | None = None
    input_schema: Any
    name: str


class McpProtocolError(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: int
    message: str
    type: Literal["mcp_protocol_error"]


class McpRequireApprovalMcpToolApprovalFilterAlways(BaseModel):
    """
    A filter object to specify which tools are allowed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    read_only: bool | None = None
    tool_names: list[str] | None = None


class McpRequireApprovalMcpToolApprovalFilterNever(BaseModel):
    """
    A filter object to specify which tools are allowed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    read_only: bool | None = None
    tool_names: list[str] | None = None


class McpToolExecutionError(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: Any
    type: Literal["mcp_tool_execution_error"]


class ModerationPolicyInput(BaseModel):
    """
    The moderation policy for the response input.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    mode: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `score`, `block`."
        ),
    ]


class ModerationPolicyOutput(BaseModel):
    """
    The moderation policy for the response output.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    mode: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `score`, `block`."
        ),
    ]


class Move(BaseModel):
    """
    A mouse move action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None = None
    type: Literal["move"]
    x: int
    y: int


class OutcomeExit(BaseModel):
    """
    Indicates that the shell commands finished and returned an exit code.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    exit_code: int
    type: Literal["exit"]


class OutcomeTimeout(BaseModel):
    """
    Indicates that the shell call exceeded its configured time limit.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["timeout"]


class OutputImage(BaseModel):
    """
    The image output from the code interpreter.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["image"]
    url: str


class OutputLogs(BaseModel):
    """
    The logs output from the code interpreter.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    logs: str
    type: Literal["logs"]


class PendingSafetyCheck(BaseModel):
    """
    A pending safety check for the computer call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str | None = None
    id: str
    message: str | None = None


class Program(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    code: str
    fingerprint: str
    id: str
    type: Literal["program"]


class ProgramOutput(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    id: str
    result: str
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `completed`, `incomplete`."
        ),
    ]
    type: Literal["program_output"]


class ProgrammaticToolCalling(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["programmatic_tool_calling"]


class PromptCacheBreakpoint(BaseModel):
    """
    Marks the exact end of a reusable prompt prefix.

    When `ttl` is omitted, the breakpoint inherits the request's `prompt_cache_options.ttl`; the boundary is not rounded to a token block.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    mode: Literal["explicit"]
    ttl: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `30m`, `12h`."
        ),
    ] = None


class PromptCacheOptions(BaseModel):
    """
    Options for prompt caching.

    Supported for `gpt-5.6` and later models. By default, OpenAI automatically chooses one implicit cache breakpoint. You can add explicit breakpoints to content blocks with `prompt_cache_breakpoint`. Each request can write up to four breakpoints. For cache matching, OpenAI considers up to the latest 80 breakpoints in the conversation, without a content-block lookback limit. Set `mode` to `explicit` to disable the implicit breakpoint. The `ttl` defaults to `30m`. Supported lifetimes depend on the API. See the [prompt caching guide](https://developers.openai.com/api/docs/guides/prompt-caching) for current details.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    comparison_response_id: str | None = None
    mode: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `implicit`, `explicit`."
        ),
    ] = None
    prewarm: bool | None = None
    ttl: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `30m`, `12h`."
        ),
    ] = None


class RankingOptionsHybridSearch(BaseModel):
    """
    Weights that control how reciprocal rank fusion balances semantic embedding matches versus sparse keyword matches when hybrid search is enabled.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    embedding_weight: float
    text_weight: float


class ReasoningReasoning(BaseModel):
    """
    Configuration options for
    [reasoning models](https://developers.openai.com/api/docs/guides/reasoning).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    context: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `current_turn`, `all_turns`."
        ),
    ] = None
    effort: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `none`, `minimal`, `low`, `medium`, `high`, `xhigh`, `max`."
        ),
    ] = None
    generate_summary: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `concise`, `detailed`."
        ),
    ] = None
    mode: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `standard`, `pro`."
        ),
    ] = None
    summary: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `concise`, `detailed`."
        ),
    ] = None


ResponseCodeInterpreterToolCallParamOutputsItem = TypeAliasType(
    "ResponseCodeInterpreterToolCallParamOutputsItem",
    Annotated[OutputLogs | OutputImage, Field(discriminator="type")],
)


class ResponseCompactionItemParamParam(BaseModel):
    """
    A compaction item generated by the [`v1/responses/compact` API](https://developers.openai.com/api/reference/resources/responses/methods/compact).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    encrypted_content: str
    id: str | None = None
    type: Literal["compaction"]


class ResponseComputerToolCallOutputScreenshotParam(BaseModel):
    """
    A computer screenshot image used with the computer use tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str | None = None
    image_url: str | None = None
    type: Literal["computer_screenshot"]


class ResponseConfigurationUpdateItemParamParamReasoning(BaseModel):
    """
    Updates to reasoning configuration. Only effort is supported.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    effort: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `none`, `minimal`, `low`, `medium`, `high`, `xhigh`, `max`."
        ),
    ] = None


class ResponseConversationParamParam(BaseModel):
    """
    The conversation that this response belongs to.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str


ResponseCustomToolCallOutputParamCaller = TypeAliasType(
    "ResponseCustomToolCallOutputParamCaller",
    Annotated[CallerDirect | CallerProgram, Field(discriminator="type")],
)


class ResponseCustomToolCallParam(BaseModel):
    """
    A call to a custom tool created by the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    async_: Annotated[bool | None, Field(alias="async")] = None
    call_id: str
    caller: ResponseCustomToolCallOutputParamCaller | None = None
    id: str | None = None
    input: str
    name: str
    namespace: str | None = None
    type: Literal["custom_tool_call"]


class ResponseFormatJSONObject(BaseModel):
    """
    JSON object response format.

    An older method of generating JSON responses.
    Using `json_schema` is recommended for models that support it. Note that the
    model will not generate JSON without a system or user message instructing it
    to do so.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["json_object"]


class ResponseFormatText(BaseModel):
    """
    Default response format. Used to generate text responses.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["text"]


class ResponseFormatTextJSONSchemaConfigParam(BaseModel):
    """
    JSON Schema response format.

    Used to generate structured JSON responses.
    Learn more about [Structured Outputs](https://developers.openai.com/api/docs/guides/structured-outputs).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str | None = None
    name: str
    schema_: Annotated[dict[str, Any], Field(alias="schema")]
    strict: bool | None = None
    type: Literal["json_schema"]


ResponseFunctionShellCallOutputContentParamOutcome = TypeAliasType(
    "ResponseFunctionShellCallOutputContentParamOutcome",
    Annotated[OutcomeTimeout | OutcomeExit, Field(discriminator="type")],
)


class ResponseFunctionToolCallParam(BaseModel):
    """
    A tool call to run a function.

    See the
    [function calling guide](https://developers.openai.com/api/docs/guides/function-calling) for more information.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    arguments: str
    async_: Annotated[bool | None, Field(alias="async")] = None
    call_id: str
    caller: ResponseCustomToolCallOutputParamCaller | None = None
    id: str | None = None
    name: str
    namespace: str | None = None
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["function_call"]


class ResponseInputFileContentParam(BaseModel):
    """
    A file input to the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    detail: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `low`, `high`."
        ),
    ] = None
    file_data: str | None = None
    file_id: str | None = None
    file_url: str | None = None
    filename: str | None = None
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None
    type: Literal["input_file"]


class ResponseInputFileParam(BaseModel):
    """
    A file input to the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    detail: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `low`, `high`."
        ),
    ] = None
    file_data: str | None = None
    file_id: str | None = None
    file_url: str | None = None
    filename: str | None = None
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None
    type: Literal["input_file"]


class ResponseInputImageContentParam(BaseModel):
    """
    An image input to the model.

    Learn about [image inputs](https://developers.openai.com/api/docs/guides/images-vision)
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    detail: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `high`, `auto`, `original`."
        ),
    ] = None
    file_id: str | None = None
    image_url: str | None = None
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None
    type: Literal["input_image"]


class ResponseInputImageParam(BaseModel):
    """
    An image input to the model.

    Learn about [image inputs](https://developers.openai.com/api/docs/guides/images-vision).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    detail: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `low`, `high`, `auto`, `original`."
        ),
    ]
    file_id: str | None = None
    image_url: str | None = None
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None
    type: Literal["input_image"]


class ResponseInputTextContentParam(BaseModel):
    """
    A text input to the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None
    text: str
    type: Literal["input_text"]


class ResponseInputTextParam(BaseModel):
    """
    A text input to the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None
    text: str
    type: Literal["input_text"]


class ResponseOutputRefusalParam(BaseModel):
    """
    A refusal from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    refusal: str
    type: Literal["refusal"]


ResponseOutputTextParamAnnotationsItem = TypeAliasType(
    "ResponseOutputTextParamAnnotationsItem",
    Annotated[
        AnnotationFileCitation
        | AnnotationURLCitation
        | AnnotationContainerFileCitation
        | AnnotationFilePath,
        Field(discriminator="type"),
    ],
)


ResponseTextConfigParamFormat = TypeAliasType(
    "ResponseTextConfigParamFormat",
    Annotated[
        ResponseFormatText
        | ResponseFormatTextJSONSchemaConfigParam
        | ResponseFormatJSONObject,
        Field(discriminator="type"),
    ],
)


class Result(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    attributes: dict[str, str | float | bool] | None = None
    file_id: str | None = None
    filename: str | None = None
    score: float | None = None
    text: str | None = None


class Screenshot(BaseModel):
    """
    A screenshot action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["screenshot"]


class Scroll(BaseModel):
    """
    A scroll action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None = None
    scroll_x: int
    scroll_y: int
    type: Literal["scroll"]
    x: int
    y: int


class ShellCallAction(BaseModel):
    """
    The shell commands and limits that describe how to run the tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    commands: list[str]
    max_output_length: int | None = None
    timeout_ms: int | None = None


class ShellCallCallerDirect(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["direct"]


class ShellCallCallerProgram(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller_id: str
    type: Literal["program"]


class ShellCallOutputCallerDirect(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["direct"]


class ShellCallOutputCallerProgram(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    caller_id: str
    type: Literal["program"]


class SkillReferenceParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    skill_id: str
    type: Literal["skill_reference"]
    version: str | None = None


class StreamOptions(BaseModel):
    """
    Options for streaming responses. Only set this when you set `stream: true`.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    include_obfuscation: bool | None = None


class Summary(BaseModel):
    """
    A summary text from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    text: str
    type: Literal["summary_text"]


class ToolChoiceAllowedParam(BaseModel):
    """
    Constrains the tools available to the model to a pre-defined set.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    mode: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `auto`, `required`."
        ),
    ]
    tools: list[dict[str, Any]]
    type: Literal["allowed_tools"]


class ToolChoiceApplyPatchParam(BaseModel):
    """
    Forces the model to call the apply_patch tool when executing a tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["apply_patch"]


class ToolChoiceCustomParam(BaseModel):
    """
    Use this option to force the model to call a specific custom tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    name: str
    type: Literal["custom"]


class ToolChoiceFunctionParam(BaseModel):
    """
    Use this option to force the model to call a specific function.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    name: str
    type: Literal["function"]


class ToolChoiceMcpParam(BaseModel):
    """
    Use this option to force the model to call a specific tool on a remote MCP server.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    name: str | None = None
    server_label: str
    type: Literal["mcp"]


class ToolChoiceShellParam(BaseModel):
    """
    Forces the model to call the shell tool when a tool call is required.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["shell"]


class ToolChoiceSpecificProgrammaticToolCallingParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["programmatic_tool_calling"]


class ToolChoiceTypesParam(BaseModel):
    """
    Indicates that the model should use a built-in tool to generate a response.
    [Learn more about built-in tools](https://developers.openai.com/api/docs/guides/tools).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal[
        "code_interpreter",
        "computer",
        "computer_use",
        "computer_use_preview",
        "file_search",
        "image_generation",
        "web_search_preview",
        "web_search_preview_2025_03_11",
    ]


class ToolFunction(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    async_: Annotated[bool | None, Field(alias="async")] = None
    defer_loading: bool | None = None
    description: str | None = None
    name: str
    output_schema: dict[str, Any] | None = None
    parameters: Any = None
    strict: bool | None = None
    type: Literal["function"]


class ToolImageGenerationInputImageMask(BaseModel):
    """
    Optional mask for inpainting.

    Contains `image_url`
    (string, optional) and `file_id` (string, optional).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_id: str | None = None
    image_url: str | None = None


class ToolImageGenerationSvgReasoning(BaseModel):
    """
    Reasoning effort for SVG authoring.

    When omitted, uses the author model's default in both Images and Responses.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    effort: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `none`, `minimal`, `low`, `medium`, `high`, `xhigh`, `max`."
        ),
    ] = None


class ToolLocalShell(BaseModel):
    """
    A tool that allows the model to execute shell commands in a local environment.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["local_shell"]


class ToolMcpAllowedToolsMcpToolFilter(BaseModel):
    """
    A filter object to specify which tools are allowed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    read_only: bool | None = None
    tool_names: list[str] | None = None


class ToolMcpRequireApprovalMcpToolApprovalFilterAlways(BaseModel):
    """
    A filter object to specify which tools are allowed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    read_only: bool | None = None
    tool_names: list[str] | None = None


class ToolMcpRequireApprovalMcpToolApprovalFilterNever(BaseModel):
    """
    A filter object to specify which tools are allowed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    read_only: bool | None = None
    tool_names: list[str] | None = None


class ToolProgrammaticToolCalling(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["programmatic_tool_calling"]


class ToolSearchCall(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    arguments: Any
    call_id: str | None = None
    execution: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `server`, `client`."
        ),
    ] = None
    id: str | None = None
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["tool_search_call"]


class ToolSearchToolParam(BaseModel):
    """
    Hosted or BYOT tool search configuration for deferred tools.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str | None = None
    execution: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `server`, `client`."
        ),
    ] = None
    parameters: Any = None
    type: Literal["tool_search"]


class Type(BaseModel):
    """
    An action to type in text.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    text: str
    type: Literal["type"]


class Wait(BaseModel):
    """
    A wait action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["wait"]


class WebSearchPreviewToolParamUserLocation(BaseModel):
    """
    The approximate location of the user.

    If omitted or null, defaults to the United States. To avoid this fallback, pass `{"type": "approximate"}` without location fields. To localize results, provide the relevant location fields.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    city: str | None = None
    country: str | None = None
    region: str | None = None
    timezone: str | None = None
    type: Literal["approximate"]


class WebSearchToolParamUserLocation(BaseModel):
    """
    The approximate location of the user.

    If omitted or null, defaults to the
    United States. To avoid this fallback, pass `{"type": "approximate"}` without
    location fields. To localize results, provide the relevant location fields.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    city: str | None = None
    country: str | None = None
    region: str | None = None
    timezone: str | None = None
    type: Literal["approximate"] | None = None


class ActionDrag(BaseModel):
    """
    A drag action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None = None
    path: list[ActionDragPath]
    type: Literal["drag"]


class ActionSearch(BaseModel):
    """
    Action type "search" - Performs a web search query.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    queries: list[str] | None = None
    query: str | None = None
    sources: list[ActionSearchSource] | None = None
    type: Literal["search"]


ApplyPatchCallCaller = TypeAliasType(
    "ApplyPatchCallCaller",
    Annotated[
        ApplyPatchCallCallerDirect | ApplyPatchCallCallerProgram,
        Field(discriminator="type"),
    ],
)


ApplyPatchCallOperation = TypeAliasType(
    "ApplyPatchCallOperation",
    Annotated[
        ApplyPatchCallOperationCreateFile
        | ApplyPatchCallOperationDeleteFile
        | ApplyPatchCallOperationUpdateFile,
        Field(discriminator="type"),
    ],
)


ApplyPatchCallOutputCaller = TypeAliasType(
    "ApplyPatchCallOutputCaller",
    Annotated[
        ApplyPatchCallOutputCallerDirect | ApplyPatchCallOutputCallerProgram,
        Field(discriminator="type"),
    ],
)


class ComputerCallOutput(BaseModel):
    """
    The output of a computer tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    acknowledged_safety_checks: (
        list[ComputerCallOutputAcknowledgedSafetyCheck] | None
    ) = None
    call_id: str
    id: str | None = None
    output: ResponseComputerToolCallOutputScreenshotParam
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["computer_call_output"]


class ContainerNetworkPolicyAllowlistParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_domains: list[str]
    domain_secrets: list[ContainerNetworkPolicyDomainSecretParam] | None = None
    type: Literal["allowlist"]


CustomToolParamFormat = TypeAliasType(
    "CustomToolParamFormat",
    Annotated[CustomToolInputFormatText | Grammar, Field(discriminator="type")],
)


class Drag(BaseModel):
    """
    A drag action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None = None
    path: list[DragPath]
    type: Literal["drag"]


EasyInputMessageParamContentItem = TypeAliasType(
    "EasyInputMessageParamContentItem",
    Annotated[
        ResponseInputTextParam | ResponseInputImageParam | ResponseInputFileParam,
        Field(discriminator="type"),
    ],
)


FunctionCallOutputCaller = TypeAliasType(
    "FunctionCallOutputCaller",
    Annotated[
        FunctionCallOutputCallerDirect | FunctionCallOutputCallerProgram,
        Field(discriminator="type"),
    ],
)


FunctionCallOutputOutputItem = TypeAliasType(
    "FunctionCallOutputOutputItem",
    Annotated[
        ResponseInputTextContentParam
        | ResponseInputImageContentParam
        | ResponseInputFileContentParam,
        Field(discriminator="type"),
    ],
)


class ImageGenerationCallError(BaseModel):
    """
    Details of a moderation failure, when available.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str | None
    message: str
    moderation_details: ImageGenerationCallErrorModerationDetails | None = None
    param: str | None
    type: str


class ImageGenerationSvg(BaseModel):
    """
    SVG author model settings.

    Requires `output_format` to be `svg`.
    When SVG model selection is enabled, omitting this object uses the
    outer response model. Otherwise, the default SVG author is used and
    explicit model overrides are unavailable.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    model: str | None = None
    reasoning: ImageGenerationSvgReasoning | None = None


class InlineSkillParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str
    name: str
    source: InlineSkillSourceParam
    type: Literal["inline"]


class LocalEnvironmentParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    skills: list[LocalSkillParam] | None = None
    type: Literal["local"]


class LocalShellCall(BaseModel):
    """
    A tool call to run a command on the local shell.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: LocalShellCallAction
    call_id: str
    id: str
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    type: Literal["local_shell_call"]


class Logprob(BaseModel):
    """
    The log probability of a token.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    bytes: list[int]
    logprob: float
    token: str
    top_logprobs: list[LogprobTopLogprob]


McpCallError = TypeAliasType(
    "McpCallError",
    Annotated[
        McpProtocolError | McpToolExecutionError | HTTPError,
        Field(discriminator="type"),
    ],
)


class McpListTools(BaseModel):
    """
    A list of tools available on an MCP server.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error: str | None = None
    id: str
    server_label: str
    tools: list[McpListToolsTool]
    type: Literal["mcp_list_tools"]


class McpRequireApprovalMcpToolApprovalFilter(BaseModel):
    """
    Specify which of the MCP server's tools require approval.

    Can be
    `always`, `never`, or a filter object associated with tools
    that require approval.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    always: McpRequireApprovalMcpToolApprovalFilterAlways | None = None
    never: McpRequireApprovalMcpToolApprovalFilterNever | None = None


class Message(BaseModel):
    """
    A message input to the model with a role indicating instruction following
    hierarchy. Instructions given with the `developer` or `system` role take
    precedence over instructions given with the `user` role.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[EasyInputMessageParamContentItem]
    role: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `user`, `system`, `developer`."
        ),
    ]
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["message"] | None = None


class ModerationPolicy(BaseModel):
    """
    The policy to apply to moderated response input and output.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    input: ModerationPolicyInput | None = None
    output: ModerationPolicyOutput | None = None


class RankingOptions(BaseModel):
    """
    Ranking options for search.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    hybrid_search: RankingOptionsHybridSearch | None = None
    ranker: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `default-2024-11-15`."
        ),
    ] = None
    score_threshold: float | None = None


class ResponseCodeInterpreterToolCallParam(BaseModel):
    """
    A tool call to run code.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str | None
    container_id: str
    id: str
    outputs: list[ResponseCodeInterpreterToolCallParamOutputsItem] | None
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`, `interpreting`, `failed`."
        ),
    ]
    type: Literal["code_interpreter_call"]


ResponseComputerToolCallParamAction = TypeAliasType(
    "ResponseComputerToolCallParamAction",
    Annotated[
        ActionClick
        | ActionDoubleClick
        | ActionDrag
        | ActionKeypress
        | ActionMove
        | ActionScreenshot
        | ActionScroll
        | ActionType
        | ActionWait,
        Field(discriminator="type"),
    ],
)


ResponseComputerToolCallParamActionsItem = TypeAliasType(
    "ResponseComputerToolCallParamActionsItem",
    Annotated[
        Click
        | DoubleClick
        | Drag
        | Keypress
        | Move
        | Screenshot
        | Scroll
        | Type
        | Wait,
        Field(discriminator="type"),
    ],
)


ResponseConfigurationUpdateItemParamParamTextFormat = TypeAliasType(
    "ResponseConfigurationUpdateItemParamParamTextFormat",
    Annotated[
        ResponseFormatText | ResponseFormatTextJSONSchemaConfigParam,
        Field(discriminator="type"),
    ],
)


class ResponseCustomToolCallOutputParam(BaseModel):
    """
    The output of a custom tool call from your code, being sent back to the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ResponseCustomToolCallOutputParamCaller | None = None
    id: str | None = None
    output: str | list[EasyInputMessageParamContentItem]
    type: Literal["custom_tool_call_output"]


class ResponseFileSearchToolCallParam(BaseModel):
    """
    The results of a file search tool call.

    See the
    [file search guide](https://developers.openai.com/api/docs/guides/tools-file-search) for more information.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str
    queries: list[str]
    results: list[Result] | None = None
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `searching`, `completed`, `incomplete`, `failed`."
        ),
    ]
    type: Literal["file_search_call"]


class ResponseFunctionShellCallOutputContentParam(BaseModel):
    """
    Captured stdout and stderr for a portion of a shell tool call output.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    outcome: ResponseFunctionShellCallOutputContentParamOutcome
    stderr: str
    stdout: str


ResponseFunctionWebSearchParamAction = TypeAliasType(
    "ResponseFunctionWebSearchParamAction",
    Annotated[ActionSearch | ActionOpenPage | ActionFind, Field(discriminator="type")],
)


class ResponseOutputTextParam(BaseModel):
    """
    A text output from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    annotations: list[ResponseOutputTextParamAnnotationsItem]
    logprobs: list[Logprob] | None = None
    text: str
    type: Literal["output_text"]


class ResponsePromptParam(BaseModel):
    """
    Reference to a prompt template and its variables.
    [Learn more](https://developers.openai.com/api/docs/guides/text?api-mode=responses#version-prompts-in-code).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str
    variables: dict[str, EasyInputMessageParamContentItem | str] | None = None
    version: str | None = None


class ResponseReasoningItemParam(BaseModel):
    """
    A description of the chain of thought used by a reasoning model while generating
    a response. Be sure to include these items in your `input` to the Responses API
    for subsequent turns of a conversation if you are manually
    [managing context](https://developers.openai.com/api/docs/guides/conversation-state).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[Content] | None = None
    encrypted_content: str | None = None
    id: str
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    summary: list[Summary]
    type: Literal["reasoning"]


class ResponseTextConfigParam(BaseModel):
    """
    Configuration options for a text response from the model.

    Can be plain
    text or structured JSON data. Learn more:
    - [Text inputs and outputs](https://developers.openai.com/api/docs/guides/text)
    - [Structured Outputs](https://developers.openai.com/api/docs/guides/structured-outputs)
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    format: ResponseTextConfigParamFormat | None = None
    verbosity: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`."
        ),
    ] = None


ResponsesRequestToolChoice = TypeAliasType(
    "ResponsesRequestToolChoice",
    Annotated[
        ToolChoiceAllowedParam
        | ToolChoiceTypesParam
        | ToolChoiceFunctionParam
        | ToolChoiceMcpParam
        | ToolChoiceCustomParam
        | ToolChoiceSpecificProgrammaticToolCallingParam
        | ToolChoiceApplyPatchParam
        | ToolChoiceShellParam,
        Field(discriminator="type"),
    ],
)


ShellCallCaller = TypeAliasType(
    "ShellCallCaller",
    Annotated[
        ShellCallCallerDirect | ShellCallCallerProgram, Field(discriminator="type")
    ],
)


ShellCallEnvironment = TypeAliasType(
    "ShellCallEnvironment",
    Annotated[
        LocalEnvironmentParam | ContainerReferenceParam, Field(discriminator="type")
    ],
)


ShellCallOutputCaller = TypeAliasType(
    "ShellCallOutputCaller",
    Annotated[
        ShellCallOutputCallerDirect | ShellCallOutputCallerProgram,
        Field(discriminator="type"),
    ],
)


class ToolImageGenerationSvg(BaseModel):
    """
    SVG author model settings.

    Requires `output_format` to be `svg`.
    When SVG model selection is enabled, omitting this object uses the
    outer response model. Otherwise, the default SVG author is used and
    explicit model overrides are unavailable.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    model: str | None = None
    reasoning: ToolImageGenerationSvgReasoning | None = None


class ToolMcpRequireApprovalMcpToolApprovalFilter(BaseModel):
    """
    Specify which of the MCP server's tools require approval.

    Can be
    `always`, `never`, or a filter object associated with tools
    that require approval.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    always: ToolMcpRequireApprovalMcpToolApprovalFilterAlways | None = None
    never: ToolMcpRequireApprovalMcpToolApprovalFilterNever | None = None


class WebSearchPreviewToolParam(BaseModel):
    """
    This tool searches the web for relevant results to use in a response.

    Learn more about the [web search tool](https://developers.openai.com/api/docs/guides/tools-web-search).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    search_content_types: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `text`, `image`."
        ),
    ] = None
    search_context_size: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`."
        ),
    ] = None
    type: Literal["web_search_preview", "web_search_preview_2025_03_11"]
    user_location: WebSearchPreviewToolParamUserLocation | None = None


class WebSearchToolParam(BaseModel):
    """
    Search the Internet for sources related to the prompt.

    Learn more about the
    [web search tool](https://developers.openai.com/api/docs/guides/tools-web-search).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    external_web_access: bool | None = None
    filters: Filters | None = None
    search_context_size: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`."
        ),
    ] = None
    type: Literal["web_search", "web_search_2025_08_26"]
    user_location: WebSearchToolParamUserLocation | None = None


class ApplyPatchCall(BaseModel):
    """
    A tool call representing a request to create, delete, or update files using diff patches.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ApplyPatchCallCaller | None = None
    id: str | None = None
    operation: ApplyPatchCallOperation
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`."
        ),
    ]
    type: Literal["apply_patch_call"]


class ApplyPatchCallOutput(BaseModel):
    """
    The streamed output emitted by an apply patch tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ApplyPatchCallOutputCaller | None = None
    id: str | None = None
    output: str | None = None
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `completed`, `failed`."
        ),
    ]
    type: Literal["apply_patch_call_output"]


CodeInterpreterContainerCodeInterpreterToolAutoNetworkPolicy = TypeAliasType(
    "CodeInterpreterContainerCodeInterpreterToolAutoNetworkPolicy",
    Annotated[
        ContainerNetworkPolicyDisabledParam | ContainerNetworkPolicyAllowlistParam,
        Field(discriminator="type"),
    ],
)


ContainerAutoParamSkillsItem = TypeAliasType(
    "ContainerAutoParamSkillsItem",
    Annotated[SkillReferenceParam | InlineSkillParam, Field(discriminator="type")],
)


class CustomToolParam(BaseModel):
    """
    A custom tool that processes input using a specified format.

    Learn more about   [custom tools](https://developers.openai.com/api/docs/guides/function-calling#custom-tools)
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    async_: Annotated[bool | None, Field(alias="async")] = None
    defer_loading: bool | None = None
    description: str | None = None
    format: CustomToolParamFormat | None = None
    name: str
    type: Literal["custom"]


class EasyInputMessageParam(BaseModel):
    """
    A message input to the model with a role indicating instruction following
    hierarchy. Instructions given with the `developer` or `system` role take
    precedence over instructions given with the `user` role. Messages with the
    `assistant` role are presumed to have been generated by the model in previous
    interactions.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: str | list[EasyInputMessageParamContentItem]
    phase: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `commentary`, `final_answer`."
        ),
    ] = None
    role: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `user`, `assistant`, `system`, `developer`."
        ),
    ]
    type: Literal["message"] | None = None


class FileSearchToolParam(BaseModel):
    """
    A tool that searches for relevant content from uploaded files.

    Learn more about the [file search tool](https://developers.openai.com/api/docs/guides/tools-file-search).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    filters: FileSearchToolParamFilters | None = None
    max_num_results: int | None = None
    ranking_options: RankingOptions | None = None
    type: Literal["file_search"]
    vector_store_ids: list[str]


class FunctionCallOutput(BaseModel):
    """
    The output of a function tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str | None = None
    caller: FunctionCallOutputCaller | None = None
    id: str | None = None
    name: str | None = None
    namespace: str | None = None
    output: str | list[FunctionCallOutputOutputItem]
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["function_call_output"]


class ImageGeneration(BaseModel):
    """
    A tool that generates images using the GPT image models.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `generate`, `edit`, `auto`."
        ),
    ] = None
    background: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `transparent`, `opaque`, `auto`."
        ),
    ] = None
    complexity: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`."
        ),
    ] = None
    frame_count: int | None = None
    frame_duration_ms: int | None = None
    input_fidelity: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `high`, `low`."
        ),
    ] = None
    input_image_mask: ImageGenerationInputImageMask | None = None
    model: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `gpt-image-1`, `gpt-image-1-mini`, `gpt-image-2`, `gpt-image-2-2026-04-21`, `gpt-image-2.5-sunburst`, `gpt-image-2.5-sunburst-2026-09-08`, `gpt-image-2.5-flare`, `gpt-image-2.5-flare-2026-09-08`, `gpt-image-2.6-sunburst`, `gpt-image-2.6-flare`, `gpt-image-1.5`, `chatgpt-image-latest`."
        ),
    ] = None
    moderation: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `low`."
        ),
    ] = None
    output_compression: int | None = None
    output_format: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `png`, `webp`, `jpeg`, `gif`, `svg`."
        ),
    ] = None
    partial_images: int | None = None
    quality: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`, `xhigh`, `max`, `auto`."
        ),
    ] = None
    size: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `1024x1024`, `1024x1536`, `1536x1024`, `auto`."
        ),
    ] = None
    svg: ImageGenerationSvg | None = None
    type: Literal["image_generation"]


class ImageGenerationCall(BaseModel):
    """
    An image generation request made by the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `generate`, `edit`, `auto`."
        ),
    ] = None
    background: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `transparent`, `opaque`, `auto`."
        ),
    ] = None
    error: ImageGenerationCallError | None = None
    id: str
    output_format: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `png`, `webp`, `jpeg`, `gif`, `svg`."
        ),
    ] = None
    quality: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`, `xhigh`, `max`, `auto`."
        ),
    ] = None
    result: str | None
    revised_prompt: str | None = None
    size: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `1024x1024`, `1024x1536`, `1536x1024`."
        ),
    ] = None
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `generating`, `failed`."
        ),
    ]
    svg_usage: ImageGenerationCallSvgUsage | None = None
    type: Literal["image_generation_call"]


class Mcp(BaseModel):
    """
    Give the model access to additional tools via remote Model Context Protocol
    (MCP) servers. [Learn more about MCP](https://developers.openai.com/api/docs/guides/tools-connectors-mcp).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    allowed_tools: list[str] | McpAllowedToolsMcpToolFilter | None = None
    authorization: str | None = None
    connector_id: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `connector_dropbox`, `connector_gmail`, `connector_googlecalendar`, `connector_googledrive`, `connector_microsoftteams`, `connector_outlookcalendar`, `connector_outlookemail`, `connector_sharepoint`."
        ),
    ] = None
    defer_loading: bool | None = None
    headers: dict[str, str] | None = None
    require_approval: Annotated[
        McpRequireApprovalMcpToolApprovalFilter | str | None,
        Field(
            description="Known values (open set, widened to a string): `always`, `never`."
        ),
    ] = None
    server_description: str | None = None
    server_label: str
    server_url: str | None = None
    tunnel_id: str | None = None
    type: Literal["mcp"]


class McpCall(BaseModel):
    """
    An invocation of a tool on an MCP server.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    approval_request_id: str | None = None
    arguments: str
    error: McpCallError | None = None
    id: str
    name: str
    output: str | None = None
    server_label: str
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`, `calling`, `failed`."
        ),
    ] = None
    type: Literal["mcp_call"]


class Moderation(BaseModel):
    """
    Configuration for running moderation on the input and output of this response.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    model: str
    policy: ModerationPolicy | None = None


NamespaceToolParamToolsItem = TypeAliasType(
    "NamespaceToolParamToolsItem",
    Annotated[ToolFunction | CustomToolParam, Field(discriminator="type")],
)


class ResponseComputerToolCallParam(BaseModel):
    """
    A tool call to a computer use tool.

    See the
    [computer use guide](https://developers.openai.com/api/docs/guides/tools-computer-use) for more information.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: ResponseComputerToolCallParamAction | None = None
    actions: list[ResponseComputerToolCallParamActionsItem] | None = None
    call_id: str
    id: str
    pending_safety_checks: list[PendingSafetyCheck]
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    type: Literal["computer_call"]


class ResponseConfigurationUpdateItemParamParamText(BaseModel):
    """
    The text output configuration for subsequent responses.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    format: ResponseConfigurationUpdateItemParamParamTextFormat


class ResponseFunctionWebSearchParam(BaseModel):
    """
    The results of a web search tool call.

    See the
    [web search guide](https://developers.openai.com/api/docs/guides/tools-web-search) for more information.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: ResponseFunctionWebSearchParamAction
    id: str
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `searching`, `completed`, `incomplete`, `failed`."
        ),
    ]
    type: Literal["web_search_call"]


ResponseOutputMessageParamContentItem = TypeAliasType(
    "ResponseOutputMessageParamContentItem",
    Annotated[
        ResponseOutputTextParam | ResponseOutputRefusalParam,
        Field(discriminator="type"),
    ],
)


class ShellCall(BaseModel):
    """
    A tool representing a request to execute one or more shell commands.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: ShellCallAction
    call_id: str
    caller: ShellCallCaller | None = None
    environment: ShellCallEnvironment | None = None
    id: str | None = None
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["shell_call"]


class ShellCallOutput(BaseModel):
    """
    The streamed output items emitted by a shell tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ShellCallOutputCaller | None = None
    id: str | None = None
    max_output_length: int | None = None
    output: list[ResponseFunctionShellCallOutputContentParam]
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["shell_call_output"]


class ToolCodeInterpreterContainerCodeInterpreterToolAuto(BaseModel):
    """
    Configuration for a code interpreter container.

    Optionally specify the IDs of the files to run the code on.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_ids: list[str] | None = None
    memory_limit: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `1g`, `4g`, `16g`, `64g`."
        ),
    ] = None
    network_policy: (
        CodeInterpreterContainerCodeInterpreterToolAutoNetworkPolicy | None
    ) = None
    type: Literal["auto"]


class ToolImageGeneration(BaseModel):
    """
    A tool that generates images using the GPT image models.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `generate`, `edit`, `auto`."
        ),
    ] = None
    background: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `transparent`, `opaque`, `auto`."
        ),
    ] = None
    complexity: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`."
        ),
    ] = None
    frame_count: int | None = None
    frame_duration_ms: int | None = None
    input_fidelity: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `high`, `low`."
        ),
    ] = None
    input_image_mask: ToolImageGenerationInputImageMask | None = None
    model: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `gpt-image-1`, `gpt-image-1-mini`, `gpt-image-2`, `gpt-image-2-2026-04-21`, `gpt-image-2.5-sunburst`, `gpt-image-2.5-sunburst-2026-09-08`, `gpt-image-2.5-flare`, `gpt-image-2.5-flare-2026-09-08`, `gpt-image-2.6-sunburst`, `gpt-image-2.6-flare`, `gpt-image-1.5`, `chatgpt-image-latest`."
        ),
    ] = None
    moderation: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `low`."
        ),
    ] = None
    output_compression: int | None = None
    output_format: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `png`, `webp`, `jpeg`, `gif`, `svg`."
        ),
    ] = None
    partial_images: int | None = None
    quality: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`, `xhigh`, `max`, `auto`."
        ),
    ] = None
    size: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `1024x1024`, `1024x1536`, `1536x1024`, `auto`."
        ),
    ] = None
    svg: ToolImageGenerationSvg | None = None
    type: Literal["image_generation"]


class ToolMcp(BaseModel):
    """
    Give the model access to additional tools via remote Model Context Protocol
    (MCP) servers. [Learn more about MCP](https://developers.openai.com/api/docs/guides/tools-connectors-mcp).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    allowed_tools: list[str] | ToolMcpAllowedToolsMcpToolFilter | None = None
    authorization: str | None = None
    connector_id: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `connector_dropbox`, `connector_gmail`, `connector_googlecalendar`, `connector_googledrive`, `connector_microsoftteams`, `connector_outlookcalendar`, `connector_outlookemail`, `connector_sharepoint`."
        ),
    ] = None
    defer_loading: bool | None = None
    headers: dict[str, str] | None = None
    require_approval: Annotated[
        ToolMcpRequireApprovalMcpToolApprovalFilter | str | None,
        Field(
            description="Known values (open set, widened to a string): `always`, `never`."
        ),
    ] = None
    server_description: str | None = None
    server_label: str
    server_url: str | None = None
    tunnel_id: str | None = None
    type: Literal["mcp"]


class ToolSearchOutputNamespaceToolParam(BaseModel):
    """
    Groups function/custom tools under a shared namespace.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str
    name: str
    tools: list[NamespaceToolParamToolsItem]
    type: Literal["namespace"]


class CodeInterpreterContainerCodeInterpreterToolAuto(BaseModel):
    """
    Configuration for a code interpreter container.

    Optionally specify the IDs of the files to run the code on.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_ids: list[str] | None = None
    memory_limit: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `1g`, `4g`, `16g`, `64g`."
        ),
    ] = None
    network_policy: (
        CodeInterpreterContainerCodeInterpreterToolAutoNetworkPolicy | None
    ) = None
    type: Literal["auto"]


class ContainerAutoParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    file_ids: list[str] | None = None
    memory_limit: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `1g`, `4g`, `16g`, `64g`."
        ),
    ] = None
    network_policy: (
        CodeInterpreterContainerCodeInterpreterToolAutoNetworkPolicy | None
    ) = None
    skills: list[ContainerAutoParamSkillsItem] | None = None
    type: Literal["container_auto"]


FunctionShellToolParamEnvironment = TypeAliasType(
    "FunctionShellToolParamEnvironment",
    Annotated[
        ContainerAutoParam | LocalEnvironmentParam | ContainerReferenceParam,
        Field(discriminator="type"),
    ],
)


class NamespaceToolParam(BaseModel):
    """
    Groups function/custom tools under a shared namespace.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str
    name: str
    tools: list[NamespaceToolParamToolsItem]
    type: Literal["namespace"]


class ResponseConfigurationUpdateItemParamParam(BaseModel):
    """
    An update to the conversation's response configuration.

    Supply reasoning,
    text, or both. Each setting stays in effect until a later update replaces it.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str | None = None
    reasoning: ResponseConfigurationUpdateItemParamParamReasoning | None = None
    text: ResponseConfigurationUpdateItemParamParamText | None = None
    type: Literal["configuration_update"]


class ResponseOutputMessageParam(BaseModel):
    """
    An output message from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[ResponseOutputMessageParamContentItem]
    id: str
    phase: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `commentary`, `final_answer`."
        ),
    ] = None
    role: Literal["assistant"]
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    type: Literal["message"]


class ToolCodeInterpreter(BaseModel):
    """
    A tool that runs Python code to help generate a response to a prompt.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    container: str | ToolCodeInterpreterContainerCodeInterpreterToolAuto
    type: Literal["code_interpreter"]


class CodeInterpreter(BaseModel):
    """
    A tool that runs Python code to help generate a response to a prompt.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    container: str | CodeInterpreterContainerCodeInterpreterToolAuto
    type: Literal["code_interpreter"]


class FunctionShellToolParam(BaseModel):
    """
    A tool that allows the model to execute shell commands.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_callers: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `direct`, `programmatic`."
        ),
    ] = None
    environment: FunctionShellToolParamEnvironment | None = None
    type: Literal["shell"]


ResponseToolSearchOutputItemParamParamToolsItem = TypeAliasType(
    "ResponseToolSearchOutputItemParamParamToolsItem",
    Annotated[
        FunctionToolParam
        | FileSearchToolParam
        | ComputerToolParam
        | ComputerUsePreviewToolParam
        | WebSearchToolParam
        | ToolMcp
        | ToolCodeInterpreter
        | ToolProgrammaticToolCalling
        | ToolImageGeneration
        | ToolLocalShell
        | FunctionShellToolParam
        | CustomToolParam
        | ToolSearchOutputNamespaceToolParam
        | ToolSearchToolParam
        | WebSearchPreviewToolParam
        | ApplyPatchToolParam,
        Field(discriminator="type"),
    ],
)


ResponsesRequestToolsItem = TypeAliasType(
    "ResponsesRequestToolsItem",
    Annotated[
        FunctionToolParam
        | FileSearchToolParam
        | ComputerToolParam
        | ComputerUsePreviewToolParam
        | WebSearchToolParam
        | Mcp
        | CodeInterpreter
        | ProgrammaticToolCalling
        | ImageGeneration
        | LocalShell
        | FunctionShellToolParam
        | CustomToolParam
        | NamespaceToolParam
        | ToolSearchToolParam
        | WebSearchPreviewToolParam
        | ApplyPatchToolParam,
        Field(discriminator="type"),
    ],
)


class AdditionalTools(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str | None = None
    role: Literal["developer"]
    tools: list[ResponsesRequestToolsItem]
    type: Literal["additional_tools"]


class ResponseToolSearchOutputItemParamParam(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str | None = None
    execution: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `server`, `client`."
        ),
    ] = None
    id: str | None = None
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    tools: list[ResponseToolSearchOutputItemParamParamToolsItem]
    type: Literal["tool_search_output"]


class ResponsesRequest(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    access_programs: AccessPrograms | None = None
    background: bool | None = None
    background_options: BackgroundOptions | None = None
    context_management: list[ContextManagement] | None = None
    conversation: str | ResponseConversationParamParam | None = None
    image: Image | None = None
    include: Annotated[
        list[str] | None,
        Field(
            description="Known values (open set, widened to a string): `file_search_call.results`, `web_search_call.results`, `web_search_call.action.sources`, `message.input_image.image_url`, `computer_call_output.output.image_url`, `code_interpreter_call.outputs`, `reasoning.encrypted_content`, `message.output_text.logprobs`."
        ),
    ] = None
    input: (
        str
        | list[
            EasyInputMessageParam
            | Message
            | ResponseOutputMessageParam
            | ResponseFileSearchToolCallParam
            | ResponseComputerToolCallParam
            | ComputerCallOutput
            | ResponseFunctionWebSearchParam
            | ResponseFunctionToolCallParam
            | FunctionCallOutput
            | ToolSearchCall
            | ResponseToolSearchOutputItemParamParam
            | AdditionalTools
            | ResponseConfigurationUpdateItemParamParam
            | ResponseReasoningItemParam
            | ResponseCompactionItemParamParam
            | ImageGenerationCall
            | ResponseCodeInterpreterToolCallParam
            | LocalShellCall
            | LocalShellCallOutput
            | ShellCall
            | ShellCallOutput
            | ApplyPatchCall
            | ApplyPatchCallOutput
            | McpListTools
            | McpApprovalRequest
            | McpApprovalResponse
            | McpCall
            | ResponseCustomToolCallOutputParam
            | ResponseCustomToolCallParam
            | CompactionTrigger
            | ItemReference
            | Program
            | ProgramOutput
        ]
        | None
    ) = None
    instructions: str | None = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    metadata: dict[str, str] | None = None
    model: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `o1-pro`, `o1-pro-2025-03-19`, `o3-pro`, `o3-pro-2025-06-10`, `o3-deep-research`, `o3-deep-research-2025-06-26`, `o4-mini-deep-research`, `o4-mini-deep-research-2025-06-26`, `computer-use-preview`, `computer-use-preview-2025-03-11`, `gpt-5.5-pro`, `gpt-5.5-pro-2026-04-23`, `gpt-5-codex`, `gpt-5-pro`, `gpt-5-pro-2025-10-06`, `gpt-5.1-codex-max`, `gpt-daybreak-blue-latest`, `gpt-daybreak-red-latest`, `gpt-5.6-cyber`, `gpt-6-cyber`, `gpt-rosalind-research`, `gpt-6-rosalind`, `gpt-6.2-astra-law`, `gpt-6-astra`, `gpt-6.2-astra`, `gpt-6.1-sol`, `gpt-6.2-sol`, `gpt-6.1-terra`, `gpt-6-sol`, `gpt-6-luna`, `gpt-5.6-sol`, `gpt-5.6-terra`, `gpt-5.6-luna`, `gpt-5.5`, `gpt-5.5-2026-04-23`, `gpt-5.4`, `gpt-5.4-mini`, `gpt-5.4-nano`, `gpt-5.4-mini-2026-03-17`, `gpt-5.4-nano-2026-03-17`, `gpt-5.3-chat-latest`, `gpt-5.2`, `gpt-5.2-2025-12-11`, `gpt-5.2-chat-latest`, `gpt-5.2-pro`, `gpt-5.2-pro-2025-12-11`, `gpt-5.1`, `gpt-5.1-2025-11-13`, `gpt-5.1-codex`, `gpt-5.1-mini`, `gpt-5.1-chat-latest`, `gpt-5`, `gpt-5-mini`, `gpt-5-nano`, `gpt-5-2025-08-07`, `gpt-5-mini-2025-08-07`, `gpt-5-nano-2025-08-07`, `gpt-5-chat-latest`, `gpt-4.1`, `gpt-4.1-mini`, `gpt-4.1-nano`, `gpt-4.1-2025-04-14`, `gpt-4.1-mini-2025-04-14`, `gpt-4.1-nano-2025-04-14`, `o4-mini`, `o4-mini-2025-04-16`, `o3`, `o3-2025-04-16`, `o3-mini`, `o3-mini-2025-01-31`, `o1`, `o1-2024-12-17`, `o1-preview`, `o1-preview-2024-09-12`, `o1-mini`, `o1-mini-2024-09-12`, `gpt-4o`, `gpt-4o-2024-11-20`, `gpt-4o-2024-08-06`, `gpt-4o-2024-05-13`, `gpt-audio-mini`, `gpt-audio-mini-2025-12-15`, `gpt-4o-audio-preview`, `gpt-4o-audio-preview-2024-10-01`, `gpt-4o-audio-preview-2024-12-17`, `gpt-4o-audio-preview-2025-06-03`, `gpt-4o-mini-audio-preview`, `gpt-4o-mini-audio-preview-2024-12-17`, `gpt-4o-search-preview`, `gpt-4o-mini-search-preview`, `gpt-4o-search-preview-2025-03-11`, `gpt-4o-mini-search-preview-2025-03-11`, `chatgpt-4o-latest`, `codex-mini-latest`, `gpt-4o-mini`, `gpt-4o-mini-2024-07-18`, `gpt-4-turbo`, `gpt-4-turbo-2024-04-09`, `gpt-4-0125-preview`, `gpt-4-turbo-preview`, `gpt-4-1106-preview`, `gpt-4-vision-preview`, `gpt-4`, `gpt-4-0314`, `gpt-4-0613`, `gpt-4-32k`, `gpt-4-32k-0314`, `gpt-4-32k-0613`, `gpt-3.5-turbo`, `gpt-3.5-turbo-16k`, `gpt-3.5-turbo-0301`, `gpt-3.5-turbo-0613`, `gpt-3.5-turbo-1106`, `gpt-3.5-turbo-0125`, `gpt-3.5-turbo-16k-0613`."
        ),
    ] = None
    moderation: Moderation | None = None
    parallel_tool_calls: bool | None = None
    previous_response_id: str | None = None
    prompt: ResponsePromptParam | None = None
    prompt_cache_key: str | None = None
    prompt_cache_options: PromptCacheOptions | None = None
    prompt_cache_retention: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_memory`, `24h`."
        ),
    ] = None
    reasoning: ReasoningReasoning | None = None
    safety_identifier: str | None = None
    service_tier: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `default`, `flex`, `scale`, `priority`, `fast`, `ultrafast`."
        ),
    ] = None
    store: bool | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    temperature: float | None = None
    text: ResponseTextConfigParam | None = None
    tool_choice: Annotated[
        ResponsesRequestToolChoice | str | None,
        Field(
            description="Known values (open set, widened to a string): `none`, `auto`, `required`."
        ),
    ] = None
    tools: list[ResponsesRequestToolsItem] | None = None
    top_logprobs: int | None = None
    top_p: float | None = None
    truncation: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `disabled`."
        ),
    ] = None
    user: str | None = None
