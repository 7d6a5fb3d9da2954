"""The canonical request: what every frontend builds and every backend reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from lip.canonical.enums import ValueEnum
from lip.canonical.errors import InvalidRequestError
from lip.canonical.json import JSONObject, JSONValue
from lip.canonical.parts import CacheHint, Extensions, Part, fields_for, no_extensions

Role = Literal["system", "developer", "user", "assistant", "tool"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """One turn. ``system``/``developer`` turns are the call's instructions;
    backends whose protocol has a separate system field hoist them."""

    role: Role
    parts: tuple[Part, ...]
    name: str | None = None
    extensions: Extensions = field(default_factory=no_extensions)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tool:
    """A function the model may call; ``parameters`` is a JSON Schema object.

    ``hosted_by`` names the protocol of a provider-hosted tool (Anthropic's
    web search, Responses' file search): the provider runs it, its definition
    is in ``extensions[hosted_by]``, and only that protocol's backends can
    take the call — any other refuses it before the network."""

    name: str
    description: str | None = None
    parameters: JSONObject | None = None
    strict: bool | None = None
    cache: CacheHint | None = None
    hosted_by: str | None = None
    extensions: Extensions = field(default_factory=no_extensions)


def refuse_hosted_tools(tools: tuple[Tool, ...], protocol: str, upstream: str) -> None:
    """Raise the client's 400 for a provider-hosted tool ``protocol`` cannot run,
    before any network call."""
    for number, tool in enumerate(tools):
        if tool.hosted_by is not None and tool.hosted_by != protocol:
            raise InvalidRequestError(
                f"The tool '{tool.name}' is hosted by the {tool.hosted_by} provider;"
                f" {upstream} cannot run it.",
                param=f"tools[{number}]",
                code="unsupported_tool",
            )


class ToolChoiceMode(ValueEnum):
    AUTO = "auto"
    NONE = "none"
    REQUIRED = "required"
    NAMED = "named"


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolChoice:
    """``name`` is set exactly when ``mode`` is ``NAMED``."""

    mode: ToolChoiceMode
    name: str | None = None

    def __post_init__(self) -> None:
        if (self.mode is ToolChoiceMode.NAMED) != bool(self.name):
            raise ValueError("a tool choice names a tool exactly when its mode is 'named'")


class ResponseFormatKind(ValueEnum):
    TEXT = "text"
    JSON_OBJECT = "json_object"
    JSON_SCHEMA = "json_schema"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseFormat:
    kind: ResponseFormatKind
    name: str | None = None
    schema: JSONObject | None = None
    description: str | None = None
    strict: bool | None = None

    def __post_init__(self) -> None:
        if self.kind is not ResponseFormatKind.JSON_SCHEMA and (
            self.schema is not None or self.name is not None
        ):
            raise ValueError("only a json_schema response format has a name and a schema")


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """Sampling and output controls; ``None`` means "not set, use the upstream default"."""

    max_output_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    response_format: ResponseFormat | None = None
    reasoning_effort: str | None = None
    reasoning_budget_tokens: int | None = None
    parallel_tool_calls: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """One client request in protocol-neutral form.

    ``model`` is what the client asked for; ``route`` is an explicit selector
    (``X-LIP-Route``) that takes precedence. ``extensions`` carries, keyed by
    protocol name, vendor fields that have no canonical meaning, so a backend
    of the same protocol can send them on instead of dropping them. How the
    client wants the reply framed (e.g. OpenAI's ``stream_options``) is not
    part of the call: it belongs to the frontend that decoded it.
    """

    id: str
    protocol: str
    model: str
    messages: tuple[Message, ...]
    route: str | None = None
    tools: tuple[Tool, ...] = ()
    tool_choice: ToolChoice | None = None
    options: Options = field(default_factory=Options)
    stream: bool = False
    user: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    previous_response_id: str | None = None
    extensions: Extensions = field(default_factory=no_extensions)

    def extension(self, protocol: str) -> Mapping[str, JSONValue]:
        """Vendor fields carried for ``protocol`` (empty when none)."""
        return fields_for(self.extensions, protocol)


__all__ = [
    "Call",
    "Message",
    "Options",
    "ResponseFormat",
    "ResponseFormatKind",
    "Role",
    "Tool",
    "ToolChoice",
    "ToolChoiceMode",
    "refuse_hosted_tools",
]
