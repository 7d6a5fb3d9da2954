"""The two contracts every wire protocol implements (docs/design.md, "Plug-in seams").

* :class:`Frontend` — clients speak the protocol: its routes, request
  context -> :class:`ClientRequest`, canonical results -> wire replies and
  streams, its error shape, its model listing, its credential forms.
* :class:`BackendCodec` — upstreams speak the protocol: the upstream path
  and auth headers, :class:`Call` -> wire body, wire JSON / SSE -> events,
  upstream errors -> the taxonomy. The generic HTTP backend
  (:mod:`lip.backends.http`) does all the I/O around it.

A protocol package exposes one :class:`ProtocolPlugin` holding either or
both; registering it (``lip/protocols/registry.py``, or
:meth:`lip.plugins.Plugins.with_protocol`) is all the server needs.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from lip.canonical import DEFAULT_LIMITS, Call, Event, Limits, LipError, Response
from lip.canonical.enums import ValueEnum
from lip.sse import SSEEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class WireReply:
    """A complete HTTP reply in the client's protocol."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    media_type: str = "application/json"


def error_reply(status: int, body: bytes, error: LipError) -> WireReply:
    """A protocol's error reply: its status and body, plus ``Retry-After`` in
    whole seconds (rounded up) when the error says when to come back."""
    headers: dict[str, str] = {}
    if error.retry_after is not None:
        headers["retry-after"] = str(max(int(error.retry_after + 0.999), 0))
    return WireReply(status=status, body=body, headers=headers)


class Operation(ValueEnum):
    """What the server does for a route; the frontend does the protocol's part."""

    GENERATE = "generate"
    """Decode a request, run it through routing, answer unary or streamed."""
    LIST_MODELS = "list_models"
    GET_MODEL = "get_model"
    """The model named by the ``model`` path parameter."""
    COUNT_TOKENS = "count_tokens"
    """Count a request's input tokens: the backend's own count where its
    protocol has one, else an estimate (the reply says which)."""
    RESOURCE = "resource"
    """Read or remove what the frontend keeps (a stored response): answered by
    :meth:`Frontend.resource` from the state store, no upstream involved."""


@dataclass(frozen=True, slots=True)
class RouteSpec:
    """``path`` is a Starlette pattern (``/v1beta/models/{model:path}:generateContent``)."""

    method: str
    path: str
    operation: Operation


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteDoc:
    """What LIP's OpenAPI document (``GET /openapi.json``) says of one route:
    generated wire models, never hand-written schemas."""

    summary: str
    request: type[BaseModel] | None = None
    """The JSON request body, if the route takes one."""
    reply: type[BaseModel] | None = None
    """The 200 ``application/json`` body."""
    stream_event: type[BaseModel] | None = None
    """Each event's payload when the route also answers ``text/event-stream``."""
    stream_sentinel: str | None = None
    """A data payload that is not an event (OpenAI's ``[DONE]``)."""
    error: type[BaseModel]
    """The error body, for every non-2xx status."""
    error_statuses: tuple[int, ...] = ()
    """Statuses this route answers with ``error`` (any other is documented as default)."""


class StateStore(abc.ABC):
    """Where a frontend keeps what must outlive a request (the Responses API's
    stored responses): values by key, bounded and expiring; the server owns it
    (``server.state``). Implementations: :mod:`lip.server.state`."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes | None:
        """The value, or ``None`` when absent or expired."""

    @abc.abstractmethod
    def put(self, key: str, value: bytes) -> None:
        """Keep ``value`` (older entries may go to make room)."""

    @abc.abstractmethod
    def delete(self, key: str) -> bool:
        """Remove the entry; whether there was one."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestContext:
    """Everything a frontend may read of an HTTP request. Header names are lower case."""

    method: str
    path: str
    path_params: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes = b""
    limits: Limits = DEFAULT_LIMITS
    """What one request may hold (messages, parts, tools): checked before the
    work a request's size drives."""
    store: StateStore | None = None
    """The server's state store, for frontends that keep state between requests."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyShape:
    """How the client wants its reply framed, beyond the call itself (e.g.
    OpenAI's ``stream_options``). Each frontend subclasses it for its own
    needs and reads it back in its encoders; no other layer looks inside."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientRequest:
    """A decoded request: the canonical call plus the frontend's reply shape."""

    call: Call
    shape: ReplyShape = field(default_factory=ReplyShape)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelEntry:
    """A model clients can name, and the backend that serves it."""

    id: str
    owned_by: str


class StreamEncoder(abc.ABC):
    """Per-response state turning canonical events into the protocol's stream bytes."""

    media_type: str = "text/event-stream; charset=utf-8"

    @abc.abstractmethod
    def encode(self, event: Event) -> bytes:
        """Bytes to send for ``event`` (possibly empty: not every event has a frame)."""

    def close(self) -> bytes:
        """Bytes to send after the terminal event (e.g. OpenAI's ``[DONE]``)."""
        return b""


class Frontend(abc.ABC):
    """Clients speak this protocol: wire request -> call; events / response -> wire.

    ``routes`` are mounted by the server. ``prefixes`` claim unknown paths:
    a 404 or 405 under one of them answers in this protocol's error shape.
    Where two protocols serve the same method and path (``GET /v1/models``),
    the first registered frontend whose :meth:`recognizes` accepts the
    request serves it, else the first registered one (docs/design.md,
    "Shared paths").
    """

    name: str
    routes: tuple[RouteSpec, ...] = ()
    prefixes: tuple[str, ...] = ()
    request_id_header: str = "x-request-id"
    """Where the protocol's clients read a reply's request id (LIP always sends
    ``x-request-id`` too)."""

    def recognizes(self, context: RequestContext) -> bool:
        """Do the headers or query mark this request as this protocol's own?"""
        return False

    def credential(self, context: RequestContext) -> str | None:
        """The client credential in this protocol's auth forms, if any."""
        return None

    @abc.abstractmethod
    def decode_request(self, context: RequestContext) -> ClientRequest:
        """Validate and translate; raise :class:`LipError` (never anything else) on bad input."""

    @abc.abstractmethod
    def encode_response(self, response: Response, request: ClientRequest) -> WireReply:
        """The unary reply."""

    @abc.abstractmethod
    def stream_encoder(self, request: ClientRequest) -> StreamEncoder:
        """A fresh encoder for one streamed reply."""

    @abc.abstractmethod
    def encode_error(self, error: LipError) -> WireReply:
        """The protocol's HTTP error reply for ``error``."""

    @abc.abstractmethod
    def encode_models(self, models: Sequence[ModelEntry]) -> WireReply:
        """The model listing."""

    @abc.abstractmethod
    def encode_model(self, model: ModelEntry) -> WireReply:
        """One model, as the protocol's get-model route returns it."""

    @abc.abstractmethod
    def describe(self, route: RouteSpec) -> RouteDoc:
        """The OpenAPI description of one of :attr:`routes`."""

    def decode_count_request(self, context: RequestContext) -> ClientRequest:
        """A count-tokens request as a call (for a frontend with such a route)."""
        raise NotImplementedError(f"{self.name} has no count-tokens route")

    def encode_count(self, tokens: int, *, estimated: bool) -> WireReply:
        """The count-tokens reply; ``estimated`` when no upstream counted."""
        raise NotImplementedError(f"{self.name} has no count-tokens route")

    def resource(self, context: RequestContext) -> WireReply:
        """A :attr:`Operation.RESOURCE` route's reply; raise :class:`LipError` on failure."""
        raise NotImplementedError(f"{self.name} has no resource routes")


class StreamDecoder(abc.ABC):
    """Per-response state turning an upstream's SSE frames into canonical events.

    ``feed`` returns the events one frame completes (raising
    :class:`LipError` for an upstream that spoke off-spec); ``close`` is
    called at the end of the body: it finishes the response, or raises
    :class:`lip.canonical.UpstreamError` when the stream was cut.
    """

    @abc.abstractmethod
    def feed(self, frame: SSEEvent) -> list[Event]: ...

    @abc.abstractmethod
    def close(self) -> list[Event]: ...


class BackendCodec(abc.ABC):
    """Upstreams speak this protocol: everything but the I/O."""

    protocol: str

    @abc.abstractmethod
    def path(self, model: str, *, stream: bool) -> str:
        """The request path (and query) relative to the backend's base URL."""

    @abc.abstractmethod
    def auth_headers(self, key: str) -> Mapping[str, str]:
        """Headers carrying the upstream key."""

    def call_headers(self, call: Call) -> Mapping[str, str]:
        """Headers this call needs beyond the backend's fixed ones (e.g. beta flags)."""
        return {}

    @abc.abstractmethod
    def encode_request(self, call: Call, model: str) -> bytes:
        """The upstream request body for ``call`` aimed at ``model``."""

    @abc.abstractmethod
    def decode_response(self, body: bytes) -> list[Event]:
        """A complete unary reply as a complete event sequence."""

    @abc.abstractmethod
    def stream_decoder(self) -> StreamDecoder:
        """A fresh decoder for one streamed reply."""

    @abc.abstractmethod
    def decode_error(self, status: int, body: bytes, retry_after: float | None) -> LipError:
        """An upstream HTTP error reply as the most specific taxonomy error."""

    def count_path(self, model: str) -> str | None:
        """The upstream's count-tokens path, or ``None`` when the protocol has none."""
        return None

    def encode_count_request(self, call: Call, model: str) -> bytes:
        raise NotImplementedError(f"{self.protocol} has no count-tokens request")

    def decode_count(self, body: bytes) -> int:
        raise NotImplementedError(f"{self.protocol} has no count-tokens reply")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProtocolPlugin:
    """One wire protocol as the hub sees it: a frontend, a backend codec, or both."""

    name: str
    frontend: Frontend | None = None
    codec: BackendCodec | None = None


__all__ = [
    "BackendCodec",
    "ClientRequest",
    "Frontend",
    "ModelEntry",
    "Operation",
    "ProtocolPlugin",
    "ReplyShape",
    "RequestContext",
    "RouteDoc",
    "RouteSpec",
    "StateStore",
    "StreamDecoder",
    "StreamEncoder",
    "WireReply",
    "error_reply",
]
