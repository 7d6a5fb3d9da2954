"""What a call's spans say: their names and attributes, after the OpenTelemetry
GenAI semantic conventions (https://opentelemetry.io/docs/specs/semconv/gen-ai/)
and the HTTP ones for the server span.

Most of a span's attributes repeat from call to call (the route, model,
backend, status, how it ended): :class:`SpanShapes` makes them once per
combination of those, and :mod:`lip.observe.tracing` copies them per span
and adds what is the call's own (its request id, usage, times).
"""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry.util.types import AttributeValue

from lip.backends.kinds import BUILTIN_KINDS, BackendKind
from lip.canonical import Usage
from lip.config import Config
from lip.continuity import CallOutcome, Outcome

__all__ = [
    "KEPT",
    "Attributes",
    "ClientKey",
    "PairKey",
    "ServerKey",
    "Shape",
    "SpanShapes",
    "add_usage",
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

KEPT = 1024
"""Shapes of each kind kept at most (bounded caches: cleared when full)."""


class SpanShapes:
    """The shapes of one config's spans, kept by key in :attr:`servers` and
    :attr:`clients` (read those first; :meth:`server` and :meth:`client` make
    and keep a missing one)."""

    def __init__(self, config: Config, kinds: Mapping[str, BackendKind] | None = None) -> None:
        protocols = _protocols(config, kinds or {k.name: k for k in BUILTIN_KINDS})
        self._upstreams = {
            upstream: (_OPERATIONS.get(protocol, "chat"), _PROVIDERS.get(protocol, protocol))
            for upstream, protocol in protocols.items()
        }
        self.servers: dict[ServerKey, Shape] = {}
        self.clients: dict[ClientKey, Shape] = {}

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
