"""Gemini replies from an upstream -> canonical events (unary and streamed).

Parts of the first candidate become blocks: consecutive ``text`` parts one
text block, ``thought: true`` parts one reasoning block, each
``functionCall`` a whole tool-call block (Gemini never splits a call; one
without an ``id`` gets ``call_<response id>_<n>``). A ``thoughtSignature`` is
provider state of this protocol on the block it came with. The chunk with a
``finishReason`` ends the response: ``MAX_TOKENS`` is length, the safety
family a content filter, ``STOP`` after function calls tool calls. An
``{"error": ...}`` object in the stream is an in-stream error; a reply with
no candidate and a ``promptFeedback.blockReason`` (the prompt was blocked)
ends as a content filter. A reply off the API's shape is an upstream error.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from pydantic import ValidationError

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Event,
    FinishReason,
    ProviderState,
    ProviderStateDelta,
    ReasoningDelta,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    UpstreamError,
    Usage,
    UsageEvent,
)
from lip.protocols.base import StreamDecoder
from lip.protocols.gemini.carry import PROTOCOL
from lip.protocols.gemini.errors import decode_stream_error
from lip.protocols.gemini.shape import is_plain
from lip.sse import SSEEvent
from lip_wire.gemini.generate_content_response import GenerateContentResponse

__all__ = ["GeminiStreamDecoder", "decode_count", "decode_response"]

_FILTERED = frozenset(
    {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
     "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION"}
)  # fmt: skip


def _json(data: bytes | str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        raise UpstreamError("the upstream sent a reply that is not JSON") from None
    if not isinstance(value, dict):
        raise UpstreamError("the upstream sent a reply that is not a JSON object")
    return value


def _reply(data: bytes | str) -> dict[str, Any]:
    """A ``GenerateContentResponse`` (or an in-stream error) as JSON."""
    value = _json(data)
    if "error" not in value and not is_plain(data):
        try:  # the shape this module reads; unknown fields are fine
            GenerateContentResponse.model_validate(value, strict=True)
        except ValidationError:
            raise UpstreamError("the upstream sent a malformed reply") from None
    return value


def _usage(raw: Any) -> Usage | None:
    if not isinstance(raw, dict):
        return None
    thoughts = raw.get("thoughtsTokenCount") or 0
    return Usage(
        input_tokens=raw.get("promptTokenCount"),
        output_tokens=(raw.get("candidatesTokenCount") or 0) + thoughts,
        cached_input_tokens=raw.get("cachedContentTokenCount"),
        reasoning_tokens=thoughts or None,
    )


def _finish(reason: str, called: bool) -> FinishReason:
    if reason == "MAX_TOKENS":
        return FinishReason.LENGTH
    if reason in _FILTERED:
        return FinishReason.CONTENT_FILTER
    if reason in ("STOP", "FINISH_REASON_UNSPECIFIED"):
        return FinishReason.TOOL_CALLS if called else FinishReason.STOP
    return FinishReason.OTHER


def _state(part: dict[str, Any]) -> ProviderState | None:
    signature = part.get("thoughtSignature")
    return ProviderState(origin=PROTOCOL, signature=signature) if signature else None


class _Blocks:
    """Parts, chunk after chunk, as one well-formed block sequence."""

    def __init__(self) -> None:
        self.next = 0
        self.open: tuple[int, BlockKind] | None = None
        self.calls = 0
        self.started = False
        self.finished = False
        self.usage: Usage | None = None
        self.ident = ""

    def close(self) -> list[Event]:
        if self.open is None:
            return []
        index, _ = self.open
        self.open = None
        return [BlockFinished(index=index)]

    def _begin(self, kind: BlockKind, **fields: Any) -> list[Event]:
        out = self.close()
        self.open = (self.next, kind)
        self.next += 1
        return [*out, BlockStarted(index=self.open[0], kind=kind, **fields)]

    def part(self, part: dict[str, Any]) -> list[Event]:
        state = _state(part)
        call = part.get("functionCall")
        if isinstance(call, dict):
            self.calls += 1
            ident = call.get("id") or f"call_{self.ident}_{self.calls}"
            started = self._begin(
                BlockKind.TOOL_CALL, id=ident, name=call.get("name", ""), state=state
            )
            arguments = json.dumps(call.get("args") or {}, separators=(",", ":"))
            delta = ToolCallDelta(index=self.next - 1, arguments=arguments)
            return [*started, delta, *self.close()]
        if "text" not in part or not (part["text"] or state is not None):
            return []  # an empty text part (streams end with one) says nothing
        kind = BlockKind.REASONING if part.get("thought") else BlockKind.TEXT
        out: list[Event] = []
        if self.open is None or self.open[1] is not kind:
            out = self._begin(kind)
        index = self.next - 1
        text = str(part.get("text") or "")
        if text:
            out.append(
                ReasoningDelta(index=index, text=text)
                if kind is BlockKind.REASONING
                else TextDelta(index=index, text=text)
            )
        if state is not None:
            out.append(ProviderStateDelta(index=index, state=state))
        return out

    def chunk(self, body: dict[str, Any]) -> list[Event]:
        if "error" in body:
            self.finished = True
            return [decode_stream_error(body["error"])]
        out: list[Event] = []
        if not self.started:
            self.started = True
            self.ident = str(body.get("responseId") or os.urandom(8).hex())
            out.append(
                ResponseStarted(
                    id=self.ident,
                    model=str(body.get("modelVersion") or ""),
                    created=int(time.time()),
                )
            )
        candidates = body.get("candidates") or [{}]
        candidate = candidates[0] if isinstance(candidates[0], dict) else {}
        for part in (candidate.get("content") or {}).get("parts") or ():
            if isinstance(part, dict):
                out += self.part(part)
        usage = _usage(body.get("usageMetadata"))
        if usage is not None:
            self.usage = usage
        reason = candidate.get("finishReason")
        blocked = (body.get("promptFeedback") or {}).get("blockReason")
        if reason is None and not body.get("candidates") and blocked is not None:
            reason = "SAFETY"  # the prompt was blocked: no candidate at all
        if isinstance(reason, str):
            self.finished = True
            out += self.close()
            if self.usage is not None:
                out.append(UsageEvent(usage=self.usage))
            out.append(ResponseFinished(finish_reason=_finish(reason, self.calls > 0)))
        return out


def decode_response(body: bytes) -> list[Event]:
    blocks = _Blocks()
    events = blocks.chunk(_reply(body))
    if not blocks.finished:
        events += blocks.close()
        if blocks.usage is not None:
            events.append(UsageEvent(usage=blocks.usage))
        events.append(ResponseFinished(finish_reason=_finish("STOP", blocks.calls > 0)))
    return events


def decode_count(body: bytes) -> int:
    tokens = _json(body).get("totalTokens")
    if not isinstance(tokens, int):
        raise UpstreamError("the upstream's token count has no totalTokens")
    return tokens


class GeminiStreamDecoder(StreamDecoder):
    """``alt=sse`` frames, each a ``GenerateContentResponse`` chunk."""

    def __init__(self) -> None:
        self._blocks = _Blocks()

    def feed(self, frame: SSEEvent) -> list[Event]:
        if self._blocks.finished or not frame.data.strip():
            return []
        return self._blocks.chunk(_reply(frame.data))

    def close(self) -> list[Event]:
        if not self._blocks.finished:
            raise UpstreamError("the upstream's stream ended before the response did")
        return []
