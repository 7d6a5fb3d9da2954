"""``GET /diagnostics/requests/{id}``: the lineage record of one call;
``GET /diagnostics/inventory``: what this server's config serves
(:mod:`lip.inventory`, the same document as ``lip inventory``).

Mounted only when ``diagnostics.enabled``; otherwise the path is unknown like
any other. Every request must carry ``x-lip-diagnostics-secret`` equal to
the configured secret: a missing and a wrong one get the same 401 (no hint
which), and the check runs before the lookup, so ids cannot be probed
without it. The id is the ``x-lip-request-id`` the call was answered with.
Replies are JSON: the record (:meth:`CallRecord.to_json`), or
``{"error": {"type": ..., "message": ...}}``.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable

from pydantic import SecretStr
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from lip.continuity import LineageStore
from lip.inventory import Inventory

__all__ = ["SECRET_HEADER", "DiagnosticsEndpoint", "InventoryEndpoint", "diagnostics_routes"]

log = logging.getLogger("lip.server")

SECRET_HEADER = "x-lip-diagnostics-secret"
_SECRET_HEADER = SECRET_HEADER.encode()


class DiagnosticsEndpoint:
    """ASGI app answering one call's record by its request id."""

    def __init__(self, secret: SecretStr, lineage: LineageStore) -> None:
        self._secret = secret.get_secret_value().encode()
        self._lineage = lineage

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _authorized(scope, self._secret):
            await _refuse(send)
            return
        request_id: str = scope.get("path_params", {}).get("request_id", "")
        try:
            record = await self._lineage.get(request_id)
        except Exception:
            log.exception("diagnostics: reading the record of request %s failed", request_id)
            await _send_json(send, 500, _error("internal_error", "internal error"))
            return
        if record is None:
            message = "no record of this request id (unknown, or no longer kept)"
            await _send_json(send, 404, _error("not_found_error", message))
            return
        await _send_json(send, 200, record.to_json())


class InventoryEndpoint:
    """ASGI app answering the server's inventory, built on first use."""

    def __init__(self, secret: SecretStr, inventory: Callable[[], Inventory]) -> None:
        self._secret = secret.get_secret_value().encode()
        self._build = inventory
        self._document: dict[str, object] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _authorized(scope, self._secret):
            await _refuse(send)
            return
        if self._document is None:  # the config cannot change under one app
            self._document = self._build().to_json()
        await _send_json(send, 200, self._document)


def diagnostics_routes(
    secret: SecretStr,
    lineage: LineageStore,
    inventory: Callable[[], Inventory] | None = None,
) -> list[BaseRoute]:
    """The diagnostics routes, for the app factory to mount."""
    endpoint = DiagnosticsEndpoint(secret, lineage)
    routes: list[BaseRoute] = [
        Route("/diagnostics/requests/{request_id}", endpoint, methods=["GET"])
    ]
    if inventory is not None:
        routes.append(
            Route("/diagnostics/inventory", InventoryEndpoint(secret, inventory), methods=["GET"])
        )
    return routes


def _authorized(scope: Scope, secret: bytes) -> bool:
    given = next((v for k, v in scope["headers"] if k.lower() == _SECRET_HEADER), None)
    # Constant time: how much of a guess matched must not show in the timing.
    return given is not None and hmac.compare_digest(given, secret)


async def _refuse(send: Send) -> None:
    message = f"a valid {SECRET_HEADER} header is required"
    await _send_json(send, 401, _error("authentication_error", message))


def _error(kind: str, message: str) -> dict[str, object]:
    return {"error": {"type": kind, "message": message}}


async def _send_json(send: Send, status: int, payload: dict[str, object]) -> None:
    body = json.dumps(payload).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),  # records are secret-gated: no shared cache keeps them
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
