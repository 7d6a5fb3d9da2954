"""Watching LIP run: the observers of :mod:`lip.continuity.observer` that
``observability:`` turns on (metrics, traces, access logs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lip.config import Config, ConfigError
from lip.continuity import CallObserver
from lip.observe.accesslog import AccessLogObserver
from lip.observe.metrics import MetricsObserver
from lip.routing.health import HealthBoard


def build_observers(
    config: Config,
    *,
    scrub: Callable[[str], str] | None = None,
    health: HealthBoard | None = None,
    previous: Iterable[CallObserver] = (),
) -> list[CallObserver]:
    """The observers ``config.observability`` asks for, in the order they run.

    ``scrub`` redacts secrets from what the access log writes; ``health`` is
    the board the metrics read breaker and bulkhead gauges from; ``previous``
    the observers of the config a reload replaces (the metrics' counts go on)."""
    observed = config.observability
    observers: list[CallObserver] = []
    if observed.metrics.enabled:
        before = next((o for o in previous if isinstance(o, MetricsObserver)), None)
        observers.append(MetricsObserver(config, health=health, counting_on=before))
    if observed.tracing.enabled:
        observers.append(_tracing(config))
    if observed.access_log.enabled:
        observers.append(AccessLogObserver(observed.access_log, scrub))
    return observers


def _tracing(config: Config) -> CallObserver:
    """The OpenTelemetry observer, imported only when enabled: its packages
    are the optional ``otel`` extra."""
    try:
        from lip.observe.tracing import TracingObserver
    except ImportError as exc:
        raise ConfigError(
            f"observability.tracing.enabled needs OpenTelemetry: pip install 'lip[otel]' ({exc})"
        ) from exc
    return TracingObserver(config)


__all__ = ["AccessLogObserver", "MetricsObserver", "build_observers"]
