"""The HTTP I/O boundary shared by every HTTP backend adapter.

:class:`UpstreamClient` is LIP's own HTTP/1.1 client (:mod:`lip.backends.h1`):
no cookie jar (cookies set by one tenant's upstream reply must never ride
along on another tenant's request), no redirects, no proxy or netrc from the
environment unless a backend asks for it, no auth flows. It was chosen by
measurement (``python -m tests.bench.clients``): under half the CPU per
request of the fastest library client tried (a Rust one), a fifth of
aiohttp's; and a request whose reading task is cancelled closes its upstream
connection at once, which cancel-on-disconnect needs. One function maps
transport failures to the taxonomy; messages name the backend id, never the
URL, headers or key.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping

from lip.backends.h1 import (
    Client,
    ConnectError,
    ConnectionClosed,
    ConnectTimeout,
    Endpoint,
    ProtocolError,
    Proxy,
    ReadTimeout,
    Response,
    Timeouts,
    TransportError,
)
from lip.canonical import LipError, UpstreamError, UpstreamTimeoutError
from lip.config import TLSConfig


class UpstreamClient:
    """A pooled HTTP client: each backend has its own (``max_connections``), so a
    backend that holds all of its connections never delays another."""

    def __init__(self, *, max_connections: int = 1000) -> None:
        self._client = Client(max_connections=max_connections)

    @property
    def accept_encoding(self) -> str:
        """The content encodings replies may use (``Accept-Encoding``)."""
        return self._client.accept_encoding

    def tls(self, config: TLSConfig) -> ssl.SSLContext:
        """The TLS context for a backend's settings (made once per setting).
        Raises ``OSError`` or ``ssl.SSLError`` when the CA file cannot be read."""
        return self._client.tls(ca_file=config.ca_file, verify=config.verify)

    def endpoint(
        self,
        url: str,
        headers: Mapping[str, str],
        *,
        tls: ssl.SSLContext | None = None,
        proxy: Proxy | None = None,
    ) -> Endpoint:
        """``url`` and its headers, encoded once. Raises ``ValueError`` for a URL
        that is not http(s) or a header that cannot be sent."""
        return self._client.endpoint(url, headers, tls=tls, proxy=proxy)

    async def send(
        self,
        endpoint: Endpoint,
        *,
        content: bytes,
        headers: Mapping[str, str] | None = None,
        traceparent: str | None = None,
        timeout: Timeouts,
        backend_id: str,
    ) -> Response:
        """POST ``content``; the caller reads the response and closes it."""
        try:
            return await self._client.post(
                endpoint, content, timeouts=timeout, headers=headers, traceparent=traceparent
            )
        except TransportError as exc:
            raise map_transport_error(exc, backend_id) from None

    async def aclose(self) -> None:
        await self._client.aclose()


MAX_ERROR_BODY = 64 * 1024
"""Upstream error bodies are read up to this size; the rest is discarded."""


def map_transport_error(exc: TransportError, backend_id: str) -> LipError:
    """The most specific taxonomy error for a transport failure (an upstream fault:
    never a bug in LIP, so never ``internal``)."""
    if isinstance(exc, ConnectTimeout):
        return UpstreamTimeoutError(f"timed out connecting to upstream {backend_id!r}")
    if isinstance(exc, ReadTimeout):
        return UpstreamTimeoutError(f"timed out waiting for upstream {backend_id!r}")
    if isinstance(exc, ConnectError):
        return UpstreamError(f"could not connect to upstream {backend_id!r}")
    if isinstance(exc, ProtocolError):
        return UpstreamError(f"upstream {backend_id!r} sent a reply that is not valid HTTP")
    if isinstance(exc, ConnectionClosed):
        return UpstreamError(f"upstream {backend_id!r} closed the connection mid-response")
    return UpstreamError(f"upstream {backend_id!r} failed: {type(exc).__name__}")


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
    "Timeouts",
    "UpstreamClient",
    "map_transport_error",
    "retry_after",
]
