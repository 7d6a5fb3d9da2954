# generated from specs/openai/response_stream_event.json by codegen; do not edit
# root: ResponseStreamEvent (openai.types.responses.ResponseStreamEvent)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel
from typing_extensions import TypeAliasType


class AccessPrograms(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cyber: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `standard`, `daybreak_blue`, `daybreak_red`."
        ),
    ]


class AcknowledgedSafetyCheck(BaseModel):
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


class Action(BaseModel):
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
    keys: list[str] | None = None
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


class ApplyPatchTool(BaseModel):
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


class ComputerTool(BaseModel):
    """
    A tool that controls a virtual computer.

    Learn more about the [computer tool](https://developers.openai.com/api/docs/guides/tools-computer-use).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["computer"]


class ComputerUsePreviewTool(BaseModel):
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


class ContainerNetworkPolicyDisabled(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["disabled"]


class ContainerNetworkPolicyDomainSecret(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    domain: str
    name: str
    value: str


class ContainerReference(BaseModel):
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


class Conversation(BaseModel):
    """
    The conversation that this response belonged to.

    Input items and output items from this response were automatically added to this conversation.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str


class CustomToolInputFormatText(BaseModel):
    """
    Unconstrained free-form text.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["text"]


class Delta(BaseModel):
    """
    The stdout/stderr delta that was emitted.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    stderr: str | None = None
    stdout: str | None = None


class DoubleClick(BaseModel):
    """
    A double click action.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    keys: list[str] | None = None
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


FileSearchToolFilters = TypeAliasType(
    "FileSearchToolFilters",
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


class FunctionTool(BaseModel):
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
    parameters: dict[str, Any] | None = None
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
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    context_compression: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `enabled`, `disabled`."
        ),
    ]


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


class IncompleteDetails(BaseModel):
    """
    Details about why the response is incomplete.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    reason: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `max_output_tokens`, `max_messages`, `content_filter`, `steered`."
        ),
    ] = None


class InlineSkillSource(BaseModel):
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


class InputTokensDetailsCacheWriteTokensDetails(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    ttl_12h_tokens: int
    ttl_30m_tokens: int


class InputTransformation(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: Literal["removed"]
    id: str
    reason: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `organization_mismatch`, `end_user_mismatch`, `model_mismatch`, `prefix_mismatch`, `turn_boundary`."
        ),
    ]
    type: Literal["reasoning"]


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


class LocalSkill(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str
    name: str
    path: str


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


class MisalignmentSteer(BaseModel):
    """
    An optional public continuation instruction.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    message: str


class ModerationInputError(BaseModel):
    """
    An error produced while attempting moderation for the response input or output.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str
    message: str
    type: Literal["error"]


class ModerationInputModerationResult(BaseModel):
    """
    A moderation result produced for the response input or output.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    categories: dict[str, bool]
    category_applied_input_types: Annotated[
        dict[str, list[str]],
        Field(
            description="Known values (open set, widened to a string): `text`, `image`."
        ),
    ]
    category_scores: dict[str, float]
    flagged: bool
    model: str
    type: Literal["moderation_result"]


class ModerationOutputError(BaseModel):
    """
    An error produced while attempting moderation for the response input or output.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str
    message: str
    type: Literal["error"]


class ModerationOutputModerationResult(BaseModel):
    """
    A moderation result produced for the response input or output.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    categories: dict[str, bool]
    category_applied_input_types: Annotated[
        dict[str, list[str]],
        Field(
            description="Known values (open set, widened to a string): `text`, `image`."
        ),
    ]
    category_scores: dict[str, float]
    flagged: bool
    model: str
    type: Literal["moderation_result"]


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


class OperationCreateFile(BaseModel):
    """
    Instruction describing how to create a file via the apply_patch tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    diff: str
    path: str
    type: Literal["create_file"]


class OperationDeleteFile(BaseModel):
    """
    Instruction describing how to delete a file via the apply_patch tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    path: str
    type: Literal["delete_file"]


class OperationUpdateFile(BaseModel):
    """
    Instruction describing how to update a file via the apply_patch tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    diff: str
    path: str
    type: Literal["update_file"]


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


class OutputOutcomeExit(BaseModel):
    """
    Indicates that the shell commands finished and returned an exit code.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    exit_code: int
    type: Literal["exit"]


class OutputOutcomeTimeout(BaseModel):
    """
    Indicates that the shell call exceeded its configured time limit.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["timeout"]


class OutputTokensDetails(BaseModel):
    """
    A detailed breakdown of the output tokens.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    reasoning_tokens: int


class PartReasoningText(BaseModel):
    """
    Reasoning text from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    text: str
    type: Literal["reasoning_text"]


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


class PromptCacheDiagnosticsCacheHit(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["cache_hit"]


class PromptCacheDiagnosticsCacheMiss(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_missed_tokens: int
    comparison_reusable_tokens: int | None = None
    reason: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `model_changed`, `prompt_cache_key_changed`, `tools_changed`, `text_format_changed`, `reasoning_effort_changed`, `verbosity_changed`, `context_compacted`, `input_changed`, `service_tier_changed`."
        ),
    ]
    type: Literal["cache_miss"]


class PromptCacheDiagnosticsComparisonResponseNotFound(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["comparison_response_not_found"]


class PromptCacheDiagnosticsUnavailable(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["unavailable"]


class PromptCacheOptions(BaseModel):
    """
    The prompt-caching options that were applied to the response.

    Supported for `gpt-5.6` and later models.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    comparison_response_id: str | None = None
    mode: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `implicit`, `explicit`."
        ),
    ]
    ttl: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `30m`, `12h`."
        ),
    ]


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


ResponseApplyPatchToolCallCaller = TypeAliasType(
    "ResponseApplyPatchToolCallCaller",
    Annotated[CallerDirect | CallerProgram, Field(discriminator="type")],
)


ResponseApplyPatchToolCallOperation = TypeAliasType(
    "ResponseApplyPatchToolCallOperation",
    Annotated[
        OperationCreateFile | OperationDeleteFile | OperationUpdateFile,
        Field(discriminator="type"),
    ],
)


class ResponseApplyPatchToolCallOutput(BaseModel):
    """
    The output emitted by an apply patch tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ResponseApplyPatchToolCallCaller | None = None
    created_by: str | None = None
    id: str
    output: str | None = None
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `completed`, `failed`."
        ),
    ]
    type: Literal["apply_patch_call_output"]


class ResponseAudioDeltaEvent(BaseModel):
    """
    Emitted when there is a partial audio response.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: str
    sequence_number: int
    type: Literal["response.audio.delta"]


class ResponseAudioDoneEvent(BaseModel):
    """
    Emitted when the audio response is complete.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    sequence_number: int
    type: Literal["response.audio.done"]


class ResponseAudioTranscriptDeltaEvent(BaseModel):
    """
    Emitted when there is a partial transcript of audio.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: str
    sequence_number: int
    type: Literal["response.audio.transcript.delta"]


class ResponseAudioTranscriptDoneEvent(BaseModel):
    """
    Emitted when the full audio transcript is completed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    sequence_number: int
    type: Literal["response.audio.transcript.done"]


class ResponseCodeInterpreterCallCodeDeltaEvent(BaseModel):
    """
    Emitted when a partial code snippet is streamed by the code interpreter.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.code_interpreter_call_code.delta"]


class ResponseCodeInterpreterCallCodeDoneEvent(BaseModel):
    """
    Emitted when the code snippet is finalized by the code interpreter.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.code_interpreter_call_code.done"]


class ResponseCodeInterpreterCallCompletedEvent(BaseModel):
    """
    Emitted when the code interpreter call is completed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.code_interpreter_call.completed"]


class ResponseCodeInterpreterCallInProgressEvent(BaseModel):
    """
    Emitted when a code interpreter call is in progress.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.code_interpreter_call.in_progress"]


class ResponseCodeInterpreterCallInterpretingEvent(BaseModel):
    """
    Emitted when the code interpreter is actively interpreting the code snippet.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.code_interpreter_call.interpreting"]


ResponseCodeInterpreterToolCallOutputsItem = TypeAliasType(
    "ResponseCodeInterpreterToolCallOutputsItem",
    Annotated[OutputLogs | OutputImage, Field(discriminator="type")],
)


class ResponseCompactionCompactingEvent(BaseModel):
    """
    Emitted when new summary content is sampled for a compaction trigger.

    Contains no summary content.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.compaction.compacting"]


class ResponseCompactionItem(BaseModel):
    """
    A compaction item generated by the [`v1/responses/compact` API](https://developers.openai.com/api/reference/resources/responses/methods/compact).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    created_by: str | None = None
    encrypted_content: str
    id: str
    type: Literal["compaction"]


class ResponseCompactionItemParam(BaseModel):
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


class ResponseComputerToolCallOutputScreenshot(BaseModel):
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


class ResponseConfigurationUpdateItemParamReasoning(BaseModel):
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


class ResponseContainerReference(BaseModel):
    """
    Represents a container created with /v1/containers.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    container_id: str
    type: Literal["container_reference"]


class ResponseCustomToolCall(BaseModel):
    """
    A call to a custom tool created by the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    async_: Annotated[bool | None, Field(alias="async")] = None
    call_id: str
    caller: ResponseApplyPatchToolCallCaller | None = None
    id: str | None = None
    input: str
    name: str
    namespace: str | None = None
    type: Literal["custom_tool_call"]


class ResponseCustomToolCallInputDeltaEvent(BaseModel):
    """
    Event representing a delta (partial update) to the input of a custom tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.custom_tool_call_input.delta"]


class ResponseCustomToolCallInputDoneEvent(BaseModel):
    """
    Event indicating that input for a custom tool call is complete.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    input: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.custom_tool_call_input.done"]


class ResponseErrorEvent(BaseModel):
    """
    Emitted when an error occurs.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str | None = None
    message: str
    param: str | None = None
    sequence_number: int
    type: Literal["error"]


class ResponseFileSearchCallCompletedEvent(BaseModel):
    """
    Emitted when a file search call is completed (results found).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.file_search_call.completed"]


class ResponseFileSearchCallInProgressEvent(BaseModel):
    """
    Emitted when a file search call is initiated.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.file_search_call.in_progress"]


class ResponseFileSearchCallSearchingEvent(BaseModel):
    """
    Emitted when a file search is currently searching.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.file_search_call.searching"]


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


class ResponseFormatTextJSONSchemaConfig(BaseModel):
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


class ResponseFunctionCallArgumentsDeltaEvent(BaseModel):
    """
    Emitted when there is a partial function-call arguments delta.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.function_call_arguments.delta"]


class ResponseFunctionCallArgumentsDoneEvent(BaseModel):
    """
    Emitted when function-call arguments are finalized.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    arguments: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.function_call_arguments.done"]


ResponseFunctionShellCallOutputContentOutcome = TypeAliasType(
    "ResponseFunctionShellCallOutputContentOutcome",
    Annotated[OutcomeTimeout | OutcomeExit, Field(discriminator="type")],
)


class ResponseFunctionToolCall(BaseModel):
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
    caller: ResponseApplyPatchToolCallCaller | None = None
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


class ResponseImageGenCallCompletedEvent(BaseModel):
    """
    Emitted when an image generation tool call has completed and the final image is available.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.image_generation_call.completed"]


class ResponseImageGenCallGeneratingEvent(BaseModel):
    """
    Emitted when an image generation tool call is actively generating an image (intermediate state).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.image_generation_call.generating"]


class ResponseImageGenCallInProgressEvent(BaseModel):
    """
    Emitted when an image generation tool call is in progress.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.image_generation_call.in_progress"]


class ResponseImageGenCallPartialImageEvent(BaseModel):
    """
    Emitted when a partial image is available during image generation streaming.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    background: str | None = None
    item_id: str
    output_format: str | None = None
    output_index: int
    partial_image_b64: str
    partial_image_index: int
    quality: str | None = None
    sequence_number: int
    size: str | None = None
    type: Literal["response.image_generation_call.partial_image"]


class ResponseInputFile(BaseModel):
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


class ResponseInputFileContent(BaseModel):
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


class ResponseInputImage(BaseModel):
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


class ResponseInputImageContent(BaseModel):
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


class ResponseInputItemMcpApprovalResponse(BaseModel):
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


class ResponseInputText(BaseModel):
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


class ResponseInputTextContent(BaseModel):
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


class ResponseLocalEnvironment(BaseModel):
    """
    Represents the use of a local environment to perform shell actions.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["local"]


class ResponseMcpCallArgumentsDeltaEvent(BaseModel):
    """
    Emitted when there is a delta (partial update) to the arguments of an MCP tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.mcp_call_arguments.delta"]


class ResponseMcpCallArgumentsDoneEvent(BaseModel):
    """
    Emitted when the arguments for an MCP tool call are finalized.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    arguments: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.mcp_call_arguments.done"]


class ResponseMcpCallCompletedEvent(BaseModel):
    """
    Emitted when an MCP  tool call has completed successfully.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.mcp_call.completed"]


class ResponseMcpCallFailedEvent(BaseModel):
    """
    Emitted when an MCP  tool call has failed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.mcp_call.failed"]


class ResponseMcpCallInProgressEvent(BaseModel):
    """
    Emitted when an MCP  tool call is in progress.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.mcp_call.in_progress"]


class ResponseMcpListToolsCompletedEvent(BaseModel):
    """
    Emitted when the list of available MCP tools has been successfully retrieved.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.mcp_list_tools.completed"]


class ResponseMcpListToolsFailedEvent(BaseModel):
    """
    Emitted when the attempt to list available MCP tools has failed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.mcp_list_tools.failed"]


class ResponseMcpListToolsInProgressEvent(BaseModel):
    """
    Emitted when the system is in the process of retrieving the list of available MCP tools.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.mcp_list_tools.in_progress"]


class ResponseOutputItemMcpApprovalResponse(BaseModel):
    """
    A response to an MCP approval request.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    approval_request_id: str
    approve: bool
    id: str
    reason: str | None = None
    type: Literal["mcp_approval_response"]


class ResponseOutputRefusal(BaseModel):
    """
    A refusal from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    refusal: str
    type: Literal["refusal"]


ResponseOutputTextAnnotationsItem = TypeAliasType(
    "ResponseOutputTextAnnotationsItem",
    Annotated[
        AnnotationFileCitation
        | AnnotationURLCitation
        | AnnotationContainerFileCitation
        | AnnotationFilePath,
        Field(discriminator="type"),
    ],
)


class ResponseOutputTextLogprobTopLogprob(BaseModel):
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


ResponsePromptCacheDiagnostics = TypeAliasType(
    "ResponsePromptCacheDiagnostics",
    Annotated[
        PromptCacheDiagnosticsCacheMiss
        | PromptCacheDiagnosticsCacheHit
        | PromptCacheDiagnosticsComparisonResponseNotFound
        | PromptCacheDiagnosticsUnavailable,
        Field(discriminator="type"),
    ],
)


class ResponseReasoningSummaryPartAddedEventPart(BaseModel):
    """
    The summary part that was added.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    text: str
    type: Literal["summary_text"]


class ResponseReasoningSummaryPartDoneEventPart(BaseModel):
    """
    The completed summary part.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    text: str
    type: Literal["summary_text"]


class ResponseReasoningSummaryTextDeltaEvent(BaseModel):
    """
    Emitted when a delta is added to a reasoning summary text.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    delta: str
    item_id: str
    output_index: int
    sequence_number: int
    summary_index: int
    type: Literal["response.reasoning_summary_text.delta"]


class ResponseReasoningSummaryTextDoneEvent(BaseModel):
    """
    Emitted when a reasoning summary text is completed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    summary_index: int
    text: str
    type: Literal["response.reasoning_summary_text.done"]


class ResponseReasoningTextDeltaEvent(BaseModel):
    """
    Emitted when a delta is added to a reasoning text.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_index: int
    delta: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.reasoning_text.delta"]


class ResponseReasoningTextDoneEvent(BaseModel):
    """
    Emitted when a reasoning text is completed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_index: int
    item_id: str
    output_index: int
    sequence_number: int
    text: str
    type: Literal["response.reasoning_text.done"]


class ResponseRefusalDeltaEvent(BaseModel):
    """
    Emitted when there is a partial refusal text.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_index: int
    delta: str
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.refusal.delta"]


class ResponseRefusalDoneEvent(BaseModel):
    """
    Emitted when refusal text is finalized.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_index: int
    item_id: str
    output_index: int
    refusal: str
    sequence_number: int
    type: Literal["response.refusal.done"]


class ResponseShellCallCommandAddedEvent(BaseModel):
    """
    A streaming event that indicated a shell command was added to a tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    command: str
    command_index: int
    output_index: int
    sequence_number: int
    type: Literal["response.shell_call_command.added"]


class ResponseShellCallCommandDeltaEvent(BaseModel):
    """
    A streaming event that indicated a shell command was incrementally updated.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    command_index: int
    delta: str
    obfuscation: str | None = None
    output_index: int
    sequence_number: int
    type: Literal["response.shell_call_command.delta"]


class ResponseShellCallCommandDoneEvent(BaseModel):
    """
    A streaming event that indicated a shell command was completed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    command: str
    command_index: int
    output_index: int
    sequence_number: int
    type: Literal["response.shell_call_command.done"]


class ResponseShellCallOutputContentDeltaEvent(BaseModel):
    """
    A streaming event that indicated shell call output was incrementally added.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    command_index: int
    delta: Delta
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.shell_call_output_content.delta"]


ResponseTextConfigFormat = TypeAliasType(
    "ResponseTextConfigFormat",
    Annotated[
        ResponseFormatText
        | ResponseFormatTextJSONSchemaConfig
        | ResponseFormatJSONObject,
        Field(discriminator="type"),
    ],
)


class ResponseTextDeltaEventLogprobTopLogprob(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    logprob: float | None = None
    token: str | None = None


class ResponseTextDoneEventLogprobTopLogprob(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    logprob: float | None = None
    token: str | None = None


class ResponseToolSearchCall(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    arguments: Any
    call_id: str | None = None
    created_by: str | None = None
    execution: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `server`, `client`."
        ),
    ]
    id: str
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    type: Literal["tool_search_call"]


class ResponseWebSearchCallCompletedEvent(BaseModel):
    """
    Emitted when a web search call is completed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.web_search_call.completed"]


class ResponseWebSearchCallInProgressEvent(BaseModel):
    """
    Emitted when a web search call is initiated.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.web_search_call.in_progress"]


class ResponseWebSearchCallSearchingEvent(BaseModel):
    """
    Emitted when a web search call is executing.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.web_search_call.searching"]


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


class SkillReference(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    skill_id: str
    type: Literal["skill_reference"]
    version: str | None = None


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


class ToolChoiceAllowed(BaseModel):
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


class ToolChoiceApplyPatch(BaseModel):
    """
    Forces the model to call the apply_patch tool when executing a tool call.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    type: Literal["apply_patch"]


class ToolChoiceCustom(BaseModel):
    """
    Use this option to force the model to call a specific custom tool.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    name: str
    type: Literal["custom"]


class ToolChoiceFunction(BaseModel):
    """
    Use this option to force the model to call a specific function.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    name: str
    type: Literal["function"]


class ToolChoiceMcp(BaseModel):
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


class ToolChoiceShell(BaseModel):
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


class ToolChoiceTypes(BaseModel):
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


class ToolSearchTool(BaseModel):
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


class ToolUsageImageGenCachedTokensDetails(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cached_image_tokens: int
    cached_text_tokens: int


class ToolUsageImageGenInputTokensDetails(BaseModel):
    """
    The input tokens detailed information for the image generation.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    image_tokens: int
    text_tokens: int


class ToolUsageImageGenOutputTokensDetails(BaseModel):
    """
    The output token details for the image generation.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    image_tokens: int
    text_tokens: int


class ToolUsageWebSearch(BaseModel):
    """
    Aggregated billable usage statistics for web search tool calls.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    num_requests: int


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


class WebSearchPreviewToolUserLocation(BaseModel):
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


class WebSearchToolUserLocation(BaseModel):
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
    output: ResponseComputerToolCallOutputScreenshot
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ] = None
    type: Literal["computer_call_output"]


class ContainerNetworkPolicyAllowlist(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    allowed_domains: list[str]
    domain_secrets: list[ContainerNetworkPolicyDomainSecret] | None = None
    type: Literal["allowlist"]


CustomToolFormat = TypeAliasType(
    "CustomToolFormat",
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


EasyInputMessageContentItem = TypeAliasType(
    "EasyInputMessageContentItem",
    Annotated[
        ResponseInputText | ResponseInputImage | ResponseInputFile,
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
        ResponseInputTextContent | ResponseInputImageContent | ResponseInputFileContent,
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
    code: str | None = None
    message: str
    moderation_details: ImageGenerationCallErrorModerationDetails | None = None
    param: str | None = None
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


class InlineSkill(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str
    name: str
    source: InlineSkillSource
    type: Literal["inline"]


class InputTokensDetails(BaseModel):
    """
    A detailed breakdown of the input tokens.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cache_write_tokens: int
    cache_write_tokens_details: InputTokensDetailsCacheWriteTokensDetails | None = None
    cached_tokens: int


class LocalEnvironment(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    skills: list[LocalSkill] | None = None
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
    content: list[EasyInputMessageContentItem]
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


class Misalignment(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    detailed_explanation: str | None = None
    error_type: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `potentially_unintended_data_transfer`, `potentially_unintended_data_access`, `potentially_unintended_destructive_activity`, `other`."
        ),
    ] = None
    review_target: str | None = None
    steer: MisalignmentSteer | None = None


ModerationInput = TypeAliasType(
    "ModerationInput",
    Annotated[
        ModerationInputModerationResult | ModerationInputError,
        Field(discriminator="type"),
    ],
)


ModerationOutput = TypeAliasType(
    "ModerationOutput",
    Annotated[
        ModerationOutputModerationResult | ModerationOutputError,
        Field(discriminator="type"),
    ],
)


OutputOutcome = TypeAliasType(
    "OutputOutcome",
    Annotated[OutputOutcomeTimeout | OutputOutcomeExit, Field(discriminator="type")],
)


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


class ResponseApplyPatchToolCall(BaseModel):
    """
    A tool call that applies file diffs by creating, deleting, or updating files.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ResponseApplyPatchToolCallCaller | None = None
    created_by: str | None = None
    id: str
    operation: ResponseApplyPatchToolCallOperation
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`."
        ),
    ]
    type: Literal["apply_patch_call"]


class ResponseCodeInterpreterToolCall(BaseModel):
    """
    A tool call to run code.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str | None = None
    container_id: str
    id: str
    outputs: list[ResponseCodeInterpreterToolCallOutputsItem] | None = None
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`, `interpreting`, `failed`."
        ),
    ]
    type: Literal["code_interpreter_call"]


ResponseComputerToolCallAction = TypeAliasType(
    "ResponseComputerToolCallAction",
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


ResponseComputerToolCallActionsItem = TypeAliasType(
    "ResponseComputerToolCallActionsItem",
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


class ResponseComputerToolCallOutputItem(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    acknowledged_safety_checks: list[AcknowledgedSafetyCheck] | None = None
    call_id: str
    created_by: str | None = None
    id: str
    output: ResponseComputerToolCallOutputScreenshot
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `completed`, `incomplete`, `failed`, `in_progress`."
        ),
    ]
    type: Literal["computer_call_output"]


ResponseConfigurationUpdateItemParamTextFormat = TypeAliasType(
    "ResponseConfigurationUpdateItemParamTextFormat",
    Annotated[
        ResponseFormatText | ResponseFormatTextJSONSchemaConfig,
        Field(discriminator="type"),
    ],
)


class ResponseCustomToolCallOutput(BaseModel):
    """
    The output of a custom tool call from your code, being sent back to the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ResponseApplyPatchToolCallCaller | None = None
    id: str | None = None
    output: str | list[EasyInputMessageContentItem]
    type: Literal["custom_tool_call_output"]


class ResponseCustomToolCallOutputItem(BaseModel):
    """
    The output of a custom tool call from your code, being sent back to the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ResponseApplyPatchToolCallCaller | None = None
    created_by: str | None = None
    id: str
    output: str | list[EasyInputMessageContentItem]
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    type: Literal["custom_tool_call_output"]


class ResponseError(BaseModel):
    """
    An error object returned when the model fails to generate a Response.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `server_error`, `rate_limit_exceeded`, `invalid_prompt`, `data_residency_mismatch`, `bio_policy`, `misalignment_policy_violation`, `vector_store_timeout`, `invalid_image`, `invalid_image_format`, `invalid_base64_image`, `invalid_image_url`, `image_too_large`, `image_too_small`, `image_parse_error`, `image_content_policy_violation`, `invalid_image_mode`, `image_file_too_large`, `unsupported_image_media_type`, `empty_image_file`, `failed_to_download_image`, `image_file_not_found`."
        ),
    ]
    message: str
    misalignment: Misalignment | None = None
    param: str | None = None
    type: str | None = None


class ResponseFileSearchToolCall(BaseModel):
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


class ResponseFunctionShellCallOutputContent(BaseModel):
    """
    Captured stdout and stderr for a portion of a shell tool call output.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    outcome: ResponseFunctionShellCallOutputContentOutcome
    stderr: str
    stdout: str


ResponseFunctionShellToolCallEnvironment = TypeAliasType(
    "ResponseFunctionShellToolCallEnvironment",
    Annotated[
        ResponseLocalEnvironment | ResponseContainerReference,
        Field(discriminator="type"),
    ],
)


class ResponseFunctionToolCallOutputItem(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str | None = None
    caller: ResponseApplyPatchToolCallCaller | None = None
    created_by: str | None = None
    id: str
    name: str | None = None
    namespace: str | None = None
    output: str | list[EasyInputMessageContentItem]
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    type: Literal["function_call_output"]


ResponseFunctionWebSearchAction = TypeAliasType(
    "ResponseFunctionWebSearchAction",
    Annotated[ActionSearch | ActionOpenPage | ActionFind, Field(discriminator="type")],
)


class ResponseOutputTextAnnotationAddedEvent(BaseModel):
    """
    Emitted when an annotation is added to output text content.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    annotation: ResponseOutputTextAnnotationsItem | None = None
    annotation_index: int
    content_index: int
    item_id: str
    output_index: int
    sequence_number: int
    type: Literal["response.output_text.annotation.added"]


class ResponseOutputTextLogprob(BaseModel):
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
    top_logprobs: list[ResponseOutputTextLogprobTopLogprob]


class ResponsePrompt(BaseModel):
    """
    Reference to a prompt template and its variables.
    [Learn more](https://developers.openai.com/api/docs/guides/text?api-mode=responses#version-prompts-in-code).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str
    variables: dict[str, EasyInputMessageContentItem | str] | None = None
    version: str | None = None


class ResponseReasoningItem(BaseModel):
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


class ResponseReasoningSummaryPartAddedEvent(BaseModel):
    """
    Emitted when a new reasoning summary part is added.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    part: ResponseReasoningSummaryPartAddedEventPart
    sequence_number: int
    summary_index: int
    type: Literal["response.reasoning_summary_part.added"]


class ResponseReasoningSummaryPartDoneEvent(BaseModel):
    """
    Emitted when a reasoning summary part is completed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item_id: str
    output_index: int
    part: ResponseReasoningSummaryPartDoneEventPart
    sequence_number: int
    status: Literal["incomplete"] | None = None
    summary_index: int
    type: Literal["response.reasoning_summary_part.done"]


class ResponseTextConfig(BaseModel):
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
    format: ResponseTextConfigFormat | None = None
    verbosity: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `low`, `medium`, `high`."
        ),
    ] = None


class ResponseTextDeltaEventLogprob(BaseModel):
    """
    A logprob is the logarithmic probability that the model assigns to producing
    a particular token at a given position in the sequence. Less-negative (higher)
    logprob values indicate greater model confidence in that token choice.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    logprob: float
    token: str
    top_logprobs: list[ResponseTextDeltaEventLogprobTopLogprob] | None = None


class ResponseTextDoneEventLogprob(BaseModel):
    """
    A logprob is the logarithmic probability that the model assigns to producing
    a particular token at a given position in the sequence. Less-negative (higher)
    logprob values indicate greater model confidence in that token choice.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    logprob: float
    token: str
    top_logprobs: list[ResponseTextDoneEventLogprobTopLogprob] | None = None


ResponseToolChoice = TypeAliasType(
    "ResponseToolChoice",
    Annotated[
        ToolChoiceAllowed
        | ToolChoiceTypes
        | ToolChoiceFunction
        | ToolChoiceMcp
        | ToolChoiceCustom
        | ToolChoiceSpecificProgrammaticToolCallingParam
        | ToolChoiceApplyPatch
        | ToolChoiceShell,
        Field(discriminator="type"),
    ],
)


class ResponseUsage(BaseModel):
    """
    Represents token usage details including input tokens, output tokens,
    a breakdown of output tokens, and the total tokens used.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    input_tokens: int
    input_tokens_details: InputTokensDetails
    output_tokens: int
    output_tokens_details: OutputTokensDetails
    total_tokens: int


ShellCallCaller = TypeAliasType(
    "ShellCallCaller",
    Annotated[
        ShellCallCallerDirect | ShellCallCallerProgram, Field(discriminator="type")
    ],
)


ShellCallEnvironment = TypeAliasType(
    "ShellCallEnvironment",
    Annotated[LocalEnvironment | ContainerReference, Field(discriminator="type")],
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


class ToolUsageImageGen(BaseModel):
    """
    Aggregated usage statistics for image generation tool calls.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    cached_tokens: int | None = None
    cached_tokens_details: ToolUsageImageGenCachedTokensDetails | None = None
    input_tokens: int
    input_tokens_details: ToolUsageImageGenInputTokensDetails
    output_tokens: int
    output_tokens_details: ToolUsageImageGenOutputTokensDetails | None = None
    total_tokens: int


class WebSearchPreviewTool(BaseModel):
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
    user_location: WebSearchPreviewToolUserLocation | None = None


class WebSearchTool(BaseModel):
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
    user_location: WebSearchToolUserLocation | None = None


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
        ContainerNetworkPolicyDisabled | ContainerNetworkPolicyAllowlist,
        Field(discriminator="type"),
    ],
)


ContainerAutoSkillsItem = TypeAliasType(
    "ContainerAutoSkillsItem",
    Annotated[SkillReference | InlineSkill, Field(discriminator="type")],
)


class CustomTool(BaseModel):
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
    format: CustomToolFormat | None = None
    name: str
    type: Literal["custom"]


class EasyInputMessage(BaseModel):
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
    content: str | list[EasyInputMessageContentItem]
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


class FileSearchTool(BaseModel):
    """
    A tool that searches for relevant content from uploaded files.

    Learn more about the [file search tool](https://developers.openai.com/api/docs/guides/tools-file-search).
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    filters: FileSearchToolFilters | None = None
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
    result: str | None = None
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
    Moderation results for the response input and output, if moderated completions were requested.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    input: ModerationInput
    output: ModerationOutput


NamespaceToolToolsItem = TypeAliasType(
    "NamespaceToolToolsItem",
    Annotated[ToolFunction | CustomTool, Field(discriminator="type")],
)


class Output(BaseModel):
    """
    The content of a shell tool call output that was emitted.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    created_by: str | None = None
    outcome: OutputOutcome
    stderr: str
    stdout: str


class ResponseComputerToolCall(BaseModel):
    """
    A tool call to a computer use tool.

    See the
    [computer use guide](https://developers.openai.com/api/docs/guides/tools-computer-use) for more information.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: ResponseComputerToolCallAction | None = None
    actions: list[ResponseComputerToolCallActionsItem] | None = None
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


class ResponseConfigurationUpdateItemParamText(BaseModel):
    """
    The text output configuration for subsequent responses.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    format: ResponseConfigurationUpdateItemParamTextFormat


class ResponseFunctionShellToolCall(BaseModel):
    """
    A tool call that executes one or more shell commands in a managed environment.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: Action
    call_id: str
    caller: ResponseApplyPatchToolCallCaller | None = None
    created_by: str | None = None
    environment: ResponseFunctionShellToolCallEnvironment | None = None
    id: str
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    type: Literal["shell_call"]


class ResponseFunctionShellToolCallOutput(BaseModel):
    """
    The output of a shell tool call that was emitted.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str
    caller: ResponseApplyPatchToolCallCaller | None = None
    created_by: str | None = None
    id: str
    max_output_length: int | None = None
    output: list[Output]
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    type: Literal["shell_call_output"]


class ResponseFunctionWebSearch(BaseModel):
    """
    The results of a web search tool call.

    See the
    [web search guide](https://developers.openai.com/api/docs/guides/tools-web-search) for more information.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    action: ResponseFunctionWebSearchAction
    id: str
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `searching`, `completed`, `failed`, `incomplete`."
        ),
    ]
    type: Literal["web_search_call"]


class ResponseOutputText(BaseModel):
    """
    A text output from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    annotations: list[ResponseOutputTextAnnotationsItem]
    logprobs: list[ResponseOutputTextLogprob] | None = None
    text: str
    type: Literal["output_text"]


class ResponseShellCallOutputContentDoneEvent(BaseModel):
    """
    A streaming event that indicated shell call output was completed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    command_index: int
    item_id: str
    output: list[Output]
    output_index: int
    sequence_number: int
    type: Literal["response.shell_call_output_content.done"]


class ResponseTextDeltaEvent(BaseModel):
    """
    Emitted when there is an additional text delta.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_index: int
    delta: str
    item_id: str
    logprobs: list[ResponseTextDeltaEventLogprob]
    output_index: int
    sequence_number: int
    type: Literal["response.output_text.delta"]


class ResponseTextDoneEvent(BaseModel):
    """
    Emitted when text content is finalized.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_index: int
    item_id: str
    logprobs: list[ResponseTextDoneEventLogprob]
    output_index: int
    sequence_number: int
    text: str
    type: Literal["response.output_text.done"]


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
    output: list[ResponseFunctionShellCallOutputContent]
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


class ToolSearchOutputNamespaceTool(BaseModel):
    """
    Groups function/custom tools under a shared namespace.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str
    name: str
    tools: list[NamespaceToolToolsItem]
    type: Literal["namespace"]


class ToolUsage(BaseModel):
    """
    Usage reported by hosted tools, separate from base model `usage`.

    The field
    can be omitted when tool usage is unavailable. When present, tool families
    with no recorded usage have zero counts.

    `image_gen` sums available token counts across image generation calls.
    Calls with missing or incomplete usage records may be skipped. Output
    token details and cached input counts can be omitted. An omitted cache
    count means cache usage is unknown.

    `web_search.num_requests` counts billable searches. Discounted searches
    and actions such as opening a page are excluded. Use billing records to
    reconcile final charges.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    image_gen: ToolUsageImageGen
    web_search: ToolUsageWebSearch


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


class ContainerAuto(BaseModel):
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
    skills: list[ContainerAutoSkillsItem] | None = None
    type: Literal["container_auto"]


FunctionShellToolEnvironment = TypeAliasType(
    "FunctionShellToolEnvironment",
    Annotated[
        ContainerAuto | LocalEnvironment | ContainerReference,
        Field(discriminator="type"),
    ],
)


class NamespaceTool(BaseModel):
    """
    Groups function/custom tools under a shared namespace.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    description: str
    name: str
    tools: list[NamespaceToolToolsItem]
    type: Literal["namespace"]


class ResponseConfigurationUpdateItemParam(BaseModel):
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
    reasoning: ResponseConfigurationUpdateItemParamReasoning | None = None
    text: ResponseConfigurationUpdateItemParamText | None = None
    type: Literal["configuration_update"]


ResponseContentPartAddedEventPart = TypeAliasType(
    "ResponseContentPartAddedEventPart",
    Annotated[
        ResponseOutputText | ResponseOutputRefusal | PartReasoningText,
        Field(discriminator="type"),
    ],
)


class ResponseContentPartDoneEvent(BaseModel):
    """
    Emitted when a content part is done.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_index: int
    item_id: str
    output_index: int
    part: ResponseContentPartAddedEventPart
    sequence_number: int
    type: Literal["response.content_part.done"]


ResponseOutputMessageContentItem = TypeAliasType(
    "ResponseOutputMessageContentItem",
    Annotated[ResponseOutputText | ResponseOutputRefusal, Field(discriminator="type")],
)


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


class FunctionShellTool(BaseModel):
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
    environment: FunctionShellToolEnvironment | None = None
    type: Literal["shell"]


class ResponseContentPartAddedEvent(BaseModel):
    """
    Emitted when a new content part is added.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content_index: int
    item_id: str
    output_index: int
    part: ResponseContentPartAddedEventPart
    sequence_number: int
    type: Literal["response.content_part.added"]


class ResponseOutputMessage(BaseModel):
    """
    An output message from the model.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    content: list[ResponseOutputMessageContentItem]
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


ResponseToolSearchOutputItemParamToolsItem = TypeAliasType(
    "ResponseToolSearchOutputItemParamToolsItem",
    Annotated[
        FunctionTool
        | FileSearchTool
        | ComputerTool
        | ComputerUsePreviewTool
        | WebSearchTool
        | ToolMcp
        | ToolCodeInterpreter
        | ToolProgrammaticToolCalling
        | ToolImageGeneration
        | ToolLocalShell
        | FunctionShellTool
        | CustomTool
        | ToolSearchOutputNamespaceTool
        | ToolSearchTool
        | WebSearchPreviewTool
        | ApplyPatchTool,
        Field(discriminator="type"),
    ],
)


ResponseToolsItem = TypeAliasType(
    "ResponseToolsItem",
    Annotated[
        FunctionTool
        | FileSearchTool
        | ComputerTool
        | ComputerUsePreviewTool
        | WebSearchTool
        | Mcp
        | CodeInterpreter
        | ProgrammaticToolCalling
        | ImageGeneration
        | LocalShell
        | FunctionShellTool
        | CustomTool
        | NamespaceTool
        | ToolSearchTool
        | WebSearchPreviewTool
        | ApplyPatchTool,
        Field(discriminator="type"),
    ],
)


class ResponseInputItemAdditionalTools(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str | None = None
    role: Literal["developer"]
    tools: list[ResponseToolsItem]
    type: Literal["additional_tools"]


class ResponseOutputItemAdditionalTools(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    id: str
    role: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `unknown`, `user`, `assistant`, `system`, `critic`, `discriminator`, `developer`, `tool`."
        ),
    ]
    tools: list[ResponseToolsItem]
    type: Literal["additional_tools"]


class ResponseToolSearchOutputItem(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    call_id: str | None = None
    created_by: str | None = None
    execution: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `server`, `client`."
        ),
    ]
    id: str
    status: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `in_progress`, `completed`, `incomplete`."
        ),
    ]
    tools: list[ResponseToolsItem]
    type: Literal["tool_search_output"]


class ResponseToolSearchOutputItemParam(BaseModel):
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
    tools: list[ResponseToolSearchOutputItemParamToolsItem]
    type: Literal["tool_search_output"]


ResponseOutputItem = TypeAliasType(
    "ResponseOutputItem",
    Annotated[
        ResponseOutputMessage
        | ResponseFileSearchToolCall
        | ResponseFunctionToolCall
        | ResponseFunctionToolCallOutputItem
        | ResponseFunctionWebSearch
        | ResponseComputerToolCall
        | ResponseComputerToolCallOutputItem
        | ResponseReasoningItem
        | Program
        | ProgramOutput
        | ResponseToolSearchCall
        | ResponseToolSearchOutputItem
        | ResponseOutputItemAdditionalTools
        | ResponseCompactionItem
        | ImageGenerationCall
        | ResponseCodeInterpreterToolCall
        | LocalShellCall
        | LocalShellCallOutput
        | ResponseFunctionShellToolCall
        | ResponseFunctionShellToolCallOutput
        | ResponseApplyPatchToolCall
        | ResponseApplyPatchToolCallOutput
        | McpCall
        | McpListTools
        | McpApprovalRequest
        | ResponseOutputItemMcpApprovalResponse
        | ResponseCustomToolCall
        | ResponseCustomToolCallOutputItem,
        Field(discriminator="type"),
    ],
)


class ResponseOutputItemAddedEvent(BaseModel):
    """
    Emitted when a new output item is added.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item: ResponseOutputItem
    output_index: int
    sequence_number: int
    type: Literal["response.output_item.added"]


class ResponseOutputItemDoneEvent(BaseModel):
    """
    Emitted when an output item is marked done.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    item: ResponseOutputItem
    output_index: int
    sequence_number: int
    type: Literal["response.output_item.done"]


class Response(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    access_programs: AccessPrograms | None = None
    background: bool | None = None
    completed_at: float | None = None
    conversation: Conversation | None = None
    created_at: float
    error: ResponseError | None = None
    id: str
    image: Image | None = None
    incomplete_details: IncompleteDetails | None = None
    input_transformations: list[InputTransformation] | None = None
    instructions: (
        str
        | list[
            EasyInputMessage
            | Message
            | ResponseOutputMessage
            | ResponseFileSearchToolCall
            | ResponseComputerToolCall
            | ComputerCallOutput
            | ResponseFunctionWebSearch
            | ResponseFunctionToolCall
            | FunctionCallOutput
            | ToolSearchCall
            | ResponseToolSearchOutputItemParam
            | ResponseInputItemAdditionalTools
            | ResponseConfigurationUpdateItemParam
            | ResponseReasoningItem
            | ResponseCompactionItemParam
            | ImageGenerationCall
            | ResponseCodeInterpreterToolCall
            | LocalShellCall
            | LocalShellCallOutput
            | ShellCall
            | ShellCallOutput
            | ApplyPatchCall
            | ApplyPatchCallOutput
            | McpListTools
            | McpApprovalRequest
            | ResponseInputItemMcpApprovalResponse
            | McpCall
            | ResponseCustomToolCallOutput
            | ResponseCustomToolCall
            | CompactionTrigger
            | ItemReference
            | Program
            | ProgramOutput
        ]
        | None
    ) = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    metadata: dict[str, str] | None = None
    model: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `o1-pro`, `o1-pro-2025-03-19`, `o3-pro`, `o3-pro-2025-06-10`, `o3-deep-research`, `o3-deep-research-2025-06-26`, `o4-mini-deep-research`, `o4-mini-deep-research-2025-06-26`, `computer-use-preview`, `computer-use-preview-2025-03-11`, `gpt-5.5-pro`, `gpt-5.5-pro-2026-04-23`, `gpt-5-codex`, `gpt-5-pro`, `gpt-5-pro-2025-10-06`, `gpt-5.1-codex-max`, `gpt-daybreak-blue-latest`, `gpt-daybreak-red-latest`, `gpt-5.6-cyber`, `gpt-6-cyber`, `gpt-rosalind-research`, `gpt-6-rosalind`, `gpt-6.2-astra-law`, `gpt-6-astra`, `gpt-6.2-astra`, `gpt-6.1-sol`, `gpt-6.2-sol`, `gpt-6.1-terra`, `gpt-6-sol`, `gpt-6-luna`, `gpt-5.6-sol`, `gpt-5.6-terra`, `gpt-5.6-luna`, `gpt-5.5`, `gpt-5.5-2026-04-23`, `gpt-5.4`, `gpt-5.4-mini`, `gpt-5.4-nano`, `gpt-5.4-mini-2026-03-17`, `gpt-5.4-nano-2026-03-17`, `gpt-5.3-chat-latest`, `gpt-5.2`, `gpt-5.2-2025-12-11`, `gpt-5.2-chat-latest`, `gpt-5.2-pro`, `gpt-5.2-pro-2025-12-11`, `gpt-5.1`, `gpt-5.1-2025-11-13`, `gpt-5.1-codex`, `gpt-5.1-mini`, `gpt-5.1-chat-latest`, `gpt-5`, `gpt-5-mini`, `gpt-5-nano`, `gpt-5-2025-08-07`, `gpt-5-mini-2025-08-07`, `gpt-5-nano-2025-08-07`, `gpt-5-chat-latest`, `gpt-4.1`, `gpt-4.1-mini`, `gpt-4.1-nano`, `gpt-4.1-2025-04-14`, `gpt-4.1-mini-2025-04-14`, `gpt-4.1-nano-2025-04-14`, `o4-mini`, `o4-mini-2025-04-16`, `o3`, `o3-2025-04-16`, `o3-mini`, `o3-mini-2025-01-31`, `o1`, `o1-2024-12-17`, `o1-preview`, `o1-preview-2024-09-12`, `o1-mini`, `o1-mini-2024-09-12`, `gpt-4o`, `gpt-4o-2024-11-20`, `gpt-4o-2024-08-06`, `gpt-4o-2024-05-13`, `gpt-audio-mini`, `gpt-audio-mini-2025-12-15`, `gpt-4o-audio-preview`, `gpt-4o-audio-preview-2024-10-01`, `gpt-4o-audio-preview-2024-12-17`, `gpt-4o-audio-preview-2025-06-03`, `gpt-4o-mini-audio-preview`, `gpt-4o-mini-audio-preview-2024-12-17`, `gpt-4o-search-preview`, `gpt-4o-mini-search-preview`, `gpt-4o-search-preview-2025-03-11`, `gpt-4o-mini-search-preview-2025-03-11`, `chatgpt-4o-latest`, `codex-mini-latest`, `gpt-4o-mini`, `gpt-4o-mini-2024-07-18`, `gpt-4-turbo`, `gpt-4-turbo-2024-04-09`, `gpt-4-0125-preview`, `gpt-4-turbo-preview`, `gpt-4-1106-preview`, `gpt-4-vision-preview`, `gpt-4`, `gpt-4-0314`, `gpt-4-0613`, `gpt-4-32k`, `gpt-4-32k-0314`, `gpt-4-32k-0613`, `gpt-3.5-turbo`, `gpt-3.5-turbo-16k`, `gpt-3.5-turbo-0301`, `gpt-3.5-turbo-0613`, `gpt-3.5-turbo-1106`, `gpt-3.5-turbo-0125`, `gpt-3.5-turbo-16k-0613`."
        ),
    ]
    moderation: Moderation | None = None
    object: Literal["response"]
    output: list[ResponseOutputItem]
    parallel_tool_calls: bool
    previous_response_id: str | None = None
    prompt: ResponsePrompt | None = None
    prompt_cache_diagnostics: ResponsePromptCacheDiagnostics | None = None
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
    status: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `completed`, `failed`, `in_progress`, `cancelled`, `queued`, `incomplete`."
        ),
    ] = None
    temperature: float | None = None
    text: ResponseTextConfig | None = None
    tool_choice: Annotated[
        ResponseToolChoice | str,
        Field(
            description="Known values (open set, widened to a string): `none`, `auto`, `required`."
        ),
    ]
    tool_usage: ToolUsage | None = None
    tools: list[ResponseToolsItem]
    top_logprobs: int | None = None
    top_p: float | None = None
    truncation: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `auto`, `disabled`."
        ),
    ] = None
    usage: ResponseUsage | None = None
    user: str | None = None


class ResponseCompletedEvent(BaseModel):
    """
    Emitted when the model response is complete.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    response: Response
    sequence_number: int
    type: Literal["response.completed"]


class ResponseCreatedEvent(BaseModel):
    """
    An event that is emitted when a response is created.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    response: Response
    sequence_number: int
    type: Literal["response.created"]


class ResponseFailedEvent(BaseModel):
    """
    An event that is emitted when a response fails.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    response: Response
    sequence_number: int
    type: Literal["response.failed"]


class ResponseInProgressEvent(BaseModel):
    """
    Emitted when the response is in progress.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    response: Response
    sequence_number: int
    type: Literal["response.in_progress"]


class ResponseIncompleteEvent(BaseModel):
    """
    An event that is emitted when a response finishes as incomplete.

    Over WebSocket, steering can finish a response with
    `response.incomplete_details.reason` set to `steered`, followed automatically
    by a successor `response.created` that commits the queued steering input.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    response: Response
    sequence_number: int
    type: Literal["response.incomplete"]


class ResponseQueuedEvent(BaseModel):
    """
    Emitted when a response is queued and waiting to be processed.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    response: Response
    sequence_number: int
    type: Literal["response.queued"]


ResponseStreamEventUnion = TypeAliasType(
    "ResponseStreamEventUnion",
    Annotated[
        ResponseAudioDeltaEvent
        | ResponseAudioDoneEvent
        | ResponseAudioTranscriptDeltaEvent
        | ResponseAudioTranscriptDoneEvent
        | ResponseCodeInterpreterCallCodeDeltaEvent
        | ResponseCodeInterpreterCallCodeDoneEvent
        | ResponseCodeInterpreterCallCompletedEvent
        | ResponseCodeInterpreterCallInProgressEvent
        | ResponseCodeInterpreterCallInterpretingEvent
        | ResponseCompactionCompactingEvent
        | ResponseCompletedEvent
        | ResponseContentPartAddedEvent
        | ResponseContentPartDoneEvent
        | ResponseCreatedEvent
        | ResponseErrorEvent
        | ResponseFileSearchCallCompletedEvent
        | ResponseFileSearchCallInProgressEvent
        | ResponseFileSearchCallSearchingEvent
        | ResponseFunctionCallArgumentsDeltaEvent
        | ResponseFunctionCallArgumentsDoneEvent
        | ResponseShellCallCommandAddedEvent
        | ResponseShellCallCommandDeltaEvent
        | ResponseShellCallCommandDoneEvent
        | ResponseShellCallOutputContentDeltaEvent
        | ResponseShellCallOutputContentDoneEvent
        | ResponseInProgressEvent
        | ResponseFailedEvent
        | ResponseIncompleteEvent
        | ResponseOutputItemAddedEvent
        | ResponseOutputItemDoneEvent
        | ResponseReasoningSummaryPartAddedEvent
        | ResponseReasoningSummaryPartDoneEvent
        | ResponseReasoningSummaryTextDeltaEvent
        | ResponseReasoningSummaryTextDoneEvent
        | ResponseReasoningTextDeltaEvent
        | ResponseReasoningTextDoneEvent
        | ResponseRefusalDeltaEvent
        | ResponseRefusalDoneEvent
        | ResponseTextDeltaEvent
        | ResponseTextDoneEvent
        | ResponseWebSearchCallCompletedEvent
        | ResponseWebSearchCallInProgressEvent
        | ResponseWebSearchCallSearchingEvent
        | ResponseImageGenCallCompletedEvent
        | ResponseImageGenCallGeneratingEvent
        | ResponseImageGenCallInProgressEvent
        | ResponseImageGenCallPartialImageEvent
        | ResponseMcpCallArgumentsDeltaEvent
        | ResponseMcpCallArgumentsDoneEvent
        | ResponseMcpCallCompletedEvent
        | ResponseMcpCallFailedEvent
        | ResponseMcpCallInProgressEvent
        | ResponseMcpListToolsCompletedEvent
        | ResponseMcpListToolsFailedEvent
        | ResponseMcpListToolsInProgressEvent
        | ResponseOutputTextAnnotationAddedEvent
        | ResponseQueuedEvent
        | ResponseCustomToolCallInputDeltaEvent
        | ResponseCustomToolCallInputDoneEvent,
        Field(discriminator="type"),
    ],
)


class ResponseStreamEvent(RootModel[ResponseStreamEventUnion]):
    """The ``ResponseStreamEvent`` union as a model, so callers can ``model_validate_json``.

    Added by codegen: datamodel-codegen emits a root union as a type alias.
    """

    model_config = ConfigDict(defer_build=True)

    root: ResponseStreamEventUnion
