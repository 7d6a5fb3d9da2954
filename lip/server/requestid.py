"""One id per HTTP request, on every response: ``x-lip-request-id``.

:class:`RequestIdMiddleware` wraps the whole app (outside Starlette's own
error middleware, so even its bare 500 carries it). It draws the id once,
puts it in the ASGI scope under :data:`SCOPE_KEY` (a top-level key, like
Starlette's ``path_params``: not every server sets ``scope["state"]``), and
adds the header to the ``http.response.start`` message. Endpoints read it with :func:`request_id_of`
and use it for their protocol's own request-id header and for the call's
lineage record (``GET /diagnostics/requests/{id}``). The replies the
connection layer writes itself (malformed HTTP, timeouts, the connection
cap) never reach the app; :func:`lip.server.app.connection_error_page`
draws their id.

The header is appended to the app's own headers list, so an app must build
a fresh list per response (every LIP endpoint and Starlette response does).
"""

from __future__ import annotations

import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HEADER", "SCOPE_KEY", "RequestIdMiddleware", "request_id_of"]

HEADER = "x-lip-request-id"
SCOPE_KEY = "lip.request_id"
"""Where the request's id (32 lowercase hex digits) lives in the ASGI scope."""

_HEADER = HEADER.encode()


def request_id_of(scope: Scope) -> str:
    """This request's id; a fresh one when the app runs without the middleware
    (an endpoint mounted alone in a test)."""
    request_id = scope.get(SCOPE_KEY)
    if request_id is None:
        request_id = scope[SCOPE_KEY] = os.urandom(16).hex()
    assert isinstance(request_id, str)
    return request_id


class RequestIdMiddleware:
    """Pure ASGI: streaming responses pass through untouched (no buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = os.urandom(16).hex()
        scope[SCOPE_KEY] = request_id
        value = request_id.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                # On the hot path: extend the sender's own list, never copy it
                # (ASGI allows any iterable; only a non-list is copied).
                headers = message.get("headers")
                if type(headers) is not list:
                    headers = message["headers"] = list(headers or ())
                headers.append((_HEADER, value))
            await send(message)

        await self.app(scope, receive, send_with_id)
