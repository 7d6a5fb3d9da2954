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

When anything observes calls (:class:`lip.continuity.Observers`: the
lineage, metrics, traces, access logs), the middleware also opens the
request's :class:`lip.continuity.CallRecord` (under :data:`RECORD_KEY`;
endpoints add what they know), notes the status and the time to the first
byte, and hands the finished record to the observers. With tracing, the
client's W3C ``traceparent`` is continued (or a trace begun) and the reply
carries ``x-lip-trace-id``.
"""

from __future__ import annotations

import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lip.continuity import CallOutcome, CallRecord, Observers
from lip.ids import random_hex

__all__ = [
    "HEADER",
    "RECORD_KEY",
    "SCOPE_KEY",
    "RequestIdMiddleware",
    "continue_trace",
    "record_of",
    "request_id_of",
]

HEADER = "x-lip-request-id"
SCOPE_KEY = "lip.request_id"
"""Where the request's id (32 lowercase hex digits) lives in the ASGI scope."""

_HEADER = HEADER.encode()
_TRACE_HEADER = b"x-lip-trace-id"
RECORD_KEY = "lip.record"
"""Where the request's :class:`CallRecord` lives in the scope (when observed)."""

# Module constants: a member read from its enum class costs several times more.
_ERROR, _SUCCESS = CallOutcome.ERROR, CallOutcome.SUCCESS
# https://www.w3.org/TR/trace-context/#traceparent-header (version 00; an
# all-zero trace or span id is invalid).
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


def request_id_of(scope: Scope) -> str:
    """This request's id; a fresh one when the app runs without the middleware
    (an endpoint mounted alone in a test)."""
    request_id = scope.get(SCOPE_KEY)
    if request_id is None:
        request_id = scope[SCOPE_KEY] = random_hex(16)
    assert isinstance(request_id, str)
    return request_id


def record_of(scope: Scope) -> CallRecord | None:
    """The request's record, when something observes calls."""
    record = scope.get(RECORD_KEY)
    return record if isinstance(record, CallRecord) else None


class RequestIdMiddleware:
    """Pure ASGI: streaming responses pass through untouched (no buffering)."""

    def __init__(self, app: ASGIApp, observers: Observers | None = None) -> None:
        self.app = app
        self.observers = observers if observers else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = random_hex(16)
        scope[SCOPE_KEY] = request_id
        value = request_id.encode()
        observers = self.observers
        if observers is None:

            async def send_with_id(message: Message) -> None:
                if message["type"] == "http.response.start":
                    # On the hot path: extend the sender's own list, never copy
                    # it (ASGI allows any iterable; only a non-list is copied).
                    headers = message.get("headers")
                    if type(headers) is not list:
                        headers = message["headers"] = list(headers or ())
                    headers.append((_HEADER, value))
                await send(message)

            await self.app(scope, receive, send_with_id)
            return
        # Observed: in this coroutine, not one of its own (each time the
        # request resumes, it passes through every frame of its await chain).
        record = CallRecord.begun(request_id, scope["method"], scope["path"])
        traces = observers.traces
        scope[RECORD_KEY] = record
        observers.started(record)

        async def send_observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
                record.first_byte = time.time() - record.started
                headers = message.get("headers")
                if type(headers) is not list:
                    headers = message["headers"] = list(headers or ())
                headers.append((_HEADER, value))
                if traces:
                    trace_id = record.trace_id
                    if trace_id is None:  # no endpoint continued it: look now
                        trace_id = continue_trace(record, _traceparent(scope))
                    same = trace_id is request_id
                    headers.append((_TRACE_HEADER, value if same else trace_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            record.ended = time.time() - record.started
            if record.outcome is None:
                failed = record.status is None or record.status >= 400
                record.outcome = _ERROR if failed else _SUCCESS
            observers.ended(record)


def continue_trace(record: CallRecord, traceparent: str | None) -> str:
    """Continue the client's trace (its ``traceparent`` header's value, if it
    sent one) or begin one; the trace id.

    A generate endpoint calls this with the headers it has parsed anyway,
    before the call is routed (each upstream attempt's ``traceparent``
    continues the trace); for any other request the middleware does, as the
    reply starts.

    The request id is 16 random bytes (:mod:`lip.ids`), and the request's
    trace ids come from it rather than from draws of their own: a trace
    begun here has the request id as its id, the request's SERVER span its
    first 8 bytes, and the first upstream attempt's span its last 8 (the
    executor's; later attempts draw theirs). A request id finds them all."""
    if traceparent is not None:
        match = _TRACEPARENT.match(traceparent.strip().lower())
        if match and match[1] != "0" * 32 and match[2] != "0" * 16:
            record.trace_id, record.parent_span_id = match[1], match[2]
    request_id = record.request_id
    trace_id = record.trace_id
    if trace_id is None:
        record.trace_id = trace_id = request_id
    record.span_id = request_id[:16]
    return trace_id


def _traceparent(scope: Scope) -> str | None:
    """The request's ``traceparent`` header, if it has one."""
    for name, value in scope["headers"]:
        if name == b"traceparent":
            text: str = value.decode("latin-1")
            return text
    return None
