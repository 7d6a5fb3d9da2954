"""A purpose-built HTTP/1.1 client for LIP's upstream requests.

asyncio protocols (uvloop's in production) with llhttp (``httptools``)
parsing replies: keep-alive pools per origin, TLS, forward proxies, streamed
and bounded bodies with gzip/deflate (and br when ``brotli`` is installed),
connect and read timeouts, flow control, and cancellation that drops the
upstream connection at once. It does POSTs, because that is all LIP sends,
and exists because it costs a fraction of the CPU of a general-purpose
client per request (``python -m tests.bench.clients``).
"""

from lip.backends.h1.client import Client, Timeouts
from lip.backends.h1.endpoint import Endpoint, Origin
from lip.backends.h1.errors import (
    ConnectError,
    ConnectionClosed,
    ConnectTimeout,
    ProtocolError,
    ReadTimeout,
    TransportError,
)
from lip.backends.h1.proxy import Proxy, proxy_from_env
from lip.backends.h1.response import Response

__all__ = [
    "Client",
    "ConnectError",
    "ConnectTimeout",
    "ConnectionClosed",
    "Endpoint",
    "Origin",
    "ProtocolError",
    "Proxy",
    "ReadTimeout",
    "Response",
    "Timeouts",
    "TransportError",
    "proxy_from_env",
]
