"""The HTTP/1.1 connection layer: limits on what one client connection may hold.

uvicorn's httptools protocol parses and frames; :func:`guarded_protocol`
subclasses it with the bounds a server on a network needs, none of which
uvicorn has on its own:

- a **connection cap**: past ``max_connections`` a new connection is answered
  ``overloaded`` in the error shape and closed, so idle sockets can never
  exhaust the process's file descriptors and lock everyone out;
- a **header read timeout** from a connection's (or a keep-alive request's)
  first byte, and for a connection that never sends at all;
- a **max header size** (request line plus headers): 431 past it, so a client
  can't make LIP buffer an endless header;
- a **body read timeout**: the whole body must arrive within it (a trickle of
  one byte a minute is not "activity");
- a **write timeout**: a client that stops reading while LIP streams to it is
  cut once its socket buffer has stayed full that long;
- an **idle keep-alive timeout** (uvicorn's own);
- malformed HTTP, timeouts and the cap answered in a client protocol's error
  shape (:data:`ErrorPage`), then a lingering close: LIP stops reading, sends
  FIN and discards what the client still sends, so its reply isn't lost to a
  TCP reset;
- during a drain every response says ``Connection: close``, so idle keep-alive
  clients learn of the shutdown from a reply rather than an EOF.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from uvicorn.config import Config as UvicornConfig
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from lip.canonical import InvalidRequestError, LipError, OverloadedError, RequestTooLargeError
from lip.config import ServerConfig
from lip.server.coalesce import CoalescingTransport

log = logging.getLogger("lip.server")

ErrorPage = Callable[[int | None, LipError, str | None], bytes]
"""``(status override, error, request path if known) -> a complete HTTP/1.1
response`` in the error shape of the frontend owning that path."""

_LINGER_SECONDS = 2.0
"""How long a rejected connection may keep sending before it is reset."""

_FD_RESERVE = 64
"""File descriptors kept free of client connections (listeners, logs, config)."""


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    max_connections: int
    max_header_bytes: int
    header_read: float
    body_read: float
    write: float
    keep_alive: float

    @classmethod
    def of(cls, server: ServerConfig) -> ConnectionLimits:
        t = server.timeouts
        return cls(
            max_connections=server.max_connections,
            max_header_bytes=server.max_header_bytes,
            header_read=t.header_read,
            body_read=t.body_read,
            write=t.write,
            keep_alive=t.keep_alive,
        )


def fit_descriptor_limit(limits: ConnectionLimits) -> ConnectionLimits:
    """Raise the soft file-descriptor limit toward what ``max_connections``
    needs (two per proxied request: client and upstream), and lower the cap if
    the hard limit does not allow it, so the cap answers before ``accept``
    starts failing."""
    needed = 2 * limits.max_connections + _FD_RESERVE
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):  # pragma: no cover - platform refusal
            pass
    if soft != resource.RLIM_INFINITY and soft < needed:
        fitted = max((soft - _FD_RESERVE) // 2, 1)
        log.warning(
            "server.max_connections lowered from %d to %d: the file descriptor limit is %d",
            limits.max_connections,
            fitted,
            soft,
        )
        return ConnectionLimits(
            fitted,
            limits.max_header_bytes,
            limits.header_read,
            limits.body_read,
            limits.write,
            limits.keep_alive,
        )
    return limits


def guarded_protocol(
    limits: ConnectionLimits, error_page: ErrorPage, draining: Callable[[], bool]
) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with LIP's connection limits (module docstring)."""

    class GuardedProtocol(HttpToolsProtocol):
        def __init__(
            self,
            config: UvicornConfig,
            server_state: ServerState,
            app_state: dict[str, Any],
            _loop: asyncio.AbstractEventLoop | None = None,
        ) -> None:
            super().__init__(config, server_state, app_state, _loop)
            self._in_head = True
            self._head_bytes = 0
            self._deadline: asyncio.TimerHandle | None = None
            self._write_timer: asyncio.TimerHandle | None = None
            self._closing = False
            """Answered and lingering: nothing more is read or started."""

        # -- connection lifecycle -------------------------------------------

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.connections) >= limits.max_connections:
                self.transport = transport
                log.warning(
                    "connection refused: %d connections open (server.max_connections)",
                    len(self.connections),
                )
                error = OverloadedError(
                    "the server is at its connection limit; retry shortly", retry_after=1
                )
                self._answer_and_close(None, error, None)
                return
            # Every write of the connection goes through the coalescer (lip.server.coalesce).
            coalesced: Any = CoalescingTransport(transport, self.loop)
            super().connection_made(coalesced)
            self._arm_deadline(limits.header_read, self._header_timeout)

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_deadline()
            self._cancel_write_timer()
            if self.flow is None:  # refused at the cap: never joined the server's state
                return
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._closing:
                return  # lingering after an answer: discard
            if self._in_head and (self.cycle is None or self.cycle.response_complete):
                self._head_bytes += len(data)
                if self._deadline is None:  # first byte after an idle keep-alive
                    self._arm_deadline(limits.header_read, self._header_timeout)
            super().data_received(data)
            if self._in_head and self._head_bytes > limits.max_header_bytes and not self._closing:
                error = RequestTooLargeError(
                    f"the request line and headers exceed {limits.max_header_bytes} bytes"
                )
                self._answer_and_close(431, error, self._path())

        def send_400_response(self, msg: str) -> None:
            error = InvalidRequestError(f"malformed HTTP request: {msg.rstrip('.')}")
            self._answer_and_close(400, error, self._path())

        # -- parser callbacks -----------------------------------------------

        def on_headers_complete(self) -> None:
            self._in_head = False
            self._cancel_deadline()
            super().on_headers_complete()
            if draining():
                self.cycle.keep_alive = False
            self._arm_deadline(limits.body_read, self._body_timeout)

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._cancel_deadline()
            self._in_head = True
            self._head_bytes = 0

        # -- flow control: the write timeout ----------------------------------

        def pause_writing(self) -> None:
            super().pause_writing()
            if self._write_timer is None:
                self._write_timer = self.loop.call_later(limits.write, self._write_timeout)

        def resume_writing(self) -> None:
            super().resume_writing()
            self._cancel_write_timer()

        # -- timers -----------------------------------------------------------

        def _header_timeout(self) -> None:
            self._deadline = None
            if self._closing or (self.cycle is not None and not self.cycle.response_complete):
                return
            if self._head_bytes == 0:
                self.transport.close()  # never sent anything: nothing to answer
                return
            error = InvalidRequestError(
                f"the request headers did not arrive within {limits.header_read:g} s"
            )
            self._answer_and_close(408, error, self._path())

        def _body_timeout(self) -> None:
            self._deadline = None
            cycle = self.cycle
            if self._closing or cycle is None or not cycle.more_body or cycle.response_complete:
                return
            log.info("closing a connection whose request body did not arrive in time")
            if cycle.response_started:
                self.transport.abort()
                return
            error = InvalidRequestError(
                f"the request body did not arrive within {limits.body_read:g} s"
            )
            # The app waiting for the rest of the body sees a disconnect and
            # answers nothing; this reply is the only one on the wire.
            cycle.disconnected = True
            cycle.message_event.set()
            self._answer_and_close(408, error, self._path())

        def _write_timeout(self) -> None:
            self._write_timer = None
            log.info(
                "closing a connection whose client read nothing for %g s (server.timeouts.write)",
                limits.write,
            )
            self.transport.abort()

        # -- helpers ----------------------------------------------------------

        def _path(self) -> str | None:
            scope = self.scope
            if scope is not None and "path" in scope:
                return scope["path"]
            url = getattr(self, "url", b"")
            if not url:
                return None
            return url.split(b"?", 1)[0].decode("latin-1")

        def _answer_and_close(self, status: int | None, error: LipError, path: str | None) -> None:
            self._closing = True
            self._cancel_deadline()
            transport = self.transport
            if transport.is_closing():
                return
            transport.write(error_page(status, error, path))
            if transport.can_write_eof():
                transport.write_eof()
                self._deadline = self.loop.call_later(_LINGER_SECONDS, transport.abort)
            else:  # pragma: no cover - TLS transports cannot half-close
                transport.close()

        def _arm_deadline(self, seconds: float, callback: Callable[[], None]) -> None:
            self._cancel_deadline()
            self._deadline = self.loop.call_later(seconds, callback)

        def _cancel_deadline(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _cancel_write_timer(self) -> None:
            if self._write_timer is not None:
                self._write_timer.cancel()
                self._write_timer = None

    return GuardedProtocol


__all__ = ["ConnectionLimits", "ErrorPage", "fit_descriptor_limit", "guarded_protocol"]
