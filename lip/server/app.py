"""The Starlette app factory: no module globals, everything hangs off the app."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lip.canonical import InvalidRequestError, LipError, NotFoundError
from lip.config import Config
from lip.protocols.openai_chat import OpenAIChatFrontend, encode_model, encode_models
from lip.server.endpoint import ProtocolEndpoint
from lip.server.runtime import Runtime

log = logging.getLogger("lip.server")


def create_app(config: Config, *, runtime: Runtime | None = None) -> Starlette:
    """Build the ASGI app serving every configured protocol route."""
    rt = runtime or Runtime(config)
    chat = OpenAIChatFrontend()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        backends = ", ".join(f"{b.id} ({b.kind.value})" for b in config.backends)
        log.info(
            "LIP ready: backends %s; default route %s",
            backends,
            config.routing.default_route or "(none)",
        )
        rt.ready = True
        try:
            yield
        finally:
            await rt.aclose()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        if not rt.ready:
            return JSONResponse({"status": "starting"}, status_code=503)
        return JSONResponse({"status": "ready", "backends": sorted(rt.backends)})

    async def models(request: Request) -> Response:
        reply = encode_models(rt.planner.models())
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type)

    async def model(request: Request) -> Response:
        name = request.path_params["model"]
        owner = dict(rt.planner.models()).get(name)
        if owner is None:
            error = NotFoundError(
                f"The model '{name}' does not exist", param="model", code="model_not_found"
            )
            reply = chat.encode_error(error)
        else:
            reply = encode_model(name, owner)
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type)

    async def http_error(request: Request, exc: Exception) -> Response:
        # Unknown paths and methods still answer in the OpenAI error shape.
        assert isinstance(exc, HTTPException)
        error: LipError
        if exc.status_code == 404:
            error = NotFoundError(f"Unknown request URL: {request.method} {request.url.path}.")
        else:
            error = InvalidRequestError(f"{exc.detail}: {request.method} {request.url.path}.")
        reply = chat.encode_error(error)
        return Response(reply.body, status_code=exc.status_code, media_type=reply.media_type)

    chat_endpoint = ProtocolEndpoint(chat, rt)
    routes = [
        Route("/v1/chat/completions", chat_endpoint, methods=["POST"]),
        Route("/chat/completions", chat_endpoint, methods=["POST"]),
        Route("/v1/models", models, methods=["GET"]),
        Route("/v1/models/{model:path}", model, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error}
    )
    app.state.runtime = rt
    return app


__all__ = ["create_app"]
