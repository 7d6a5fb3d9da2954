"""Opening a connection to an origin: directly, to a forward proxy, or through a
``CONNECT`` tunnel with TLS to the upstream inside it (RFC 9110 section 9.3.6).

The caller bounds the whole of it (TCP, proxy, TLS handshake) by the connect
timeout; any failure is a :class:`ConnectError`, and what was opened is
aborted before it is raised.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable

from lip.backends.h1.connection import Connection
from lip.backends.h1.endpoint import Origin
from lip.backends.h1.errors import ConnectError

_MAX_TUNNEL_REPLY = 64 * 1024


async def open_connection(origin: Origin, factory: Callable[[], Connection]) -> Connection:
    """A connected (and, for https, TLS-established) connection to ``origin``."""
    loop = asyncio.get_running_loop()
    proxy = origin.proxy
    try:
        if proxy is None:
            _, conn = await loop.create_connection(
                factory,
                origin.host,
                origin.port,
                ssl=origin.tls,
                server_hostname=origin.host if origin.tls is not None else None,
            )
        elif origin.tls is None:
            # Plain http through a proxy: requests go to it in absolute form.
            _, conn = await loop.create_connection(factory, proxy.host, proxy.port)
        else:
            conn = await _tunnel(loop, origin, factory)
    except ssl.SSLError as exc:
        raise ConnectError(f"TLS handshake failed ({exc.reason or type(exc).__name__})") from None
    except OSError as exc:
        if isinstance(exc, TimeoutError):
            raise  # the caller's connect timeout
        raise ConnectError(f"could not connect ({type(exc).__name__})") from None
    return conn


async def _tunnel(
    loop: asyncio.AbstractEventLoop, origin: Origin, factory: Callable[[], Connection]
) -> Connection:
    proxy = origin.proxy
    assert proxy is not None and origin.tls is not None
    raw, tunnel = await loop.create_connection(lambda: _TunnelReply(loop), proxy.host, proxy.port)
    try:
        request = f"CONNECT {origin.authority} HTTP/1.1\r\nhost: {origin.authority}\r\n"
        if proxy.authorization is not None:
            request += f"proxy-authorization: {proxy.authorization}\r\n"
        raw.write(f"{request}\r\n".encode())
        await tunnel.status
        conn = factory()
        tls = await loop.start_tls(raw, conn, origin.tls, server_hostname=origin.host)
        if tls is None:  # the transport closed during the handshake
            raise ConnectError("the proxy closed the tunnel")
        conn.connection_made(tls)
    except BaseException:
        raw.abort()
        raise
    return conn


class _TunnelReply(asyncio.Protocol):
    """Reads the proxy's reply to ``CONNECT``; ``status`` resolves on a 2xx."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.status: asyncio.Future[int] = loop.create_future()
        self._buffer = b""

    def data_received(self, data: bytes) -> None:
        if self.status.done():
            return
        self._buffer += data
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > _MAX_TUNNEL_REPLY:
                self.status.set_exception(ConnectError("the proxy's reply is not HTTP"))
            return
        if end + 4 != len(self._buffer):
            # The upstream's TLS must be the first thing in the tunnel.
            self.status.set_exception(ConnectError("the proxy sent bytes after its reply"))
            return
        line = self._buffer.split(b"\r\n", 1)[0].split()
        if len(line) < 2 or not line[0].startswith(b"HTTP/1.") or not line[1].isdigit():
            self.status.set_exception(ConnectError("the proxy's reply is not HTTP"))
        elif not 200 <= int(line[1]) < 300:
            code = int(line[1])
            self.status.set_exception(ConnectError(f"the proxy refused the tunnel ({code})"))
        else:
            self.status.set_result(int(line[1]))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.status.done():
            self.status.set_exception(ConnectError("the proxy closed the connection"))


__all__ = ["open_connection"]
