"""Writes of one event-loop turn leave the process in one ``send``.

uvicorn writes a response's head, each body message and the chunked
terminator with a ``transport.write`` each, and each is a syscall: on
loopback the kernel's TCP work per send costs more than LIP's own per-event
work. :class:`CoalescingTransport` stands in for a connection's transport,
collects the writes made while the event loop runs one turn (a unary reply's
head and body; a stream's head, the events of one upstream read and the
terminator), and hands them to the real transport together at the end of
that turn (``call_soon``). Order is kept: every write, from the protocol or
the request cycle, goes through it, and ``close``/``write_eof`` flush first.
"""

from __future__ import annotations

import asyncio
from typing import Any


class CoalescingTransport:
    """A proxy for an ``asyncio.Transport`` that batches writes per loop turn."""

    __slots__ = ("_buffer", "_loop", "_scheduled", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._buffer: list[bytes] = []
        self._scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        self._buffer.append(bytes(data))
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self.flush)

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        """Hand what was written so far to the real transport."""
        self._scheduled = False
        buffer = self._buffer
        if not buffer:
            return
        data = buffer[0] if len(buffer) == 1 else b"".join(buffer)
        buffer.clear()
        if not self._transport.is_closing():
            self._transport.write(data)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._buffer))

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._buffer.clear()
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        # is_closing, pause_reading, get_extra_info, set_protocol, ...
        return getattr(self._transport, name)


__all__ = ["CoalescingTransport"]
