"""Encoding a planned :class:`Reply` as Chat Completions wire bytes.

Unary: one ``chat.completion`` object, pretty-printed like the API's.
Streamed (``encode_stream``), frame by frame as the API sends them:

1. per choice, a first chunk whose delta carries ``role: "assistant"``
   (``content: ""`` and ``refusal: null`` for text; ``content: null`` and
   the first tool call for a tool-call reply; ``refusal: ""`` for a refusal);
2. content (or refusal) deltas, one word each;
3. per tool call, a delta with ``index``, ``id``, ``type``, ``function.name``
   and ``arguments: ""`` (merged into the first chunk for the first call),
   then argument fragments carrying only ``index`` and ``function.arguments``;
4. a chunk with an empty delta and ``finish_reason``;
5. with ``stream_options.include_usage``: ``"usage": null`` on every chunk,
   then one chunk with ``"choices": []`` and the usage;
6. ``data: [DONE]``.

Choices of ``n > 1`` are interleaved round-robin. Chunks carry a
deterministic ``obfuscation`` padding unless
``stream_options.include_obfuscation`` is false. A failing stream
(``Reply.stream_error``) stops half way with an ``{"error": ...}`` frame and
no finish, usage or ``[DONE]``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from itertools import zip_longest

from refbackends.content import split_json_fragments, split_words, stable_id
from refbackends.openai_chat.errors import stream_error_payload
from refbackends.openai_chat.scenarios import ChoicePlan, Reply
from refbackends.openai_chat.validation import ChatRequest

__all__ = [
    "CREATED",
    "Identity",
    "chunk_object",
    "completion_body",
    "encode_completion",
    "encode_stream",
    "identity_for",
    "sse_frame",
    "usage_object",
]

# A fixed timestamp (2023-11-14T22:13:20Z): responses are reproducible.
CREATED = 1_700_000_000

_SERVICE_TIERS = ("default", "flex", "priority", "scale")


@dataclass(frozen=True)
class Identity:
    """The fields every object or chunk of one response repeats."""

    id: str
    created: int
    model: str
    service_tier: str
    system_fingerprint: str


def identity_for(request: ChatRequest) -> Identity:
    """Ids derived from the request body, so equal requests get equal ids."""
    tier = request.service_tier if request.service_tier in _SERVICE_TIERS else "default"
    fingerprint = hashlib.sha256(request.model.encode("utf-8")).hexdigest()[:10]
    return Identity(
        id=f"chatcmpl-{stable_id([request.fingerprint, 'chatcmpl'], 29)}",
        created=CREATED,
        model=request.model,
        service_tier=tier,
        system_fingerprint=f"fp_{fingerprint}",
    )


def completion_body(
    ident: Identity, choices: list[tuple[dict[str, object], str]], usage: dict[str, object]
) -> bytes:
    """A unary ``chat.completion``, pretty-printed like the API's: one
    (message, finish_reason) per choice, in the API's field order."""
    body = {
        "id": ident.id,
        "object": "chat.completion",
        "created": ident.created,
        "model": ident.model,
        "choices": [
            {"index": index, "message": message, "logprobs": None, "finish_reason": finish}
            for index, (message, finish) in enumerate(choices)
        ],
        "usage": usage,
        "service_tier": ident.service_tier,
        "system_fingerprint": ident.system_fingerprint,
    }
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def encode_completion(reply: Reply, ident: Identity) -> bytes:
    """The unary ``chat.completion`` body."""
    choices = [(_message(choice), choice.finish_reason) for choice in reply.choices]
    return completion_body(ident, choices, _usage(reply))


def encode_stream(request: ChatRequest, reply: Reply, ident: Identity) -> list[bytes]:
    """Every SSE frame of the streamed reply, ``data: [DONE]`` included."""
    per_choice = [_deltas(choice, index) for index, choice in enumerate(reply.choices)]
    if reply.stream_error:
        per_choice = [deltas[: max(len(deltas) // 2, 1)] for deltas in per_choice]
    ordered = [item for row in zip_longest(*per_choice) for item in row if item is not None]
    chunks = [
        chunk_object(
            ident, [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}]
        )
        for index, delta, finish in ordered
    ]
    if reply.stream_error:
        return [sse_frame(chunk, request, seq) for seq, chunk in enumerate(chunks)] + [
            sse_frame(stream_error_payload())
        ]
    if request.include_usage:
        for chunk in chunks:
            chunk["usage"] = None
        chunks.append({**chunk_object(ident, []), "usage": _usage(reply)})
    return [sse_frame(chunk, request, seq) for seq, chunk in enumerate(chunks)] + [
        b"data: [DONE]\n\n"
    ]


def sse_frame(
    payload: dict[str, object], request: ChatRequest | None = None, seq: int = 0
) -> bytes:
    """One ``data: <json>`` frame (compact JSON, raw UTF-8)."""
    if request is not None and request.include_obfuscation:
        payload["obfuscation"] = stable_id([request.fingerprint, str(seq)], 1 + seq * 7 % 13)
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"data: {data}\n\n".encode()


def _deltas(choice: ChoicePlan, index: int) -> list[tuple[int, dict[str, object], str | None]]:
    """(choice index, delta, finish_reason) for every chunk of one choice."""
    deltas: list[dict[str, object]] = []
    calls = choice.tool_calls
    if choice.refusal is not None:
        deltas.append({"role": "assistant", "content": None, "refusal": ""})
        deltas += [{"refusal": piece} for piece in split_words(choice.refusal)]
    elif choice.content is not None:
        deltas.append({"role": "assistant", "content": "", "refusal": None})
        deltas += [{"content": piece} for piece in split_words(choice.content)]
    for k, call in enumerate(calls):
        header = {
            "index": k,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        if not deltas:
            deltas.append(
                {"role": "assistant", "content": None, "tool_calls": [header], "refusal": None}
            )
        else:
            deltas.append({"tool_calls": [header]})
        deltas += [
            {"tool_calls": [{"index": k, "function": {"arguments": piece}}]}
            for piece in split_json_fragments(call.arguments)
        ]
    if not deltas:
        deltas.append({"role": "assistant", "content": "", "refusal": None})
    return [(index, delta, None) for delta in deltas] + [(index, {}, choice.finish_reason)]


def _message(choice: ChoicePlan) -> dict[str, object]:
    message: dict[str, object] = {
        "role": "assistant",
        "content": choice.content,
        "refusal": choice.refusal,
    }
    if choice.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in choice.tool_calls
        ]
    message["annotations"] = []
    return message


def _usage(reply: Reply) -> dict[str, object]:
    return usage_object(reply.prompt_tokens, reply.completion_tokens)


def usage_object(
    prompt: int, completion: int, *, cached: int = 0, reasoning: int = 0
) -> dict[str, object]:
    """The ``usage`` object; ``cached`` is part of ``prompt`` and
    ``reasoning`` part of ``completion``, as the API counts them."""
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": reasoning,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def chunk_object(ident: Identity, choices: list[dict[str, object]]) -> dict[str, object]:
    """A ``chat.completion.chunk`` carrying ``choices``."""
    return {
        "id": ident.id,
        "object": "chat.completion.chunk",
        "created": ident.created,
        "model": ident.model,
        "service_tier": ident.service_tier,
        "system_fingerprint": ident.system_fingerprint,
        "choices": choices,
    }
