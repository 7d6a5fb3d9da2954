"""Server-Sent Events framing: bytes <-> events, per the WHATWG HTML spec.

https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

This layer knows nothing about what the events mean (OpenAI's ``[DONE]``,
Anthropic's ``event:`` names are the protocols' business). The decoder is
indifferent to how the network splits the bytes: inside a UTF-8 character,
inside a field name, between the CR and LF of a line ending, or many frames
glued in one read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_LINE_END = re.compile(r"\r\n|\r|\n")


class SSEFrameTooLarge(ValueError):
    """An event (or a line) grew past the decoder's limit without ending."""


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event. ``event`` is ``None`` when no ``event:`` field was sent
    (the spec's default type, "message")."""

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Incremental decoder: ``feed`` bytes as they arrive, get complete events.

    ``max_event_chars`` bounds the memory one unfinished event may hold (the
    pending line plus its ``data`` lines); a peer that never ends its event
    gets :class:`SSEFrameTooLarge` instead of unbounded buffering.
    """

    __slots__ = (
        "_after_cr",
        "_data",
        "_data_chars",
        "_event",
        "_last_id",
        "_max",
        "_parts",
        "_parts_chars",
        "_retry",
        "_started",
        "_utf8",
    )

    def __init__(self, max_event_chars: int = 16 * 1024 * 1024) -> None:
        self._max = max_event_chars
        self._data_chars = 0
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        # The unfinished line, as the pieces it arrived in: each read is scanned
        # once, so an event of any length costs time linear in its size.
        self._parts: list[str] = []
        self._parts_chars = 0
        self._after_cr = False
        self._data: list[str] = []
        self._event: str | None = None
        self._last_id: str | None = None
        self._retry: int | None = None
        self._started = False

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        text = self._utf8.decode(chunk)
        if not text:
            return []
        if not self._started:
            # A leading U+FEFF is a byte order mark, not content (spec: "one leading BOM").
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        events: list[SSEEvent] = []
        if self._after_cr:
            # The previous read ended in CR: an LF now is the second half of CRLF.
            self._after_cr = False
            if text.startswith("\n"):
                text = text[1:]
        if "\r" in text:
            self._lines_any_ending(text, events)
        else:
            self._lines_lf(text, events)
        if self._parts_chars + self._data_chars > self._max:
            raise SSEFrameTooLarge(f"an SSE event exceeded {self._max} characters")
        return events

    def _lines_lf(self, text: str, events: list[SSEEvent]) -> None:
        """The common case, every line ending a bare LF: split in C, and take
        ``data:`` and blank lines (nearly all of them) without a call each."""
        lines = text.split("\n")
        rest = lines.pop()  # after the last LF: an unfinished line, or ""
        if lines and self._parts:
            self._parts.append(lines[0])
            lines[0] = "".join(self._parts)
            self._parts.clear()
            self._parts_chars = 0
        data = self._data
        for line in lines:
            if not line:
                if data:
                    events.append(
                        SSEEvent("\n".join(data), self._event, self._last_id, self._retry)
                    )
                    data = self._data = []
                    self._data_chars = 0
                    self._event = None
                    self._retry = None
                elif self._event is not None or self._retry is not None:
                    self._event = self._retry = None
            elif line.startswith("data: "):
                data.append(line[6:])
                self._data_chars += len(line) - 5
            else:
                self._line(line, events)
                data = self._data
        if rest:
            self._parts.append(rest)
            self._parts_chars += len(rest)

    def _lines_any_ending(self, text: str, events: list[SSEEvent]) -> None:
        pos = 0
        for match in _LINE_END.finditer(text):
            piece = text[pos : match.start()]
            if self._parts:
                self._parts.append(piece)
                piece = "".join(self._parts)
                self._parts.clear()
                self._parts_chars = 0
            self._line(piece, events)
            pos = match.end()
        if pos < len(text):
            rest = text[pos:]
            self._parts.append(rest)
            self._parts_chars += len(rest)
        elif text.endswith("\r"):
            self._after_cr = True

    def close(self) -> list[SSEEvent]:
        """End of stream. Per the spec an incomplete final event is discarded."""
        self._utf8.decode(b"", final=True)
        self._parts.clear()
        self._parts_chars = 0
        return []

    def _line(self, line: str, events: list[SSEEvent]) -> None:
        if not line:
            if self._data:
                events.append(
                    SSEEvent("\n".join(self._data), self._event, self._last_id, self._retry)
                )
            self._data = []
            self._data_chars = 0
            self._event = None
            self._retry = None
            return
        if line[0] == ":":
            return
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._data_chars += len(value) + 1
        elif name == "event":
            self._event = value or None
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)


def encode_event(data: str, event: str | None = None) -> bytes:
    """One SSE frame. Multi-line ``data`` becomes several ``data:`` lines."""
    head = f"event: {event}\n" if event is not None else ""
    if "\n" in data or "\r" in data:
        body = "".join(f"data: {line}\n" for line in _LINE_END.split(data))
    else:
        body = f"data: {data}\n"
    return f"{head}{body}\n".encode()


def encode_comment(text: str = "") -> bytes:
    """A comment frame (keep-alive); clients ignore it."""
    return f": {text}\n\n".encode()


__all__ = ["SSEDecoder", "SSEEvent", "SSEFrameTooLarge", "encode_comment", "encode_event"]
