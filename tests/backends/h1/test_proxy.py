"""Forward proxies: absolute-form requests for http, a CONNECT tunnel for https,
credentials for the proxy's eyes only; and which proxy the environment names."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest

from lip.backends.h1 import Client, ConnectError, Proxy, Timeouts, proxy_from_env
from tests.backends.h1.conftest import Certs
from tests.backends.h1.rawserver import Seen, read_request, serve

TIMEOUTS = Timeouts(connect=5.0, read=5.0)
CREDENTIALS = "Basic " + base64.b64encode(b"user:p@ss").decode()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def forward_proxy(refuse: int | None = None) -> AsyncIterator[tuple[int, list[Seen]]]:
    """An HTTP forward proxy on 127.0.0.1: absolute-form requests are forwarded in
    origin form without ``Proxy-Authorization``; ``CONNECT`` opens a tunnel.
    Yields its port and the requests it read."""
    seen: list[Seen] = []
    tasks: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader, len(seen) + 1)
        if request is None:
            writer.close()
            return
        seen.append(request)
        method, target, _ = request.line.split(" ")
        if refuse is not None:
            writer.write(f"HTTP/1.1 {refuse} No\r\ncontent-length: 0\r\n\r\n".encode())
            writer.close()
            return
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            url = urlsplit(target)
            up_reader, up_writer = await asyncio.open_connection(url.hostname, url.port)
            headers = {k: v for k, v in request.headers.items() if k != "proxy-authorization"}
            head = f"{method} {url.path} HTTP/1.1\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            up_writer.write(f"{head}\r\n".encode() + request.body)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    def track(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(handle(reader, writer))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(track, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1], seen
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


async def _post(client: Client, url: str, **options: object) -> int:
    endpoint = client.endpoint(url, {"authorization": "Bearer upstream-key"}, **options)  # type: ignore[arg-type]
    response = await client.post(endpoint, b'{"q": 1}', timeouts=TIMEOUTS)
    try:
        await response.read(1000)
        return response.status
    finally:
        response.close()


@pytest.mark.anyio
async def test_http_through_a_proxy_in_absolute_form_with_its_credentials() -> None:
    async with serve() as (url, upstream), forward_proxy() as (port, proxied):
        proxy = Proxy.from_url(f"http://user:p%40ss@127.0.0.1:{port}")
        client = Client()
        assert await _post(client, f"{url}/v1", proxy=proxy) == 200
        assert await _post(client, f"{url}/v1", proxy=proxy) == 200
        await client.aclose()
    first = proxied[0]
    assert first.line == f"POST {url}/v1 HTTP/1.1"
    assert first.headers["proxy-authorization"] == CREDENTIALS
    assert len(proxied) == 1  # the second request rode the same proxy connection
    assert [s.headers["authorization"] for s in upstream.requests] == ["Bearer upstream-key"] * 2


@pytest.mark.anyio
async def test_https_through_a_connect_tunnel(certs: Certs) -> None:
    async with (
        serve(tls=certs.server_context()) as (url, upstream),
        forward_proxy() as (port, proxied),
    ):
        proxy = Proxy.from_url(f"http://user:p%40ss@127.0.0.1:{port}")
        client = Client()
        tls = client.tls(ca_file=str(certs.ca_file))
        assert await _post(client, f"{url}/v1", proxy=proxy, tls=tls) == 200
        assert await _post(client, f"{url}/v1", proxy=proxy, tls=tls) == 200
        await client.aclose()
    (tunnel,) = proxied
    authority = url.removeprefix("https://")
    assert tunnel.line == f"CONNECT {authority} HTTP/1.1"
    assert tunnel.headers == {"host": authority, "proxy-authorization": CREDENTIALS}
    assert [s.line for s in upstream.requests] == ["POST /v1 HTTP/1.1"] * 2
    assert all("proxy-authorization" not in s.headers for s in upstream.requests)


@pytest.mark.anyio
async def test_a_proxy_that_refuses_the_tunnel_is_a_connect_error(certs: Certs) -> None:
    async with forward_proxy(refuse=407) as (port, _):
        client = Client()
        proxy = Proxy.from_url(f"http://127.0.0.1:{port}")
        with pytest.raises(ConnectError, match="407"):
            await _post(client, "https://127.0.0.1:9/v1", proxy=proxy)
        await client.aclose()


def test_proxy_credentials_stay_out_of_reprs_and_messages() -> None:
    proxy = Proxy.from_url("http://user:hunter2@proxy.test:3128")
    assert (proxy.host, proxy.port) == ("proxy.test", 3128)
    assert "hunter2" not in repr(proxy)
    assert Proxy.from_url("http://proxy.test").port == 80
    for bad in ["https://user:hunter2@proxy.test", "socks5://user:hunter2@p:1", "http://:hunter2@"]:
        with pytest.raises(ValueError) as caught:
            Proxy.from_url(bad)
        assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "env", "expected"),
    [
        ("https://api.test/v1", {}, None),
        ("https://api.test/v1", {"HTTPS_PROXY": "http://p:1"}, "http://p:1"),
        ("https://api.test/v1", {"HTTP_PROXY": "http://p:1"}, None),
        ("http://api.test/v1", {"HTTP_PROXY": "http://p:1"}, "http://p:1"),
        (
            "https://api.test/v1",
            {"https_proxy": "http://low:1", "HTTPS_PROXY": "http://p:1"},
            "http://low:1",
        ),
        ("https://api.test/v1", {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}, None),
        ("https://api.test/v1", {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "other, api.test"}, None),
        ("https://eu.api.test/v1", {"HTTPS_PROXY": "http://p:1", "no_proxy": ".api.test"}, None),
        ("https://eu.api.test/v1", {"HTTPS_PROXY": "http://p:1", "no_proxy": "api.test"}, None),
        (
            "https://notapi.test/v1",
            {"HTTPS_PROXY": "http://p:1", "no_proxy": "api.test"},
            "http://p:1",
        ),
        (
            "https://api.test:8443/v1",
            {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "api.test:443"},
            "http://p:1",
        ),
        (
            "https://api.test:8443/v1",
            {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "api.test:8443"},
            None,
        ),
        ("http://10.1.2.3/v1", {"HTTP_PROXY": "http://p:1", "NO_PROXY": "10.0.0.0/8"}, None),
        ("http://[::1]:80/v1", {"HTTP_PROXY": "http://p:1", "NO_PROXY": "::1"}, None),
    ],
)
def test_the_environment_names_the_proxy(
    url: str, env: dict[str, str], expected: str | None
) -> None:
    assert proxy_from_env(url, env) == expected
