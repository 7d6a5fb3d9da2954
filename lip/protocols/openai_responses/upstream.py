"""OpenAI Responses replies from an upstream -> canonical events (unary and streamed).

Output items become blocks: each ``output_text`` / ``refusal`` part of a
message a text / refusal block, a ``reasoning`` item a reasoning block (its
summaries as summary deltas, ``reasoning_text`` as text, its id and
``encrypted_content`` as provider state of this protocol), a
``function_call`` item a tool-call block (``call_id`` as the call id, the
``fc_`` item id as provider state). Items with no canonical meaning (hosted
tool calls) are reported in a warning. ``incomplete`` with
``max_output_tokens`` is finish reason ``length``.
"""

from __future__ import annotations

import json
from typing import Any

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    ProviderState,
    ProviderStateDelta,
    ReasoningDelta,
    RefusalDelta,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    UpstreamError,
    Usage,
    UsageEvent,
    WarningEvent,
)
from lip.protocols.base import StreamDecoder
from lip.protocols.openai_chat.errors import decode_stream_error
from lip.protocols.openai_responses.carry import PROTOCOL, flat_name
from lip.sse import SSEEvent

__all__ = ["ResponsesStreamDecoder", "decode_count", "decode_response"]


def _json(data: bytes | str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        raise UpstreamError("the upstream sent a reply that is not JSON") from None
    if not isinstance(value, dict):
        raise UpstreamError("the upstream sent a reply that is not a JSON object")
    return value


def _usage(raw: Any) -> Usage | None:
    if not isinstance(raw, dict):
        return None
    details = raw.get("input_tokens_details") or {}
    cached, written = details.get("cached_tokens"), details.get("cache_write_tokens")
    reasoning = (raw.get("output_tokens_details") or {}).get("reasoning_tokens")
    return Usage(
        input_tokens=raw.get("input_tokens"),
        output_tokens=raw.get("output_tokens"),
        cached_input_tokens=cached,
        cache_creation_input_tokens=written or None,
        reasoning_tokens=reasoning,
    )


def _finish(response: dict[str, Any], called: bool) -> FinishReason:
    details = response.get("incomplete_details") or {}
    if response.get("status") == "incomplete":
        reason = details.get("reason")
        return FinishReason.CONTENT_FILTER if reason == "content_filter" else FinishReason.LENGTH
    return FinishReason.TOOL_CALLS if called else FinishReason.STOP


def _failure(error: Any) -> ErrorEvent:
    fields = error if isinstance(error, dict) else {}
    code = fields.get("code") or fields.get("type") or "server_error"
    body = json.dumps({"error": {"type": code, "code": code, "message": ""}})
    found = decode_stream_error(body)
    return found or ErrorEvent(kind=ErrorKind.UPSTREAM_ERROR, message="the upstream failed")


def _name(item: dict[str, Any]) -> str:
    """A called function's name; a namespaced one as other protocols know it."""
    name, namespace = str(item.get("name", "")), item.get("namespace")
    return flat_name(namespace, name) if isinstance(namespace, str) else name


def _state(item: dict[str, Any]) -> ProviderState:
    return ProviderState(
        origin=PROTOCOL, item_id=item.get("id"), encrypted=item.get("encrypted_content")
    )


def _item_events(item: dict[str, Any], index: int) -> tuple[list[Event], int]:
    """A whole output item as blocks; the next free block index."""
    kind = item.get("type")
    events: list[Event] = []
    if kind == "message":
        for part in item.get("content") or ():
            if part.get("type") == "refusal":
                events += [
                    BlockStarted(index=index, kind=BlockKind.REFUSAL),
                    RefusalDelta(index=index, text=part.get("refusal", "")),
                ]
            else:
                events += [
                    BlockStarted(index=index, kind=BlockKind.TEXT),
                    TextDelta(index=index, text=part.get("text", "")),
                ]
            events.append(BlockFinished(index=index))
            index += 1
        return events, index
    if kind == "reasoning":
        events.append(BlockStarted(index=index, kind=BlockKind.REASONING, state=_state(item)))
        for number, summary in enumerate(item.get("summary") or ()):
            events.append(
                ReasoningDelta(index=index, text=summary.get("text", ""), summary_index=number)
            )
        for part in item.get("content") or ():
            if part.get("type") == "reasoning_text":
                events.append(ReasoningDelta(index=index, text=part.get("text", "")))
        events.append(BlockFinished(index=index))
        return events, index + 1
    if kind == "function_call":
        events += [
            BlockStarted(
                index=index,
                kind=BlockKind.TOOL_CALL,
                id=item.get("call_id", ""),
                name=_name(item),
                state=_state(item),
            ),
            ToolCallDelta(index=index, arguments=item.get("arguments", "")),
            BlockFinished(index=index),
        ]
        return events, index + 1
    return [WarningEvent(message=f"upstream output item of type {kind!r} not relayed")], index


def decode_response(body: bytes) -> list[Event]:
    response = _json(body)
    if response.get("status") == "failed":
        return [_failure(response.get("error"))]
    events: list[Event] = [
        ResponseStarted(
            id=str(response.get("id", "")),
            model=str(response.get("model", "")),
            created=int(response.get("created_at") or 0),
        )
    ]
    index = 0
    called = False
    for item in response.get("output") or ():
        if isinstance(item, dict):
            more, index = _item_events(item, index)
            called = called or item.get("type") == "function_call"
            events += more
    usage = _usage(response.get("usage"))
    if usage is not None:
        events.append(UsageEvent(usage=usage))
    events.append(ResponseFinished(finish_reason=_finish(response, called)))
    return events


def decode_count(body: bytes) -> int:
    tokens = _json(body).get("input_tokens")
    if not isinstance(tokens, int):
        raise UpstreamError("the upstream's input token count has no input_tokens")
    return tokens


class ResponsesStreamDecoder(StreamDecoder):
    """Events by their JSON ``type``; block indexes count across items."""

    def __init__(self) -> None:
        self._started = False
        self._next = 0
        self._open: int | None = None
        self._streamed = False
        self._called = False
        self._finished = False

    def _start(self, response: Any) -> list[Event]:
        if self._started or not isinstance(response, dict):
            return []
        self._started = True
        return [
            ResponseStarted(
                id=str(response.get("id", "")),
                model=str(response.get("model", "")),
                created=int(response.get("created_at") or 0),
            )
        ]

    def _begin(self, kind: BlockKind, **fields: Any) -> list[Event]:
        self._open, self._streamed = self._next, False
        self._next += 1
        return [BlockStarted(index=self._open, kind=kind, **fields)]

    def _end(self, extra: list[Event] | None = None) -> list[Event]:
        if self._open is None:
            return []
        index, self._open = self._open, None
        return [*(extra or []), BlockFinished(index=index)]

    def _added(self, item: dict[str, Any]) -> list[Event]:
        kind = item.get("type")
        if kind == "reasoning":
            return self._begin(BlockKind.REASONING, state=_state(item))
        if kind == "function_call":
            self._called = True
            return self._begin(
                BlockKind.TOOL_CALL,
                id=item.get("call_id", ""),
                name=_name(item),
                state=_state(item),
            )
        return []

    def _item_done(self, item: dict[str, Any]) -> list[Event]:
        kind = item.get("type")
        if self._open is None or kind not in ("reasoning", "function_call"):
            if kind not in ("message", "reasoning", "function_call"):
                return [WarningEvent(message=f"upstream output item of type {kind!r} not relayed")]
            return []
        index = self._open
        extra: list[Event] = []
        if kind == "function_call" and not self._streamed and item.get("arguments"):
            extra.append(ToolCallDelta(index=index, arguments=item["arguments"]))
        if kind == "reasoning" and item.get("encrypted_content"):
            extra.append(ProviderStateDelta(index=index, state=_state(item)))
        return self._end(extra)

    def feed(self, frame: SSEEvent) -> list[Event]:
        if self._finished or not frame.data or frame.data == "[DONE]":
            return []
        event = _json(frame.data)
        kind = event.get("type")
        index = self._open
        if kind in ("response.created", "response.in_progress", "response.queued"):
            return self._start(event.get("response"))
        if kind == "response.output_item.added":
            return self._added(event.get("item") or {})
        part_type = (event.get("part") or {}).get("type")
        if part_type == "reasoning_text":  # a part of the open reasoning item, not a block
            return []
        if kind == "response.content_part.added":
            refusal = part_type == "refusal"
            return self._begin(BlockKind.REFUSAL if refusal else BlockKind.TEXT)
        if index is not None and kind in ("response.output_text.delta", "response.refusal.delta"):
            self._streamed = True
            delta = str(event.get("delta", ""))
            if kind == "response.refusal.delta":
                return [RefusalDelta(index=index, text=delta)]
            return [TextDelta(index=index, text=delta)]
        if kind == "response.content_part.done":
            return self._end()
        if index is not None and kind in (
            "response.reasoning_summary_part.added",  # a summary, even one that stays empty
            "response.reasoning_summary_text.delta",
        ):
            summary = int(event.get("summary_index") or 0)
            text = str(event.get("delta", ""))
            return [ReasoningDelta(index=index, text=text, summary_index=summary)]
        if index is not None and kind == "response.reasoning_text.delta":
            return [ReasoningDelta(index=index, text=str(event.get("delta", "")))]
        if index is not None and kind == "response.function_call_arguments.delta":
            self._streamed = True
            return [ToolCallDelta(index=index, arguments=str(event.get("delta", "")))]
        if kind == "response.output_item.done":
            return self._item_done(event.get("item") or {})
        if kind in ("response.completed", "response.incomplete"):
            response = event.get("response") or {}
            self._finished = True
            out = self._start(response) + self._end()
            usage = _usage(response.get("usage"))
            if usage is not None:
                out.append(UsageEvent(usage=usage))
            return [*out, ResponseFinished(finish_reason=_finish(response, self._called))]
        if kind == "response.failed":
            self._finished = True
            return [_failure((event.get("response") or {}).get("error"))]
        if kind == "error":
            self._finished = True
            return [_failure(event)]
        return []

    def close(self) -> list[Event]:
        if not self._finished:
            raise UpstreamError("the upstream's stream ended before the response did")
        return []
