"""How ``lip serve`` (and the tests that run LIP on a socket) configure uvicorn."""

from __future__ import annotations

from types import FrameType
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette

from lip.server.app import connection_error_page
from lip.server.connections import ConnectionLimits, fit_descriptor_limit, guarded_protocol
from lip.server.reload import ReloadableApp
from lip.server.runtime import Runtime

if TYPE_CHECKING:
    import uvicorn


def server_options(app: Starlette | ReloadableApp) -> dict[str, Any]:
    """uvicorn ``Config`` options for an app built by :func:`create_app` (or
    a :class:`ReloadableApp`): the guarded connection layer with the limits
    from ``server:`` in its (first) config."""
    runtime: Runtime = app.runtime if isinstance(app, ReloadableApp) else app.state.runtime
    drains: Runtime | ReloadableApp = app if isinstance(app, ReloadableApp) else runtime
    limits = fit_descriptor_limit(ConnectionLimits.of(runtime.config.server))
    protocol = guarded_protocol(
        limits,
        connection_error_page(runtime.plugins.frontends()),
        lambda: drains.draining,
    )
    return {
        "http": protocol,
        "ws": "none",
        "timeout_keep_alive": limits.keep_alive,
        "proxy_headers": False,
        "server_header": False,
    }


def log_config(level: str) -> dict[str, object]:
    """uvicorn's logging setup plus LIP's own ``lip.*`` loggers on the same handler,
    and the structured access log (``lip.access``) as bare lines on stdout."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = copy.deepcopy(LOGGING_CONFIG)
    loggers, formatters, handlers = config["loggers"], config["formatters"], config["handlers"]
    assert isinstance(loggers, dict) and isinstance(formatters, dict) and isinstance(handlers, dict)
    loggers["lip"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    # Printed whatever --log-level says: observability.access_log.enabled turns it on and off.
    formatters["lip.access"] = {"format": "%(message)s"}
    handlers["lip.access"] = {
        "formatter": "lip.access",
        "class": "lip.observe.lines.LineHandler",
        "stream": "ext://sys.stdout",
    }
    loggers["lip.access"] = {"handlers": ["lip.access"], "level": "INFO", "propagate": False}
    return config


def draining_server(
    config: uvicorn.Config, runtime: Runtime | ReloadableApp, drain_delay: float
) -> uvicorn.Server:
    """uvicorn's server, told about shutdown before it begins: on the first
    SIGTERM/SIGINT the runtime starts draining (``/readyz`` 503, streams cut at
    the grace period end with an in-stream error), and the listener stays open
    ``drain_delay`` more seconds so load balancers see the node leave."""
    import signal
    import threading

    import uvicorn

    class DrainingServer(uvicorn.Server):
        # Not uvicorn's own handler: it re-raises the signal after shutdown, so a
        # clean drain would still exit by SIGTERM instead of with status 0.
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if runtime.draining:  # a second signal: stop waiting
                self.should_exit = True
                self.force_exit = sig == signal.SIGINT
                return
            runtime.begin_drain()
            if drain_delay <= 0:
                self.should_exit = True
                return
            timer = threading.Timer(drain_delay, setattr, (self, "should_exit", True))
            timer.daemon = True
            timer.start()

    return DrainingServer(config)


__all__ = ["draining_server", "log_config", "server_options"]
