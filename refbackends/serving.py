"""Running an emulator (or any ASGI app) on a real loopback socket.

httpx's ASGITransport buffers whole responses, so streaming behaviour
(timing, disconnects, cuts) must be tested over a socket.
:func:`serve_in_thread` binds 127.0.0.1 on a free port, runs uvicorn in a
background thread and yields the base URL::

    with serve_in_thread(create_app()) as base_url:
        client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="x")

:func:`refused_port` (and :func:`refused_url`) hold a loopback port that
refuses every connection, for an upstream that is down::

    with refused_url() as down:
        ...  # connecting to down fails at once with ECONNREFUSED
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn
from starlette.types import ASGIApp

from refbackends.streaming import EmulatedCut

__all__ = ["quiet_emulated_cuts", "refused_port", "refused_url", "serve_in_thread"]


class _DropEmulatedCuts(logging.Filter):
    """Drops uvicorn's "Exception in ASGI application" record when the
    exception is a deliberate :class:`EmulatedCut`."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not _is_cut(exc)


def _is_cut(exc: BaseException | None) -> bool:
    if isinstance(exc, EmulatedCut):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return all(_is_cut(inner) for inner in exc.exceptions)
    return False


def quiet_emulated_cuts() -> None:
    """Keep deliberate cuts out of uvicorn's error log (idempotent).

    uvicorn logs every exception that escapes an ASGI app with a traceback;
    an emulated cut is an exception by design, not a failure.
    """
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DropEmulatedCuts) for f in logger.filters):
        logger.addFilter(_DropEmulatedCuts())


@contextmanager
def serve_in_thread(
    app: ASGIApp,
    *,
    host: str = "127.0.0.1",
    log_level: str = "warning",
    lifespan: Literal["on", "off", "auto"] = "off",
    startup_timeout: float = 5.0,
    shutdown_timeout: float = 2.0,
    options: Mapping[str, Any] | None = None,
) -> Iterator[str]:
    """Serve ``app`` with uvicorn on ``host`` at a free port in a daemon
    thread; yields ``"http://host:port"`` once the server accepts requests.

    On exit the server stops (in-flight requests get ``shutdown_timeout``
    seconds before they are cancelled) and the thread is joined. A server
    that fails to start raises ``RuntimeError`` here, not in the thread.
    ``options`` are more ``uvicorn.Config`` keywords (e.g. LIP's
    ``server_options(app)``: its connection layer and limits).
    """
    quiet_emulated_cuts()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            lifespan=lifespan,
            log_level=log_level,
            access_log=False,
            timeout_graceful_shutdown=max(int(shutdown_timeout), 1),
            **(options or {}),
        )
        server = uvicorn.Server(config)
        failures: list[BaseException] = []

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # reported to the caller below
                failures.append(exc)

        thread = threading.Thread(target=run, name=f"uvicorn-{host}:{port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if failures or not thread.is_alive():
                raise RuntimeError(f"uvicorn failed to start on {host}:{port}") from (
                    failures[0] if failures else None
                )
            if time.monotonic() > deadline:
                server.should_exit = True
                raise RuntimeError(
                    f"uvicorn did not start on {host}:{port} within {startup_timeout}s"
                )
            time.sleep(0.005)
        try:
            yield f"http://{host}:{port}"
        finally:
            server.should_exit = True
            thread.join(shutdown_timeout + 5.0)
            if thread.is_alive():
                server.force_exit = True
                thread.join(2.0)
    finally:
        sock.close()


@contextmanager
def refused_port(host: str = "127.0.0.1") -> Iterator[int]:
    """A port on ``host`` that refuses connections while the block runs.

    The socket is bound but never listens: the kernel answers a SYN with a
    RST (``ConnectionRefusedError``, httpx's ``ConnectError``) at once, and
    as the port stays bound, without ``SO_REUSEADDR``, no other server (or
    outgoing connection) can take it meanwhile. Closed on exit.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((host, 0))
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


@contextmanager
def refused_url(host: str = "127.0.0.1") -> Iterator[str]:
    """``"http://host:port"`` of a :func:`refused_port`: a base URL in the
    shape :func:`serve_in_thread` yields, for an upstream that is down."""
    with refused_port(host) as port:
        yield f"http://{host}:{port}"
