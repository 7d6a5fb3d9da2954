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

Names and attributes follow the GenAI semantic conventions and the HTTP ones
(:mod:`lip.observe.genai`); ``lip.time_to_first_output`` (seconds from a
span's start, streamed or not) is an attribute, not an event, so trace
stores can filter and aggregate on it. No prompt or completion text is put on a span
unless ``capture_content`` asks for it (:mod:`lip.observe.content`): then the
server span carries the call's in the GenAI conventions' opt-in attributes.

The exporter is configured as any OpenTelemetry SDK is, by the standard
``OTEL_*`` variables (``OTEL_EXPORTER_OTLP_ENDPOINT``, ``..._HEADERS``,
``OTEL_TRACES_SAMPLER``, ``OTEL_BSP_*``, ``OTEL_SERVICE_NAME``, ...): OTLP over
HTTP/protobuf through a batch processor, off the event loop.
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from math import trunc
from types import MappingProxyType

from opentelemetry import trace
from opentelemetry.sdk.environment_variables import OTEL_SDK_DISABLED, OTEL_TRACES_SAMPLER
from opentelemetry.sdk.trace import Event, ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.sampling import Decision
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import (
    NonRecordingSpan,
    SpanContext,
    SpanKind,
    TraceFlags,
)

from lip.backends.kinds import BackendKind
from lip.canonical import Usage
from lip.config import Config
from lip.continuity import CallObserver, CallRecord
from lip.continuity.records import Attempt, Outcome
from lip.observe.genai import (
    ERROR,
    FAILED,
    UNSET,
    Attributes,
    ClientKey,
    PairKey,
    SpanShapes,
    add_usage,
    server_failed,
)
from lip.observe.otel import processor_from_env, resource_for

# Enum members as module constants: a member looked up on its class goes
# through the enum metaclass's attribute hook (several times the cost of a
# global), and these are read for every span.
_SKIPPED = Outcome.SKIPPED
_SERVER = SpanKind.SERVER
_CLIENT = SpanKind.CLIENT

_SCOPE = InstrumentationScope("lip", "")
_REMOTE_FLAGS = TraceFlags(TraceFlags.SAMPLED)
# A span's flags, [sampled][trace begun here]. A trace begun here has a
# random id (LIP's are os.urandom's), which W3C level 2's "random-trace-id"
# flag declares where the SDK knows it; a trace continued from a client's
# traceparent does not claim it. The client's span is taken as sampled.
_RANDOM_TRACE_ID: int = getattr(TraceFlags, "RANDOM_TRACE_ID", 0)
_FLAGS = tuple(
    tuple(TraceFlags(sampled | (_RANDOM_TRACE_ID if begun else 0)) for begun in (False, True))
    for sampled in (TraceFlags.DEFAULT, TraceFlags.SAMPLED)
)
# A trace begun here, sampled: what every span of a call gets when the sampler
# is the default and the client sent no traceparent.
_BEGUN_SAMPLED = _FLAGS[True][True]
_RANDOM = random.SystemRandom()
# SpanContext's own constructor, called as is: calling the class would only
# add type.__call__'s dispatch to it (a fifth of its cost), twice per call.
_context = SpanContext.__new__
_LOW_HALF = (1 << 64) - 1


class TracingObserver(CallObserver):
    """Exports each finished request as spans (see the module docstring).

    The spans are built finished, as the SDK's ``ReadableSpan``, and go
    straight to the span processor's ``on_end``: the sampler the SDK would use
    (``OTEL_TRACES_SAMPLER``, ``..._ARG``) decides once per call, for the
    server span with the client's span as its parent, and its decision holds
    for the attempts' spans too (a child of a sampled span is sampled, and a
    trace-id ratio gives every span of a trace the same answer).

    ``processor`` replaces the one the ``OTEL_*`` variables configure
    (:mod:`lip.observe.otel`; tests pass a ``SimpleSpanProcessor``). With
    ``OTEL_TRACES_EXPORTER=none`` there is none: the spans are built all the
    same, then dropped. ``OTEL_SDK_DISABLED=true`` builds none."""

    traces = True
    batches = True

    def __init__(
        self,
        config: Config,
        *,
        processor: SpanProcessor | None = None,
        kinds: Mapping[str, BackendKind] | None = None,
    ) -> None:
        tracing = config.observability.tracing
        self._resource = resource_for(tracing.service_name)
        # The provider is never used to start spans: it only picks the sampler
        # the environment names, as every SDK-configured service does.
        self._sampler = TracerProvider(resource=self._resource, shutdown_on_exit=False).sampler
        self._disabled = os.environ.get(OTEL_SDK_DISABLED, "").strip().lower() == "true"
        # The SDK's default sampler samples every span whose parent is sampled
        # or absent, and LIP takes a client's span as sampled: no need to ask.
        named = os.environ.get(OTEL_TRACES_SAMPLER, "").strip().lower()
        self._always = named in ("", "parentbased_always_on", "always_on")
        self._processor = processor if processor is not None else processor_from_env()
        self._shapes = shapes = SpanShapes(config, kinds)
        self._servers, self._clients = shapes.servers, shapes.clients
        self._pairs = shapes.pairs

    def ended(self, record: CallRecord) -> None:
        if self._disabled:
            return
        attempts = record.attempts
        if self._always and len(attempts) == 1:
            # Most calls: one upstream attempt, in a trace begun here, whose ids
            # are the request id's halves (lip.server.requestid).
            request_id = record.request_id
            attempt = attempts[0]
            if (
                record.trace_id is request_id
                and record.span_id == request_id[:16]
                and attempt.span_id == request_id[16:]
                and attempt.outcome is not _SKIPPED
            ):
                self._one(record, attempt)
                return
        trace_hex = record.trace_id
        planned = int(trace_hex, 16) if trace_hex else 0
        # A trace begun here has the request id as its id, and the server's
        # and first attempt's span ids are its halves (lip.server.requestid):
        # those come from the one number, not read again from their text.
        halves = trace_hex if trace_hex is record.request_id else None
        parent = None
        if planned and record.parent_span_id and (remote := int(record.parent_span_id, 16)):
            parent = SpanContext(planned, remote, True, _REMOTE_FLAGS)
        trace_id = planned or _RANDOM.getrandbits(128) or 1
        served = record.served_by
        name, attributes = self._shapes.server_of(record, served)
        usage = record.usage
        if self._always:  # what ParentBased(ALWAYS_ON) answers for LIP's sampled parents
            sampled, state = True, None if parent is None else parent.trace_state
        else:
            context = None
            if parent is not None:
                context = trace.set_span_in_context(NonRecordingSpan(parent))
            sampling = self._sampler.should_sample(context, trace_id, name, _SERVER, attributes)
            if sampling.decision is Decision.DROP:
                return
            sampled, state = sampling.decision is Decision.RECORD_AND_SAMPLE, sampling.trace_state
        flags = _FLAGS[sampled][parent is None]
        planned_span = record.span_id
        if halves is not None and planned_span == halves[:16]:
            span_id = (planned >> 64) or _random_span_id()
        else:
            span_id = (int(planned_span, 16) if planned_span else 0) or _random_span_id()
        server = _context(SpanContext, trace_id, span_id, False, flags, state)
        processor = self._processor
        started = record.started
        # Times in ns since the epoch (a float of epoch seconds holds no finer
        # than ~200 ns); inline, as every span needs several, and truncated by
        # math.trunc (int() gets there through the type's constructor, at
        # twice the cost).
        end = trunc((started + (record.ended or 0.0)) * 1e9)
        events: list[Event] = []
        stream, finish = record.stream, record.finish_reason
        for attempt in record.attempts:
            if attempt.outcome is _SKIPPED:
                skipped = {
                    "lip.backend.id": attempt.backend_id,
                    "error.type": attempt.error_kind or "",
                }
                at = trunc(attempt.started * 1e9)
                events.append(Event("lip.attempt.skipped", MappingProxyType(skipped), at))
                continue
            planned_span = attempt.span_id
            if halves is not None and planned_span == halves[16:]:
                span_id = (planned & _LOW_HALF) or _random_span_id()
            else:
                span_id = (int(planned_span, 16) if planned_span else 0) or _random_span_id()
            attempt_context = _context(SpanContext, trace_id, span_id, False, flags, state)
            if attempt is served:
                span = self._client(attempt, stream, attempt_context, server, end, usage, finish)
            else:
                span = self._client(attempt, stream, attempt_context, server, end)
            if processor is not None:
                processor.on_end(span)
        failed = server_failed(record.outcome, record.status)
        span = ReadableSpan(  # every argument by position: keywords cost half as much again
            name,
            server,
            parent,
            self._resource,
            attributes,
            events,
            (),  # links
            _SERVER,
            None,  # instrumentation_info (deprecated: the scope says it)
            ERROR if failed else UNSET,
            trunc(started * 1e9),
            end,
            _SCOPE,
        )
        if processor is not None:
            processor.on_end(span)

    def _one(self, record: CallRecord, attempt: Attempt) -> None:
        """The two spans of a call that made one attempt, whose span ids are its
        request id's halves: :meth:`ended`'s steps, with the shapes of both
        spans found at once and the ids read from the request id alone."""
        request_id = record.request_id
        ids = int(request_id, 16) or _RANDOM.getrandbits(128) or 1
        output = attempt.first_output
        stream = record.stream
        key: PairKey = (
            record.method,
            record.path,
            record.protocol,
            stream,
            record.selector,
            attempt.backend_id,
            attempt.model,
            attempt.upstream_model,
            attempt.number,
            output is not None,
            attempt.outcome,
            attempt.error_kind,
            record.status,
            record.outcome,
            record.error_kind,
            record.finish_reason,
        )
        name, attributes, status, client_name, client_attributes, client_status = self._pairs.get(
            key
        ) or self._shapes.pair(key)
        attributes = attributes.copy()
        client_attributes = client_attributes.copy()
        attributes["lip.request_id"] = request_id
        first_output = record.first_output
        if first_output is not None:
            attributes["lip.time_to_first_output"] = first_output
            if stream and record.protocol is not None:
                attributes["gen_ai.response.time_to_first_chunk"] = first_output
        if output is not None:
            client_attributes["lip.time_to_first_output"] = output
            if stream:
                client_attributes["gen_ai.response.time_to_first_chunk"] = output
        usage = record.usage
        if usage is not None:
            counts: Attributes = {}
            add_usage(counts, usage)
            attributes.update(counts)
            if output is not None:  # the attempt served the call
                client_attributes.update(counts)
        if record.content:
            attributes.update(record.content)
        server = _context(SpanContext, ids, ids >> 64 or _random_span_id(), False, _BEGUN_SAMPLED)
        client = _context(
            SpanContext, ids, ids & _LOW_HALF or _random_span_id(), False, _BEGUN_SAMPLED
        )
        started = record.started
        end = trunc((started + (record.ended or 0.0)) * 1e9)
        attempt_started, attempt_ended = attempt.started, attempt.ended
        processor, resource = self._processor, self._resource
        span = ReadableSpan(  # by position, as in ended
            client_name,
            client,
            server,
            resource,
            client_attributes,
            (),
            (),
            _CLIENT,
            None,
            client_status,
            trunc(attempt_started * 1e9),
            end if attempt_ended is None else trunc((attempt_started + attempt_ended) * 1e9),
            _SCOPE,
        )
        if processor is not None:
            processor.on_end(span)
        span = ReadableSpan(
            name,
            server,
            None,
            resource,
            attributes,
            (),
            (),
            _SERVER,
            None,
            status,
            trunc(started * 1e9),
            end,
            _SCOPE,
        )
        if processor is not None:
            processor.on_end(span)

    def close(self) -> None:
        """Export what is pending and stop the exporter."""
        if self._processor is not None:
            self._processor.force_flush()
            self._processor.shutdown()

    def _client(
        self,
        attempt: Attempt,
        stream: bool,
        context: SpanContext,
        server: SpanContext,
        call_end: int,
        usage: Usage | None = None,
        finish_reason: str | None = None,
    ) -> ReadableSpan:
        """The finished CLIENT span of one attempt that went upstream; ``usage``
        and ``finish_reason`` are the call's, for the attempt that served it."""
        outcome = attempt.outcome
        first_output = attempt.first_output
        output = first_output is not None
        failed = outcome in FAILED
        key: ClientKey = (
            attempt.backend_id,
            attempt.model,
            attempt.upstream_model if output else None,
            attempt.number,
            outcome,
            (attempt.error_kind or "_OTHER") if failed else None,
            finish_reason,
        )
        template = self._clients.get(key) or self._shapes.client(key)
        name, attributes = template[0], template[1].copy()
        started = attempt.started
        if output:
            attributes["lip.time_to_first_output"] = first_output
            if stream:
                attributes["gen_ai.response.time_to_first_chunk"] = first_output
        if usage is not None:
            add_usage(attributes, usage)
        ended = attempt.ended
        return ReadableSpan(  # by position, as the server span
            name,
            context,
            server,
            self._resource,
            attributes,
            (),  # events
            (),  # links
            _CLIENT,
            None,  # instrumentation_info
            ERROR if failed else UNSET,
            trunc(started * 1e9),
            call_end if ended is None else trunc((started + ended) * 1e9),
            _SCOPE,
        )


def _random_span_id() -> int:
    """A span id for a span the call planned none for (never 0: invalid)."""
    return _RANDOM.getrandbits(64) or 1


__all__ = ["TracingObserver"]
