"""What the standard ``OTEL_*`` variables configure for LIP's traces: the
span processor and exporter, and the resource the spans name.

LIP builds its spans itself (:mod:`lip.observe.tracing`); where they go is
the SDK's business, set up as any OpenTelemetry SDK is.
"""

from __future__ import annotations

import os

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from lip.config import ConfigError

__all__ = ["processor_from_env", "resource_for"]


def resource_for(service_name: str) -> Resource:
    """The SDK's resource (``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_SERVICE_NAME``,
    detectors), with config's ``service_name`` unless the environment named one."""
    resource = Resource.create()
    named = resource.attributes.get(SERVICE_NAME)
    if isinstance(named, str) and not named.startswith("unknown_service"):
        return resource
    return resource.merge(Resource({SERVICE_NAME: service_name}))


def processor_from_env() -> SpanProcessor | None:
    """``OTEL_TRACES_EXPORTER``: ``otlp`` (the default, over HTTP/protobuf),
    ``console`` or ``none``; :class:`ConfigError` for what LIP does not ship."""
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
