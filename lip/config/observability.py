"""The ``observability:`` section: metrics, traces, access logs and reloads."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from lip.config.strict import Strict

_TAKEN = ("/v1", "/v1beta", "/diagnostics")
"""Path prefixes the protocols and diagnostics serve."""
_EXACT = ("/", "/healthz", "/readyz", "/openapi.json")


class MetricsConfig(Strict):
    """Prometheus metrics at ``path`` (off by default)."""

    enabled: bool = False
    path: str = "/metrics"
    require_secret: bool = False
    """Serve ``path`` only with the ``x-lip-diagnostics-secret`` header
    (``diagnostics.secret`` must be set)."""

    @field_validator("path")
    @classmethod
    def _path_shape(cls, value: str) -> str:
        if not value.startswith("/") or any(c.isspace() for c in value):
            raise ValueError("must be an absolute path such as /metrics")
        taken = next(
            (p for p in _TAKEN if value == p or value.startswith(p.rstrip("/") + "/")), None
        )
        if taken is not None or value in _EXACT:
            # The protocols', health and diagnostics routes come first: a
            # metrics path among them would shadow one or never be reached.
            raise ValueError(f"{value!r} overlaps LIP's own routes ({taken or value})")
        return value


class TracingConfig(Strict):
    """OpenTelemetry traces, exported as the standard ``OTEL_*`` variables say
    (off by default)."""

    enabled: bool = False
    service_name: str = "lip"
    """``service.name`` unless ``OTEL_SERVICE_NAME`` says otherwise."""
    capture_content: bool = False
    """Put prompt and completion text on spans (never by default)."""


class AccessLogConfig(Strict):
    """One structured line per request on the ``lip.access`` logger (off by default)."""

    enabled: bool = False
    format: Literal["json", "text"] = "json"
    skip_paths: tuple[str, ...] = ("/healthz", "/readyz")
    """Paths not logged (health probes)."""


class ReloadConfig(Strict):
    """Applying a changed config without a restart (``SIGHUP`` always reloads)."""

    watch: bool = False
    """Also reload when the config file changes on disk."""


class ObservabilityConfig(Strict):
    metrics: MetricsConfig = Field(default_factory=MetricsConfig)
    tracing: TracingConfig = Field(default_factory=TracingConfig)
    access_log: AccessLogConfig = Field(default_factory=AccessLogConfig)
    reload: ReloadConfig = Field(default_factory=ReloadConfig)
    flush_interval: float = Field(default=0.1, ge=0, le=60)
    """Seconds a finished request may wait before the metrics, traces and
    access log see it: they take finished requests in batches (of at most 64,
    sooner when that many have ended), which costs much less per request than
    one at a time. 0: each request as it ends. A metrics scrape and shutdown
    see every request that has ended."""


__all__ = [
    "AccessLogConfig",
    "MetricsConfig",
    "ObservabilityConfig",
    "ReloadConfig",
    "TracingConfig",
]
