"""The pure-ASGI endpoints serving one protocol's routes.

:class:`GenerateEndpoint` reads the body under the size limit, lets the
protocol frontend build the request, runs it, and answers in the client's
protocol. The whole
exchange runs beside a watcher on ``receive``: when the client disconnects,
the exchange is cancelled at once, which closes the upstream request too
(Starlette's response classes only notice a disconnect on their next write).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
from collections.abc import AsyncGenerator, Mapping
from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope, Send

from lip.canonical import (
    DEFAULT_LIMITS,
    Call,
    Collector,
    ErrorEvent,
    ErrorKind,
    Event,
    InternalError,
    Limits,
    LipError,
    NotFoundError,
    OverloadedError,
    RequestTooLargeError,
    estimate_input_tokens,
)
from lip.protocols.base import (
    ClientRequest,
    Frontend,
    ModelEntry,
    Operation,
    RequestContext,
    StateStore,
    WireReply,
)
from lip.server.runtime import Runtime

log = logging.getLogger("lip.server")

_INTERNAL_EVENT = ErrorEvent(kind=ErrorKind.INTERNAL, message="internal error")
_SHUTDOWN_MESSAGE = "the server is shutting down; retry the request"
_SHUTDOWN_EVENT = ErrorEvent(kind=ErrorKind.OVERLOADED, message=_SHUTDOWN_MESSAGE)
_SHUTDOWN_ERROR = OverloadedError(_SHUTDOWN_MESSAGE)


class _ShutDown(Exception):
    """The exchange was answered with the shutdown error; nothing more to do."""


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def request_context(
    scope: Scope,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    store: StateStore | None = None,
) -> RequestContext:
    """What a frontend may read of the request in ``scope``."""
    raw_query = scope.get("query_string", b"")
    return RequestContext(
        method=scope["method"],
        path=scope["path"],
        path_params=scope.get("path_params", {}),
        query=dict(parse_qsl(raw_query.decode("latin-1"))) if raw_query else {},
        headers=_headers(scope) if headers is None else headers,
        body=body,
        limits=limits,
        store=store,
    )


class ModelsEndpoint:
    """ASGI app for a protocol's model listing and get-model routes."""

    def __init__(self, frontend: Frontend, runtime: Runtime, operation: Operation) -> None:
        self.frontend = frontend
        self.runtime = runtime
        self.operation = operation

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = os.urandom(16).hex()
        models = [ModelEntry(id=m, owned_by=b) for m, b in self.runtime.planner.models()]
        if self.operation is Operation.LIST_MODELS:
            reply = self.frontend.encode_models(models)
        else:
            name = scope.get("path_params", {}).get("model", "")
            entry = next((m for m in models if m.id == name), None)
            if entry is None:
                error = NotFoundError(
                    f"The model '{name}' does not exist", param="model", code="model_not_found"
                )
                reply = self.frontend.encode_error(error)
            else:
                reply = self.frontend.encode_model(entry)
        await send_reply(send, reply, request_id, self.frontend)


class CountTokensEndpoint:
    """ASGI app for a protocol's count-tokens route: the first planned leg's
    upstream counts when its protocol can; otherwise LIP estimates, and the
    reply says so (``x-lip-token-count: estimate``)."""

    def __init__(self, frontend: Frontend, runtime: Runtime) -> None:
        self.frontend = frontend
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = os.urandom(16).hex()
        try:
            context = await read_request(scope, receive, self.runtime)
            call = _identified(
                self.frontend.decode_count_request(context).call, request_id, context
            )
            target = self.runtime.planner.plan(call)[0]
            backend = self.runtime.backends[target.backend_id]
            counted = await backend.count_tokens(call, target)
            if counted is None:
                reply = self.frontend.encode_count(estimate_input_tokens(call), estimated=True)
            else:
                reply = self.frontend.encode_count(counted, estimated=False)
        except LipError as exc:
            exc.message = self.runtime.scrubber(exc.message)
            reply = self.frontend.encode_error(exc)
        except Disconnected:
            return
        except Exception:
            log.exception("request %s: counting tokens failed", request_id)
            reply = self.frontend.encode_error(InternalError("internal error"))
        await send_reply(send, reply, request_id, self.frontend)


class GenerateEndpoint:
    """ASGI app for e.g. ``POST /v1/chat/completions``."""

    def __init__(self, frontend: Frontend, runtime: Runtime) -> None:
        self.frontend = frontend
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = os.urandom(16).hex()
        try:
            context = await read_request(scope, receive, self.runtime)
            request = self.frontend.decode_request(context)
        except LipError as exc:
            await send_reply(send, self.frontend.encode_error(exc), request_id, self.frontend)
            return
        except Disconnected:
            return
        except Exception:
            log.exception("request %s: decoding failed", request_id)
            await send_reply(send, self._internal(), request_id, self.frontend)
            return
        request = ClientRequest(
            call=_identified(request.call, request_id, context), shape=request.shape
        )

        # Plain asyncio rather than an anyio task group: this runs on every
        # request and the task group cost ~10% of the gateway's CPU.
        exchange = asyncio.current_task()
        assert exchange is not None
        disconnected = False

        async def watch_disconnect() -> None:
            nonlocal disconnected
            while (await receive())["type"] != "http.disconnect":
                pass
            disconnected = True
            log.info("client disconnected; cancelling request %s", request_id)
            exchange.cancel()

        watcher = asyncio.create_task(watch_disconnect())
        try:
            await self._exchange(request, send, request_id)
        except asyncio.CancelledError:
            if not disconnected:
                raise
            exchange.uncancel()
        except _ShutDown:
            pass  # answered in the client's protocol already
        finally:
            watcher.cancel()

    async def _exchange(self, request: ClientRequest, send: Send, request_id: str) -> None:
        events = self.runtime.executor.events(request.call)
        try:
            if request.call.stream:
                await self._stream(request, events, send, request_id)
            else:
                await self._unary(request, events, send, request_id)
        finally:
            # Runs once the cancellation has been delivered, so it completes:
            # the upstream request is closed before this returns.
            await events.aclose()

    async def _unary(
        self,
        request: ClientRequest,
        events: AsyncGenerator[list[Event], None],
        send: Send,
        request_id: str,
    ) -> None:
        collector = Collector(self.runtime.limits, checked=True)  # the executor checks the grammar
        try:
            async for batch in events:
                for event in batch:
                    collector.feed(event)
            reply = self.frontend.encode_response(collector.result(), request)
        except asyncio.CancelledError:
            if not self._shutting_down():
                raise
            await send_reply(
                send, self.frontend.encode_error(_SHUTDOWN_ERROR), request_id, self.frontend
            )
            raise _ShutDown from None
        except LipError as exc:
            reply = self.frontend.encode_error(exc)
        except Exception:
            log.exception("request %s: encoding the reply failed", request_id)
            reply = self._internal()
        await send_reply(send, reply, request_id, self.frontend)

    def _internal(self) -> WireReply:
        """A bug in LIP still answers in the client's protocol, never with a bare 500."""
        return self.frontend.encode_error(InternalError("internal error"))

    async def _stream(
        self,
        request: ClientRequest,
        events: AsyncGenerator[list[Event], None],
        send: Send,
        request_id: str,
    ) -> None:
        encoder = self.frontend.stream_encoder(request)
        try:
            first = await anext(events)
        except LipError as exc:
            await send_reply(send, self.frontend.encode_error(exc), request_id, self.frontend)
            return
        except StopAsyncIteration:
            reply = self.frontend.encode_error(InternalError("the upstream produced no response"))
            await send_reply(send, reply, request_id, self.frontend)
            return
        try:
            opening = b"".join(encoder.encode(event) for event in first)
        except Exception:
            log.exception("request %s: encoding the stream failed", request_id)
            await send_reply(send, self._internal(), request_id, self.frontend)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", encoder.media_type.encode()),
                    (b"cache-control", b"no-cache"),
                    *_id_headers(self.frontend, request_id),
                ],
            }
        )
        await _send_chunk(send, opening)
        try:
            async for batch in events:
                # One write per batch: the events of one upstream read.
                try:
                    data = b"".join(encoder.encode(event) for event in batch)
                except Exception:
                    # A bug in the encoder after the 200 is out: end the stream with the
                    # protocol's own error event rather than a dropped connection.
                    log.exception("request %s: encoding the stream failed", request_id)
                    data = encoder.encode(_INTERNAL_EVENT)
                    await _send_chunk(send, data)
                    break
                await _send_chunk(send, data)
        except asyncio.CancelledError:
            if not self._shutting_down():
                raise
            # The grace period is over: the stream ends in the protocol's error form.
            await _send_chunk(send, encoder.encode(_SHUTDOWN_EVENT))
            await send({"type": "http.response.body", "body": encoder.close(), "more_body": False})
            raise _ShutDown from None
        await send({"type": "http.response.body", "body": encoder.close(), "more_body": False})

    def _shutting_down(self) -> bool:
        """Cancelled by the server's shutdown (not by a client that left)?"""
        if not self.runtime.draining:
            return False
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        return True


class Disconnected(Exception):
    """The client went away while its request was being read."""


async def read_request(scope: Scope, receive: Receive, runtime: Runtime) -> RequestContext:
    """The request with its body read under the size limit."""
    headers = _headers(scope)
    body = await _read_body(receive, headers, runtime.limits.max_request_bytes)
    return request_context(scope, body, headers, runtime.limits, runtime.state)


def _identified(call: Call, request_id: str, context: RequestContext) -> Call:
    """``call`` with this request's id and its ``X-LIP-Route`` selector, if any."""
    route = context.headers.get("x-lip-route")
    return dataclasses.replace(call, id=request_id, route=route or None)


async def _read_body(receive: Receive, headers: Mapping[str, str], limit: int) -> bytes:
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestTooLargeError(
            f"Request body of {int(declared)} bytes exceeds the limit of {limit} bytes.",
            code="request_too_large",
        )
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RequestTooLargeError(
                f"Request body exceeds the limit of {limit} bytes.", code="request_too_large"
            )
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send_chunk(send: Send, data: bytes) -> None:
    if data:
        await send({"type": "http.response.body", "body": data, "more_body": True})


def _id_headers(frontend: Frontend, request_id: str) -> list[tuple[bytes, bytes]]:
    """``x-request-id``, and the protocol's own name for it (Anthropic's ``request-id``)."""
    value = request_id.encode()
    headers = [(b"x-request-id", value)]
    if frontend.request_id_header != "x-request-id":
        headers.append((frontend.request_id_header.encode(), value))
    return headers


async def send_reply(send: Send, reply: WireReply, request_id: str, frontend: Frontend) -> None:
    headers = [
        (b"content-type", reply.media_type.encode()),
        (b"content-length", str(len(reply.body)).encode()),
        *_id_headers(frontend, request_id),
    ]
    headers.extend((k.lower().encode(), v.encode()) for k, v in reply.headers.items())
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body, "more_body": False})


__all__ = [
    "CountTokensEndpoint",
    "Disconnected",
    "GenerateEndpoint",
    "ModelsEndpoint",
    "read_request",
    "request_context",
    "send_reply",
]
