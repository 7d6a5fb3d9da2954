"""The Starlette app factory: mounts whatever protocols are registered.

No protocol is named here. Each registered frontend declares its routes;
where two serve the same method and path (``GET /v1/models`` is OpenAI's
and Anthropic's), the shared-path rule picks one per request: the first
registered frontend that recognizes the request (its own auth headers,
``anthropic-version``, ``x-goog-api-key``, ``?key=``...), else the first
registered. Unknown paths and methods answer in the error shape of the
frontend that recognizes the request, else the one whose prefix matches
longest, else the first registered.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import logging
import os
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from lip.canonical import InvalidRequestError, LipError, NotFoundError
from lip.config import Config
from lip.ids import random_hex
from lip.plugins import Plugins
from lip.protocols.base import Frontend, Operation, RequestContext
from lip.secrets import install_log_scrubber
from lip.server.connections import ErrorPage
from lip.server.diagnostics import diagnostics_routes
from lip.server.endpoint import (
    CountTokensEndpoint,
    GenerateEndpoint,
    ModelsEndpoint,
    request_context,
)
from lip.server.memory import MemoryReclaimer, glibc_trim
from lip.server.metrics import metrics_routes
from lip.server.openapi import openapi_document
from lip.server.requestid import HEADER as REQUEST_ID_HEADER
from lip.server.requestid import RequestIdMiddleware
from lip.server.resources import ResourceEndpoint
from lip.server.runtime import Runtime

log = logging.getLogger("lip.server")


def choose(frontends: Sequence[Frontend], context: RequestContext) -> Frontend:
    """The shared-path rule (module docstring) for one request."""
    for frontend in frontends:
        if frontend.recognizes(context):
            return frontend
    return frontends[0]


def error_owner(frontends: Sequence[Frontend], context: RequestContext) -> Frontend:
    """Whose error shape an unknown path or method answers in."""
    for frontend in frontends:
        if frontend.recognizes(context):
            return frontend
    best: Frontend | None = None
    longest = -1
    for frontend in frontends:
        for prefix in frontend.prefixes:
            if context.path.startswith(prefix) and len(prefix) > longest:
                best, longest = frontend, len(prefix)
    return best or frontends[0]


def connection_error_page(frontends: Sequence[Frontend]) -> ErrorPage:
    """The error replies the connection layer writes itself (malformed HTTP,
    timeouts, the connection cap), in the shape of the frontend owning the
    path when it was read, else the first registered one."""

    def page(status: int | None, error: LipError, path: str | None) -> bytes:
        context = RequestContext(
            method="GET", path=path or "/", path_params={}, query={}, headers={}
        )
        reply = error_owner(frontends, context).encode_error(error)
        code = status or reply.status
        try:
            phrase = http.HTTPStatus(code).phrase
        except ValueError:
            phrase = ""
        lines = [
            f"HTTP/1.1 {code} {phrase}",
            f"content-type: {reply.media_type}",
            f"content-length: {len(reply.body)}",
            "connection: close",
            f"{REQUEST_ID_HEADER}: {random_hex(16)}",  # no ASGI app saw it: drawn here
            *(f"{name}: {value}" for name, value in reply.headers.items()),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + reply.body

    return page


class _SharedRoute:
    """One method and path served by several frontends: dispatch per request."""

    def __init__(self, candidates: Sequence[tuple[Frontend, ASGIApp]]) -> None:
        self._candidates = tuple(candidates)
        self._frontends = [f for f, _ in candidates]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = choose(self._frontends, request_context(scope))
        app = next(a for f, a in self._candidates if f is chosen)
        await app(scope, receive, send)


class _MethodRouter:
    """One path, several methods (each possibly shared)."""

    def __init__(self, by_method: dict[str, ASGIApp]) -> None:
        self._by_method = by_method

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        app = self._by_method.get("GET" if method == "HEAD" else method)
        assert app is not None  # Route checked the method against the same table
        await app(scope, receive, send)


def _endpoint(frontend: Frontend, operation: Operation, runtime: Runtime) -> ASGIApp:
    if operation is Operation.GENERATE:
        return GenerateEndpoint(frontend, runtime)
    if operation is Operation.COUNT_TOKENS:
        return CountTokensEndpoint(frontend, runtime)
    if operation is Operation.RESOURCE:
        return ResourceEndpoint(frontend, runtime)
    return ModelsEndpoint(frontend, runtime, operation)


def protocol_routes(frontends: Sequence[Frontend], runtime: Runtime) -> list[BaseRoute]:
    """Starlette routes for every registered frontend, in registration order."""
    table: dict[str, dict[str, list[tuple[Frontend, ASGIApp]]]] = {}
    for frontend in frontends:
        for spec in frontend.routes:
            method = spec.method.upper()
            app = _endpoint(frontend, spec.operation, runtime)
            table.setdefault(spec.path, {}).setdefault(method, []).append((frontend, app))
    routes: list[BaseRoute] = []
    for path, methods in table.items():
        by_method: dict[str, ASGIApp] = {
            method: candidates[0][1] if len(candidates) == 1 else _SharedRoute(candidates)
            for method, candidates in methods.items()
        }
        app = next(iter(by_method.values())) if len(by_method) == 1 else _MethodRouter(by_method)
        routes.append(Route(path, app, methods=list(by_method)))
    return routes


class DirectPosts:
    """A POST to a protocol route with a fixed path (``/v1/chat/completions``,
    ``/v1/messages``, ...) goes straight to its endpoint; everything else
    through Starlette (routing, 404/405 in the client's shape, its error
    middleware). The endpoints answer every error in their protocol
    themselves, so on these paths Starlette's layers only added their cost;
    an exception one lets escape still ends in a 500 (the server's)."""

    def __init__(self, routes: Sequence[BaseRoute], app: ASGIApp) -> None:
        self.app = app
        self.paths: dict[str, ASGIApp] = {
            route.path: route.app
            for route in routes
            if isinstance(route, Route) and "{" not in route.path and route.methods == {"POST"}
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and not scope.get("root_path"):
            endpoint = self.paths.get(scope["path"])
            if endpoint is not None:
                await endpoint(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _rss() -> str:
    """This process's resident memory, for the startup line (Linux), else "n/a"."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return f"{int(line.split()[1]) / 1024:.0f} MiB"
    except OSError:
        pass
    return "n/a"


def create_app(
    config: Config, *, runtime: Runtime | None = None, plugins: Plugins | None = None
) -> Starlette:
    """Build the ASGI app serving every registered protocol's routes."""
    rt = runtime or Runtime(config, plugins=plugins)
    install_log_scrubber(rt.scrubber)
    frontends = rt.plugins.frontends()
    if not frontends:
        raise ValueError("no protocol frontend is registered")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        backends = ", ".join(f"{b.id} ({b.kind})" for b in config.backends)
        log.info(
            "LIP ready (pid %d, RSS %s): protocols %s; backends %s; default route %s",
            os.getpid(),
            _rss(),
            ", ".join(f.name for f in frontends),
            backends,
            config.routing.default_route or "(none)",
        )
        rt.ready = True
        reclaim: asyncio.Task[None] | None = None
        if config.server.reclaim_memory > 0:
            reclaimer = MemoryReclaimer(config.server.reclaim_memory, trim=glibc_trim())
            reclaim = asyncio.create_task(reclaimer.run())
        try:
            yield
        finally:
            if reclaim is not None:
                reclaim.cancel()
            await rt.aclose()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        if not rt.ready:
            return JSONResponse({"status": "starting"}, status_code=503)
        return JSONResponse({"status": "ready", "backends": sorted(rt.backends)})

    async def http_error(request: Request, exc: Exception) -> Response:
        # Unknown paths and methods still answer in a client protocol's error shape.
        assert isinstance(exc, HTTPException)
        error: LipError
        if exc.status_code == 404:
            error = NotFoundError(f"Unknown request URL: {request.method} {request.url.path}.")
        else:
            error = InvalidRequestError(f"{exc.detail}: {request.method} {request.url.path}.")
        reply = error_owner(frontends, request_context(request.scope)).encode_error(error)
        return Response(reply.body, status_code=exc.status_code, media_type=reply.media_type)

    document: bytes | None = None

    async def openapi(request: Request) -> Response:
        nonlocal document
        if document is None:  # built on first use: schema generation takes a while
            document = json.dumps(openapi_document(frontends)).encode()
        return Response(document, media_type="application/json")

    routes = [
        *protocol_routes(frontends, rt),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]
    diagnostics = config.diagnostics
    if diagnostics.enabled and diagnostics.secret is not None and rt.lineage is not None:
        routes.extend(diagnostics_routes(diagnostics.secret, rt.lineage, rt.inventory))
    routes.extend(metrics_routes(config, rt.observers))
    app = Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error}
    )
    # No trailing-slash redirects: Starlette builds their Location from the
    # client's Host header; an unknown path is a 404 in the client's shape.
    app.router.redirect_slashes = False
    # Outermost, around Starlette's own error middleware: even its bare 500
    # carries x-lip-request-id. (Building the stack now is what Starlette
    # would do on the first request; no middleware is added later.)
    stack = DirectPosts(routes, app.build_middleware_stack())
    app.middleware_stack = RequestIdMiddleware(stack, rt.observers)
    app.state.runtime = rt
    return app


__all__ = ["choose", "connection_error_page", "create_app", "error_owner", "protocol_routes"]
