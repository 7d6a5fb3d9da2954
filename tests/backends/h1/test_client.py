"""What the client does and refuses to do, over loopback: connect failures, no
cookies, no redirects, a retried request only when it is safe."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import pytest

from lip.backends.h1 import Client, ConnectError, ConnectTimeout, Timeouts
from lip.backends.h1.connection import Connection
from tests.backends.h1.rawserver import Seen, reply, serve
from tests.cycles import cyclic_garbage, frames_of

TIMEOUTS = Timeouts(connect=5.0, read=5.0)


@pytest.fixture
def full_backlog() -> Iterator[int]:
    """A port whose listener never accepts and whose accept queue is full: the
    kernel drops new SYNs, so a connect hangs (on loopback, no outside address)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@pytest.mark.anyio
async def test_a_connect_that_hangs_is_a_connect_timeout(full_backlog: int) -> None:
    client = Client()
    endpoint = client.endpoint(f"http://127.0.0.1:{full_backlog}/v1", {})
    with pytest.raises(ConnectTimeout):
        await client.post(endpoint, b"{}", timeouts=Timeouts(connect=0.3, read=5))
    assert endpoint.pool.open_connections == 0
    await client.aclose()


@pytest.mark.anyio
async def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client()
    with pytest.raises(ConnectError) as caught:
        await client.post(
            client.endpoint(f"http://127.0.0.1:{port}/v1", {}), b"", timeouts=TIMEOUTS
        )
    assert not isinstance(caught.value, ConnectTimeout)
    assert str(port) not in str(caught.value)
    await client.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", [("asyncio", {"use_uvloop": True})], ids=["uvloop"])
async def test_connections_refused_used_and_closed_leave_nothing_to_the_collector() -> None:
    # uvloop (what `lip serve` runs) makes the protocol before it connects.
    async def answers(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(reply())
        return True

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with serve(answers) as (url, _):
        with cyclic_garbage() as garbage:
            client = Client()
            for _ in range(3):
                with pytest.raises(ConnectError):
                    await client.post(
                        client.endpoint(f"http://127.0.0.1:{port}/v1", {}), b"", timeouts=TIMEOUTS
                    )
            response = await client.post(client.endpoint(url, {}), b"{}", timeouts=TIMEOUTS)
            await response.read(1024)
            response.close()
            await client.aclose()
            await asyncio.sleep(0.05)  # connection_lost is called soon after the close
    assert not [o for o in garbage if isinstance(o, Connection)]
    assert frames_of(garbage) == []


@pytest.mark.anyio
async def test_cookies_are_never_stored_or_sent() -> None:
    async def sets_cookie(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(reply(set_cookie="session=tenant-a-secret; Path=/"))
        return True

    async with serve(sets_cookie) as (url, log):
        client = Client()
        endpoint = client.endpoint(url.replace("127.0.0.1", "localhost"), {})
        for _ in range(2):
            response = await client.post(endpoint, b"{}", timeouts=TIMEOUTS)
            assert "tenant-a-secret" in response.headers["set-cookie"]
            await response.read(100)
            response.close()
        await client.aclose()
    assert [seen.headers.get("cookie") for seen in log.requests] == [None, None]


@pytest.mark.anyio
@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_a_redirect_is_returned_not_followed(status: int) -> None:
    async def redirects(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(reply(status, b"moved", location="/elsewhere"))
        return True

    async with serve(redirects) as (url, log):
        client = Client()
        response = await client.post(client.endpoint(f"{url}/v1", {}), b"{}", timeouts=TIMEOUTS)
        assert response.status == status and response.headers["location"] == "/elsewhere"
        assert await response.read(100) == b"moved"
        response.close()
        await client.aclose()
    assert [seen.line for seen in log.requests] == ["POST /v1 HTTP/1.1"]


@pytest.mark.anyio
async def test_the_request_on_the_wire() -> None:
    async with serve() as (url, log):
        client = Client()
        fixed = {"Authorization": "Bearer k", "Content-Length": "999"}  # framing: the client's
        endpoint = client.endpoint(f"{url}/v1/chat?alt=sse", fixed)
        extra = {"anthropic-version": "2023-06-01", "authorization": "Bearer other"}
        response = await client.post(endpoint, b'{"a": 1}', timeouts=TIMEOUTS, headers=extra)
        response.close()
        await client.aclose()
    (seen,) = log.requests
    assert seen.line == "POST /v1/chat?alt=sse HTTP/1.1"
    port = url.rsplit(":", 1)[1]
    assert seen.headers == {
        "host": f"127.0.0.1:{port}",
        "authorization": "Bearer other",  # a per-request header replaces the endpoint's
        "anthropic-version": "2023-06-01",
        "content-length": "8",
    }
    assert seen.body == b'{"a": 1}'


def test_headers_that_would_split_the_head_are_refused() -> None:
    client = Client()
    with pytest.raises(ValueError, match="x-bad"):
        client.endpoint("http://127.0.0.1:9/v1", {"x-bad": "a\r\nx-injected: 1"})
    with pytest.raises(ValueError):
        client.endpoint("http://127.0.0.1:9/v1", {"bad name": "v"})
    endpoint = client.endpoint("http://127.0.0.1:9/v1", {})
    with pytest.raises(ValueError):
        endpoint.request(b"", {"x-bad": "a\nb"})


def test_a_traceparent_is_sent_once_and_only_as_lip_makes_it() -> None:
    endpoint = Client().endpoint("http://127.0.0.1:9/v1", {"x-a": "1"})
    trace = "00-" + "a" * 32 + "-" + "b" * 16 + "-01"
    head = endpoint.request(b"{}", {"Traceparent": "00-old", "x-b": "2"}, trace).split(b"\r\n")
    assert [line for line in head if line.startswith(b"traceparent")] == [
        b"traceparent: " + trace.encode()
    ]
    assert b"x-a: 1" in head and b"x-b: 2" in head and head[-1] == b"{}"
    # Not ASCII: a letter, a digit of another script (str.isalnum takes
    # both), a lone surrogate (no UTF-8 at all).
    for bad in (
        "00-a\r\nx-injected: 1-b-01",
        "00-\u00e9-b-01",
        "00-\u0663-01",
        "00-\ud800",
        "00 a",
    ):
        with pytest.raises(ValueError):
            endpoint.request(b"", None, bad)


def test_urls_become_origins_and_targets() -> None:
    client = Client()
    endpoint = client.endpoint("http://[::1]:8080/v1/models/a b:run?x=1#frag", {})
    origin = endpoint.pool.origin
    assert (origin.scheme, origin.host, origin.port, origin.tls) == ("http", "::1", 8080, None)
    assert endpoint.request(b"").startswith(
        b"POST /v1/models/a%20b:run?x=1 HTTP/1.1\r\nhost: [::1]:8080\r\n"
    )
    secure = client.endpoint("https://example.test/v1", {})
    assert secure.pool.origin.port == 443 and secure.pool.origin.tls is client.tls()
    assert secure.request(b"").startswith(b"POST /v1 HTTP/1.1\r\nhost: example.test\r\n")
    with pytest.raises(ValueError):
        client.endpoint("ftp://example.test/", {})
