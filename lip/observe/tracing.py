"""OpenTelemetry traces of finished calls (``observability.tracing``).

Nothing is traced while a call runs: the request-id middleware and the
executor already plan the trace (:mod:`lip.server.requestid` continues the
client's ``traceparent`` or begins one; each upstream attempt gets a span id
that goes upstream in its own ``traceparent``). When the call ends,
:class:`TracingObserver` turns its :class:`~lip.continuity.CallRecord` into
spans with exactly those ids and times:

- one SERVER span for the request, parented to the client's span when it sent
  one; named ``"{gen_ai.operation.name} {gen_ai.request.model}"`` for a
  generate call, ``"{method} {path}"`` otherwise;
- one CLIENT child per upstream attempt, whose span id is the one the upstream
  saw as its parent;
- one ``lip.attempt.skipped`` event on the server span per candidate never
  sent (circuit breaker open, no usable key): nothing went upstream, so no
  CLIENT span.

Attributes follow the GenAI semantic conventions
(https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/) and the HTTP
ones for the server span. No prompt or completion text is ever put on a span:
the record holds none (``capture_content`` is accepted for when it does).

The exporter is configured as any OpenTelemetry SDK is, by the standard
``OTEL_*`` variables (``OTEL_EXPORTER_OTLP_ENDPOINT``, ``..._HEADERS``,
``OTEL_TRACES_SAMPLER``, ``OTEL_BSP_*``, ``OTEL_SERVICE_NAME``, ...): OTLP over
HTTP/protobuf through a batch processor, off the event loop.
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SpanExporter,
)
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import (
    NonRecordingSpan,
    Span,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
)
from opentelemetry.util.types import AttributeValue

from lip.backends.kinds import BUILTIN_KINDS, BackendKind
from lip.canonical import Usage
from lip.config import Config, ConfigError
from lip.continuity import CallObserver, CallRecord
from lip.continuity.records import Attempt, CallOutcome, Outcome

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
_FAILED = (Outcome.FAILED_BEFORE_OUTPUT, Outcome.SURFACED)
_Attributes = dict[str, AttributeValue]


class _PlannedIds(IdGenerator):
    """Hands the SDK the ids the call already used: :meth:`plan` them, then
    start the span at once, synchronously, on the same thread. An id not
    planned is random (a trace begun here with no id: never, in practice)."""

    def __init__(self) -> None:
        self._trace_id: int | None = None
        self._span_id: int | None = None
        self._random = random.SystemRandom()

    def plan(self, trace_id: str | None, span_id: str | None) -> None:
        self._trace_id = int(trace_id, 16) if trace_id else None
        self._span_id = int(span_id, 16) if span_id else None

    def generate_trace_id(self) -> int:
        planned, self._trace_id = self._trace_id, None
        return planned or self._random.getrandbits(128) or 1

    def generate_span_id(self) -> int:
        planned, self._span_id = self._span_id, None
        return planned or self._random.getrandbits(64) or 1

    def is_trace_id_random(self) -> bool:
        return True  # LIP's trace ids are os.urandom's


class TracingObserver(CallObserver):
    """Exports each finished request as spans (see the module docstring).

    ``processor`` replaces the one the ``OTEL_*`` variables configure (tests
    pass a ``SimpleSpanProcessor`` over an ``InMemorySpanExporter``).

    Raises :class:`ConfigError` when the variables ask for an exporter LIP
    does not ship."""

    traces = True

    def __init__(
        self,
        config: Config,
        *,
        processor: SpanProcessor | None = None,
        kinds: Mapping[str, BackendKind] | None = None,
    ) -> None:
        tracing = config.observability.tracing
        self.capture_content = tracing.capture_content
        self._ids = _PlannedIds()
        self._provider = TracerProvider(
            resource=_resource(tracing.service_name),
            id_generator=self._ids,
            shutdown_on_exit=False,  # close() flushes: Runtime.aclose calls it
        )
        processor = processor if processor is not None else _processor_from_env()
        if processor is not None:
            self._provider.add_span_processor(processor)
        self._tracer = self._provider.get_tracer("lip")
        self._protocols = _protocols(config, kinds or {k.name: k for k in BUILTIN_KINDS})

    def ended(self, record: CallRecord) -> None:
        parent = None
        if record.trace_id and record.parent_span_id:
            remote = SpanContext(
                int(record.trace_id, 16),
                int(record.parent_span_id, 16),
                is_remote=True,
                trace_flags=TraceFlags(TraceFlags.SAMPLED),
            )
            parent = trace.set_span_in_context(NonRecordingSpan(remote))
        end = _ns(record.started + (record.ended or 0.0))
        name, attributes = self._server(record)
        self._ids.plan(record.trace_id, record.span_id)
        server = self._tracer.start_span(
            name, parent, SpanKind.SERVER, attributes, start_time=_ns(record.started)
        )
        if record.first_output is not None:
            server.add_event(
                "lip.first_output", timestamp=_ns(record.started + record.first_output)
            )
        within = trace.set_span_in_context(server)
        served = record.served_by
        for attempt in record.attempts:
            if attempt.outcome is Outcome.SKIPPED:
                server.add_event(
                    "lip.attempt.skipped",
                    {"lip.backend.id": attempt.backend_id, "error.type": attempt.error_kind or ""},
                    timestamp=_ns(attempt.started),
                )
            else:
                self._client(attempt, record, within, attempt is served, end)
        if record.outcome is CallOutcome.ERROR and not _client_error(record.status):
            server.set_status(Status(StatusCode.ERROR))
        server.end(end_time=end)

    def close(self) -> None:
        """Export what is pending and stop the exporter."""
        self._provider.shutdown()

    def _server(self, record: CallRecord) -> tuple[str, _Attributes]:
        attributes: _Attributes = {
            "http.request.method": record.method,
            "url.path": record.path,
            "lip.request_id": record.request_id,
        }
        if record.status is not None:
            attributes["http.response.status_code"] = record.status
        if record.outcome is CallOutcome.ERROR:
            attributes["error.type"] = record.error_kind or str(record.status or "_OTHER")
        if record.protocol is None:
            return f"{record.method} {record.path}", attributes
        operation = _OPERATIONS.get(record.protocol, "chat")
        attributes["gen_ai.operation.name"] = operation
        attributes["lip.stream"] = record.stream
        name = operation
        if record.selector is not None:
            attributes["gen_ai.request.model"] = record.selector
            name = f"{operation} {record.selector}"
        served = record.served_by
        if served is not None:
            attributes["gen_ai.provider.name"] = self._provider_of(served.backend_id)
            attributes["gen_ai.response.model"] = served.upstream_model
        if record.stream and record.first_output is not None:
            attributes["gen_ai.response.time_to_first_chunk"] = record.first_output
        attributes.update(_usage(record.usage))
        return name, attributes

    def _client(
        self,
        attempt: Attempt,
        record: CallRecord,
        parent: Context,
        served: bool,
        call_end: int,
    ) -> None:
        protocol = self._protocols.get(attempt.backend_id)
        operation = _OPERATIONS.get(protocol or "", "chat")
        attributes: _Attributes = {
            "gen_ai.operation.name": operation,
            "gen_ai.provider.name": self._provider_of(attempt.backend_id),
            "gen_ai.request.model": attempt.model,
            "lip.backend.id": attempt.backend_id,
            "lip.attempt.number": attempt.number,
            "lip.attempt.outcome": attempt.outcome.value if attempt.outcome else "unknown",
        }
        if attempt.first_output is not None:
            attributes["gen_ai.response.model"] = attempt.upstream_model
            if record.stream:
                attributes["gen_ai.response.time_to_first_chunk"] = attempt.first_output
        if served:
            attributes.update(_usage(record.usage))
        if attempt.outcome in _FAILED:
            attributes["error.type"] = attempt.error_kind or "_OTHER"
        self._ids.plan(record.trace_id, attempt.span_id)
        span: Span = self._tracer.start_span(
            f"{operation} {attempt.model}",
            parent,
            SpanKind.CLIENT,
            attributes,
            start_time=_ns(attempt.started),
        )
        if attempt.first_output is not None:
            span.add_event(
                "lip.first_output", timestamp=_ns(attempt.started + attempt.first_output)
            )
        if attempt.outcome in _FAILED:
            span.set_status(Status(StatusCode.ERROR))
        ended = call_end if attempt.ended is None else _ns(attempt.started + attempt.ended)
        span.end(end_time=ended)

    def _provider_of(self, backend_id: str) -> str:
        protocol = self._protocols.get(backend_id, backend_id)
        return _PROVIDERS.get(protocol, protocol)


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


def _usage(usage: Usage | None) -> _Attributes:
    if usage is None:
        return {}
    figures = {
        "gen_ai.usage.input_tokens": usage.input_tokens,
        "gen_ai.usage.output_tokens": usage.output_tokens,
        "gen_ai.usage.cache_read.input_tokens": usage.cached_input_tokens,
        "gen_ai.usage.cache_creation.input_tokens": usage.cache_creation_input_tokens,
        "gen_ai.usage.reasoning.output_tokens": usage.reasoning_tokens,
    }
    return {name: value for name, value in figures.items() if value is not None}


def _client_error(status: int | None) -> bool:
    """A 4xx leaves a SERVER span's status unset (the HTTP semconv: the
    client's mistake, not the server's); ``error.type`` still says what."""
    return status is not None and 400 <= status < 500


def _ns(seconds: float) -> int:
    return round(seconds * 1e9)


def _resource(service_name: str) -> Resource:
    """The SDK's resource (``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_SERVICE_NAME``,
    detectors), with config's ``service_name`` unless the environment named one."""
    resource = Resource.create()
    named = resource.attributes.get(SERVICE_NAME)
    if isinstance(named, str) and not named.startswith("unknown_service"):
        return resource
    return resource.merge(Resource({SERVICE_NAME: service_name}))


def _processor_from_env() -> SpanProcessor | None:
    """``OTEL_TRACES_EXPORTER``: ``otlp`` (the default, over HTTP/protobuf),
    ``console`` or ``none``."""
    exporters = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() or "otlp"
    if exporters == "none":
        return None
    exporter: SpanExporter
    if exporters == "console":
        exporter = ConsoleSpanExporter()
    elif exporters == "otlp":
        protocol = os.environ.get(
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
            os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        )
        if protocol.strip() != "http/protobuf":
            raise ConfigError(
                f"observability.tracing: OTLP protocol {protocol!r} is not supported;"
                " LIP exports OTLP over http/protobuf (unset OTEL_EXPORTER_OTLP_PROTOCOL)"
            )
        exporter = OTLPSpanExporter()
    else:
        raise ConfigError(
            f"observability.tracing: OTEL_TRACES_EXPORTER={exporters!r} is not supported"
            " (otlp, console or none)"
        )
    return BatchSpanProcessor(exporter)


__all__ = ["TracingObserver"]
