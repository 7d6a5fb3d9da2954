"""Everything a running server shares: config, planner, backends, HTTP client."""

from __future__ import annotations

import httpx
from httpx_aiohttp import AiohttpTransport

from lip.backends import build_backends
from lip.canonical import Limits
from lip.config import Config
from lip.routing import Planner
from lip.routing.executor import Executor


def upstream_client() -> httpx.AsyncClient:
    """The one pooled client for every upstream; per-backend timeouts are set per request.

    httpx is the client API; the wire I/O goes through aiohttp's transport
    because httpcore's costs 2-5x more CPU per request and its pool degrades
    quadratically with open connections (measured in tests/bench; see README).
    """
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=200, keepalive_expiry=30)
    return httpx.AsyncClient(
        transport=AiohttpTransport(limits=limits, trust_env=False),
        timeout=httpx.Timeout(300.0, connect=10.0),
        follow_redirects=False,
        trust_env=False,
    )


class Runtime:
    """Built once per app by the factory; closed at shutdown."""

    def __init__(self, config: Config, *, http: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self.limits = Limits(max_request_bytes=config.server.max_body_bytes)
        self.planner = Planner(config)
        self.http = http or upstream_client()
        self.backends = build_backends(config, self.http)
        self.executor = Executor(self.planner, self.backends)
        self.ready = False

    async def aclose(self) -> None:
        self.ready = False
        for backend in self.backends.values():
            await backend.aclose()
        await self.http.aclose()


__all__ = ["Runtime"]
