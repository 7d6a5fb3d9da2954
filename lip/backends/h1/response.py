"""An upstream reply: status and headers, then its body read piece by piece, decoded."""

from __future__ import annotations

from collections.abc import Callable

from lip.backends.h1.connection import Connection
from lip.backends.h1.decoding import Decoder


class Response:
    """A reply whose head has arrived. Read the body with :meth:`read` (bounded)
    or ``async for chunk in response``; then :meth:`close` it, always: the
    connection goes back to its pool only when the body was read to its end."""

    __slots__ = ("_closed", "_conn", "_decoder", "_eof", "_release", "headers", "status")

    def __init__(
        self,
        conn: Connection,
        decoder: Decoder | None,
        release: Callable[[Connection], None],
    ) -> None:
        self.status = conn.status
        self.headers: dict[str, str] = conn.headers
        """Header names in lowercase; a repeated header's values joined by ``", "``."""
        self._conn = conn
        self._decoder = decoder
        self._release = release
        self._eof = self._closed = False

    async def read(self, limit: int) -> bytes:
        """The body, or its first ``limit`` bytes when it is longer (the rest unread)."""
        parts: list[bytes] = []
        size = 0
        while size < limit:
            chunk = await self.next_chunk()
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        return data[:limit] if size > limit else data

    async def next_chunk(self) -> bytes:
        """The next decoded piece of the body as it arrived; ``b""`` at its end."""
        decoder = self._decoder
        if decoder is None:
            chunk = await self._conn.next_chunk()
            if not chunk:
                self._eof = True
            return chunk
        while not self._eof:
            if decoder.pending:
                out = decoder.more()
            else:
                raw = await self._conn.next_chunk()
                if not raw:
                    self._eof = True
                    return decoder.flush()
                out = decoder.feed(raw)
            if out:
                return out
        return b""

    def __aiter__(self) -> Response:
        return self

    async def __anext__(self) -> bytes:
        chunk = await self.next_chunk()
        if not chunk:
            raise StopAsyncIteration
        return chunk

    @property
    def at_eof(self) -> bool:
        """Whether the whole body has been handed over."""
        decoder = self._decoder
        return self._eof or (self._conn.drained and (decoder is None or not decoder.pending))

    def close(self) -> None:
        """Give the connection back to the pool when the body was read to its end
        and the upstream keeps it alive; else drop it (an abandoned or cancelled
        reply must not be read further). Idempotent."""
        if self._closed:
            return
        self._closed = True
        conn = self._conn
        if self.at_eof and conn.reusable:
            self._release(conn)
        elif conn.drained:
            conn.close()
        else:
            conn.abort()


__all__ = ["Response"]
