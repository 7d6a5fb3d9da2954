"""The upstream client's failures map to the right taxonomy errors (real sockets)."""

from __future__ import annotations

import asyncio
import socket

import pytest

from lip.backends.h1 import (
    ConnectError,
    ConnectionClosed,
    ConnectTimeout,
    ProtocolError,
    ReadTimeout,
    Timeouts,
    TransportError,
)
from lip.backends.transport import UpstreamClient, map_transport_error, retry_after
from lip.canonical import LipError, UpstreamError, UpstreamTimeoutError


def _timeout(read: float = 5.0) -> Timeouts:
    return Timeouts(connect=5.0, read=read)


async def _fail(url: str, timeout: Timeouts) -> LipError:
    client = UpstreamClient()
    try:
        endpoint = client.endpoint(url, {})
        response = await client.send(endpoint, content=b"{}", timeout=timeout, backend_id="up")
        try:
            await response.read(1 << 20)
        finally:
            response.close()
    except TransportError as exc:
        return map_transport_error(exc, "up")
    except LipError as exc:
        return exc
    finally:
        await client.aclose()
    raise AssertionError("the request did not fail")


@pytest.mark.anyio
async def test_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = await _fail(f"http://127.0.0.1:{port}/v1", _timeout())
    assert (
        isinstance(error, UpstreamError) and "could not connect to upstream 'up'" in error.message
    )


class RawServer:
    """A loopback TCP server that answers every request with fixed bytes, then
    either waits (a silent upstream) or closes (a cut)."""

    def __init__(self, reply: bytes, *, close: bool) -> None:
        self.reply, self.close = reply, close
        self.writers: list[asyncio.StreamWriter] = []

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        await reader.read(65536)
        writer.write(self.reply)
        await writer.drain()
        if self.close:
            writer.close()

    async def fail(self, timeout: Timeouts) -> LipError:
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            return await _fail(f"http://127.0.0.1:{port}/v1", timeout)
        finally:
            for writer in self.writers:
                writer.close()
                await writer.wait_closed()
            server.close()
            await server.wait_closed()


@pytest.mark.anyio
@pytest.mark.parametrize("reply", [b"", b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n{"])
async def test_silent_upstream_is_a_timeout(reply: bytes) -> None:
    error = await RawServer(reply, close=False).fail(_timeout(read=0.2))
    assert isinstance(error, UpstreamTimeoutError)
    assert "127.0.0.1" not in error.message


@pytest.mark.anyio
async def test_connection_closed_mid_body_is_reported_as_such() -> None:
    reply = b'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"partial"'
    error = await RawServer(reply, close=True).fail(_timeout())
    assert isinstance(error, UpstreamError) and "closed the connection" in error.message


@pytest.mark.anyio
async def test_a_reply_that_is_not_http_is_reported_as_such() -> None:
    error = await RawServer(b"220 smtp.example ESMTP\r\n", close=True).fail(_timeout())
    assert isinstance(error, UpstreamError) and "not valid HTTP" in error.message


@pytest.mark.parametrize(
    ("exc", "kind", "words"),
    [
        (ConnectTimeout("x"), UpstreamTimeoutError, "timed out connecting to upstream 'up'"),
        (ReadTimeout("x"), UpstreamTimeoutError, "timed out waiting for upstream 'up'"),
        (ConnectError("x"), UpstreamError, "could not connect to upstream 'up'"),
        (ProtocolError("x"), UpstreamError, "upstream 'up' sent a reply that is not valid HTTP"),
        (ConnectionClosed("x"), UpstreamError, "upstream 'up' closed the connection mid-response"),
        (TransportError("x"), UpstreamError, "upstream 'up' failed: TransportError"),
    ],
)
def test_each_transport_failure_has_its_taxonomy_error(
    exc: TransportError, kind: type[LipError], words: str
) -> None:
    error = map_transport_error(exc, "up")
    assert type(error) is kind and error.message == words


def test_retry_after_forms() -> None:
    assert retry_after({"retry-after": "7"}) == 7.0
    assert retry_after({"retry-after-ms": "1500", "retry-after": "7"}) == 1.5
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) is None
    assert retry_after({}) is None


@pytest.mark.anyio
async def test_upstream_cookies_are_never_replayed() -> None:
    """A shared client must not carry one tenant's upstream cookies into another's request."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from refbackends.serving import serve_in_thread

    seen: list[str | None] = []

    async def endpoint(request: Request) -> JSONResponse:
        seen.append(request.headers.get("cookie"))
        response = JSONResponse({})
        response.set_cookie("session", "tenant-a-secret")
        return response

    app = Starlette(routes=[Route("/v1", endpoint, methods=["POST"])])
    client = UpstreamClient()
    try:
        with serve_in_thread(app) as url:
            url = url.replace("127.0.0.1", "localhost")  # cookie jars ignore IP hosts
            for _ in range(2):
                response = await client.send(
                    client.endpoint(f"{url}/v1", {}),
                    content=b"{}",
                    timeout=_timeout(),
                    backend_id="up",
                )
                assert "tenant-a-secret" in response.headers["set-cookie"]
                await response.read(1000)
                response.close()
    finally:
        await client.aclose()
    assert seen == [None, None]
