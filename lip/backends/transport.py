"""The HTTP I/O boundary shared by every HTTP backend adapter.

:class:`UpstreamClient` sends ``httpx.Request`` objects straight to an httpx
transport (aiohttp's, by default). It deliberately skips
``httpx.AsyncClient``: a gateway's shared client must not keep a cookie jar
(cookies set by one tenant's upstream reply would ride along on another
tenant's request), follow redirects or run auth flows, and that machinery
cost more CPU than the I/O itself (tests/bench). One function maps transport
failures to the taxonomy; messages name the backend id, never the URL,
headers or key.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from lip.canonical import LipError, UpstreamError, UpstreamTimeoutError


def _session(limit: int) -> aiohttp.ClientSession:
    """aiohttp session for the transport, created lazily inside the running loop.

    ``DummyCookieJar``: aiohttp keeps cookies per host by default, which in a
    shared gateway client would replay one tenant's upstream cookies on
    another tenant's request.
    """
    connector = aiohttp.TCPConnector(limit=limit, keepalive_timeout=30, ttl_dns_cache=300)
    return aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False
    )


class UpstreamClient:
    """A pooled HTTP client: each backend has its own (``max_connections``), so a
    backend that holds all of its connections never delays another."""

    def __init__(
        self, transport: httpx.AsyncBaseTransport | None = None, *, max_connections: int = 1000
    ) -> None:
        self._transport = transport or AiohttpTransport(
            client=functools.partial(_session, max_connections), trust_env=False
        )

    async def send(
        self,
        url: httpx.URL | str,
        *,
        content: bytes,
        headers: httpx.Headers | Mapping[str, str],
        timeout: httpx.Timeout,
        backend_id: str,
    ) -> httpx.Response:
        """POST ``content``; the caller reads and closes the streamed response."""
        request = httpx.Request(
            "POST", url, content=content, headers=headers, extensions={"timeout": timeout.as_dict()}
        )
        try:
            return await self._transport.handle_async_request(request)
        except (httpx.HTTPError, aiohttp.ClientError) as exc:
            raise map_transport_error(exc, backend_id) from None

    async def aclose(self) -> None:
        await self._transport.aclose()


MAX_ERROR_BODY = 64 * 1024
"""Upstream error bodies are read up to this size; the rest is discarded."""


def map_transport_error(exc: httpx.HTTPError | aiohttp.ClientError, backend_id: str) -> LipError:
    """The most specific taxonomy error for a transport failure (an upstream fault:
    never a bug in LIP, so never ``internal``)."""
    if isinstance(exc, aiohttp.ClientResponseError):
        # aiohttp could not parse the reply: the upstream does not speak HTTP.
        return UpstreamError(f"upstream {backend_id!r} sent a reply that is not valid HTTP")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return UpstreamError(f"upstream {backend_id!r} sent a malformed response body")
    if isinstance(exc, aiohttp.ClientError):
        return UpstreamError(f"upstream {backend_id!r} failed: {type(exc).__name__}")
    cause = exc.__cause__
    if (
        isinstance(exc, httpx.TimeoutException)
        and cause is not None
        and not isinstance(cause, TimeoutError)
    ):
        # The aiohttp transport reports every connection failure as ConnectTimeout;
        # the underlying error tells a refused or reset connection from a timeout.
        if isinstance(cause, OSError):
            return UpstreamError(f"could not connect to upstream {backend_id!r}")
        return UpstreamError(f"upstream {backend_id!r} closed the connection mid-response")
    if isinstance(exc, httpx.TimeoutException):
        phase = "connecting to" if isinstance(exc, httpx.ConnectTimeout) else "waiting for"
        return UpstreamTimeoutError(f"timed out {phase} upstream {backend_id!r}")
    if isinstance(exc, httpx.ConnectError):
        return UpstreamError(f"could not connect to upstream {backend_id!r}")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return UpstreamError(f"upstream {backend_id!r} closed the connection mid-response")
    return UpstreamError(f"upstream {backend_id!r} failed: {type(exc).__name__}")


async def read_bounded(response: httpx.Response, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a streamed response body."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds from ``Retry-After`` (delta-seconds form) or OpenAI's ``retry-after-ms``."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is not None:
        try:
            return max(float(value), 0.0)
        except ValueError:
            return None
    return None


__all__ = ["MAX_ERROR_BODY", "UpstreamClient", "map_transport_error", "read_bounded", "retry_after"]
