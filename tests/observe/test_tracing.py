"""OpenTelemetry spans of real calls through LIP, over loopback sockets: the
OpenAI SDK streams a tool call from an OpenAI Chat emulator, and the spans
exported carry the ids the client and the upstream saw, the GenAI attributes,
the emulator's token counts, and no text."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Sequence
from unittest import mock

import httpx
import openai
import pytest
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanContext, SpanKind, StatusCode

from lip.canonical import Usage
from lip.config import Config, ConfigError, parse_config
from lip.continuity import CallRecord, Observers
from lip.continuity.records import Attempt, CallOutcome, Outcome
from lip.observe import build_observers
from lip.observe.tracing import TracingObserver
from lip.server import Runtime, create_app
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
T0 = 1_700_000_000.0
PROMPT = "weather in Paris? secret-prompt-words"
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
TOOL_CALL = {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris-Secret"}}]}


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    with serve_in_thread(chat_emulator()) as url:
        yield url


def config_for(emulator: str, tracing: str = "") -> Config:
    return parse_config(
        f"""
backends:
  - {{id: a, kind: openai-compatible, base_url: '{emulator}/v1', api_key: sk-upstream-0123456789}}
  - {{id: b, kind: openai-compatible, base_url: '{emulator}/v1', api_key: sk-upstream-0123456789,
      model_map: {{gpt-4o-mini: gpt-4o-mini-2024}}}}
observability: {{tracing: {{service_name: lip-under-test {tracing}}}}}
""",
        env={},
    )


@pytest.fixture
def traced(emulator: str) -> Iterator[tuple[openai.OpenAI, InMemorySpanExporter]]:
    """LIP with only the tracing observer, exporting to memory."""
    config = config_for(emulator)
    exporter = InMemorySpanExporter()
    runtime = Runtime(config)
    runtime.observers = Observers(
        [TracingObserver(config, processor=SimpleSpanProcessor(exporter))]
    )
    httpx.delete(f"{emulator}/__emulator__/scripts").raise_for_status()
    httpx.delete(f"{emulator}/__emulator__/requests").raise_for_status()
    with (
        serve_lip(create_app(config, runtime=runtime)) as url,
        openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0) as client,
    ):
        yield client, exporter


def stream_tool_call(client: openai.OpenAI, model: str) -> openai.types.CompletionUsage:
    """Stream a tool call with usage; the usage the client saw."""
    chunks = list(
        client.chat.completions.create(
            model=model,
            messages=[{"role": "user", "content": PROMPT}],
            tools=[WEATHER],
            stream=True,
            stream_options={"include_usage": True},
            extra_headers={"traceparent": f"00-{TRACE}-{PARENT}-01"},
        )  # type: ignore[call-overload]
    )
    calls = [
        c for chunk in chunks if chunk.choices for c in chunk.choices[0].delta.tool_calls or []
    ]
    assert calls and calls[0].function is not None
    assert calls[0].function.name == "get_weather"
    usage = chunks[-1].usage
    assert isinstance(usage, openai.types.CompletionUsage)
    return usage


def tokens(usage: openai.types.CompletionUsage) -> dict[str, int]:
    """The GenAI usage attributes of the usage the client saw."""
    assert usage.prompt_tokens_details is not None and usage.completion_tokens_details is not None
    return {
        "gen_ai.usage.input_tokens": usage.prompt_tokens,
        "gen_ai.usage.output_tokens": usage.completion_tokens,
        "gen_ai.usage.cache_read.input_tokens": usage.prompt_tokens_details.cached_tokens or 0,
        "gen_ai.usage.reasoning.output_tokens": usage.completion_tokens_details.reasoning_tokens
        or 0,
    }


def finished(exporter: InMemorySpanExporter) -> tuple[ReadableSpan, list[ReadableSpan]]:
    """The server span and its client spans, once the call has ended: it ends
    just after the client has read the last byte."""
    deadline = time.monotonic() + 5
    while True:
        spans = exporter.get_finished_spans()
        servers = [s for s in spans if s.kind is SpanKind.SERVER]
        if servers or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    (server,) = servers
    clients = [s for s in spans if s.kind is SpanKind.CLIENT]
    assert len(spans) == 1 + len(clients)
    return server, sorted(clients, key=lambda s: s.start_time or 0)


def sent_upstream(emulator: str) -> list[dict[str, object]]:
    requests: list[dict[str, object]] = httpx.get(f"{emulator}/__emulator__/requests").json()[
        "data"
    ]
    return requests


def ids(span: ReadableSpan) -> tuple[str, str]:
    assert span.context is not None
    return format(span.context.trace_id, "032x"), format(span.context.span_id, "016x")


def parent_of(span: ReadableSpan) -> str:
    assert span.parent is not None
    return format(span.parent.span_id, "016x")


def no_text(spans: Sequence[ReadableSpan]) -> None:
    """Nothing the client or the upstream wrote is on any span."""
    dumped = json.dumps(
        [
            [span.name, dict(span.attributes or {})]
            + [[e.name, dict(e.attributes or {})] for e in span.events]
            for span in spans
        ]
    )
    for text in ("secret-prompt", "Paris-Secret", "get_weather", "Weather for"):
        assert text not in dumped


def test_a_streamed_tool_call_is_one_server_span_and_one_client_span(
    traced: tuple[openai.OpenAI, InMemorySpanExporter], emulator: str
) -> None:
    client, exporter = traced
    httpx.post(f"{emulator}/__emulator__/scripts", json=TOOL_CALL).raise_for_status()
    usage = stream_tool_call(client, "a:gpt-4o-mini")
    server, (attempt,) = finished(exporter)

    # The client's trace continues: its span is the server span's parent, the
    # server span the attempt's, and the upstream saw the attempt's span.
    assert ids(server)[0] == ids(attempt)[0] == TRACE
    assert parent_of(server) == PARENT and server.parent is not None and server.parent.is_remote
    assert parent_of(attempt) == ids(server)[1]
    (sent,) = sent_upstream(emulator)
    headers = sent["headers"]
    assert isinstance(headers, dict)
    assert headers["traceparent"] == f"00-{TRACE}-{ids(attempt)[1]}-01"

    assert server.name == "chat a:gpt-4o-mini"
    assert server.resource.attributes["service.name"] == "lip-under-test"
    assert dict(server.attributes or {}) == {
        "http.request.method": "POST",
        "url.path": "/v1/chat/completions",
        "http.response.status_code": 200,
        "lip.request_id": server.attributes["lip.request_id"],  # type: ignore[index]
        "lip.stream": True,
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "a:gpt-4o-mini",
        "gen_ai.provider.name": "openai",
        "gen_ai.response.model": "gpt-4o-mini",
        "gen_ai.response.time_to_first_chunk": first_output(server),
        "gen_ai.response.finish_reasons": ("tool_calls",),
        "lip.time_to_first_output": first_output(server),
        **tokens(usage),
    }
    assert server.status.status_code is StatusCode.UNSET

    assert attempt.name == "chat gpt-4o-mini"
    attributes = dict(attempt.attributes or {})
    assert attributes.pop("gen_ai.response.time_to_first_chunk") == first_output(attempt)
    assert attributes.pop("lip.time_to_first_output") == first_output(attempt)
    assert attributes == {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.response.model": "gpt-4o-mini",
        "lip.backend.id": "a",
        "lip.attempt.number": 1,
        "lip.attempt.outcome": "success",
        "gen_ai.response.finish_reasons": ("tool_calls",),
        **tokens(usage),
    }
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert attempt.status.status_code is StatusCode.UNSET
    # The attempt lies within the request, and both saw their first output.
    assert server.start_time is not None and server.end_time is not None
    assert attempt.start_time is not None and attempt.end_time is not None
    assert server.start_time <= attempt.start_time < attempt.end_time <= server.end_time
    for span in (server, attempt):
        assert span.instrumentation_scope is not None
        assert span.instrumentation_scope.name == "lip"
        assert span.kind is (SpanKind.SERVER if span is server else SpanKind.CLIENT)
    # Both saw their first output, the attempt first: the request's counts
    # from its start, and includes the translation of that output.
    assert 0 < first_output(attempt) <= first_output(server)
    assert attempt.start_time + first_output(attempt) * 1e9 <= (
        server.start_time + first_output(server) * 1e9 + 1e3  # float seconds to ns
    )
    assert not server.events and not attempt.events
    no_text([server, attempt])


def first_output(span: ReadableSpan) -> float:
    """The span's ``lip.time_to_first_output`` (seconds from its start)."""
    seconds = (span.attributes or {})["lip.time_to_first_output"]
    assert isinstance(seconds, float)
    return seconds


def test_a_failover_is_two_client_spans_the_first_an_error(
    traced: tuple[openai.OpenAI, InMemorySpanExporter], emulator: str
) -> None:
    client, exporter = traced
    scripts = [{"status": 500}, TOOL_CALL]
    httpx.post(f"{emulator}/__emulator__/scripts", json=scripts).raise_for_status()
    usage = stream_tool_call(client, "a:gpt-4o-mini | b:gpt-4o-mini")
    server, (failed, served) = finished(exporter)

    assert parent_of(failed) == parent_of(served) == ids(server)[1]
    # The request id planned the server's and the first attempt's span ids;
    # the next attempt drew its own.
    request_id = (server.attributes or {})["lip.request_id"]
    assert isinstance(request_id, str)
    assert (ids(server)[1], ids(failed)[1]) == (request_id[:16], request_id[16:])
    assert ids(served)[1] not in (ids(server)[1], ids(failed)[1])
    sent = sent_upstream(emulator)
    assert [r["headers"]["traceparent"] for r in sent] == [  # type: ignore[index]
        f"00-{TRACE}-{ids(failed)[1]}-01",
        f"00-{TRACE}-{ids(served)[1]}-01",
    ]
    assert failed.status.status_code is StatusCode.ERROR
    assert (failed.attributes or {})["error.type"] == "upstream_error"
    assert (failed.attributes or {})["lip.attempt.outcome"] == "failed_before_output"
    for name in ("gen_ai.usage.input_tokens", "gen_ai.response.model"):
        assert name not in (failed.attributes or {})
    assert failed.events == ()

    assert served.status.status_code is StatusCode.UNSET
    assert "error.type" not in (served.attributes or {})
    assert (served.attributes or {})["lip.backend.id"] == "b"
    # b maps the model: the request names the client's, the response the upstream's.
    assert (served.attributes or {})["gen_ai.request.model"] == "gpt-4o-mini"
    assert (served.attributes or {})["gen_ai.response.model"] == "gpt-4o-mini-2024"
    assert (served.attributes or {})["gen_ai.usage.output_tokens"] == usage.completion_tokens
    assert (server.attributes or {})["gen_ai.usage.input_tokens"] == usage.prompt_tokens
    assert (server.attributes or {})["gen_ai.response.model"] == "gpt-4o-mini-2024"
    assert server.status.status_code is StatusCode.UNSET
    assert failed.end_time is not None and served.start_time is not None
    assert failed.end_time <= served.start_time
    no_text([server, failed, served])


def test_an_error_reply_marks_the_server_span(
    traced: tuple[openai.OpenAI, InMemorySpanExporter], emulator: str
) -> None:
    client, exporter = traced
    httpx.post(f"{emulator}/__emulator__/scripts", json=[{"status": 500}]).raise_for_status()
    with pytest.raises(openai.InternalServerError):
        stream_tool_call(client, "a:gpt-4o-mini")
    server, (failed,) = finished(exporter)
    assert server.status.status_code is StatusCode.ERROR
    attributes = server.attributes or {}
    assert attributes["http.response.status_code"] >= 500  # type: ignore[operator]
    assert attributes["error.type"] == "upstream_error"
    assert failed.status.status_code is StatusCode.ERROR


def test_other_requests_are_named_by_method_and_path(
    traced: tuple[openai.OpenAI, InMemorySpanExporter],
) -> None:
    client, exporter = traced
    reply = httpx.get(f"{client.base_url}models", headers={"traceparent": "junk"})
    assert reply.status_code == 200
    server, clients = finished(exporter)
    assert clients == [] and server.parent is None
    assert ids(server)[0] == reply.headers["x-lip-trace-id"]
    assert server.name == "GET /v1/models"
    assert "gen_ai.operation.name" not in (server.attributes or {})


def test_enabled_tracing_is_built_from_the_otel_variables(
    emulator: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "from-env")
    (observer,) = build_observers(config_for(emulator, ", enabled: true"))
    assert isinstance(observer, TracingObserver) and observer.traces
    exporter = InMemorySpanExporter()
    observer._processor = SimpleSpanProcessor(exporter)
    (span,) = _one_span(observer, exporter)
    assert span.resource.attributes["service.name"] == "from-env"
    observer.close()

    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
    with pytest.raises(ConfigError, match="http/protobuf"):
        build_observers(config_for(emulator, ", enabled: true"))


def test_enabled_tracing_without_the_extra_says_what_to_install(
    emulator: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "lip.observe.tracing")
    monkeypatch.setitem(sys.modules, "opentelemetry.sdk.trace", None)
    with pytest.raises(ConfigError, match=r"pip install 'lip\[otel\]'"):
        build_observers(config_for(emulator, ", enabled: true"))


def _one_span(observer: TracingObserver, exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    observer.ended(CallRecord(request_id="r", method="GET", path="/healthz", status=200, ended=0.1))
    return list(exporter.get_finished_spans())


def failover(parent: str | None = PARENT) -> CallRecord:
    """A streamed call: a skipped candidate, a failed attempt, then b served it."""
    return CallRecord(
        request_id="r", protocol="openai_chat", method="POST", path="/v1/chat/completions",
        status=200, usage=Usage(input_tokens=7, output_tokens=3), trace_id=TRACE,
        span_id="1000000000000001", parent_span_id=parent, selector="a:m | b:m", stream=True,
        started=T0, first_output=0.3, ended=0.5, outcome=CallOutcome.SUCCESS,
        finish_reason="length", attempts=[
            Attempt(number=1, backend_id="a", model="m", upstream_model="m", started=T0,
                    outcome=Outcome.SKIPPED, error_kind="circuit_open"),
            Attempt(number=2, backend_id="a", model="m", upstream_model="m", started=T0 + 0.01,
                    ended=0.1, outcome=Outcome.FAILED_BEFORE_OUTPUT, error_kind="upstream_error",
                    span_id="2000000000000002"),
            Attempt(number=3, backend_id="b", model="m", upstream_model="m-2024", started=T0 + 0.2,
                    first_output=0.1, ended=0.29, outcome=Outcome.SUCCESS,
                    span_id="3000000000000003")])  # fmt: skip


def exported(record: CallRecord) -> tuple[ReadableSpan, ...]:
    processor = SimpleSpanProcessor(exporter := InMemorySpanExporter())
    TracingObserver(config_for("http://unused"), processor=processor).ended(record)
    return exporter.get_finished_spans()


def test_the_spans_are_complete_and_encode_as_otlp() -> None:
    spans = exported(failover())
    failed, served, server = spans  # each attempt's span ends before the request's
    assert [s.kind for s in spans] == [SpanKind.CLIENT, SpanKind.CLIENT, SpanKind.SERVER]
    assert {s.resource.attributes["service.name"] for s in spans} == {"lip-under-test"}
    assert {s.instrumentation_scope.name for s in spans} == {"lip"}  # type: ignore[union-attr]
    assert all(s.context.trace_flags.sampled and not s.context.is_remote for s in spans)  # type: ignore[union-attr]
    assert all(type(s.context) is SpanContext and s.context.is_valid for s in spans)
    assert ids(server) == (TRACE, "1000000000000001") and parent_of(server) == PARENT
    assert ids(failed) == (TRACE, "2000000000000002") and ids(served)[1] == "3000000000000003"
    assert parent_of(failed) == parent_of(served) == ids(server)[1]
    at = lambda seconds: pytest.approx(seconds * 1e9, abs=1e3)  # noqa: E731
    assert (server.start_time, server.end_time) == (at(T0), at(T0 + 0.5))
    assert [(e.name, dict(e.attributes or {}), e.timestamp) for e in server.events] == [
        ("lip.attempt.skipped", {"lip.backend.id": "a", "error.type": "circuit_open"}, at(T0)),
    ]
    assert first_output(server) == 0.3 and first_output(served) == 0.1
    reasons = [(s.attributes or {}).get("gen_ai.response.finish_reasons") for s in spans]
    assert reasons == [None, ("length",), ("length",)]  # the call's, and its server's
    assert "lip.time_to_first_output" not in (failed.attributes or {})
    assert not failed.events and not served.events
    assert [s.status.status_code for s in spans] == [StatusCode.ERROR, *[StatusCode.UNSET] * 2]
    for mapping in (server.attributes, server.events[0].attributes):
        with pytest.raises(TypeError):
            mapping["error.type"] = ""  # type: ignore[index]
    wire = ExportTraceServiceRequest.FromString(encode_spans(spans).SerializeToString())
    (resource,) = wire.resource_spans
    named = [a.value.string_value for a in resource.resource.attributes if a.key == "service.name"]
    (scope,) = resource.scope_spans
    assert named == ["lip-under-test"] and scope.scope.name == "lip"
    assert [s.name for s in scope.spans] == ["chat m", "chat m", "chat a:m | b:m"]
    assert scope.spans[2].parent_span_id.hex() == PARENT and len(scope.spans[2].events) == 1


@pytest.mark.parametrize(
    ("sampler", "parent", "traced"),
    [("always_off", PARENT, False), ("traceidratio", None, False),  # SAMPLER_ARG=0
     ("parentbased_always_off", None, False), ("parentbased_always_off", PARENT, True)],
)  # fmt: skip
def test_the_sampler_the_environment_names_decides(
    monkeypatch: pytest.MonkeyPatch, sampler: str, parent: str | None, traced: bool
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", sampler)
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0")
    assert len(exported(failover(parent))) == (3 if traced else 0)


def test_no_exporter_drops_spans_and_close_flushes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    TracingObserver(config := config_for("http://unused")).ended(failover())  # built, dropped
    observer = TracingObserver(config, processor=(processor := mock.Mock(SpanProcessor)))
    observer.ended(failover())
    assert processor.on_end.call_count == 3
    observer.close()
    assert processor.method_calls[-2:] == [mock.call.force_flush(), mock.call.shutdown()]


@pytest.mark.parametrize("parent", [PARENT, None])
def test_the_default_sampler_answers_as_the_sdk_would(
    monkeypatch: pytest.MonkeyPatch, parent: str | None
) -> None:
    """Unset, the sampler is not asked; the spans equal those the SDK's own
    ``parentbased_traceidratio`` at 1 (which is asked) gives."""
    monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    record = failover(parent)
    record.trace_id = None if parent is None else TRACE
    assumed = exported(record)
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "1")
    record.trace_id = TRACE  # the one the first run drew when there was none
    asked = exported(record)
    shown = lambda s: (s.name, s.context, s.parent, dict(s.attributes or {}))  # noqa: E731
    assert [shown(s)[0] for s in assumed] == [shown(s)[0] for s in asked]
    assert [s.context.trace_flags for s in assumed] == [s.context.trace_flags for s in asked]  # type: ignore[union-attr]
    assert [s.context.trace_state for s in assumed] == [s.context.trace_state for s in asked]  # type: ignore[union-attr]
    if parent is not None:  # a trace begun here draws its own id each time
        assert [shown(s) for s in assumed] == [shown(s) for s in asked]


def test_each_span_carries_only_its_own_calls_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spans of calls alike share a template: what one call adds (its request
    id, usage, first output) never shows on the next one's."""
    processor = SimpleSpanProcessor(exporter := InMemorySpanExporter())
    observer = TracingObserver(config_for("http://unused"), processor=processor)
    first, second, third = failover(), failover(), failover()
    second.request_id, second.usage, second.first_output = "r2", None, None
    served = third.attempts[2]
    served.first_output, served.outcome, served.error_kind = None, Outcome.SURFACED, "cut"
    for record in (first, second, third, first):
        observer.ended(record)
    spans = exporter.get_finished_spans()
    assert len(spans) == 12
    shown = [dict(s.attributes or {}) for s in spans]
    assert shown[:3] == shown[9:]
    timed = {"lip.time_to_first_output", "gen_ai.response.time_to_first_chunk"}
    for attributes in (shown[4], shown[5]):  # the second call's
        assert not any(name.startswith("gen_ai.usage.") for name in attributes)
    assert shown[5]["lip.request_id"] == "r2" and not timed & shown[5].keys()
    assert timed <= shown[4].keys()  # its attempt did see output
    attempt = shown[7]  # the third call's, cut
    assert (attempt["lip.attempt.outcome"], attempt["error.type"]) == ("surfaced_failure", "cut")
    assert not (timed | {"gen_ai.response.model"}) & attempt.keys()
    assert spans[7].status.status_code is StatusCode.ERROR

    # The templates are a bounded cache: a new one past the bound starts it over.
    monkeypatch.setattr("lip.observe.genai.KEPT", 2)
    for n in range(5):
        record = failover()
        record.selector = f"model-{n}"
        observer.ended(record)
        assert len(observer._servers) <= 2  # the attempts' keys hold no selector
    names = [s.name for s in exporter.get_finished_spans()[12:]]
    assert names[2::3] == [f"chat model-{n}" for n in range(5)]


@pytest.fixture
def captured(
    emulator: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[openai.OpenAI, InMemorySpanExporter]]:
    """As ``traced``, with ``capture_content: true``."""
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    config = config_for(emulator, ", enabled: true, capture_content: true")
    exporter = InMemorySpanExporter()
    runtime = Runtime(config)
    runtime.observers = Observers(
        [TracingObserver(config, processor=SimpleSpanProcessor(exporter))]
    )
    httpx.delete(f"{emulator}/__emulator__/scripts").raise_for_status()
    with (
        serve_lip(create_app(config, runtime=runtime)) as url,
        openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0) as client,
    ):
        yield client, exporter


def test_captured_content_is_the_calls_prompt_and_completion(
    captured: tuple[openai.OpenAI, InMemorySpanExporter], emulator: str
) -> None:
    client, exporter = captured
    httpx.post(f"{emulator}/__emulator__/scripts", json=TOOL_CALL).raise_for_status()
    stream_tool_call(client, "a:gpt-4o-mini")
    server, (attempt,) = finished(exporter)
    attributes = server.attributes or {}
    assert json.loads(str(attributes["gen_ai.input.messages"])) == [
        {"role": "user", "parts": [{"type": "text", "content": PROMPT}]}
    ]
    (output,) = json.loads(str(attributes["gen_ai.output.messages"]))
    (call,) = output["parts"]
    assert output["role"] == "assistant" and output["finish_reason"] == "tool_calls"
    assert (call["type"], call["name"]) == ("tool_call", "get_weather")
    assert json.loads(call["arguments"]) == {"city": "Paris-Secret"}
    assert "gen_ai.system_instructions" not in attributes
    assert not any(name.endswith("messages") for name in attempt.attributes or {})

    # Unary, with instructions; a configured credential in the prompt is scrubbed.
    exporter.clear()
    reply = client.chat.completions.create(
        model="a:gpt-4o-mini",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "my key is sk-upstream-0123456789"},
        ],
    )
    server, _ = finished(exporter)
    attributes = server.attributes or {}
    assert json.loads(str(attributes["gen_ai.system_instructions"])) == [
        {"type": "text", "content": "Be brief."}
    ]
    (asked,) = json.loads(str(attributes["gen_ai.input.messages"]))
    assert "sk-upstream-0123456789" not in json.dumps(asked)
    assert asked["parts"][0]["content"].startswith("my key is ")
    (output,) = json.loads(str(attributes["gen_ai.output.messages"]))
    text = reply.choices[0].message.content
    assert text is not None and "sk-upstream-0123456789" in text  # the emulator echoes it
    scrubbed = text.replace("sk-upstream-0123456789", "[redacted]")
    assert output["parts"] == [{"type": "text", "content": scrubbed}]
    assert output["finish_reason"] == "stop"
