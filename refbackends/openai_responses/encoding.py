"""Encoding a :class:`.reply.Reply` as Responses API wire bytes.

Unary (:func:`encode_response`): the Response object, pretty-printed like
the API's, with the request's settings echoed (instructions, tools,
tool_choice, temperature, text, reasoning, store, metadata, ...) and the API's
defaults for those not sent.

Streamed (:func:`encode_stream`), one SSE frame per event, each with its
``event:`` line and a ``sequence_number`` counting from 0:

1. ``response.created`` and ``response.in_progress`` (status
   ``in_progress``, ``output: []``, ``usage: null``);
2. per output item: ``response.output_item.added`` (the item in progress,
   empty), then by kind
   - message: ``response.content_part.added``, one
     ``response.output_text.delta`` (or ``response.refusal.delta``) per
     piece, ``response.output_text.done`` (``.refusal.done``),
     ``response.content_part.done``;
   - reasoning with a summary: ``response.reasoning_summary_part.added``,
     one ``response.reasoning_summary_text.delta`` per piece,
     ``response.reasoning_summary_text.done``,
     ``response.reasoning_summary_part.done``;
   - function call: one ``response.function_call_arguments.delta`` per
     fragment, ``response.function_call_arguments.done``;
   then ``response.output_item.done`` with the finished item;
3. ``response.completed``, or ``response.incomplete`` (with
   ``incomplete_details``), carrying the whole Response object.

Delta events carry a deterministic ``obfuscation`` padding unless
``stream_options.include_obfuscation`` is false. A
:class:`.reply.StreamFailure` stops after its items (and the opening and
some deltas of the next): ``error`` ends with ``response.failed`` (status
``failed``, the finished items, the error); ``cut`` sets
:attr:`EncodedStream.cut_after` to the frame count for the app's cut.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import assert_never

from lip.canonical.json import JSONObject, JSONValue
from refbackends.content import stable_hex, stable_id
from refbackends.openai_responses.errors import stream_failure
from refbackends.openai_responses.reply import Reply, ReplyItem, ReplyUsage
from refbackends.openai_responses.validation import ResponsesRequest

__all__ = [
    "CREATED",
    "EncodedStream",
    "Identity",
    "encode_response",
    "encode_stream",
    "identity_for",
    "terminal_object",
]

# A fixed timestamp (2023-11-14T22:13:20Z): responses are reproducible.
CREATED = 1_700_000_000

_SERVICE_TIERS = ("default", "flex", "priority", "scale")


@dataclass(frozen=True)
class Identity:
    """The response's id, as every event repeats it."""

    id: str


@dataclass(frozen=True)
class EncodedStream:
    """The frames of a stream; ``cut_after`` (a frame count) is set when
    the reply ends in a connection cut after those frames."""

    frames: list[bytes]
    cut_after: int | None = None


def identity_for(request: ResponsesRequest) -> Identity:
    """An id derived from the request body, so equal requests get equal ids."""
    return Identity(f"resp_{stable_hex([request.fingerprint, 'resp'], 48)}")


def terminal_object(request: ResponsesRequest, ident: Identity, reply: Reply) -> JSONObject:
    """The Response object the reply ends with: what a unary request
    returns, a stream's last event carries and ``GET`` later returns."""
    failure = reply.failure
    if failure is not None and failure.mode == "error":
        done = reply.items[: failure.after_items]
        output = [_final_item(request, item, "completed") for item in done]
        error = stream_failure(failure.kind, model=request.model)
        return _response(request, ident, reply, "failed", output, usage=False, error=error)
    status = "completed" if reply.incomplete is None else "incomplete"
    return _response(request, ident, reply, status, _output(request, reply), usage=True)


def encode_response(request: ResponsesRequest, ident: Identity, reply: Reply) -> bytes:
    """The unary body (a reply without a failure: a failing reply has no
    unary form and the app answers a 500)."""
    body = terminal_object(request, ident, reply)
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def encode_stream(request: ResponsesRequest, ident: Identity, reply: Reply) -> EncodedStream:
    """Every SSE frame of the streamed reply (see the module docstring)."""
    started = _response(request, ident, reply, "in_progress", [], usage=False)
    events: list[JSONObject] = [
        {"type": "response.created", "response": started},
        {"type": "response.in_progress", "response": started},
    ]
    output = _output(request, reply)
    failure = reply.failure
    for index, item in enumerate(reply.items):
        opening, deltas, closing = _item_events(request, index, item, output[index])
        if failure is not None and index >= failure.after_items:
            if index == failure.after_items and failure.extra_pieces:
                events += [*opening, *deltas[: failure.extra_pieces]]
            break
        events += [*opening, *deltas, *closing]
    if failure is not None and failure.mode == "cut":
        frames = _frames(request, events)
        return EncodedStream(frames, cut_after=len(frames))
    final = terminal_object(request, ident, reply)
    # response.completed, response.incomplete or response.failed, after the status.
    events.append({"type": f"response.{final['status']}", "response": final})
    return EncodedStream(_frames(request, events))


def _output(request: ResponsesRequest, reply: Reply) -> list[JSONObject]:
    """The finished items; on an incomplete response the last one was cut short."""
    last = len(reply.items) - 1
    return [
        _final_item(
            request, item, "incomplete" if reply.incomplete and index == last else "completed"
        )
        for index, item in enumerate(reply.items)
    ]


def _response(
    request: ResponsesRequest,
    ident: Identity,
    reply: Reply,
    status: str,
    output: list[JSONObject],
    *,
    usage: bool,
    error: JSONObject | None = None,
) -> JSONObject:
    """A Response object in the API's field order, settings echoed from the request."""
    body = request.body
    tier = body.get("service_tier")
    reasoning = body.get("reasoning")
    text = body.get("text")
    return {
        "id": ident.id,
        "object": "response",
        "created_at": CREATED,
        "status": status,
        "background": False,
        "completed_at": CREATED if status == "completed" else None,
        "error": error,
        "incomplete_details": {"reason": reply.incomplete} if status == "incomplete" else None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "max_tool_calls": body.get("max_tool_calls"),
        "model": request.model,
        "output": list(output),
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "prompt_cache_key": body.get("prompt_cache_key"),
        "reasoning": {
            "effort": None,
            "summary": None,
            **(reasoning if isinstance(reasoning, dict) else {}),
        },
        "safety_identifier": body.get("safety_identifier"),
        "service_tier": tier if tier in _SERVICE_TIERS else "default",
        "store": request.store,
        "temperature": body.get("temperature", 1.0),
        "text": {
            "format": {"type": "text"},
            "verbosity": "medium",
            **(text if isinstance(text, dict) else {}),
        },
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools") or [],
        "top_logprobs": body.get("top_logprobs", 0),
        "top_p": body.get("top_p", 1.0),
        "truncation": body.get("truncation", "disabled"),
        "usage": _usage(reply.usage) if usage else None,
        "user": body.get("user"),
        "metadata": body.get("metadata") or {},
    }


def _usage(usage: ReplyUsage) -> JSONObject:
    return {
        "input_tokens": usage.input,
        # The pinned SDK requires cache_write_tokens; the emulator never writes a cache.
        "input_tokens_details": {"cached_tokens": usage.cached, "cache_write_tokens": 0},
        "output_tokens": usage.output,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning},
        "total_tokens": usage.input + usage.output,
    }


def _final_item(request: ResponsesRequest, item: ReplyItem, status: str) -> JSONObject:
    match item.kind:
        case "text" | "refusal":
            return {**_message(item, status), "content": [_part(item, item.joined)]}
        case "reasoning":
            summary: list[JSONValue] = (
                [{"type": "summary_text", "text": item.joined}] if item.pieces else []
            )
            reasoning: JSONObject = {"id": item.id, "type": "reasoning", "summary": summary}
            if request.include_encrypted and item.encrypted_content is not None:
                reasoning["encrypted_content"] = item.encrypted_content
            return reasoning
        case "function_call":
            return _call(item, status, item.joined)
        case _:
            assert_never(item.kind)


def _message(item: ReplyItem, status: str) -> JSONObject:
    return {"id": item.id, "type": "message", "status": status, "content": [], "role": "assistant"}


def _part(item: ReplyItem, text: str) -> JSONObject:
    if item.kind == "refusal":
        return {"type": "refusal", "refusal": text}
    return {"type": "output_text", "annotations": [], "logprobs": [], "text": text}


def _call(item: ReplyItem, status: str, arguments: str) -> JSONObject:
    return {
        "id": item.id,
        "type": "function_call",
        "status": status,
        "arguments": arguments,
        "call_id": item.call_id,
        "name": item.name,
    }


_Events = tuple[list[JSONObject], list[JSONObject], list[JSONObject]]


def _item_events(
    request: ResponsesRequest, index: int, item: ReplyItem, final: JSONObject
) -> _Events:
    """The opening events of an item, its deltas and its closing events."""
    where: JSONObject = {"item_id": item.id, "output_index": index}
    done: JSONObject = {"type": "response.output_item.done", "output_index": index, "item": final}
    match item.kind:
        case "text" | "refusal":
            added = _message(item, "in_progress")
            part: JSONObject = {**where, "content_index": 0}
            name, field = (
                ("refusal", "refusal") if item.kind == "refusal" else ("output_text", "text")
            )
            logprobs: JSONObject = {} if item.kind == "refusal" else {"logprobs": []}
            opening = [{"type": "response.content_part.added", **part, "part": _part(item, "")}]
            deltas = [
                {"type": f"response.{name}.delta", **part, "delta": piece, **logprobs}
                for piece in item.pieces
            ]
            closing = [
                {"type": f"response.{name}.done", **part, field: item.joined, **logprobs},
                {"type": "response.content_part.done", **part, "part": _part(item, item.joined)},
            ]
        case "reasoning":
            added = {"id": item.id, "type": "reasoning", "summary": []}
            summary: JSONObject = {**where, "summary_index": 0}
            piece_kind = "response.reasoning_summary_text.delta"
            deltas = [{"type": piece_kind, **summary, "delta": piece} for piece in item.pieces]
            opening, closing = [], []
            if item.pieces:
                text = item.joined
                opening = [
                    {
                        "type": "response.reasoning_summary_part.added",
                        **summary,
                        "part": {"type": "summary_text", "text": ""},
                    }
                ]
                closing = [
                    {"type": "response.reasoning_summary_text.done", **summary, "text": text},
                    {
                        "type": "response.reasoning_summary_part.done",
                        **summary,
                        "part": {"type": "summary_text", "text": text},
                    },
                ]
        case "function_call":
            added = _call(item, "in_progress", "")
            deltas = [
                {"type": "response.function_call_arguments.delta", **where, "delta": piece}
                for piece in item.pieces
            ]
            opening = []
            closing = [
                {"type": "response.function_call_arguments.done", **where, "arguments": item.joined}
            ]
        case _:
            assert_never(item.kind)
    start: JSONObject = {"type": "response.output_item.added", "output_index": index, "item": added}
    return [start, *opening], deltas, [*closing, done]


def _frames(request: ResponsesRequest, events: list[JSONObject]) -> list[bytes]:
    """Number the events and frame them (``event:`` line, compact ``data:``)."""
    frames: list[bytes] = []
    for seq, event in enumerate(events):
        payload: JSONObject = {"type": event["type"], "sequence_number": seq, **event}
        if request.include_obfuscation and str(event["type"]).endswith(".delta"):
            payload["obfuscation"] = stable_id([request.fingerprint, str(seq)], 1 + seq * 7 % 13)
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        frames.append(f"event: {event['type']}\ndata: {data}\n\n".encode())
    return frames
