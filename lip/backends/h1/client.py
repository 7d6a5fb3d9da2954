"""The client: endpoints made once, requests sent on pooled connections.

What a gateway's upstream client must not do, it does not do: it keeps no
cookies, follows no redirects (a 3xx is returned as it is), reads no netrc
and no proxy or credentials from the environment (a proxy is only what the
caller passes), and never retries a request the upstream may have started
on, with one exception: a reused connection that the upstream had closed
while it sat idle (the request met a closed socket and not one byte of a
reply came back) is tried once more on a new connection.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass

from lip.backends.h1.decoding import Decoders
from lip.backends.h1.endpoint import Endpoint, Origin, split_url
from lip.backends.h1.errors import ConnectionClosed
from lip.backends.h1.pool import Pool
from lip.backends.h1.proxy import Proxy
from lip.backends.h1.response import Response
from lip.backends.h1.tls import tls_context


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds: ``connect`` bounds getting a connection (a pool wait, TCP, a proxy
    tunnel, TLS); ``read`` is the longest silence while a reply is awaited."""

    connect: float
    read: float


class Client:
    """HTTP/1.1 ``POST``s over keep-alive connections, pooled per origin (scheme,
    host, port, TLS context and proxy), each pool holding at most
    ``max_connections``."""

    def __init__(
        self,
        *,
        max_connections: int = 100,
        idle_timeout: float = 30.0,
        max_header_bytes: int = 64 * 1024,
    ) -> None:
        self._max_connections = max_connections
        self._idle_timeout = idle_timeout
        self._max_header_bytes = max_header_bytes
        self._pools: dict[Origin, Pool] = {}
        self._contexts: dict[tuple[str | None, bool], ssl.SSLContext] = {}
        self._decoders = Decoders()

    @property
    def accept_encoding(self) -> str:
        """The ``Accept-Encoding`` this client can decode."""
        return ", ".join(self._decoders.accepted)

    def tls(self, *, ca_file: str | None = None, verify: bool = True) -> ssl.SSLContext:
        """A TLS context (made once per client and setting): system CAs, or ``ca_file``'s."""
        key = (ca_file, verify)
        context = self._contexts.get(key)
        if context is None:
            context = self._contexts[key] = tls_context(ca_file=ca_file, verify=verify)
        return context

    def endpoint(
        self,
        url: str,
        headers: Mapping[str, str],
        *,
        tls: ssl.SSLContext | None = None,
        proxy: Proxy | None = None,
    ) -> Endpoint:
        """``url`` with ``headers``, ready to :meth:`post` to. An https URL uses
        ``tls`` (default: the system's CAs). Raises ``ValueError`` for a URL that
        is not http(s) or a header that cannot be sent."""
        scheme, host, port, target = split_url(url)
        context = (tls or self.tls()) if scheme == "https" else None
        origin = Origin(scheme, host, port, context, proxy)
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = Pool(
                origin,
                limit=self._max_connections,
                idle_timeout=self._idle_timeout,
                max_header_bytes=self._max_header_bytes,
            )
        return Endpoint(pool, target, headers)

    async def post(
        self,
        endpoint: Endpoint,
        body: bytes,
        *,
        timeouts: Timeouts,
        headers: Mapping[str, str] | None = None,
        traceparent: str | None = None,
    ) -> Response:
        """Send ``body`` (with ``headers`` on top of the endpoint's, and a W3C
        ``traceparent`` when given) and wait for the reply's head. The caller
        reads the body and closes the response.
        Raises :class:`~lip.backends.h1.errors.TransportError`."""
        data = endpoint.request(body, headers, traceparent)
        pool = endpoint.pool
        conn = pool.idle() or await pool.acquire(timeouts.connect)
        reused = conn.requests > 0
        conn.start(data, timeouts.read)
        try:
            await conn.read_head()
        except ConnectionClosed:
            if not reused or conn.received:
                raise
            # The upstream closed this idle connection as the request went out,
            # and no byte of a reply came: once more, on a new connection.
            conn = await pool.acquire(timeouts.connect, fresh=True)
            conn.start(data, timeouts.read)
            await conn.read_head()
        decoder = self._decoders.decoder(conn.headers.get("content-encoding"))
        return Response(conn, decoder, pool.release)

    async def aclose(self) -> None:
        """Close every idle connection; connections in use close with their reply."""
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()


__all__ = ["Client", "Timeouts"]
