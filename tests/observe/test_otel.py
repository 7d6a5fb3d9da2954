"""The span processor and resource the ``OTEL_*`` variables configure."""

from __future__ import annotations

import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

from lip.config import ConfigError
from lip.observe.otel import processor_from_env, resource_for

_VARIABLES = (
    "OTEL_TRACES_EXPORTER",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)


def exporter_of(processor: object) -> object:
    assert isinstance(processor, BatchSpanProcessor)
    exporter = processor.span_exporter
    processor.shutdown()
    return exporter


def test_otlp_over_http_is_the_default() -> None:
    assert isinstance(exporter_of(processor_from_env()), OTLPSpanExporter)


@pytest.mark.parametrize("named", ["otlp", " OTLP ", ""])
def test_otlp_is_named_in_any_case(monkeypatch: pytest.MonkeyPatch, named: str) -> None:
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", named)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf")
    assert isinstance(exporter_of(processor_from_env()), OTLPSpanExporter)


def test_console_and_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "console")
    assert isinstance(exporter_of(processor_from_env()), ConsoleSpanExporter)
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    assert processor_from_env() is None


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "'grpc' is not supported"),
        ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json", "'http/json' is not supported"),
        ("OTEL_TRACES_EXPORTER", "zipkin", "OTEL_TRACES_EXPORTER='zipkin' is not supported"),
    ],
)
def test_what_lip_does_not_ship_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=said):
        processor_from_env()


def test_the_traces_protocol_wins_over_the_general_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf")
    assert isinstance(exporter_of(processor_from_env()), OTLPSpanExporter)


def test_the_service_name_is_the_configs_unless_the_environment_names_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert resource_for("lip-a").attributes["service.name"] == "lip-a"
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes,team=x")
    named = resource_for("lip-a").attributes
    assert (named["service.name"], named["team"]) == ("from-attributes", "x")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "from-env")
    assert resource_for("lip-a").attributes["service.name"] == "from-env"
