"""Counting what a request holds (messages, content parts, tools) against the
limits, for every protocol whose body has ``messages[].content`` and ``tools``.

Bodies larger than :data:`PRESCAN_BYTES` are counted from plain JSON before
they are validated: parsing is several times cheaper than validation, and a
body of 300k tiny parts would otherwise hold the server for a second. The
count after validation is exact for every body.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from lip.canonical import Limits

PRESCAN_BYTES = 256 * 1024

__all__ = ["PRESCAN_BYTES", "check_counts", "prescan"]


def check_counts(messages: Iterable[Any], tools: Iterable[Any] | None, limits: Limits) -> None:
    """Raise the limits' 400 when there are too many; ``messages`` are wire
    models or plain JSON objects (their ``content`` counts when it is a list)."""
    messages = list(messages)
    parts = 0
    for message in messages:
        content = (
            message.get("content")
            if isinstance(message, dict)
            else getattr(message, "content", None)
        )
        if isinstance(content, list):
            parts += len(content)
    limits.check_counts(messages=len(messages), parts=parts, tools=len(list(tools or ())))


def prescan(body: bytes, limits: Limits) -> None:
    """Count a large body from plain JSON before validation (module docstring)."""
    if len(body) <= PRESCAN_BYTES:
        return
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        return  # the validator words the error
    if not isinstance(raw, dict):
        return
    messages, tools = raw.get("messages"), raw.get("tools")
    check_counts(
        messages if isinstance(messages, list) else (),
        tools if isinstance(tools, list) else (),
        limits,
    )
