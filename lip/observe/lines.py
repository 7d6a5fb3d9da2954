"""A log handler for line-per-request logs: what one event-loop turn logs is
written (and flushed) once, at the end of that turn.

:class:`LineHandler` is a :class:`logging.StreamHandler` (``stream``,
formatter and filters as usual) for the access log: at a few thousand
requests a second, a ``write`` and a ``flush`` per line would cost more than
building the line. Lines logged in one turn of the running event loop are
joined and written together by a callback scheduled for that turn; a line
logged from a thread with no running loop is written at once, and
:meth:`flush` (``logging.shutdown`` calls it at exit) writes whatever is
pending, so nothing is held past the turn that logged it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import TextIO

__all__ = ["LineHandler"]

_MOST_PENDING = 1024
"""Lines held at most before they are written anyway (a very busy turn)."""


class LineHandler(logging.StreamHandler[TextIO]):
    """See the module docstring."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self._pending: list[str] = []
        self.bare = True
        """Whether a record is written as its message alone (no formatter, or
        a plain ``%(message)s`` one), so :meth:`write_lines` may stand in for
        :meth:`emit`."""

    def setFormatter(self, fmt: logging.Formatter | None) -> None:
        super().setFormatter(fmt)
        self.bare = fmt is None or (type(fmt) is logging.Formatter and fmt._fmt == "%(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        # Handler.handle holds self.lock around this call.
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._add(line)

    def write_lines(self, lines: Iterable[str]) -> None:
        """Write each of ``lines`` as :meth:`emit` would write a record whose
        message it is, when :attr:`bare`: for a caller that made the lines
        itself and has no use for a :class:`logging.LogRecord`."""
        self.acquire()
        try:
            self._add_all(lines)
        finally:
            self.release()

    def _add(self, line: str) -> None:
        self._add_all((line,))

    def _add_all(self, lines: Iterable[str]) -> None:
        pending = self._pending
        before = len(pending)
        pending.extend(lines)
        if len(pending) >= _MOST_PENDING:
            self._write()
            return
        if before:  # their write is scheduled already
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._write()
            return
        loop.call_soon(self.flush)

    def flush(self) -> None:
        """Write the pending lines and flush the stream."""
        self.acquire()
        try:
            self._write()
        finally:
            self.release()

    def _write(self) -> None:
        if not self._pending:
            return
        text = self.terminator.join(self._pending) + self.terminator
        self._pending.clear()
        try:
            self.stream.write(text)
            self.stream.flush()
        except Exception:
            # As StreamHandler does for a failed write: report it, keep serving.
            self.handleError(logging.makeLogRecord({"msg": "writing log lines failed"}))
