"""Encoding a :class:`.reply.Reply` as Gemini API wire bytes.

Unary (:func:`encode_response`): one ``GenerateContentResponse``,
pretty-printed like the API's::

    {"candidates": [{"content": {"parts": [...], "role": "model"},
                     "finishReason": "STOP", "index": 0}],
     "usageMetadata": {...}, "modelVersion": "...", "responseId": "..."}

Parts: ``{"text"}``; ``{"text", "thought": true}``; ``{"functionCall":
{"name", "args", "id"?}}``; each with its ``thoughtSignature`` (base64) when
it has one. A candidate without parts has ``content: {"role": "model"}``
(proto3 JSON leaves empty lists out, as it leaves out zero counts in
``usageMetadata``). A ``SAFETY`` finish carries the ``safetyRatings`` that
blocked it.

Streamed (:func:`encode_stream`): one ``GenerateContentResponse`` chunk per
text piece (a part without pieces is one chunk of empty text; a function
call one chunk, whole), each with one part, the usage, ``modelVersion`` and
``responseId``; a part's signature rides on its last chunk; the last chunk
has the ``finishReason``. Framed as the API frames them:

- ``?alt=sse``: ``data: <compact JSON>`` frames ending ``\\r\\n\\r\\n``;
- otherwise one JSON array sent piecewise: ``[{...}``, ``\\r\\n,{...}``, ...,
  ``\\r\\n]`` (elements pretty-printed).

A :class:`.reply.StreamFailure` stops after its parts (and some chunks of
the next): ``error`` ends with an ``{"error": {...}}`` element (the SDKs
raise ``APIError`` on it) and then the end of the body; ``cut`` sets
:attr:`EncodedStream.cut_after` to the frame count for the app's cut.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import assert_never

from lip.canonical.json import JSONObject, JSONValue
from refbackends.content import stable_id
from refbackends.gemini.errors import stream_failure
from refbackends.gemini.reply import Finish, Reply, ReplyPart, ReplyUsage
from refbackends.gemini.validation import GeminiRequest

__all__ = ["EncodedStream", "Identity", "encode_response", "encode_stream", "identity_for"]

_SAFETY_RATINGS: list[JSONValue] = [
    {"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True},
]


@dataclass(frozen=True)
class Identity:
    """What every chunk of one response repeats."""

    response_id: str
    model_version: str


@dataclass(frozen=True)
class EncodedStream:
    """The frames of a stream; ``cut_after`` (a frame count) is set when
    the reply ends in a connection cut after those frames."""

    frames: list[bytes]
    cut_after: int | None = None


def identity_for(request: GeminiRequest) -> Identity:
    """Ids derived from the request, so equal requests get equal ids and a
    stream carries the unary reply's."""
    return Identity(stable_id([request.fingerprint, "response"], 23), request.model)


def encode_response(ident: Identity, reply: Reply) -> bytes:
    """The unary body (a reply without a failure: a failing reply has no
    unary form and the app answers a 500)."""
    parts = [_part(part, part.joined, part.signature) for part in reply.parts]
    body = _chunk(ident, reply.usage, parts, reply.finish)
    return f"{json.dumps(body, indent=2, ensure_ascii=False)}\n".encode()


def encode_stream(ident: Identity, reply: Reply, *, sse: bool) -> EncodedStream:
    """Every frame of the streamed reply (see the module docstring)."""
    failure = reply.failure
    pieces: list[JSONObject] = []
    for index, part in enumerate(reply.parts):
        chunks = _stream_parts(part)
        if failure is not None and index >= failure.after_parts:
            if index == failure.after_parts and part.kind != "function_call":
                # Pieces of the next part without its closing signature.
                pieces += [_part(part, piece, None) for piece in part.pieces][
                    : failure.extra_pieces
                ]
            break
        pieces += chunks
    elements: list[JSONObject] = [_chunk(ident, reply.usage, [piece], None) for piece in pieces]
    if failure is None:
        if not elements:
            elements.append(_chunk(ident, reply.usage, [], None))
        elements[-1] = _chunk(ident, reply.usage, _parts_of(elements[-1]), reply.finish)
    elif failure.mode == "error":
        elements.append(stream_failure(failure.kind, model=ident.model_version))
    frames = [_sse(e) for e in elements] if sse else _array(elements)
    if failure is not None and failure.mode == "cut":
        return EncodedStream(frames, cut_after=len(frames))
    if not sse:
        frames[-1] += b"\r\n]"
    return EncodedStream(frames)


def _stream_parts(part: ReplyPart) -> list[JSONObject]:
    """The part as stream chunks' parts: one per piece, the signature on the last."""
    if part.kind == "function_call" or not part.pieces:
        return [_part(part, part.joined, part.signature)]
    last = len(part.pieces) - 1
    return [
        _part(part, piece, part.signature if k == last else None)
        for k, piece in enumerate(part.pieces)
    ]


def _part(part: ReplyPart, text: str, signature: bytes | None) -> JSONObject:
    wire: JSONObject
    match part.kind:
        case "text":
            wire = {"text": text}
        case "thought":
            wire = {"text": text, "thought": True}
        case "function_call":
            call: JSONObject = {"name": part.name, "args": dict(part.args or {})}
            if part.call_id is not None:
                call["id"] = part.call_id
            wire = {"functionCall": call}
        case _:
            assert_never(part.kind)
    if signature is not None:
        wire["thoughtSignature"] = base64.b64encode(signature).decode("ascii")
    return wire


def _chunk(
    ident: Identity, usage: ReplyUsage, parts: list[JSONObject], finish: Finish | None
) -> JSONObject:
    content: JSONObject = {"parts": list(parts), "role": "model"} if parts else {"role": "model"}
    candidate: JSONObject = {"content": content}
    if finish is not None:
        candidate["finishReason"] = finish
    candidate["index"] = 0
    if finish == "SAFETY":
        candidate["safetyRatings"] = list(_SAFETY_RATINGS)
    return {
        "candidates": [candidate],
        "usageMetadata": _usage(usage),
        "modelVersion": ident.model_version,
        "responseId": ident.response_id,
    }


def _parts_of(chunk: JSONObject) -> list[JSONObject]:
    candidates = chunk["candidates"]
    assert isinstance(candidates, list) and isinstance(candidates[0], dict)
    content = candidates[0]["content"]
    assert isinstance(content, dict)
    parts = content.get("parts", [])
    assert isinstance(parts, list)
    return [part for part in parts if isinstance(part, dict)]


def _usage(usage: ReplyUsage) -> JSONObject:
    body: JSONObject = {"promptTokenCount": usage.prompt}
    if usage.candidates:
        body["candidatesTokenCount"] = usage.candidates
    body["totalTokenCount"] = usage.total
    if usage.cached:
        body["cachedContentTokenCount"] = usage.cached
    body["promptTokensDetails"] = [{"modality": "TEXT", "tokenCount": usage.prompt}]
    if usage.thoughts:
        body["thoughtsTokenCount"] = usage.thoughts
    return body


def _sse(element: JSONObject) -> bytes:
    data = json.dumps(element, ensure_ascii=False, separators=(",", ":"))
    return f"data: {data}\r\n\r\n".encode()


def _array(elements: list[JSONObject]) -> list[bytes]:
    texts = [json.dumps(element, indent=2, ensure_ascii=False) for element in elements]
    return [(f"[{text}" if k == 0 else f"\r\n,{text}").encode() for k, text in enumerate(texts)]
