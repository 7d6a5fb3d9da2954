"""Everything a running server shares: config, planner, backends, HTTP client."""

from __future__ import annotations

from lip.backends import UpstreamClient, build_backends
from lip.canonical import Limits
from lip.config import Config
from lip.routing import Planner
from lip.routing.executor import Executor


class Runtime:
    """Built once per app by the factory; closed at shutdown."""

    def __init__(self, config: Config, *, http: UpstreamClient | None = None) -> None:
        self.config = config
        self.limits = Limits(
            max_request_bytes=config.server.max_body_bytes,
            max_response_bytes=config.server.max_response_bytes,
        )
        self.planner = Planner(config)
        self.http = http or UpstreamClient()
        self.backends = build_backends(config, self.http, self.limits)
        self.executor = Executor(self.planner, self.backends)
        self.ready = False

    async def aclose(self) -> None:
        self.ready = False
        for backend in self.backends.values():
            await backend.aclose()
        await self.http.aclose()


__all__ = ["Runtime"]
