"""What a call's spans say: their names and attributes, after the OpenTelemetry
GenAI semantic conventions (https://opentelemetry.io/docs/specs/semconv/gen-ai/)
and the HTTP ones for the server span.

Most of a span's attributes repeat from call to call (the route, model,
backend, status, how it ended): :class:`SpanShapes` makes them once per
combination of those (for a call that made one attempt, both its spans' at
once, with their statuses), and :mod:`lip.observe.tracing` copies them per
span and adds what is the call's own (its request id, usage, times).
"""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry.trace import Status, StatusCode
from opentelemetry.util.types import AttributeValue

from lip.backends.kinds import BUILTIN_KINDS, BackendKind
from lip.canonical import Usage
from lip.config import Config
from lip.continuity import Attempt, CallOutcome, CallRecord, Outcome

__all__ = [
    "ERROR",
    "FAILED",
    "KEPT",
    "UNSET",
    "Attributes",
    "ClientKey",
    "Pair",
    "PairKey",
    "ServerKey",
    "Shape",
    "SpanShapes",
    "add_usage",
    "server_error",
    "server_failed",
]

Attributes = dict[str, AttributeValue]
Shape = tuple[str, Attributes]
"""A span's name and the attributes its key decides."""

ServerKey = tuple[
    str,
    str,
    str | None,
    bool,
    str | None,
    str | None,
    str | None,
    int | None,
    str | None,
    str | None,
]
"""A server span's: method, path, client protocol (None: not a generate call),
stream, selector, the serving upstream's id and model, status, error type,
finish reason."""

ClientKey = tuple[str, str, str | None, int, Outcome | None, str | None, str | None]
"""An attempt's span's: upstream id, model, upstream model (None: no output),
attempt number, outcome, error type, finish reason (the serving attempt's)."""

PairKey = tuple[
    str,
    str,
    str | None,
    bool,
    str | None,
    str,
    str,
    str,
    int,
    bool,
    Outcome | None,
    str | None,
    int | None,
    CallOutcome | None,
    str | None,
    str | None,
]
"""A one-attempt call's two spans': method, path, client protocol, stream,
selector; the attempt's upstream id, model, upstream model, number, whether it
produced output, outcome and error kind; the call's status, outcome, error
kind and finish reason."""

Pair = tuple[str, Attributes, Status, str, Attributes, Status]
"""A one-attempt call's server span: name, attributes, status; then its
attempt's span: the same."""

# gen_ai.provider.name by wire protocol: an OpenAI-compatible upstream is
# "openai", as the semconv asks of an instrumentation that cannot know better.
_PROVIDERS = {
    "openai_chat": "openai",
    "openai_responses": "openai",
    "anthropic_messages": "anthropic",
    "gemini": "gcp.gemini",
}
# gen_ai.operation.name by wire protocol (default "chat").
_OPERATIONS = {"gemini": "generate_content"}

FAILED = (Outcome.FAILED_BEFORE_OUTPUT, Outcome.SURFACED)
"""An attempt's outcomes that make its span an error."""
UNSET = Status(StatusCode.UNSET)
ERROR = Status(StatusCode.ERROR)
_CALL_ERROR = CallOutcome.ERROR

KEPT = 1024
"""Shapes of each kind kept at most (bounded caches: cleared when full)."""


class SpanShapes:
    """The shapes of one config's spans, kept by key in :attr:`servers`,
    :attr:`clients` and :attr:`pairs` (read those first; :meth:`server`,
    :meth:`client` and :meth:`pair` make and keep a missing one)."""

    def __init__(self, config: Config, kinds: Mapping[str, BackendKind] | None = None) -> None:
        protocols = _protocols(config, kinds or {k.name: k for k in BUILTIN_KINDS})
        self._upstreams = {
            upstream: (_OPERATIONS.get(protocol, "chat"), _PROVIDERS.get(protocol, protocol))
            for upstream, protocol in protocols.items()
        }
        self.servers: dict[ServerKey, Shape] = {}
        self.clients: dict[ClientKey, Shape] = {}
        self.pairs: dict[PairKey, Pair] = {}

    def server_of(self, record: CallRecord, served: Attempt | None) -> Shape:
        """A finished call's server span: its shape's name, and a copy of its
        attributes with the call's own added (request id, first output, usage,
        captured content)."""
        status = record.status
        error = server_error(record.outcome, record.error_kind, status)
        stream, protocol = record.stream, record.protocol
        key: ServerKey = (
            record.method,
            record.path,
            protocol,
            stream,
            record.selector,
            None if served is None else served.backend_id,
            None if served is None else served.upstream_model,
            status,
            error,
            record.finish_reason,
        )
        template = self.servers.get(key) or self.server(key)
        name, attributes = template[0], template[1].copy()
        attributes["lip.request_id"] = record.request_id
        first_output = record.first_output
        if first_output is not None:
            attributes["lip.time_to_first_output"] = first_output
            if stream and protocol is not None:  # a generate call's
                attributes["gen_ai.response.time_to_first_chunk"] = first_output
        usage = record.usage
        if usage is not None:
            add_usage(attributes, usage)
        if record.content:  # capture_content: the prompt and completion
            attributes.update(record.content)
        return name, attributes

    def server(self, key: ServerKey) -> Shape:
        """The server span's name and the attributes that ``key`` decides, kept."""
        (
            method,
            path,
            protocol,
            stream,
            selector,
            backend_id,
            upstream_model,
            status,
            error,
            finish,
        ) = key
        attributes: Attributes = {"http.request.method": method, "url.path": path}
        if status is not None:
            attributes["http.response.status_code"] = status
        if error is not None:
            attributes["error.type"] = error
        name = f"{method} {path}"
        if protocol is not None:
            name = operation = _OPERATIONS.get(protocol, "chat")
            attributes["gen_ai.operation.name"] = operation
            attributes["lip.stream"] = stream
            if selector is not None:
                attributes["gen_ai.request.model"] = selector
                name = f"{operation} {selector}"
            if backend_id is not None and upstream_model is not None:
                attributes["gen_ai.provider.name"] = self._upstream(backend_id)[1]
                attributes["gen_ai.response.model"] = upstream_model
            if finish is not None:
                attributes["gen_ai.response.finish_reasons"] = (finish,)
        if len(self.servers) >= KEPT:
            self.servers.clear()
        shape = self.servers[key] = (name, attributes)
        return shape

    def client(self, key: ClientKey) -> Shape:
        """An attempt's span's name and the attributes that ``key`` decides, kept."""
        backend_id, model, upstream_model, number, outcome, error, finish = key
        operation, provider = self._upstream(backend_id)
        attributes: Attributes = {
            "gen_ai.operation.name": operation,
            "gen_ai.provider.name": provider,
            "gen_ai.request.model": model,
            "lip.backend.id": backend_id,
            "lip.attempt.number": number,
            "lip.attempt.outcome": "unknown" if outcome is None else str(outcome),  # its value
        }
        if upstream_model is not None:
            attributes["gen_ai.response.model"] = upstream_model
        if error is not None:
            attributes["error.type"] = error
        if finish is not None:
            attributes["gen_ai.response.finish_reasons"] = (finish,)
        if len(self.clients) >= KEPT:
            self.clients.clear()
        shape = self.clients[key] = (f"{operation} {model}", attributes)
        return shape

    def pair(self, key: PairKey) -> Pair:
        """Both spans' shapes and statuses for a one-attempt call's ``key``, kept
        (a call's two spans found in one look-up)."""
        (
            method,
            path,
            protocol,
            stream,
            selector,
            backend_id,
            model,
            upstream_model,
            number,
            output,
            outcome,
            attempt_error,
            status,
            call_outcome,
            call_error,
            finish,
        ) = key
        error = server_error(call_outcome, call_error, status)
        served_by, served_model = (backend_id, upstream_model) if output else (None, None)
        server_key: ServerKey = (
            method,
            path,
            protocol,
            stream,
            selector,
            served_by,
            served_model,
            status,
            error,
            finish,
        )
        name, attributes = self.servers.get(server_key) or self.server(server_key)
        failed = outcome in FAILED
        client_key: ClientKey = (
            backend_id,
            model,
            served_model,
            number,
            outcome,
            (attempt_error or "_OTHER") if failed else None,
            finish if output else None,
        )
        client_name, client_attributes = self.clients.get(client_key) or self.client(client_key)
        pairs = self.pairs
        if len(pairs) >= KEPT:
            pairs.clear()
        pair = pairs[key] = (
            name,
            attributes,
            ERROR if server_failed(call_outcome, status) else UNSET,
            client_name,
            client_attributes,
            ERROR if failed else UNSET,
        )
        return pair

    def _upstream(self, backend_id: str) -> tuple[str, str]:
        """An upstream's ``gen_ai.operation.name`` and ``gen_ai.provider.name``; one
        not configured (gone since a reload) stands for its own protocol."""
        return self._upstreams.get(backend_id) or ("chat", _PROVIDERS.get(backend_id, backend_id))


def add_usage(attributes: Attributes, usage: Usage) -> None:
    """Adds the ``gen_ai.usage.*`` attributes of the counts reported."""
    if (n := usage.input_tokens) is not None:
        attributes["gen_ai.usage.input_tokens"] = n
    if (n := usage.output_tokens) is not None:
        attributes["gen_ai.usage.output_tokens"] = n
    if (n := usage.cached_input_tokens) is not None:
        attributes["gen_ai.usage.cache_read.input_tokens"] = n
    if (n := usage.cache_creation_input_tokens) is not None:
        attributes["gen_ai.usage.cache_creation.input_tokens"] = n
    if (n := usage.reasoning_tokens) is not None:
        attributes["gen_ai.usage.reasoning.output_tokens"] = n


def server_error(
    outcome: CallOutcome | None, error_kind: str | None, status: int | None
) -> str | None:
    """The server span's ``error.type``: None unless the call ended in an error."""
    if outcome is not _CALL_ERROR:
        return None
    return error_kind or str(status or "_OTHER")


def server_failed(outcome: CallOutcome | None, status: int | None) -> bool:
    """Whether the server span's status is ERROR. A 4xx leaves it unset (the
    HTTP semconv: the client's mistake, not the server's); ``error.type``
    still says what."""
    return outcome is _CALL_ERROR and not (status is not None and 400 <= status < 500)


def _protocols(config: Config, kinds: Mapping[str, BackendKind]) -> dict[str, str]:
    """Each running upstream's wire protocol, by its id; a kind not known here
    (a plugin's) stands for itself."""
    found: dict[str, str] = {}
    for backend in config.backends:
        kind = kinds.get(backend.kind)
        protocol = backend.kind
        if kind is not None:
            protocol = kind.apis.get(backend.api or kind.default_api or "", backend.kind)
        for upstream in backend.upstream_ids():
            found[upstream] = protocol
    return found
