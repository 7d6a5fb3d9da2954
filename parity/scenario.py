"""Parity scenarios: protocol-neutral data (``testdata/scenarios/*.yaml``).

A scenario says what the client asks (:class:`RequestSpec`, rendered per
frontend protocol by :mod:`parity.render`) and what the upstream does (a
:class:`refbackends.plan.Plan`, or an HTTP error before any output, rendered
per backend protocol by that protocol's emulator), and what the client must
see (:class:`Expect`). One scenario serves every (frontend, backend) pair: a
protocol adds a renderer, an SDK driver and an emulator, not scenarios.

The local stub backend answers from its input, not from a plan; a scenario
says what the stub answers (``localstub.expect``) or why it cannot express
the scenario (``localstub.unsupported``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from refbackends.plan import Plan

__all__ = [
    "MODES",
    "ContentSpec",
    "Expect",
    "ExpectedCall",
    "ExpectedError",
    "ExpectedUsage",
    "MessageSpec",
    "Mode",
    "RequestSpec",
    "Scenario",
    "StubSpec",
    "ToolSpec",
    "UpstreamError",
    "load_scenarios",
]

Mode = Literal["unary", "stream", "stream_helper"]
MODES: tuple[Mode, ...] = ("unary", "stream", "stream_helper")
"""Unary; a stream read delta by delta; a stream folded by the SDK's own helper."""


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ContentSpec(_Data):
    """One content part: text, or an image by URL (``data:`` URLs included)."""

    text: str | None = None
    image_url: str | None = None
    detail: Literal["auto", "low", "high"] | None = None

    @model_validator(mode="after")
    def _one(self) -> ContentSpec:
        if (self.text is None) == (self.image_url is None):
            raise ValueError("a content part is text or image_url")
        return self


class CallSpec(_Data):
    id: str
    name: str
    arguments: str


class MessageSpec(_Data):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | tuple[ContentSpec, ...] | None = None
    tool_calls: tuple[CallSpec, ...] = ()
    tool_call_id: str | None = None
    """For ``tool`` messages: the call answered."""
    reasoning: str | None = None
    """For ``assistant`` messages: the reasoning shown before the answer, sent back."""
    signature: str | None = None
    """That reasoning's opaque state as the upstream gave it (an Anthropic
    signature, Responses ``encrypted_content``)."""

    @model_validator(mode="after")
    def _reasoning_is_the_assistants(self) -> MessageSpec:
        if (self.reasoning is not None or self.signature is not None) and self.role != "assistant":
            raise ValueError("only an assistant message carries reasoning")
        if self.signature is not None and self.reasoning is None:
            raise ValueError("a signature goes with reasoning")
        return self


class ToolSpec(_Data):
    name: str
    description: str | None = None
    parameters: dict[str, object] = Field(default_factory=lambda: dict[str, object](type="object"))
    strict: bool | None = None


class ResponseFormatSpec(_Data):
    type: Literal["text", "json_object", "json_schema"]
    name: str | None = None
    schema_: dict[str, object] | None = Field(default=None, alias="schema")
    strict: bool | None = None


class RequestSpec(_Data):
    """What the client asks, in neutral terms, or a real client's recorded request."""

    messages: tuple[MessageSpec, ...] = ()
    recorded: str | None = None
    """A recording under ``testdata/clients/`` (:mod:`parity.recorded`), sent as
    it was by a client of its protocol; the other fields are then unused."""
    tools: tuple[ToolSpec, ...] = ()
    tool_choice: Literal["auto", "none", "required"] | dict[str, str] | None = None
    """A string mode, or ``{name: <tool>}`` for a named tool."""
    max_output_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    response_format: ResponseFormatSpec | None = None
    parallel_tool_calls: bool | None = None
    choices: int | None = Field(default=None, ge=1)
    """How many alternative replies the client asks for (Chat ``n``, Gemini
    ``candidateCount``)."""
    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None
    reasoning_state: bool = False
    """The client asks for the reply's opaque reasoning state (Responses
    ``include: ["reasoning.encrypted_content"]``; Anthropic always sends it)."""
    user: str | None = None
    metadata: dict[str, str] | None = None
    include_usage: bool = True
    """Streams ask for usage (Chat ``stream_options.include_usage``)."""
    extra: dict[str, object] = Field(default_factory=dict)
    """Raw fields a renderer adds as they are (e.g. to send something invalid)."""
    pad_to_bytes: int | None = None
    """Grow the last message's text so the body is at least this large."""

    @model_validator(mode="after")
    def _asks(self) -> RequestSpec:
        if (not self.messages) == (self.recorded is None):
            raise ValueError("a request gives either messages or a recording")
        return self


class UpstreamError(_Data):
    """The upstream answers an HTTP error before any output."""

    status: int = Field(ge=400, le=599)
    retry_after: int | None = None


class ExpectedCall(_Data):
    name: str
    arguments: dict[str, object]
    id: str | None = None


class ExpectedUsage(_Data):
    input: int | None = None
    output: int | None = None
    cached: int | None = None
    reasoning: int | None = None


class ExpectedError(_Data):
    """A failure the client sees: ``status`` for an HTTP error reply; ``kind``
    (the canonical error kind) for both HTTP and in-stream errors. Statuses
    are OpenAI Chat's; with a ``kind``, each frontend is held to its own
    status and error type for that kind (:mod:`parity.observation`)."""

    status: int | None = None
    kind: (
        Literal[
            "invalid_request",
            "not_found",
            "request_too_large",
            "rate_limited",
            "overloaded",
            "timeout",
            "upstream_error",
            "internal",
        ]
        | None
    ) = None
    in_stream: bool = False


class Expect(_Data):
    """What the client must see; fields left out are not checked."""

    text: str | None = None
    text_startswith: str | None = None
    reasoning: str | None = None
    refusal: str | None = None
    tool_calls: tuple[ExpectedCall, ...] | None = None
    finish: Literal["stop", "length", "tool_calls", "content_filter"] | None = None
    """OpenAI Chat's names; each frontend is held to its own (Anthropic's
    ``end_turn`` / ``stop_sequence``, ``max_tokens``, ``tool_use``, ``refusal``)."""
    usage: ExpectedUsage | None = None
    error: ExpectedError | None = None
    json_text: bool = False
    """The text parses as JSON (structured output)."""


class StubSpec(_Data):
    expect: Expect | None = None
    unsupported: str | None = None

    @model_validator(mode="after")
    def _one(self) -> StubSpec:
        if (self.expect is None) == (self.unsupported is None):
            raise ValueError("localstub: give either expect or unsupported")
        return self


class Scenario(_Data):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    request: RequestSpec
    upstream: Plan | None = None
    upstream_error: UpstreamError | None = None
    upstream_delay_ms: int = Field(default=0, ge=0, le=10_000)
    """The upstream waits this long before its first byte."""
    modes: tuple[Mode, ...] = MODES
    expect: Expect
    expect_by_mode: dict[Mode, Expect] = Field(default_factory=dict)
    """Replaces ``expect`` for a mode: a stream failure has no unary form, and an
    SDK's stream helper may fold what it does not know differently."""
    rejected_before_network: bool = False
    """LIP answers a 4xx itself; the upstream must see nothing."""
    localstub: StubSpec = Field(
        default_factory=lambda: StubSpec(unsupported="the stub answers from its input only")
    )

    def expect_for(self, mode: Mode) -> Expect:
        return self.expect_by_mode.get(mode, self.expect)


def load_scenarios(directory: Path) -> tuple[Scenario, ...]:
    """Every ``*.yaml`` in ``directory``, sorted by id; ids must match file names."""
    scenarios = []
    for path in sorted(directory.glob("*.yaml")):
        scenario = Scenario.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        if scenario.id != path.stem:
            raise ValueError(f"{path}: id {scenario.id!r} does not match the file name")
        scenarios.append(scenario)
    return tuple(scenarios)
