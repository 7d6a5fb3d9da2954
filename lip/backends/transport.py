"""The HTTP I/O boundary shared by every HTTP backend adapter.

:class:`UpstreamClient` is a raw aiohttp session: no cookie jar (cookies set
by one tenant's upstream reply must never ride along on another tenant's
request), no redirects, no proxy or netrc from the environment, no auth
flows. It was chosen by measurement (``python -m tests.bench.clients``):
about half the CPU per request of httpx over aiohttp, a seventeenth of
httpx's own transport, and — unlike a faster Rust client tried beside it — a
request whose reading task is cancelled closes its upstream connection at
once, which cancel-on-disconnect needs. One function maps transport
failures to the taxonomy; messages name the backend id, never the URL,
headers or key.
"""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp
from yarl import URL

from lip.canonical import LipError, UpstreamError, UpstreamTimeoutError


class UpstreamClient:
    """A pooled HTTP client: each backend has its own (``max_connections``), so a
    backend that holds all of its connections never delays another."""

    def __init__(self, *, max_connections: int = 1000) -> None:
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        # Created lazily, inside the running loop.
        connector = aiohttp.TCPConnector(
            limit=self._max_connections, keepalive_timeout=30, ttl_dns_cache=300
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            auto_decompress=True,
        )
        return self._session

    async def send(
        self,
        url: URL | str,
        *,
        content: bytes,
        headers: Mapping[str, str],
        timeout: aiohttp.ClientTimeout,
        backend_id: str,
    ) -> aiohttp.ClientResponse:
        """POST ``content``; the caller reads the response and closes it
        (:func:`finish`)."""
        session = self._session or self._open()
        try:
            return await session.post(
                url, data=content, headers=headers, timeout=timeout, allow_redirects=False
            )
        except aiohttp.ClientError as exc:
            raise map_transport_error(exc, backend_id) from None

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def finish(response: aiohttp.ClientResponse) -> None:
    """Give the connection back to the pool when the body was read to its end,
    else close it (a cancelled or abandoned reply must not be read further)."""
    if response.content.at_eof():
        response.release()
    else:
        response.close()


MAX_ERROR_BODY = 64 * 1024
"""Upstream error bodies are read up to this size; the rest is discarded."""


def map_transport_error(exc: aiohttp.ClientError, backend_id: str) -> LipError:
    """The most specific taxonomy error for a transport failure (an upstream fault:
    never a bug in LIP, so never ``internal``)."""
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return UpstreamTimeoutError(f"timed out connecting to upstream {backend_id!r}")
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return UpstreamTimeoutError(f"timed out waiting for upstream {backend_id!r}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return UpstreamError(f"could not connect to upstream {backend_id!r}")
    if isinstance(exc, aiohttp.ClientResponseError):
        # aiohttp could not parse the reply: the upstream does not speak HTTP.
        return UpstreamError(f"upstream {backend_id!r} sent a reply that is not valid HTTP")
    if isinstance(exc, (aiohttp.ClientPayloadError, aiohttp.ClientConnectionError)):
        return UpstreamError(f"upstream {backend_id!r} closed the connection mid-response")
    return UpstreamError(f"upstream {backend_id!r} failed: {type(exc).__name__}")


async def read_bounded(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a response body."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_any():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def retry_after(headers: Mapping[str, str]) -> float | None:
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


__all__ = [
    "MAX_ERROR_BODY",
    "UpstreamClient",
    "finish",
    "map_transport_error",
    "read_bounded",
    "retry_after",
]
