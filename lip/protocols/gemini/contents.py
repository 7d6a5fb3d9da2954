"""Gemini ``contents`` <-> canonical turns, both directions.

Decoding reads the request as camelCase JSON (the validated wire model
dumped by alias, so snake_case clients read the same): ``user`` turns,
``model`` turns as assistant turns, function responses as a tool turn placed
before the user's own words. Parts: text (``thought: true`` is reasoning),
``inlineData`` / ``fileData`` as images, audio (inline) or files by MIME type,
``functionCall`` / ``functionResponse``; a ``thoughtSignature`` on any part
is provider state of this protocol (sent back only to Gemini upstreams).
Gemini matches function responses to calls by name and order; a call
without an ``id`` gets one from its position (``gemini_call_<turn>_<part>``),
stable as the history grows, and a response without one answers the earliest
unanswered call of that name, in order. A function response whose ``response``
is one string under ``output`` or ``result`` is that text (under ``error``, a
failed call's), any other its JSON; Gemini upstreams get the object as it
came. Parts with no canonical meaning (executable code and its result) are
opaque parts. Going to Gemini, a model turn from another protocol's client
has its first function call signed with the API's dummy signature.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lip.canonical import (
    AudioPart,
    FilePart,
    ImagePart,
    InvalidRequestError,
    JSONValue,
    Message,
    OpaquePart,
    Part,
    ProviderState,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
    foreign_block,
    sendable,
    state_for,
)
from lip.protocols.gemini.carry import NAME, PROTOCOL, ROLE, extra, own, wrap

__all__ = ["DUMMY_SIGNATURE", "decode_contents", "encode_contents", "part_json", "result_object"]

Raw = dict[str, Any]
_RESPONSE = "lip:response"
"""Tool-result extension key: the ``response`` object exactly as the client sent it."""
DUMMY_SIGNATURE = "skip_thought_signature_validator"
"""What the API takes as the signature of a function call it did not make."""
_TEXT_KEYS = frozenset({"output", "result"})
"""A ``response`` of one string under these keys is that text (``output``: the
API's documented key for a function's output; ``result``: the SDKs' own, and
what a text result becomes going to Gemini, :func:`result_object`)."""


def _state(part: Raw) -> ProviderState | None:
    signature = part.get("thoughtSignature")
    return ProviderState(origin=PROTOCOL, signature=signature) if signature else None


def _media(blob: Raw, url: bool) -> Part:
    mime = blob.get("mimeType")
    source = blob.get("fileUri") if url else blob.get("data")
    fields = extra(blob, frozenset({"mimeType", "fileUri" if url else "data"}))
    if not isinstance(source, str):
        raise InvalidRequestError("A media part needs its data.", param="contents")
    if isinstance(mime, str) and mime.startswith("audio/") and not url:
        return AudioPart(data=source, format=mime.removeprefix("audio/"), extensions=wrap(fields))
    if isinstance(mime, str) and mime.startswith("image/"):
        if url:
            return ImagePart(url=source, media_type=mime, extensions=wrap(fields))
        return ImagePart(data=source, media_type=mime, extensions=wrap(fields))
    if url:
        return FilePart(url=source, media_type=mime, extensions=wrap(fields))
    return FilePart(data=source, media_type=mime, extensions=wrap(fields))


def _part(part: Raw, ident: str, open_calls: dict[str, list[str]]) -> Part:
    fields = extra(part, frozenset({"text", "thought", "thoughtSignature"}))
    if "text" in part and not set(fields):
        text = part["text"] or ""  # an explicit null is no text
        if part.get("thought"):  # Gemini's own, signed or not: it goes back to Gemini
            return ReasoningPart(text=text, state=_state(part) or ProviderState(origin=PROTOCOL))
        return TextPart(text=text, state=_state(part))
    call = part.get("functionCall")
    if isinstance(call, dict) and set(part) <= {"functionCall", "thoughtSignature"}:
        call_id = call.get("id") or ident
        open_calls.setdefault(call.get("name") or "", []).append(call_id)
        return ToolCallPart(
            id=call_id,
            name=call.get("name") or "",
            arguments=json.dumps(call.get("args") or {}, separators=(",", ":")),
            state=_state(part),
            extensions=wrap(extra(call, frozenset({"name", "args"}))),
        )
    answer = part.get("functionResponse")
    if isinstance(answer, dict) and set(part) == {"functionResponse"}:
        name = answer.get("name") or ""
        waiting = open_calls.get(name) or []
        call_id = answer.get("id") or (waiting[0] if waiting else f"gemini_call_{name}")
        if call_id in waiting:  # answered: a later response by name answers the next call
            waiting.remove(call_id)
        response = answer.get("response") or {}
        fields = extra(answer, frozenset({"name", "response"}))
        fields.update({NAME: name, _RESPONSE: response})
        (key, value), *more = list(response.items()) or [("", None)]
        error = key == "error" and not more and isinstance(value, str)
        if error or (key in _TEXT_KEYS and not more and isinstance(value, str)):
            text = str(value)
        else:
            text = json.dumps(response, separators=(",", ":"), ensure_ascii=False)
        return ToolResultPart(
            call_id=call_id,
            content=(TextPart(text=text),),
            name=name,
            is_error=error,
            extensions=wrap(fields),
        )
    for key, url in (("inlineData", False), ("fileData", True)):
        if isinstance(part.get(key), dict) and set(part) == {key}:
            return _media(part[key], url)
    return OpaquePart(origin=PROTOCOL, block=part)


def decode_contents(contents: Sequence[Raw]) -> list[Message]:
    """``contents`` as canonical turns (see the module docstring)."""
    turns: list[Message] = []
    open_calls: dict[str, list[str]] = {}
    for number, content in enumerate(contents):
        role = content.get("role") or "user"
        fields = extra(content, frozenset({"role", "parts"}))
        parts = [
            _part(p, f"gemini_call_{number}_{k}", open_calls)
            for k, p in enumerate(content.get("parts") or ())
        ]
        if role == "model":
            turns.append(Message(role="assistant", parts=tuple(parts), extensions=wrap(fields)))
            continue
        results = tuple(p for p in parts if isinstance(p, ToolResultPart))
        rest = tuple(p for p in parts if not isinstance(p, ToolResultPart))
        if results:
            marker = {ROLE: role} if role != "user" else {}
            turns.append(Message(role="tool", parts=results, extensions=wrap(marker)))
        if rest or not results:
            turns.append(Message(role="user", parts=rest, extensions=wrap(fields)))
    return turns


# -- encoding: canonical turns -> contents


def _signed(body: Raw, state: ProviderState | None) -> Raw:
    mine = state_for(state, PROTOCOL)
    if mine is not None and mine.signature:
        body["thoughtSignature"] = mine.signature
    return body


def part_json(part: Part) -> Raw | None:
    """One canonical part as a Gemini part (``None``: nothing to send)."""
    match part:
        case TextPart():
            return _signed({"text": part.text}, part.state) if part.text else None
        case RefusalPart():
            return {"text": part.text}
        case ReasoningPart():
            mine = state_for(part.state, PROTOCOL)
            if mine is None:
                return None  # reasoning of another model: no Gemini form
            return _signed({"text": part.text, "thought": True}, part.state)
        case ImagePart() | FilePart():
            return _media_json(part)
        case AudioPart():
            mime = f"audio/{part.format}"
            return {"inlineData": {"mimeType": mime, "data": part.data, **own(part.extensions)}}
        case ToolCallPart():
            try:
                args = json.loads(part.arguments) if part.arguments.strip() else {}
            except ValueError:
                args = None
            if not isinstance(args, dict):
                raise InvalidRequestError(
                    f"The arguments of tool call '{part.id}' are not a JSON object;"
                    " a Gemini upstream needs one.",
                    param="messages",
                    code="invalid_value",
                )
            call: Raw = {"name": part.name, "args": args, **own(part.extensions)}
            return _signed({"functionCall": call}, part.state)
        case OpaquePart():
            if part.origin != PROTOCOL:
                raise foreign_block(part, "a Gemini upstream")
            return dict(part.block)
        case _:
            raise InvalidRequestError(
                f"A Gemini upstream does not take {type(part).__name__} here.",
                param="messages",
                code="unsupported_value",
            )


def _media_json(part: ImagePart | FilePart) -> Raw:
    fields = own(part.extensions)
    if isinstance(part, FilePart) and part.text is not None:
        return {"text": part.text}
    if isinstance(part, FilePart) and part.file_id is not None and part.data is None:
        return {"fileData": {"mimeType": part.media_type, "fileUri": part.file_id, **fields}}
    if part.url is not None:
        media = part.media_type or ("image/jpeg" if isinstance(part, ImagePart) else None)
        return {"fileData": {"mimeType": media, "fileUri": part.url, **fields}}
    mime = part.media_type or "application/octet-stream"
    return {"inlineData": {"mimeType": mime, "data": part.data, **fields}}


def result_object(part: ToolResultPart) -> dict[str, JSONValue]:
    """A tool result as the ``response`` object Gemini needs."""
    fields = own(part.extensions)
    kept = fields.get(_RESPONSE)
    if isinstance(kept, dict):
        return kept
    text = "".join(p.text for p in part.content if isinstance(p, TextPart))
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, dict):
        return value
    key = "error" if part.is_error else "result"
    return {key: text}


def _results(message: Message, names: dict[str, str]) -> list[Raw]:
    out = []
    for part in message.parts:
        if not isinstance(part, ToolResultPart):
            continue
        fields = own(part.extensions)
        name = fields.pop(NAME, None) or part.name or names.get(part.call_id, "")
        fields.pop(_RESPONSE, None)
        answer: Raw = {"name": name, "response": result_object(part), **fields}
        out.append({"functionResponse": answer})
    return out


def _sign_first_call(parts: list[Raw]) -> None:
    """Sign a model turn's first function call with the API's documented
    dummy when it has no signature of Gemini's own (Gemini 3 refuses unsigned
    calls in the current turn; https://ai.google.dev/gemini-api/docs/thought-signatures)."""
    call = next((p for p in parts if "functionCall" in p), None)
    if call is not None and "thoughtSignature" not in call:
        call["thoughtSignature"] = DUMMY_SIGNATURE


def encode_contents(messages: Sequence[Message], *, foreign: bool = False) -> list[Raw]:
    """Canonical turns (system turns excluded) as ``contents``. Consecutive tool
    turns and the user's words right after them share one content: Gemini wants
    the responses to one model turn's calls together, in the turn after it.
    ``foreign``: the turns come from a client of another protocol, whose
    function calls carry no Gemini signature (each turn's first gets the
    dummy); a Gemini client's turns go as they came."""
    contents: list[Raw] = []
    names: dict[str, str] = {}
    answering = False  # the last content holds function responses, and no words yet
    for message in messages:
        if message.role == "assistant":
            parts = []
            for part in sendable(message.parts, PROTOCOL, assistant=True):
                if isinstance(part, ToolCallPart):
                    names[part.id] = part.name
                body = part_json(part)
                if body is not None:
                    parts.append(body)
            if foreign:
                _sign_first_call(parts)
            if parts:
                contents.append({"role": "model", "parts": parts, **_fields(message)})
                answering = False
            continue
        if message.role == "tool":
            parts = _results(message, names)
            role = own(message.extensions).get(ROLE) or "user"
        else:
            parts = [b for b in map(part_json, message.parts) if b is not None]
            role = "user"
        if not parts:
            continue
        if answering and contents[-1]["role"] == role:
            contents[-1]["parts"].extend(parts)
        else:
            contents.append({"role": role, "parts": parts, **_fields(message)})
        answering = message.role == "tool"
    return contents


def _fields(message: Message) -> Raw:
    return {k: v for k, v in own(message.extensions).items() if not k.startswith("lip:")}
