"""``GET /metrics`` (``observability.metrics.path``): Prometheus's text format.

Mounted only when ``observability.metrics.enabled``; otherwise the path is
unknown like any other. With ``require_secret`` every scrape must carry
``x-lip-diagnostics-secret`` equal to ``diagnostics.secret`` (a missing and a
wrong one get the same 401), as the diagnostics routes do. The exposition is
rendered on the event loop, where the breakers it reads live, after the
observers have taken every request that has ended (they batch them).
"""

from __future__ import annotations

import hmac
import json

from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import SecretStr
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from lip.config import Config, ConfigError
from lip.continuity import Observers
from lip.observe import MetricsObserver
from lip.server.diagnostics import SECRET_HEADER

__all__ = ["MetricsEndpoint", "metrics_routes"]

_SECRET_HEADER = SECRET_HEADER.encode()


class MetricsEndpoint:
    """ASGI app answering a scrape with ``observer``'s exposition, once
    ``observers`` (``observer`` among them) have every ended request."""

    def __init__(
        self, observer: MetricsObserver, observers: Observers, secret: SecretStr | None
    ) -> None:
        self._observer = observer
        self._observers = observers
        self._secret = None if secret is None else secret.get_secret_value().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._secret is not None and not self._authorized(scope, self._secret):
            message = f"a valid {SECRET_HEADER} header is required"
            body = json.dumps({"error": {"type": "authentication_error", "message": message}})
            await _send(send, 401, "application/json", body.encode())
            return
        self._observers.flush()
        await _send(send, 200, CONTENT_TYPE_LATEST, self._observer.exposition())

    @staticmethod
    def _authorized(scope: Scope, secret: bytes) -> bool:
        given = next((v for k, v in scope["headers"] if k.lower() == _SECRET_HEADER), None)
        # Constant time: how much of a guess matched must not show in the timing.
        return given is not None and hmac.compare_digest(given, secret)


def metrics_routes(config: Config, observers: Observers) -> list[BaseRoute]:
    """The metrics route for the app factory to mount; none when metrics are off.

    Raises :class:`ConfigError` when ``require_secret`` is set without a
    ``diagnostics.secret`` (the config validation refuses that already)."""
    settings = config.observability.metrics
    observer = next((o for o in observers if isinstance(o, MetricsObserver)), None)
    if not settings.enabled or observer is None:
        return []
    secret = config.diagnostics.secret if settings.require_secret else None
    if settings.require_secret and secret is None:
        raise ConfigError("observability.metrics.require_secret needs diagnostics.secret to be set")
    return [Route(settings.path, MetricsEndpoint(observer, observers, secret), methods=["GET"])]


async def _send(send: Send, status: int, media_type: str, body: bytes) -> None:
    headers = [
        (b"content-type", media_type.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
