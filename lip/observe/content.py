"""Prompt and completion text for spans, when ``observability.tracing.capture_content``
asks for it (never by default).

The OpenTelemetry GenAI conventions carry a call's content in three opt-in
attributes, each a JSON text (https://opentelemetry.io/docs/specs/semconv/gen-ai/):

- ``gen_ai.system_instructions``: the system and developer messages' parts;
- ``gen_ai.input.messages``: the other messages, ``{"role", "parts"}`` each;
- ``gen_ai.output.messages``: the reply, one assistant message with its
  ``finish_reason``.

A part is ``{"type": "text", "content"}``, ``{"type": "tool_call", "id",
"name", "arguments"}``, ``{"type": "tool_call_response", "id", "response"}``,
``{"type": "reasoning", "content"}``, ``{"type": "uri", "modality", "uri"}``
or ``{"type": "blob", "modality", "mime_type"}``. What is bounded and left
out, so that a span stays a span:

- binary data (inline images, audio, files) is never copied, only its kind;
- a text longer than :data:`MAX_TEXT` characters is cut there and marked;
- of a long conversation, the last :data:`MAX_MESSAGES` messages are kept.

Every text passes through the runtime's secret scrubber first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import orjson

from lip.canonical import (
    AudioPart,
    Call,
    FilePart,
    ImagePart,
    OpaquePart,
    Part,
    ReasoningPart,
    RefusalPart,
    Response,
    TextPart,
    ToolCallPart,
    ToolResultPart,
    text_of,
)

__all__ = ["MAX_MESSAGES", "MAX_TEXT", "input_attributes", "output_attributes"]

MAX_TEXT = 16_384
"""Characters of one text kept; the rest is cut, and the cut marked."""
MAX_MESSAGES = 64
"""Messages of a conversation kept: the last ones."""

_INSTRUCTIONS = ("system", "developer")

Scrub = Callable[[str], str]
_JSON = dict[str, object]


def input_attributes(call: Call, scrub: Scrub) -> dict[str, str]:
    """``gen_ai.system_instructions`` and ``gen_ai.input.messages`` of a call."""
    instructions: list[_JSON] = []
    messages: list[_JSON] = []
    for message in call.messages[-MAX_MESSAGES:]:
        parts = _parts(message.parts, scrub)
        if message.role in _INSTRUCTIONS:
            instructions.extend(parts)
        else:
            messages.append({"role": message.role, "parts": parts})
    found = {"gen_ai.input.messages": _dumped(messages)}
    if instructions:
        found["gen_ai.system_instructions"] = _dumped(instructions)
    return found


def output_attributes(response: Response, scrub: Scrub) -> dict[str, str]:
    """``gen_ai.output.messages`` of a finished reply."""
    message = {
        "role": "assistant",
        "parts": _parts(response.output, scrub),
        "finish_reason": response.finish_reason.value,
    }
    return {"gen_ai.output.messages": _dumped([message])}


def _parts(parts: Iterable[Part], scrub: Scrub) -> list[_JSON]:
    found: list[_JSON] = []
    for part in parts:
        match part:
            case TextPart():
                found.append({"type": "text", "content": _text(part.text, scrub)})
            case RefusalPart():
                found.append({"type": "refusal", "content": _text(part.text, scrub)})
            case ReasoningPart():
                text = part.text or "\n".join(part.summary)
                found.append({"type": "reasoning", "content": _text(text, scrub)})
            case ToolCallPart():
                found.append(
                    {
                        "type": "tool_call",
                        "id": part.id,
                        "name": part.name,
                        "arguments": _text(part.arguments, scrub),
                    }
                )
            case ToolResultPart():
                response = _text(text_of(part.content), scrub)
                found.append(
                    {"type": "tool_call_response", "id": part.call_id, "response": response}
                )
            case ImagePart():
                found.append(_media("image", part.url, part.media_type, scrub))
            case FilePart():
                if part.text is not None:
                    found.append({"type": "text", "content": _text(part.text, scrub)})
                else:
                    found.append(_media("document", part.url, part.media_type, scrub))
            case AudioPart():
                found.append(_media("audio", None, f"audio/{part.format}", scrub))
            case OpaquePart():
                found.append({"type": part.kind})
    return found


def _media(modality: str, url: str | None, mime_type: str | None, scrub: Scrub) -> _JSON:
    if url is not None and not url.startswith("data:"):
        return {"type": "uri", "modality": modality, "uri": _text(url, scrub)}
    return {"type": "blob", "modality": modality, "mime_type": mime_type}


def _text(text: str, scrub: Scrub) -> str:
    text = scrub(text)  # first: a cut could leave part of a secret unrecognised
    if len(text) > MAX_TEXT:
        text = f"{text[:MAX_TEXT]}…[{len(text) - MAX_TEXT} characters cut]"
    return text


def _dumped(value: object) -> str:
    return orjson.dumps(value).decode()
