"""A protocol-neutral plan of what an emulated upstream answers, to the chunk.

Parity scenarios (``testdata/scenarios``) say what the upstream does in these
terms; each emulator renders a :class:`Plan` on its own wire (OpenAI Chat
deltas, Anthropic content blocks, Responses output items, Gemini parts).
A plan arrives in a :class:`refbackends.scripting.Script` (``plan`` field),
next to the script's HTTP-level controls (``status``, ``retry_after``,
``delay_ms``, ``chunk_delay_ms``).

Blocks are answered in order. A streamed reply sends each listed piece as
its own delta, so a scenario decides exactly where text and tool-call
arguments are split; a unary reply joins them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Plan", "PlanBlock", "PlanFailure", "PlanUsage", "PlannedCall"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlannedCall(_Frozen):
    """A function call; ``arguments`` are the streamed fragments of its JSON text."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    arguments: tuple[str, ...] = ()

    @property
    def joined(self) -> str:
        return "".join(self.arguments)


class PlanBlock(_Frozen):
    """Exactly one of ``text``, ``reasoning``, ``refusal`` or ``tool_call``.

    ``signature`` goes with ``reasoning``: opaque state a protocol that
    carries it (Anthropic, Responses, Gemini) attaches to the reasoning;
    OpenAI Chat has no field for it and leaves it out.
    """

    text: tuple[str, ...] | None = None
    reasoning: tuple[str, ...] | None = None
    signature: str | None = None
    refusal: tuple[str, ...] | None = None
    tool_call: PlannedCall | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> PlanBlock:
        # ``is not None``: an empty piece list still names its kind, so
        # ``{"text": [], "reasoning": ["x"]}`` is two kinds, not one.
        kinds = [
            k for k in ("text", "reasoning", "refusal", "tool_call") if getattr(self, k) is not None
        ]
        if len(kinds) != 1:
            raise ValueError("a block is exactly one of text, reasoning, refusal, tool_call")
        if self.signature is not None and self.reasoning is None:
            raise ValueError("only a reasoning block has a signature")
        return self


class PlanUsage(_Frozen):
    """Token counts as the upstream reports them (``input`` includes ``cached``)."""

    input: int = Field(ge=0)
    output: int = Field(ge=0)
    cached: int | None = Field(default=None, ge=0)
    reasoning: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _parts_within_totals(self) -> PlanUsage:
        # Each protocol derives its own fields from these (Anthropic's
        # uncached input = input - cached), so a part may not exceed its total.
        if self.cached is not None and self.cached > self.input:
            raise ValueError("usage.cached is more than usage.input")
        if self.reasoning is not None and self.reasoning > self.output:
            raise ValueError("usage.reasoning is more than usage.output")
        return self


class PlanFailure(_Frozen):
    """How a stream ends badly after ``after_blocks`` whole blocks.

    ``error``: an in-stream error event of ``kind``; ``cut``: the connection
    drops with no terminal event at all.
    """

    after_blocks: int = Field(ge=0)
    mode: Literal["error", "cut"] = "error"
    kind: Literal["rate_limited", "overloaded", "server_error"] = "server_error"


class Plan(_Frozen):
    """The whole answer. ``finish`` uses the canonical names; each emulator
    maps them to its protocol's (Chat ``stop``/``length``/``tool_calls``/
    ``content_filter``; ``refusal`` is Chat's ``stop``)."""

    blocks: tuple[PlanBlock, ...] = ()
    usage: PlanUsage | None = None
    finish: Literal["stop", "length", "tool_calls", "content_filter", "refusal"] = "stop"
    failure: PlanFailure | None = None
    """Streams only; a unary reply to a plan with a failure is a 500."""

    @model_validator(mode="after")
    def _failure_in_range(self) -> Plan:
        if self.failure is not None and self.failure.after_blocks > len(self.blocks):
            raise ValueError("failure.after_blocks is past the last block")
        return self
