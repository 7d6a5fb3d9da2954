"""Replies as the connection parses them, over real loopback sockets: framing at any
chunk boundary, timeouts, malformed and oversized heads, flow control, cancellation."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from lip.backends.h1 import Client, ConnectionClosed, ProtocolError, ReadTimeout, Timeouts
from lip.backends.h1.connection import HIGH_WATER
from tests.backends.h1.rawserver import Seen, reply, serve

TIMEOUTS = Timeouts(connect=5.0, read=5.0)
BODY = b'{"text": "' + b"abcdefghij" * 40 + b'"}'


def _pieces(data: bytes, cuts: list[int]) -> list[bytes]:
    """``data`` cut at every offset in ``cuts`` (offsets past the end ignored)."""
    edges = [0, *sorted(c for c in cuts if 0 < c < len(data)), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges) if b > a]


def _dribbling(data: bytes, cuts: list[int], *, close: bool = False):  # type: ignore[no-untyped-def]
    async def handler(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        for piece in _pieces(data, cuts):
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.002)  # each piece its own read on the client
        return not close

    return handler


async def _fetch(url: str, *, client: Client | None = None, limit: int = 1 << 20) -> bytes:
    own = client is None
    client = client or Client()
    try:
        response = await client.post(client.endpoint(f"{url}/v1", {}), b"{}", timeouts=TIMEOUTS)
        try:
            return await response.read(limit)
        finally:
            response.close()
    finally:
        if own:
            await client.aclose()


CUTS = [[], [1], [5, 17], [30, 31, 32, 33, 34], list(range(0, 600, 7)), [44, 45, 300]]


@pytest.mark.anyio
@pytest.mark.parametrize("cuts", CUTS)
async def test_content_length_body_at_any_chunk_boundary(cuts: list[int]) -> None:
    async with serve(_dribbling(reply(body=BODY), cuts)) as (url, _):
        assert await _fetch(url) == BODY


def _chunked(body: bytes, sizes: int) -> bytes:
    out = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
    for start in range(0, len(body), sizes):
        piece = body[start : start + sizes]
        out += b"%x\r\n%s\r\n" % (len(piece), piece)
    return out + b"0\r\n\r\n"


@pytest.mark.anyio
@pytest.mark.parametrize("cuts", CUTS)
async def test_chunked_body_at_any_chunk_boundary(cuts: list[int]) -> None:
    async with serve(_dribbling(_chunked(BODY, 37), cuts)) as (url, _):
        assert await _fetch(url) == BODY


@pytest.mark.anyio
@pytest.mark.parametrize("cuts", CUTS)
async def test_body_read_until_close(cuts: list[int]) -> None:
    wire = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n" + BODY
    async with serve(_dribbling(wire, cuts, close=True)) as (url, _):
        assert await _fetch(url) == BODY


@pytest.mark.anyio
async def test_interim_replies_are_skipped() -> None:
    wire = b"HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n" + reply(201, BODY)
    async with serve(_dribbling(wire, [10, 40])) as (url, _):
        client = Client()
        response = await client.post(client.endpoint(url, {}), b"", timeouts=TIMEOUTS)
        assert response.status == 201 and "link" not in response.headers
        assert await response.read(10_000) == BODY
        response.close()
        await client.aclose()


@pytest.mark.anyio
async def test_headers_are_lowercase_and_repeats_joined() -> None:
    wire = b"HTTP/1.1 429 Slow\r\nRetry-After: 3\r\nX-A: 1\r\nx-a: 2\r\ncontent-length: 0\r\n\r\n"
    async with serve(_dribbling(wire, [])) as (url, _):
        client = Client()
        response = await client.post(client.endpoint(url, {}), b"", timeouts=TIMEOUTS)
        assert response.status == 429
        assert response.headers["retry-after"] == "3" and response.headers["x-a"] == "1, 2"
        response.close()
        await client.aclose()


@pytest.mark.anyio
async def test_a_silent_upstream_is_a_read_timeout() -> None:
    async def silent(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(30)
        return False

    async with serve(silent) as (url, _):
        client = Client()
        endpoint = client.endpoint(url, {})
        with pytest.raises(ReadTimeout):
            await client.post(endpoint, b"{}", timeouts=Timeouts(connect=5, read=0.2))
        await client.aclose()


@pytest.mark.anyio
async def test_a_shorter_read_timeout_holds_on_a_reused_connection() -> None:
    answered: list[bool] = []

    async def once(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if not answered:
            answered.append(True)
            writer.write(reply())
        return True  # the second request is never answered

    async with serve(once) as (url, log):
        client = Client()
        endpoint = client.endpoint(url, {})
        response = await client.post(endpoint, b"", timeouts=Timeouts(connect=5, read=300))
        await response.read(100)
        response.close()
        with pytest.raises(ReadTimeout):
            await asyncio.wait_for(
                client.post(endpoint, b"", timeouts=Timeouts(connect=5, read=0.2)), 5
            )
        await client.aclose()
    assert log.connections == 1


@pytest.mark.anyio
async def test_the_read_timeout_is_the_longest_silence_not_the_whole_reply() -> None:
    # In 80-byte pieces 0.05 s apart: 0.4 s in all, never 0.2 s silent; the
    # second reply stops short of its end, then the upstream says nothing.
    replies = [_chunked(BODY, 40), reply(body=BODY)[:-10]]

    async def slow(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        wire = replies.pop(0)
        for piece in _pieces(wire, list(range(0, len(wire), 80))):
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.05)
        return True

    async with serve(slow) as (url, _):
        client = Client()
        timeouts = Timeouts(connect=5, read=0.2)
        response = await client.post(client.endpoint(url, {}), b"", timeouts=timeouts)
        assert await response.read(100_000) == BODY
        response.close()
        response = await client.post(client.endpoint(url, {}), b"", timeouts=timeouts)
        with pytest.raises(ReadTimeout):
            await response.read(100_000)
        response.close()
        await client.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize(
    "wire",
    [
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"x-h%d: %s\r\n" % (i, b"v" * 90) for i in range(800)),
        b"HTTP/1.1 200 OK\r\nx-long: " + b"v" * 70_000,
    ],
    ids=["many headers", "one endless header"],
)
async def test_a_header_section_over_the_limit_is_refused(wire: bytes) -> None:
    async with serve(_dribbling(wire + b"\r\ncontent-length: 0\r\n\r\n", [1000, 30_000])) as (
        url,
        _,
    ):
        with pytest.raises(ProtocolError, match="header section"):
            await _fetch(url)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "wire",
    [
        b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
        b"HTTP/1.1 abc\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nbad header\r\n\r\n",
    ],
)
async def test_a_reply_that_is_not_http_is_a_protocol_error(wire: bytes) -> None:
    async with serve(_dribbling(wire, [])) as (url, _):
        with pytest.raises(ProtocolError):
            await _fetch(url)


@pytest.mark.anyio
@pytest.mark.parametrize("wire", [reply(body=BODY)[:-5], _chunked(BODY, 50)[:-5]])
async def test_a_connection_closed_mid_body_is_reported(wire: bytes) -> None:
    async with serve(_dribbling(wire, [60], close=True)) as (url, _):
        with pytest.raises(ConnectionClosed):
            await _fetch(url)


@pytest.mark.anyio
async def test_reading_pauses_while_the_consumer_lags_and_resumes() -> None:
    body = bytes(range(256)) * (4 * 4096)  # 4 MiB

    async def big(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(reply(body=body))
        return True

    async with serve(big) as (url, _):
        client = Client()
        response = await client.post(client.endpoint(url, {}), b"", timeouts=TIMEOUTS)
        await asyncio.sleep(0.3)  # the consumer lags: the client must stop reading
        conn = response._conn
        assert 0 < conn.buffered <= HIGH_WATER + 256 * 1024
        assert await response.read(len(body) + 1) == body
        response.close()
        await client.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("stage", ["head", "body"])
async def test_a_cancelled_request_closes_its_upstream_connection_at_once(stage: str) -> None:
    async def stalls(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if stage == "body":
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n")
        return True  # the rest never comes; the server waits for the client's next move

    async with serve(stalls) as (url, log):
        client = Client()
        endpoint = client.endpoint(url, {})

        async def consume() -> None:
            response = await client.post(endpoint, b"{}", timeouts=TIMEOUTS)
            try:
                async for _ in response:
                    pass
            finally:
                response.close()

        task = asyncio.create_task(consume())
        while not log.requests:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        log.closed.clear()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.wait_for(log.closed.wait(), 1.0)  # the server saw the connection end
        assert log.open == 0 and endpoint.pool.open_connections == 0
        await client.aclose()
