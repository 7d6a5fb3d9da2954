"""Keep-alive pooling, checked from the server's side: which connection served which
request, how many were open at once."""

from __future__ import annotations

import asyncio

import pytest

from lip.backends.h1 import Client, ConnectionClosed, Endpoint, Timeouts
from tests.backends.h1.rawserver import Handler, Seen, answer_ok, reply, serve

TIMEOUTS = Timeouts(connect=5.0, read=5.0)


async def _post(client: Client, endpoint: Endpoint, *, limit: int = 1 << 20) -> bytes:
    response = await client.post(endpoint, b'{"n": 1}', timeouts=TIMEOUTS)
    try:
        return await response.read(limit)
    finally:
        response.close()


@pytest.mark.anyio
async def test_a_connection_is_reused_after_a_reply_read_to_its_end() -> None:
    async with serve() as (url, log):
        client = Client()
        endpoint = client.endpoint(f"{url}/v1", {})
        for _ in range(3):
            assert await _post(client, endpoint) == b'{"ok":true}'
        await client.aclose()
    assert [seen.connection for seen in log.requests] == [1, 1, 1]


@pytest.mark.anyio
async def test_endpoints_of_one_origin_share_the_pool() -> None:
    async with serve() as (url, log):
        client = Client()
        await _post(client, client.endpoint(f"{url}/a", {}))
        await _post(client, client.endpoint(f"{url}/b", {"x-other": "1"}))
        await client.aclose()
    assert log.connections == 1
    assert [seen.line for seen in log.requests] == ["POST /a HTTP/1.1", "POST /b HTTP/1.1"]


@pytest.mark.anyio
async def test_a_partly_read_reply_does_not_give_its_connection_back() -> None:
    # Far more than the client buffers: most of it is still on the wire.
    async def large(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(reply(body=b"x" * 4_000_000))
        return True

    async with serve(large) as (url, log):
        client = Client()
        endpoint = client.endpoint(url, {})
        assert await _post(client, endpoint, limit=10) == b"x" * 10
        assert len(await _post(client, endpoint, limit=5_000_000)) == 4_000_000
        await client.aclose()
    assert [seen.connection for seen in log.requests] == [1, 2]


@pytest.mark.anyio
async def test_a_reply_that_says_close_is_not_reused() -> None:
    async def closing(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(reply(connection="close"))
        return False

    async with serve(closing) as (url, log):
        client = Client()
        endpoint = client.endpoint(url, {})
        await _post(client, endpoint)
        await _post(client, endpoint)
        await client.aclose()
    assert log.connections == 2


def _stale_then(second: bytes) -> Handler:
    """Connection 1 answers its first request, then meets the second with
    ``second`` and closes (b"": closed the moment the request arrived, as an
    upstream closing an idle connection does when the request crosses its FIN)."""
    served: list[int] = []

    async def handler(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        served.append(seen.connection)
        if served.count(1) == 2 and seen.connection == 1:
            writer.write(second)
            return False
        return await answer_ok(seen, writer)

    return handler


@pytest.mark.anyio
async def test_a_stale_pooled_connection_is_retried_once_on_a_new_one() -> None:
    async with serve(_stale_then(b"")) as (url, log):
        client = Client()
        endpoint = client.endpoint(url, {})
        await _post(client, endpoint)
        assert await _post(client, endpoint) == b'{"ok":true}'
        await client.aclose()
    assert [seen.connection for seen in log.requests] == [1, 1, 2]


@pytest.mark.anyio
async def test_no_retry_once_any_byte_of_the_reply_arrived() -> None:
    async with serve(_stale_then(b"HTTP/1.1 200 OK\r\n")) as (url, log):
        client = Client()
        endpoint = client.endpoint(url, {})
        await _post(client, endpoint)
        with pytest.raises(ConnectionClosed):
            await _post(client, endpoint)
        await client.aclose()
    assert log.connections == 1


@pytest.mark.anyio
async def test_no_retry_on_a_new_connection() -> None:
    async def hang_up(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        return False

    async with serve(hang_up) as (url, log):
        client = Client()
        with pytest.raises(ConnectionClosed):
            await _post(client, client.endpoint(url, {}))
        await client.aclose()
    assert log.connections == 1


@pytest.mark.anyio
async def test_a_connection_the_upstream_closed_while_idle_is_not_used() -> None:
    async def then_close(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await answer_ok(seen, writer)
        return False  # a FIN right after the reply (an idle timeout upstream)

    async with serve(then_close) as (url, log):
        client = Client()
        endpoint = client.endpoint(url, {})
        await _post(client, endpoint)
        await asyncio.sleep(0.1)
        await _post(client, endpoint)
        await client.aclose()
    assert [seen.connection for seen in log.requests] == [1, 2]


@pytest.mark.anyio
async def test_the_pool_never_opens_more_than_its_cap() -> None:
    async def slow(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.05)
        return await answer_ok(seen, writer)

    async with serve(slow) as (url, log):
        client = Client(max_connections=2)
        endpoint = client.endpoint(url, {})
        await asyncio.gather(*(_post(client, endpoint) for _ in range(8)))
        assert endpoint.pool.open_connections <= 2
        await client.aclose()
    assert len(log.requests) == 8 and log.connections == 2 and log.most_open == 2


@pytest.mark.anyio
async def test_idle_connections_expire() -> None:
    async with serve() as (url, log):
        client = Client(idle_timeout=0.1)
        endpoint = client.endpoint(url, {})
        await _post(client, endpoint)
        log.closed.clear()
        await asyncio.wait_for(log.closed.wait(), 2.0)  # closed by the sweep, unasked
        assert endpoint.pool.open_connections == 0
        await _post(client, endpoint)
        await client.aclose()
    assert [seen.connection for seen in log.requests] == [1, 2]
