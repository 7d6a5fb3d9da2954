"""Observing each HTTP exchange an emulator serves: when the request
arrived, when the response started and finished, and when the client went
away before it finished.

:class:`ExchangeObserver` is a pure ASGI middleware every emulator app is
built with. For each HTTP request it keeps an :class:`ExchangeTiming`:

- ``received_at`` when the request reaches the app (its headers parsed);
- ``first_byte_at`` once ``http.response.start`` (status line and headers)
  has been handed to the server;
- ``finished_at`` once the last body message of a complete response has;
- ``disconnected_at`` when the client closed the connection first.

To notice a departed client at once, the observer owns the ASGI ``receive``
channel: a listener task reads it from the start, hands the request-body
messages on to the app, and on ``http.disconnect`` (uvicorn delivers it as
soon as the peer closes its socket) records the time and cancels the app.
A client that leaves during a ``delay_ms`` sleep, a ``chunk_delay_ms`` gap
or a stall is therefore seen within milliseconds, not at the next write
(which uvicorn would silently drop anyway). A send that fails with
``OSError`` counts as a disconnect too.

The request log (:mod:`refbackends.control`) stamps each entry with the
exchange being served through :func:`current_exchange`, so the emulators do
not thread it through their handlers; a context variable is per request
(per task context), not shared state.
"""

from __future__ import annotations

import math
import time
from contextvars import ContextVar
from dataclasses import dataclass

import anyio
from anyio.streams.memory import MemoryObjectSendStream
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ExchangeObserver", "ExchangeTiming", "current_exchange"]

_CURRENT: ContextVar[ExchangeTiming | None] = ContextVar("refbackends_exchange", default=None)


@dataclass
class ExchangeTiming:
    """Wall-clock times (``time.time()``, comparable with a client's clock
    on the same machine) of one exchange; None until that happens.

    Mutated in place while the exchange runs, so a request-log entry read
    later shows what happened since it was logged.
    """

    received_at: float
    first_byte_at: float | None = None
    finished_at: float | None = None
    disconnected_at: float | None = None

    def client_left(self) -> None:
        """Record that the client went away; ignored once the response is
        complete (uvicorn reports every finished exchange as a disconnect)
        or already recorded."""
        if self.finished_at is None and self.disconnected_at is None:
            self.disconnected_at = time.time()

    def to_json(self) -> dict[str, float | None]:
        """The four times, as served by ``GET /__emulator__/requests``."""
        return {
            "received_at": self.received_at,
            "first_byte_at": self.first_byte_at,
            "finished_at": self.finished_at,
            "disconnected_at": self.disconnected_at,
        }


def current_exchange() -> ExchangeTiming | None:
    """The timing of the request being handled in this context, or None
    outside an app wrapped by :class:`ExchangeObserver`."""
    return _CURRENT.get()


class ExchangeObserver:
    """ASGI middleware: times every HTTP exchange and cancels the app as
    soon as its client disconnects (see the module docstring).

    An exception the app raises (an emulated cut included) reaches the
    server unchanged, not wrapped in an exception group; a departed client
    is not an error, so nothing is raised for it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        timing = ExchangeTiming(received_at=time.time())
        token = _CURRENT.set(timing)
        try:
            failure = await self._serve(scope, receive, send, timing)
        finally:
            _CURRENT.reset(token)
        if failure is not None:
            raise failure

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, timing: ExchangeTiming
    ) -> Exception | None:
        """Run the app beside the listener; returns what the app raised."""
        inbox, outbox = anyio.create_memory_object_stream[Message](math.inf)

        async def receive_buffered() -> Message:
            try:
                return await outbox.receive()
            except anyio.EndOfStream:
                return {"type": "http.disconnect"}

        async def send_observed(message: Message) -> None:
            try:
                await send(message)
            except OSError as exc:
                timing.client_left()
                raise ClientDisconnect() from exc
            if message["type"] == "http.response.start":
                timing.first_byte_at = time.time()
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                timing.finished_at = time.time()

        failure: Exception | None = None
        with inbox, outbox:
            async with anyio.create_task_group() as group:
                group.start_soon(_listen, receive, inbox, timing, group.cancel_scope)
                try:
                    await self.app(scope, receive_buffered, send_observed)
                except ClientDisconnect:
                    # The client is gone: nobody is left to tell.
                    timing.client_left()
                except Exception as exc:
                    # Raised after the task group exits, so the server sees
                    # the app's own exception, not an exception group.
                    failure = exc
                group.cancel_scope.cancel()
        return failure


async def _listen(
    receive: Receive,
    inbox: MemoryObjectSendStream[Message],
    timing: ExchangeTiming,
    app_scope: anyio.CancelScope,
) -> None:
    """Forward request messages to the app until ``http.disconnect``; on a
    disconnect before the response is complete, record it and cancel the
    app (its pending sleep or send ends at once)."""
    while True:
        message = await receive()
        if message["type"] != "http.disconnect":
            inbox.send_nowait(message)
            continue
        # Closing the inbox makes the app's later receive() calls answer
        # http.disconnect as the server would.
        inbox.close()
        if timing.finished_at is None:
            timing.client_left()
            app_scope.cancel()
        return
