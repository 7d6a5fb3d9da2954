"""Rendering a :class:`refbackends.plan.Plan` as Chat Completions wire bytes.

A script's plan replaces the input-derived reply (the request is still
validated); every one of the request's ``n`` choices answers the same plan.

Unary (:func:`encode_planned_completion`): ``message.content`` is the joined
text blocks (``null`` when there is no text but tool calls or a refusal,
``""`` otherwise, as the API does); ``refusal`` the joined refusal blocks or
``null``; ``reasoning_content`` the joined reasoning, the field
OpenAI-compatible servers (vLLM, DeepSeek) use, present only when the plan
reasons (a reasoning ``signature`` has no Chat form and is dropped);
``tool_calls`` in block order with their arguments joined.

Streamed (:func:`encode_planned_stream`), frame by frame:

1. the role chunk: ``role``, ``content`` (``""`` or ``null``, as in the unary
   message) and ``refusal`` (``""`` when the plan refuses, else ``null``),
   so the folded stream equals the unary reply;
2. per block, one delta per listed piece: ``{"reasoning_content": piece}``,
   ``{"content": piece}`` or ``{"refusal": piece}``; a tool call is a delta
   with ``index`` (0-based among the calls), ``id``, ``type``,
   ``function.name`` and ``arguments: ""``, then one delta per argument
   fragment carrying only ``index`` and ``function.arguments``;
3. the finish chunk (canonical ``refusal`` is Chat's ``stop``);
4. with ``stream_options.include_usage``: ``"usage": null`` on every chunk
   and a final ``"choices": []`` chunk with the usage;
5. ``data: [DONE]``.

A plan's ``failure`` stops the stream after ``after_blocks`` whole blocks
(role chunk included, nothing of 3-5): ``error`` adds an ``{"error": ...}``
frame (:func:`.errors.stream_error_payload`); ``cut`` sets
:attr:`PlannedStream.cut_after` to the number of frames, which the app hands
to the shared cut machinery (:class:`refbackends.streaming.ScriptedResponse`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest
from typing import Literal, assert_never

from refbackends.content import count_tokens, split_json_fragments
from refbackends.openai_chat.encoding import (
    Identity,
    chunk_object,
    completion_body,
    sse_frame,
    usage_object,
)
from refbackends.openai_chat.errors import stream_error_payload
from refbackends.openai_chat.validation import ChatRequest
from refbackends.plan import Plan, PlanBlock, PlannedCall

__all__ = [
    "PlannedStream",
    "chat_finish_reason",
    "encode_planned_completion",
    "encode_planned_stream",
]

_Delta = dict[str, object]


@dataclass(frozen=True)
class PlannedStream:
    """The frames of a planned stream; ``cut_after`` (a frame count) is set
    when the plan ends in a connection cut after those frames."""

    frames: list[bytes]
    cut_after: int | None = None


def chat_finish_reason(plan: Plan) -> str:
    """The plan's canonical finish as Chat's ``finish_reason``."""
    match plan.finish:
        case "stop" | "refusal":
            return "stop"
        case "length" | "tool_calls" | "content_filter":
            return plan.finish
        case _:
            assert_never(plan.finish)


def encode_planned_completion(request: ChatRequest, plan: Plan, ident: Identity) -> bytes:
    """The unary ``chat.completion`` body for ``plan`` (which has no failure:
    a failing plan has no unary form and the app answers a 500)."""
    choice = (_message(plan), chat_finish_reason(plan))
    return completion_body(ident, [choice] * request.n, _usage(request, plan))


def encode_planned_stream(request: ChatRequest, plan: Plan, ident: Identity) -> PlannedStream:
    """Every SSE frame of the planned stream (see the module docstring)."""
    failure = plan.failure
    blocks = plan.blocks if failure is None else plan.blocks[: failure.after_blocks]
    deltas = [_role_delta(plan)] + [delta for block in _block_deltas(blocks) for delta in block]
    rows: list[tuple[int, _Delta, str | None]] = [(0, delta, None) for delta in deltas]
    if failure is None:
        rows.append((0, {}, chat_finish_reason(plan)))
    # n choices of the same plan, interleaved round-robin like the default reply.
    per_choice = [
        [(index, delta, finish) for _, delta, finish in rows] for index in range(request.n)
    ]
    ordered = [item for row in zip_longest(*per_choice) for item in row if item is not None]
    chunks = [
        chunk_object(
            ident, [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}]
        )
        for index, delta, finish in ordered
    ]
    if request.include_usage:
        for chunk in chunks:
            chunk["usage"] = None
        if failure is None:
            chunks.append({**chunk_object(ident, []), "usage": _usage(request, plan)})
    frames = [sse_frame(chunk, request, seq) for seq, chunk in enumerate(chunks)]
    if failure is None:
        return PlannedStream([*frames, b"data: [DONE]\n\n"])
    match failure.mode:
        case "error":
            return PlannedStream([*frames, sse_frame(stream_error_payload(failure.kind))])
        case "cut":
            return PlannedStream(frames, cut_after=len(frames))
        case _:
            assert_never(failure.mode)


def _pieces(plan: Plan, kind: Literal["text", "reasoning", "refusal"]) -> list[str] | None:
    """Every piece of the blocks of ``kind`` in order; None when there is no such block."""
    found: list[str] | None = None
    for block in plan.blocks:
        pieces = getattr(block, kind)
        if pieces is not None:
            found = [*(found or []), *pieces]
    return found


def _calls(plan: Plan) -> list[PlannedCall]:
    return [block.tool_call for block in plan.blocks if block.tool_call is not None]


def _content(plan: Plan) -> str | None:
    text = _pieces(plan, "text")
    if text is not None:
        return "".join(text)
    return None if _calls(plan) or _pieces(plan, "refusal") is not None else ""


def _refusal(plan: Plan) -> str | None:
    refusal = _pieces(plan, "refusal")
    return None if refusal is None else "".join(refusal)


def _message(plan: Plan) -> dict[str, object]:
    message: dict[str, object] = {
        "role": "assistant",
        "content": _content(plan),
        "refusal": _refusal(plan),
    }
    reasoning = _pieces(plan, "reasoning")
    if reasoning is not None:
        message["reasoning_content"] = "".join(reasoning)
    calls = _calls(plan)
    if calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.joined},
            }
            for call in calls
        ]
    message["annotations"] = []
    return message


def _role_delta(plan: Plan) -> _Delta:
    return {
        "role": "assistant",
        "content": None if _content(plan) is None else "",
        "refusal": None if _refusal(plan) is None else "",
    }


def _block_deltas(blocks: tuple[PlanBlock, ...]) -> list[list[_Delta]]:
    """The deltas of each block, one list per block."""
    out: list[list[_Delta]] = []
    call_index = 0
    for block in blocks:
        if block.reasoning is not None:
            out.append([{"reasoning_content": piece} for piece in block.reasoning])
        elif block.text is not None:
            out.append([{"content": piece} for piece in block.text])
        elif block.refusal is not None:
            out.append([{"refusal": piece} for piece in block.refusal])
        elif block.tool_call is not None:
            call = block.tool_call
            header: _Delta = {
                "index": call_index,
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            fragments: list[_Delta] = [
                {"tool_calls": [{"index": call_index, "function": {"arguments": piece}}]}
                for piece in call.arguments
            ]
            out.append([{"tool_calls": [header]}, *fragments])
            call_index += 1
        else:  # PlanBlock's validator guarantees one kind
            raise AssertionError("a plan block without a kind")
    return out


def _usage(request: ChatRequest, plan: Plan) -> dict[str, object]:
    """The plan's usage, else the emulator's own count (as for a default
    reply, reasoning included) over the ``n`` choices."""
    if plan.usage is not None:
        usage = plan.usage
        return usage_object(
            usage.input, usage.output, cached=usage.cached or 0, reasoning=usage.reasoning or 0
        )
    prompt = sum(count_tokens(message.text) for message in request.messages)
    reasoning = count_tokens("".join(_pieces(plan, "reasoning") or []))
    completion = (
        count_tokens(_content(plan) or "")
        + count_tokens(_refusal(plan) or "")
        + reasoning
        + sum(len(split_json_fragments(call.joined)) + 1 for call in _calls(plan))
    )
    return usage_object(prompt, completion * request.n, reasoning=reasoning * request.n)
