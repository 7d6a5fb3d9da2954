"""Canonical events -> the OpenAI Responses event stream.

https://platform.openai.com/docs/api-reference/responses-streaming
Every frame is ``event: <type>`` + ``data: <json>`` with a ``sequence_number``
counting from 0. The order is what both SDK helpers require:
``response.created`` and ``response.in_progress`` first; each output item
announced (``output_item.added``, and ``content_part.added`` for text)
before any delta of it, with the same item id on every event of that item;
then ``response.completed`` (or ``response.incomplete`` with its reason)
holding the whole response, which is also what LIP stores. A failure after
the stream started is an ``error`` event and ``response.failed``, never a
silently ended stream.
"""

from __future__ import annotations

from typing import Any, assert_never

from pydantic_core import to_json

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    CitationDelta,
    ErrorEvent,
    ErrorKind,
    Event,
    ProviderState,
    ProviderStateDelta,
    ReasoningDelta,
    ReasoningPart,
    RefusalDelta,
    ReplyExtensions,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    ToolCallPart,
    Usage,
    UsageEvent,
    WarningEvent,
)
from lip.protocols.base import ClientRequest, StreamEncoder
from lip.protocols.openai_chat.errors import STATUS
from lip.protocols.openai_responses.carry import own
from lip.protocols.openai_responses.response import (
    call_item,
    item_id,
    keep,
    reasoning_item,
    response_object,
    status_of,
    usage_json,
)

__all__ = ["ResponsesStreamEncoder"]


class _Item:
    """An output item being streamed."""

    def __init__(self, index: int, body: dict[str, Any]) -> None:
        self.index = index
        self.body = body
        self.chunks: list[str] = []
        self.summaries: list[list[str]] = []
        self.parts: list[dict[str, Any]] = []
        self.state: ProviderState | None = None
        self.kind: BlockKind | None = None
        self.name: str = ""
        self.call_id: str = ""

    @property
    def id(self) -> str:
        return str(self.body["id"])


class ResponsesStreamEncoder(StreamEncoder):
    def __init__(self, request: ClientRequest) -> None:
        self._request = request
        self._sequence = 0
        self._started: ResponseStarted | None = None
        self._usage: Usage | None = None
        self._extra: dict[str, Any] = {}
        self._done: list[dict[str, Any]] = []
        self._message: _Item | None = None
        self._block: _Item | None = None

    # -- frames

    def _frame(self, kind: str, body: dict[str, Any]) -> bytes:
        body = {"type": kind, "sequence_number": self._sequence, **body}
        self._sequence += 1
        return b"event: " + kind.encode() + b"\ndata: " + to_json(body) + b"\n\n"

    def _response(self, status: str, **fields: Any) -> dict[str, Any]:
        started = self._started
        return response_object(
            self._request,
            model=started.model if started is not None else self._request.call.model,
            created=started.created if started is not None else 0,
            status=status,
            output=list(self._done),
            extra=self._extra,
            **fields,
        )

    def _open(self, started: ResponseStarted) -> bytes:
        self._started = started
        self._extra.update(own(started.extensions))
        body = self._response("in_progress")
        return self._frame("response.created", {"response": body}) + self._frame(
            "response.in_progress", {"response": body}
        )

    def _added(self, item: _Item) -> bytes:
        return self._frame(
            "response.output_item.added", {"output_index": item.index, "item": dict(item.body)}
        )

    def _finish_item(self, item: _Item, body: dict[str, Any]) -> bytes:
        self._done.append(body)
        return self._frame("response.output_item.done", {"output_index": item.index, "item": body})

    # -- message items (text and refusal blocks share one)

    def _message_for(self) -> tuple[_Item, bytes]:
        if self._message is not None:
            return self._message, b""
        index = len(self._done)
        body = {
            "id": item_id("msg", self._request, index),
            "type": "message",
            "status": "in_progress",
            "role": "assistant",
            "content": [],
        }
        self._message = _Item(index, body)
        return self._message, self._added(self._message)

    def _close_message(self) -> bytes:
        message = self._message
        if message is None:
            return b""
        self._message = None
        body = {**message.body, "status": "completed", "content": message.parts}
        return self._finish_item(message, body)

    # -- blocks

    def _start(self, event: BlockStarted) -> bytes:
        if event.kind in (BlockKind.TEXT, BlockKind.REFUSAL):
            message, out = self._message_for()
            part: dict[str, Any] = (
                {"type": "refusal", "refusal": ""}
                if event.kind is BlockKind.REFUSAL
                else {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
            )
            block = _Item(message.index, {"id": message.id})
            block.kind = event.kind
            self._block = block
            return out + self._frame(
                "response.content_part.added",
                {
                    "item_id": message.id,
                    "output_index": message.index,
                    "content_index": len(message.parts),
                    "part": part,
                },
            )
        out = self._close_message()
        index = len(self._done)
        if event.kind is BlockKind.REASONING:
            part_ = ReasoningPart(state=event.state)
            body = reasoning_item(part_, item_id("rs", self._request, index), self._request)
            body.pop("encrypted_content", None)
            body["status"] = "in_progress"
        else:
            call = ToolCallPart(
                id=event.id or "", name=event.name or "", arguments="", state=event.state
            )
            body = call_item(
                call, item_id("fc", self._request, index), self._request, "in_progress", ""
            )
        block = _Item(index, body)
        block.kind, block.state = event.kind, event.state
        block.name, block.call_id = event.name or "", event.id or ""
        self._block = block
        return out + self._added(block)

    def _text(self, text: str) -> bytes:
        block, message = self._block, self._message
        if block is None or message is None or not text:
            return b""
        block.chunks.append(text)
        kind = "response.refusal.delta" if block.kind is BlockKind.REFUSAL else None
        fields = {
            "item_id": message.id,
            "output_index": message.index,
            "content_index": len(message.parts),
            "delta": text,
        }
        if kind is None:
            return self._frame("response.output_text.delta", {**fields, "logprobs": []})
        return self._frame(kind, fields)

    def _reasoning(self, event: ReasoningDelta) -> bytes:
        block = self._block
        if block is None:
            return b""
        base = {"item_id": block.id, "output_index": block.index}
        if event.summary_index is None:
            if not event.text:
                return b""
            out = b""
            if not block.chunks:  # the SDK helpers need the part before its deltas
                part = {"type": "reasoning_text", "text": ""}
                out = self._frame(
                    "response.content_part.added", {**base, "content_index": 0, "part": part}
                )
            block.chunks.append(event.text)
            return out + self._frame(
                "response.reasoning_text.delta", {**base, "content_index": 0, "delta": event.text}
            )
        out = b""
        while len(block.summaries) <= event.summary_index:
            block.summaries.append([])
            out += self._frame(
                "response.reasoning_summary_part.added",
                {
                    **base,
                    "summary_index": len(block.summaries) - 1,
                    "part": {"type": "summary_text", "text": ""},
                },
            )
        if not event.text:  # the summary part is there, even if it stays empty
            return out
        block.summaries[event.summary_index].append(event.text)
        return out + self._frame(
            "response.reasoning_summary_text.delta",
            {**base, "summary_index": event.summary_index, "delta": event.text},
        )

    def _finish_block(self) -> bytes:
        block = self._block
        self._block = None
        if block is None:
            return b""
        text = "".join(block.chunks)
        if block.kind in (BlockKind.TEXT, BlockKind.REFUSAL):
            return self._finish_content(block, text)
        base = {"item_id": block.id, "output_index": block.index}
        if block.kind is BlockKind.TOOL_CALL:
            body = call_item(
                ToolCallPart(id=block.call_id, name=block.name, arguments=text, state=block.state),
                block.id,
                self._request,
            )
            return self._frame(
                "response.function_call_arguments.done",
                {**base, "name": body["name"], "arguments": text},
            ) + self._finish_item(block, body)
        out = b""
        summaries = tuple("".join(s) for s in block.summaries)
        for number, summary in enumerate(summaries):
            part = {"type": "summary_text", "text": summary}
            out += self._frame(
                "response.reasoning_summary_text.done",
                {**base, "summary_index": number, "text": summary},
            )
            out += self._frame(
                "response.reasoning_summary_part.done",
                {**base, "summary_index": number, "part": part},
            )
        if text:
            part = {"type": "reasoning_text", "text": text}
            out += self._frame(
                "response.reasoning_text.done", {**base, "content_index": 0, "text": text}
            ) + self._frame(
                "response.content_part.done", {**base, "content_index": 0, "part": part}
            )
        reasoning = ReasoningPart(text=text, summary=summaries, state=block.state)
        return out + self._finish_item(block, reasoning_item(reasoning, block.id, self._request))

    def _finish_content(self, block: _Item, text: str) -> bytes:
        message = self._message
        assert message is not None
        base = {"item_id": message.id, "output_index": message.index}
        index = len(message.parts)
        part: dict[str, Any]
        if block.kind is BlockKind.REFUSAL:
            part = {"type": "refusal", "refusal": text}
            out = self._frame(
                "response.refusal.done", {**base, "content_index": index, "refusal": text}
            )
        else:
            part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
            out = self._frame(
                "response.output_text.done",
                {**base, "content_index": index, "text": text, "logprobs": []},
            )
        message.parts.append(part)
        return out + self._frame(
            "response.content_part.done", {**base, "content_index": index, "part": part}
        )

    # -- the end

    def _finished(self, event: ResponseFinished) -> bytes:
        out = self._finish_block() + self._close_message()
        status, incomplete = status_of(event.finish_reason)
        body = self._response(status, usage=usage_json(self._usage), incomplete=incomplete)
        keep(self._request, body)
        kind = "response.completed" if status == "completed" else "response.incomplete"
        return out + self._frame(kind, {"response": body})

    def _failed(self, event: ErrorEvent) -> bytes:
        _, kind = STATUS[event.kind]
        # ResponseError's code for a rate limit; the others are server errors.
        code = event.code or (
            "rate_limit_exceeded" if event.kind is ErrorKind.RATE_LIMITED else kind
        )
        error = {"code": code, "message": event.message}
        out = b""
        if self._started is None:
            out = self._open(ResponseStarted(id="", model=self._request.call.model, created=0))
        out += self._frame("error", {"code": code, "message": event.message, "param": None})
        body = self._response("failed", usage=usage_json(self._usage), error=error)
        return out + self._frame("response.failed", {"response": body})

    def encode(self, event: Event) -> bytes:
        match event:
            case ResponseStarted():
                return self._open(event)
            case BlockStarted():
                return self._start(event)
            case TextDelta(text=t) | RefusalDelta(text=t):
                return self._text(t)
            case ReasoningDelta():
                return self._reasoning(event)
            case ToolCallDelta(arguments=a):
                block = self._block
                if block is None or not a:
                    return b""
                block.chunks.append(a)
                return self._frame(
                    "response.function_call_arguments.delta",
                    {"item_id": block.id, "output_index": block.index, "delta": a},
                )
            case ProviderStateDelta(state=state):
                if self._block is not None:
                    previous = self._block.state
                    self._block.state = state if previous is None else previous.merged(state)
                return b""
            case BlockFinished():
                return self._finish_block()
            case UsageEvent(usage=u):
                self._usage = u if self._usage is None else self._usage.merged(u)
                return b""
            case ReplyExtensions(extensions=x):
                self._extra.update(own(x))
                return b""
            case CitationDelta() | WarningEvent():
                return b""
            case ResponseFinished():
                return self._finished(event)
            case ErrorEvent():
                return self._failed(event)
            case _:
                assert_never(event)
