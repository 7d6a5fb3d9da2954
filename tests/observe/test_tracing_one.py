"""The spans of a one-attempt call in a trace begun here (most calls), which
:class:`TracingObserver` builds in fewer steps: they are exactly the spans the
general path builds for the same record."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from lip.canonical import Usage
from lip.config import Config, parse_config
from lip.continuity import CallRecord
from lip.continuity.records import Attempt, CallOutcome, Outcome
from lip.observe.tracing import TracingObserver

REQUEST_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
T0 = 1_700_000_000.0
CONFIG: Config = parse_config(
    """
backends:
  - {id: up, kind: openai-compatible, base_url: "http://127.0.0.1:9/v1"}
  - {id: claude, kind: anthropic, base_url: "http://127.0.0.1:9", api_key: sk-ant-test-0123456789}
observability:
  tracing: {enabled: true}
""",
    env={},
)


def begun_here(request_id: str = REQUEST_ID) -> CallRecord:
    """A served unary call: its trace is its request id, its span ids the halves."""
    return CallRecord(
        request_id=request_id, protocol="openai_chat", method="POST",
        path="/v1/chat/completions", status=200, usage=Usage(input_tokens=7, output_tokens=3),
        trace_id=request_id, span_id=request_id[:16], selector="up:m", started=T0,
        first_byte=0.2, first_output=0.25, ended=0.5, outcome=CallOutcome.SUCCESS,
        finish_reason="stop", attempts=[
            Attempt(number=1, backend_id="up", model="m", upstream_model="m-2024",
                    started=T0 + 0.01, first_output=0.2, ended=0.45, outcome=Outcome.SUCCESS,
                    span_id=request_id[16:])])  # fmt: skip


def streamed(record: CallRecord) -> None:
    record.stream = True


def failed_before_output(record: CallRecord) -> None:
    attempt = record.attempts[0]
    attempt.first_output, attempt.outcome, attempt.error_kind = (
        None,
        Outcome.FAILED_BEFORE_OUTPUT,
        "upstream_error",
    )
    record.status, record.outcome, record.error_kind = 502, CallOutcome.ERROR, "upstream_error"
    record.usage = record.first_output = record.finish_reason = None


def surfaced(record: CallRecord) -> None:
    record.stream = True
    record.attempts[0].outcome, record.attempts[0].error_kind = Outcome.SURFACED, "cut"
    record.outcome, record.error_kind, record.finish_reason = CallOutcome.ERROR, "cut", None


def refused(record: CallRecord) -> None:
    failed_before_output(record)
    record.status, record.error_kind = 429, "rate_limited"


def no_usage(record: CallRecord) -> None:
    record.usage = None


def every_count(record: CallRecord) -> None:
    record.usage = Usage(
        input_tokens=9,
        output_tokens=4,
        cached_input_tokens=2,
        cache_creation_input_tokens=1,
        reasoning_tokens=3,
    )


def cancelled(record: CallRecord) -> None:
    attempt = record.attempts[0]
    attempt.outcome, attempt.ended = Outcome.CANCELLED, None
    record.outcome, record.status, record.ended = CallOutcome.CANCELLED, 200, None


def captured(record: CallRecord) -> None:
    record.content = {"gen_ai.input.messages": '[{"role":"user"}]'}


def anthropic_upstream(record: CallRecord) -> None:
    record.attempts[0].backend_id = "claude"


def to_spans(observer: TracingObserver, exporter: InMemorySpanExporter) -> list[dict[str, object]]:
    spans = exporter.get_finished_spans()
    exporter.clear()
    return [shown(span) for span in spans]


def shown(span: ReadableSpan) -> dict[str, object]:
    """Everything an exporter reads off a span."""
    return {
        "name": span.name,
        "context": span.context,
        "parent": span.parent,
        "kind": span.kind,
        "attributes": dict(span.attributes or {}),
        "events": list(span.events),
        "links": list(span.links),
        "status": (span.status.status_code, span.status.description),
        "times": (span.start_time, span.end_time),
        "resource": span.resource,
        "scope": span.instrumentation_scope,
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda record: None,
        streamed,
        failed_before_output,
        surfaced,
        refused,
        no_usage,
        every_count,
        cancelled,
        captured,
        anthropic_upstream,
    ],
    ids=lambda change: getattr(change, "__name__", "served"),
)
def test_the_spans_of_a_one_attempt_call_are_the_general_paths(
    change: Callable[[CallRecord], None],
) -> None:
    processor = SimpleSpanProcessor(exporter := InMemorySpanExporter())
    observer = TracingObserver(CONFIG, processor=processor)
    quick = begun_here()
    change(quick)
    observer.ended(quick)
    assert len(observer._pairs) == 1  # the one-attempt path was taken
    fast = to_spans(observer, exporter)

    general = begun_here()
    change(general)
    general.trace_id = REQUEST_ID[:16] + REQUEST_ID[16:]  # equal, not the request id itself
    TracingObserver(CONFIG, processor=processor).ended(general)
    assert fast == to_spans(observer, exporter)
    client, server = fast
    assert format(server["context"].span_id, "016x") == REQUEST_ID[:16]  # type: ignore[attr-defined]
    assert format(client["context"].span_id, "016x") == REQUEST_ID[16:]  # type: ignore[attr-defined]
    assert client["parent"] == server["context"] and server["parent"] is None


def test_each_one_attempt_call_shows_only_its_own_figures() -> None:
    """Calls alike share their spans' shapes: what one adds (its request id,
    usage, first output) never shows on the next."""
    processor = SimpleSpanProcessor(exporter := InMemorySpanExporter())
    observer = TracingObserver(CONFIG, processor=processor)
    first, second = begun_here(), begun_here("1" * 32)
    second.usage = second.first_output = second.attempts[0].first_output = None
    second.attempts[0].outcome = Outcome.CANCELLED
    second.outcome = CallOutcome.CANCELLED
    for record in (first, second, first):
        observer.ended(record)
    spans = to_spans(observer, exporter)
    assert spans[:2] == spans[4:]
    timed = {"lip.time_to_first_output", "gen_ai.usage.input_tokens"}
    for span in spans[2:4]:
        attributes = span["attributes"]
        assert isinstance(attributes, dict) and not timed & attributes.keys()
    assert spans[3]["attributes"]["lip.request_id"] == "1" * 32  # type: ignore[index]


def test_the_one_attempt_shapes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lip.observe.genai.KEPT", 2)
    processor = SimpleSpanProcessor(exporter := InMemorySpanExporter())
    observer = TracingObserver(CONFIG, processor=processor)
    for n in range(5):
        record = begun_here()
        record.selector = f"model-{n}"
        observer.ended(record)
        assert len(observer._pairs) <= 2
    assert [span["name"] for span in to_spans(observer, exporter)][1::2] == [
        f"chat model-{n}" for n in range(5)
    ]
