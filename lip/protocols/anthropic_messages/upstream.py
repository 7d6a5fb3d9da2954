"""Anthropic Messages replies -> canonical events (the backend codec's decode half).

Content blocks map one to one onto canonical blocks: ``text`` (with its
citations), ``thinking`` (reasoning whose signature is provider state of
this protocol), ``redacted_thinking`` (redacted reasoning, its ``data`` the
encrypted state) and ``tool_use`` (a tool call whose ``input`` object, or
streamed ``partial_json``, is the arguments text). Server-tool blocks
(``server_tool_use``, ``web_search_tool_result``...) have no canonical form:
they are carried as reply extensions for an Anthropic client and reported
as a warning. Usage: Anthropic counts cached input apart; canonical input
includes it.
"""

from __future__ import annotations

import json
import time

from pydantic import BaseModel, ValidationError

from lip.canonical import (
    BlockKind,
    BlockTracker,
    Citation,
    Event,
    FinishReason,
    JSONValue,
    ProviderState,
    ReplyExtensions,
    ResponseFinished,
    ResponseStarted,
    UpstreamError,
    Usage,
    UsageEvent,
    WarningEvent,
)
from lip.protocols.anthropic_messages.carry import PROTOCOL, carried, wrap
from lip.protocols.anthropic_messages.deltas import DeltaKind, read_delta
from lip.protocols.anthropic_messages.errors import decode_stream_error
from lip.protocols.base import StreamDecoder
from lip.sse import SSEEvent
from lip_wire.anthropic import message as unary
from lip_wire.anthropic import message_stream_event as streamed

FINISH: dict[str, FinishReason] = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "max_tokens": FinishReason.LENGTH,
    "model_context_window_exceeded": FinishReason.LENGTH,
    "tool_use": FinishReason.TOOL_CALLS,
    "pause_turn": FinishReason.PAUSE,
    "refusal": FinishReason.REFUSAL,
}

_MESSAGE_TOP = frozenset(
    {"id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"}
)
_USAGE = frozenset(
    {
        "input_tokens",
        "output_tokens",
        "cache_read_input_tokens",
        "cache_creation_input_tokens",
        "output_tokens_details",
    }
)
_DELTA = frozenset({"stop_reason", "stop_sequence"})
_SERVER_BLOCKS = "server_blocks"
"""Reply extension key: server-tool blocks, as the upstream sent them."""


def usage_of(raw: BaseModel) -> tuple[Usage, dict[str, JSONValue]]:
    """Canonical usage (input including cached input) and the carried rest."""
    read = getattr(raw, "cache_read_input_tokens", None)
    created = getattr(raw, "cache_creation_input_tokens", None)
    fresh = getattr(raw, "input_tokens", None)
    total_in = None if fresh is None else fresh + (read or 0) + (created or 0)
    details = getattr(raw, "output_tokens_details", None)
    usage = Usage(
        input_tokens=total_in,
        output_tokens=getattr(raw, "output_tokens", None),
        cached_input_tokens=read,
        cache_creation_input_tokens=created,
        reasoning_tokens=getattr(details, "thinking_tokens", None),
    )
    return usage, carried(raw, _USAGE)


_URL_FIELDS = frozenset({"url", "title", "cited_text"})
_DOCUMENT_FIELDS = frozenset({"document_title", "cited_text", "document_index"})


def _citation(raw: BaseModel) -> Citation:
    data = raw.model_dump(mode="json", exclude_none=True)
    kind = data.get("type", "")
    if kind == "web_search_result_location":
        return Citation(
            kind="url",
            url=data.get("url"),
            title=data.get("title"),
            cited_text=data.get("cited_text"),
            extensions=wrap({k: v for k, v in data.items() if k not in _URL_FIELDS}),
        )
    return Citation(
        kind="document",
        title=data.get("document_title"),
        cited_text=data.get("cited_text"),
        document_index=data.get("document_index"),
        extensions=wrap({k: v for k, v in data.items() if k not in _DOCUMENT_FIELDS}),
    )


class _Blocks:
    """Anthropic content blocks (by their index) onto the canonical tracker;
    server-tool blocks are set aside whole (their deltas and stops skipped)."""

    def __init__(self) -> None:
        self.tracker = BlockTracker(PROTOCOL)
        self.server: list[JSONValue] = []
        self._server_indexes: set[int] = set()

    def start(self, index: int, block: BaseModel, out: list[Event]) -> None:
        tracker = self.tracker
        match block:
            case unary.TextBlock() | streamed.TextBlock():
                tracker.open(index, BlockKind.TEXT, out, extensions=wrap(carried(block, _TEXT)))
                if block.text:
                    tracker.text(index, block.text, out)
                for citation in block.citations or ():
                    tracker.citation(index, _citation(citation), out)
            case unary.ThinkingBlock() | streamed.ThinkingBlock():
                state = ProviderState(origin=PROTOCOL, signature=block.signature or None)
                tracker.open(index, BlockKind.REASONING, out, state=state)
                if block.thinking:
                    tracker.reasoning(index, block.thinking, out)
            case unary.RedactedThinkingBlock() | streamed.RedactedThinkingBlock():
                state = ProviderState(origin=PROTOCOL, encrypted=block.data)
                tracker.open(index, BlockKind.REASONING, out, state=state, redacted=True)
            case unary.ToolUseBlock() | streamed.ToolUseBlock():
                extensions = wrap(carried(block, _TOOL_USE))
                tracker.tool_call(index, block.id, block.name, out, extensions=extensions)
                # A unary block's input is the whole call, ``{}`` included; a
                # streamed block opens with ``{}`` and its input follows as deltas.
                if block.input or isinstance(block, unary.ToolUseBlock):
                    tracker.arguments(index, json.dumps(block.input, separators=(",", ":")), out)
            case _:
                kind = getattr(block, "type", "?")
                self._server_indexes.add(index)
                self.server.append(block.model_dump(mode="json", exclude_unset=True))
                out.append(WarningEvent(message=f"a {kind} block is only carried to Anthropic"))

    def is_server(self, index: int) -> bool:
        return index in self._server_indexes

    def finish(self, index: int, out: list[Event]) -> None:
        if index not in self._server_indexes:
            self.tracker.finish(index, out)


_TEXT = frozenset({"type", "text", "citations"})
_TOOL_USE = frozenset({"type", "id", "name", "input"})


def decode_response(body: bytes) -> list[Event]:
    """A unary ``message`` as a complete event sequence."""
    try:
        message = unary.Message.model_validate_json(body)
    except ValidationError:
        raise UpstreamError("the upstream sent a malformed message") from None
    events: list[Event] = [
        ResponseStarted(id=message.id, model=message.model, created=int(time.time()))
    ]
    blocks = _Blocks()
    for index, block in enumerate(message.content):
        blocks.start(index, block, events)
        blocks.finish(index, events)
    usage, usage_extra = usage_of(message.usage)
    events.append(UsageEvent(usage=usage))
    fields = carried(message, _MESSAGE_TOP)
    if usage_extra:
        fields["usage"] = usage_extra
    if blocks.server:
        fields[_SERVER_BLOCKS] = blocks.server
    if fields:
        events.append(ReplyExtensions(extensions=wrap(fields)))
    events.append(
        ResponseFinished(
            finish_reason=FINISH.get(message.stop_reason or "end_turn", FinishReason.OTHER),
            stop_sequence=message.stop_sequence,
        )
    )
    return events


class AnthropicStreamDecoder(StreamDecoder):
    """Anthropic stream events (recognised by their JSON ``type``) -> events."""

    def __init__(self) -> None:
        self._blocks = _Blocks()
        self._started = False
        self._finish: FinishReason | None = None
        self._stop_sequence: str | None = None
        self._usage: Usage | None = None
        self._extra: dict[str, JSONValue] = {}
        self._done = False

    def feed(self, frame: SSEEvent) -> list[Event]:
        data = frame.data
        if self._done or not data:
            return []
        fast = read_delta(data)  # the per-token event, without the wire model
        if fast is not None:
            index, kind, text = fast
            self._require_start()
            out: list[Event] = []
            if not self._blocks.is_server(index):
                self._fragment(index, kind, text, out)
            return out
        try:
            event = streamed.MessageStreamEvent.model_validate_json(data).root
        except ValidationError:
            error = decode_stream_error(data)
            if error is None:
                raise UpstreamError("the upstream sent a malformed stream event") from None
            self._done = True
            return [error]
        out = []
        match event:
            case streamed.RawMessageStartEvent(message=message):
                if self._started:
                    raise UpstreamError("the upstream sent message_start twice")
                self._started = True
                started = ResponseStarted(
                    id=message.id, model=message.model, created=int(time.time())
                )
                out.append(started)
                self._usage, extra = usage_of(message.usage)
                if self._usage.input_tokens is not None:
                    # Reported before any output: the client's message_start says it too.
                    out.append(UsageEvent(usage=self._usage))
                fields = carried(message, _MESSAGE_TOP)
                if extra:
                    fields["usage"] = extra
                self._extra.update(fields)
            case streamed.RawContentBlockStartEvent(index=index, content_block=block):
                self._require_start()
                self._blocks.start(index, block, out)
            case streamed.RawContentBlockDeltaEvent(index=index, delta=delta):
                self._require_start()
                if not self._blocks.is_server(index):
                    self._delta(index, delta, out)
            case streamed.RawContentBlockStopEvent(index=index):
                self._blocks.finish(index, out)
            case streamed.RawMessageDeltaEvent(delta=delta, usage=usage):
                self._require_start()
                if delta.stop_reason is not None:
                    self._finish = FINISH.get(delta.stop_reason, FinishReason.OTHER)
                self._stop_sequence = delta.stop_sequence
                self._extra.update(carried(delta, _DELTA))  # stop_details, container, ...
                later, extra = usage_of(usage)
                self._usage = later if self._usage is None else self._usage.merged(later)
                if extra:
                    self._extra["usage"] = extra
            case streamed.RawMessageStopEvent():
                self._done = True
                out.extend(self._close())
            case streamed.PingEvent():
                pass
            case streamed.ErrorEvent():
                self._done = True
                error = decode_stream_error(data)
                if error is not None:
                    out.append(error)
        return out

    def _require_start(self) -> None:
        if not self._started:
            raise UpstreamError("the upstream sent content before message_start")

    def _delta(self, index: int, delta: BaseModel, out: list[Event]) -> None:
        tracker = self._blocks.tracker
        match delta:
            case streamed.TextDelta(text=text):
                self._fragment(index, "text", text, out)
            case streamed.InputJSONDelta(partial_json=fragment):
                self._fragment(index, "json", fragment, out)
            case streamed.ThinkingDelta(thinking=text):
                self._fragment(index, "thinking", text, out)
            case streamed.SignatureDelta(signature=signature):
                tracker.state(index, ProviderState(origin=PROTOCOL, signature=signature), out)
            case streamed.CitationsDelta(citation=citation):
                tracker.citation(index, _citation(citation), out)
            case _:
                kind = getattr(delta, "type", "?")
                raise UpstreamError(f"the upstream sent an unknown {kind!r} delta")

    def _fragment(self, index: int, kind: DeltaKind, text: str, out: list[Event]) -> None:
        tracker = self._blocks.tracker
        if kind == "text":
            tracker.text(index, text, out)
        elif kind == "json":
            if text:
                tracker.arguments(index, text, out)
        else:
            tracker.reasoning(index, text, out)

    def _close(self) -> list[Event]:
        out: list[Event] = []
        blocks = self._blocks
        blocks.tracker.finish_all(out)
        if self._usage is not None:
            out.append(UsageEvent(usage=self._usage))
        if blocks.server:
            self._extra[_SERVER_BLOCKS] = blocks.server
        if self._extra:
            out.append(ReplyExtensions(extensions=wrap(self._extra)))
        out.append(
            ResponseFinished(
                finish_reason=self._finish or FinishReason.STOP, stop_sequence=self._stop_sequence
            )
        )
        return out

    def close(self) -> list[Event]:
        """End of the upstream body: after ``message_stop`` nothing; else the cut."""
        if not self._done:
            raise UpstreamError("the upstream stream ended before message_stop")
        return []


__all__ = ["FINISH", "AnthropicStreamDecoder", "decode_response", "usage_of"]
