"""How ``lip serve`` (and the tests that run LIP on a socket) configure uvicorn."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from lip.server.app import connection_error_page
from lip.server.connections import ConnectionLimits, fit_descriptor_limit, guarded_protocol
from lip.server.runtime import Runtime


def server_options(app: Starlette) -> dict[str, Any]:
    """uvicorn ``Config`` options for an app built by :func:`create_app`: the
    guarded connection layer with the limits from ``server:`` in its config."""
    runtime: Runtime = app.state.runtime
    limits = fit_descriptor_limit(ConnectionLimits.of(runtime.config.server))
    protocol = guarded_protocol(
        limits,
        connection_error_page(runtime.plugins.frontends()),
        lambda: runtime.draining,
    )
    return {
        "http": protocol,
        "ws": "none",
        "timeout_keep_alive": limits.keep_alive,
        "proxy_headers": False,
        "server_header": False,
    }


__all__ = ["server_options"]
