"""The pure-ASGI endpoints serving one protocol's routes.

:class:`GenerateEndpoint` reads the body under the size limit, lets the
protocol frontend build the request, runs it, and answers in the client's
protocol. The whole
exchange runs beside a watcher on ``receive``: when the client disconnects,
the exchange is cancelled at once, which closes the upstream request too
(Starlette's response classes only notice a disconnect on their next write).

Every endpoint answers with the request id :mod:`lip.server.requestid` drew.
When diagnostics are enabled, a generate call also leaves a lineage record
(:class:`lip.continuity.CallRecord`: the executor adds its attempts, this
module its outcome) in ``runtime.lineage`` once it ends.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import AsyncGenerator

from starlette.types import Receive, Scope, Send

from lip.canonical import (
    Call,
    Collector,
    ErrorEvent,
    ErrorKind,
    Event,
    InternalError,
    LipError,
    NotFoundError,
    OverloadedError,
    estimate_input_tokens,
)
from lip.continuity import CallOutcome, CallRecord
from lip.protocols.base import (
    ClientRequest,
    Frontend,
    ModelEntry,
    Operation,
    RequestContext,
    WireReply,
)
from lip.server.admission import Pass
from lip.server.exchange import (
    Disconnected,
    id_headers,
    read_request,
    request_context,
    send_chunk,
    send_reply,
)
from lip.server.replynotes import OutputTap, note_batch, note_content, note_reply, settle
from lip.server.requestid import continue_trace, record_of, request_id_of
from lip.server.runtime import Runtime

log = logging.getLogger("lip.server")

_INTERNAL_EVENT = ErrorEvent(kind=ErrorKind.INTERNAL, message="internal error")
_SHUTDOWN_MESSAGE = "the server is shutting down; retry the request"
_SHUTDOWN_EVENT = ErrorEvent(kind=ErrorKind.OVERLOADED, message=_SHUTDOWN_MESSAGE)
_SHUTDOWN_ERROR = OverloadedError(_SHUTDOWN_MESSAGE)


class _ShutDown(Exception):
    """The exchange was answered with the shutdown error; nothing more to do."""


class ModelsEndpoint:
    """ASGI app for a protocol's model listing and get-model routes."""

    def __init__(self, frontend: Frontend, runtime: Runtime, operation: Operation) -> None:
        self.frontend = frontend
        self.runtime = runtime
        self.operation = operation

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_of(scope)
        admission = self.runtime.admission
        try:
            principal = await admission.identify(scope, request_context(scope))
        except LipError as exc:
            await send_reply(send, self.frontend.encode_error(exc), request_id, self.frontend)
            return
        models = [
            ModelEntry(id=m, owned_by=b)
            for m, b in self.runtime.planner.models()
            if admission.allows(principal, m)  # a key lists only what it may use
        ]
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
        request_id = request_id_of(scope)
        try:
            context = await read_request(scope, receive, self.runtime)
            principal = await self.runtime.admission.identify(scope, context)
            call = _identified(
                self.frontend.decode_count_request(context).call, request_id, context
            )
            self.runtime.admission.access.authorize(principal, call.model, call.route)
            target = next(self.runtime.planner.plan_tree(call).targets())
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
        request_id = request_id_of(scope)
        admission = self.runtime.admission
        record = record_of(scope)  # None unless something observes calls
        if record is not None:
            record.protocol = self.frontend.name
        try:
            context = await read_request(scope, receive, self.runtime)
            if record is not None and self.runtime.observers.traces:
                continue_trace(record, context.headers.get("traceparent"))
            principal = await admission.identify(scope, context)
            request = self.frontend.decode_request(context)
            request = ClientRequest(
                call=_identified(request.call, request_id, context), shape=request.shape
            )
            if record is not None:
                record.stream = request.call.stream
                if self.runtime.captures_content:
                    note_content(request.call, record, self.runtime.scrubber)
            tally = await admission.admit(principal, request.call)
        except LipError as exc:
            await send_reply(send, self.frontend.encode_error(exc), request_id, self.frontend)
            return
        except Disconnected:
            return
        except Exception:
            log.exception("request %s: decoding failed", request_id)
            await send_reply(send, self._internal(), request_id, self.frontend)
            return

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
            await self._exchange(request, send, request_id, record, tally)
        except asyncio.CancelledError:
            settle(record, CallOutcome.CANCELLED)
            if not disconnected:
                raise
            exchange.uncancel()
        except _ShutDown:
            pass  # answered in the client's protocol already
        except Exception:
            settle(record, CallOutcome.ERROR, ErrorKind.INTERNAL)
            raise
        finally:
            watcher.cancel()
            if tally is not None:
                await tally.close()
            settle(record, CallOutcome.SUCCESS)  # unless already settled

    async def _exchange(
        self,
        request: ClientRequest,
        send: Send,
        request_id: str,
        record: CallRecord | None,
        tally: Pass | None,
    ) -> None:
        events = self.runtime.executor.events(request.call, record=record)
        try:
            if request.call.stream:
                await self._stream(request, events, send, request_id, record, tally)
            else:
                await self._unary(request, events, send, request_id, record, tally)
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
        record: CallRecord | None,
        tally: Pass | None,
    ) -> None:
        collector = Collector(self.runtime.limits, checked=True)  # the executor checks the grammar
        try:
            async for batch in events:
                if record is not None and record.first_output is None:
                    record.first_output = time.time() - record.started
                for event in batch:
                    collector.feed(event)
            reply = self.frontend.encode_response(collector.result(), request)
        except asyncio.CancelledError:
            if not self._shutting_down():
                raise
            settle(record, CallOutcome.ERROR, ErrorKind.OVERLOADED)
            await send_reply(
                send, self.frontend.encode_error(_SHUTDOWN_ERROR), request_id, self.frontend
            )
            raise _ShutDown from None
        except LipError as exc:
            settle(record, CallOutcome.ERROR, exc.kind)
            reply = self.frontend.encode_error(exc)
        except Exception:
            log.exception("request %s: encoding the reply failed", request_id)
            settle(record, CallOutcome.ERROR, ErrorKind.INTERNAL)
            reply = self._internal()
        finally:
            note_reply(collector, record, tally, self.runtime.scrubber)
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
        record: CallRecord | None,
        tally: Pass | None,
    ) -> None:
        encoder = self.frontend.stream_encoder(request)
        try:
            first = await anext(events)
        except LipError as exc:
            settle(record, CallOutcome.ERROR, exc.kind)
            await send_reply(send, self.frontend.encode_error(exc), request_id, self.frontend)
            return
        except StopAsyncIteration:
            settle(record, CallOutcome.ERROR, ErrorKind.INTERNAL)
            reply = self.frontend.encode_error(InternalError("the upstream produced no response"))
            await send_reply(send, reply, request_id, self.frontend)
            return
        try:
            opening = b"".join(encoder.encode(event) for event in first)
        except Exception:
            log.exception("request %s: encoding the stream failed", request_id)
            settle(record, CallOutcome.ERROR, ErrorKind.INTERNAL)
            await send_reply(send, self._internal(), request_id, self.frontend)
            return
        if record is not None or tally is not None:
            note_batch(first, record, tally)
        tap = None
        if record is not None and record.content is not None:
            tap = OutputTap(self.runtime.limits)
            tap.feed(first)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", encoder.media_type.encode()),
                    (b"cache-control", b"no-cache"),
                    *id_headers(self.frontend, request_id),
                ],
            }
        )
        await send_chunk(send, opening)
        try:
            async for batch in events:
                if record is not None or tally is not None:
                    note_batch(batch, record, tally)
                if tap is not None:
                    tap.feed(batch)
                # One write per batch: the events of one upstream read.
                try:
                    data = b"".join(encoder.encode(event) for event in batch)
                except Exception:
                    # A bug in the encoder after the 200 is out: end the stream with the
                    # protocol's own error event rather than a dropped connection.
                    log.exception("request %s: encoding the stream failed", request_id)
                    settle(record, CallOutcome.ERROR, ErrorKind.INTERNAL)
                    data = encoder.encode(_INTERNAL_EVENT)
                    await send_chunk(send, data)
                    break
                await send_chunk(send, data)
        except asyncio.CancelledError:
            if not self._shutting_down():
                raise
            # The grace period is over: the stream ends in the protocol's error form.
            settle(record, CallOutcome.ERROR, ErrorKind.OVERLOADED)
            await send_chunk(send, encoder.encode(_SHUTDOWN_EVENT))
            await send({"type": "http.response.body", "body": encoder.close(), "more_body": False})
            raise _ShutDown from None
        if tap is not None and record is not None:
            tap.finish(record, self.runtime.scrubber)
        await send({"type": "http.response.body", "body": encoder.close(), "more_body": False})

    def _shutting_down(self) -> bool:
        """Cancelled by the server's shutdown (not by a client that left)?"""
        if not self.runtime.draining:
            return False
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        return True


def _identified(call: Call, request_id: str, context: RequestContext) -> Call:
    """``call`` with this request's id and its ``X-LIP-Route`` selector, if any."""
    route = context.headers.get("x-lip-route")
    return dataclasses.replace(call, id=request_id, route=route or None)


__all__ = [
    "CountTokensEndpoint",
    "Disconnected",
    "GenerateEndpoint",
    "ModelsEndpoint",
    "read_request",
    "request_context",
    "send_reply",
]
