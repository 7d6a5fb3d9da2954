"""The per-token Anthropic stream event, read without the wire model.

Nearly every event of a stream is a ``content_block_delta`` carrying a
``text_delta``, an ``input_json_delta`` or a ``thinking_delta``.
:func:`read_delta` decodes and type-checks exactly that shape in C
(msgspec structs that refuse unknown fields) and answers ``None`` for any
other event, which the stream decoder then validates with the generated
model. A test holds both paths to the same events.
"""

from __future__ import annotations

from typing import Literal

import msgspec

__all__ = ["DeltaKind", "read_delta"]

DeltaKind = Literal["text", "json", "thinking"]


class _Text(msgspec.Struct, tag="text_delta", tag_field="type", forbid_unknown_fields=True):
    text: str


class _Json(msgspec.Struct, tag="input_json_delta", tag_field="type", forbid_unknown_fields=True):
    partial_json: str


class _Thinking(msgspec.Struct, tag="thinking_delta", tag_field="type", forbid_unknown_fields=True):
    thinking: str


class _BlockDelta(
    msgspec.Struct, tag="content_block_delta", tag_field="type", forbid_unknown_fields=True
):
    index: int
    delta: _Text | _Json | _Thinking


_DECODE = msgspec.json.Decoder(_BlockDelta).decode


def read_delta(data: str) -> tuple[int, DeltaKind, str] | None:
    """``(index, kind, text)`` of a text, tool-input or thinking delta event, else ``None``."""
    try:
        event = _DECODE(data)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    delta = event.delta
    if type(delta) is _Text:
        return event.index, "text", delta.text
    if type(delta) is _Json:
        return event.index, "json", delta.partial_json
    assert type(delta) is _Thinking
    return event.index, "thinking", delta.thinking
