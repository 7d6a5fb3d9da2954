"""A rough input-token estimate, for protocols' count-tokens routes when the
chosen upstream has no counting endpoint of its own."""

from __future__ import annotations

import json

from lip.canonical.call import Call
from lip.canonical.parts import (
    AudioPart,
    FilePart,
    ImagePart,
    OpaquePart,
    Part,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)

CHARS_PER_TOKEN = 4
IMAGE_TOKENS = 1_600
"""What one image or inline document page roughly costs (vendors report 1-2k)."""


def _chars(part: Part) -> int:
    match part:
        case TextPart(text=t) | RefusalPart(text=t) | ReasoningPart(text=t):
            return len(t)
        case ToolCallPart(name=n, arguments=a):
            return len(n) + len(a)
        case ToolResultPart(content=content):
            return sum(_chars(p) for p in content)
        case FilePart(text=t) if t is not None:
            return len(t)
        case ImagePart() | FilePart() | AudioPart():
            return IMAGE_TOKENS * CHARS_PER_TOKEN
        case OpaquePart(block=block):
            return len(json.dumps(block))
    return 0


def estimate_input_tokens(call: Call) -> int:
    """About four characters a token over messages and tool definitions; at least 1."""
    chars = 0
    for message in call.messages:
        for part in message.parts:
            # Text is nearly every part: its length without the match below.
            chars += len(part.text) if type(part) is TextPart else _chars(part)
    for tool in call.tools:
        chars += len(tool.name) + len(tool.description or "")
        if tool.parameters is not None:
            chars += len(json.dumps(tool.parameters, separators=(",", ":")))
    return max(chars // CHARS_PER_TOKEN, 1)


__all__ = ["estimate_input_tokens"]
