"""Prometheus metrics: a :class:`MetricsObserver` counts every finished call.

Counted from each request's :class:`~lip.continuity.CallRecord` when it ends:

- ``lip_http_requests_total{path_group, status_class}``: every HTTP request;
  ``path_group`` is ``generate`` (a protocol's generate call), ``health``,
  ``metrics``, ``diagnostics``, ``openapi`` or ``other`` (models, count
  tokens, stored responses, unknown paths);
- ``lip_requests_total{protocol, backend, model, status_class, outcome}``:
  generate calls only, by the attempt that served them;
- ``lip_request_duration_seconds`` and ``lip_time_to_first_token_seconds``
  histograms ``{protocol, backend, model}``, at LLM scale (up to 10 minutes);
- ``lip_upstream_attempts_total{backend, outcome}``: every upstream attempt;
- ``lip_tokens_total{backend, model, client, kind}`` (``kind``: ``input``,
  ``output``, ``cached_input``, ``cache_creation_input``, ``reasoning``; the
  exact counts the reply reported) and ``lip_cost_usd_total{backend, model,
  client}`` (from ``prices``; only with prices configured).

Read live at scrape time (:class:`_LiveCollector`): generate calls and streams
in flight by protocol (an in-flight record's protocol and stream flag are set
as soon as the endpoint knows them, so a scrape sees them, where a gauge moved
in :meth:`CallObserver.started` could not), all HTTP requests in flight, and
each backend's circuit breaker and bulkhead from the :class:`HealthBoard`.

Label values are bounded by the config, never by what clients send:
``backend`` is an upstream id (``none``: no attempt served the call);
``model`` is the serving attempt's model when the config names it (a
backend's ``models`` or ``model_map``, or ``prices``), ``other`` when not
(a client-chosen name under a ``*`` backend), ``unknown`` when nothing
served; ``client`` is a client key id or ``oidc:<subject>``, and
``anonymous`` for open access (client IPs are never labels).

Every observer has its own :class:`CollectorRegistry` (several apps may share
a process). With ``PROMETHEUS_MULTIPROC_DIR`` set (``lip serve --workers``),
counters and histograms go to that directory and every worker's scrape reports
all workers' sums (:class:`MultiProcessCollector`); the live gauges are each
worker's own and carry its ``pid``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Final, TypeVar, cast

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from lip.config import Config
from lip.continuity import Attempt, CallObserver, CallRecord
from lip.limits import PriceTable
from lip.routing.health import BreakerState, HealthBoard

_Metric = TypeVar("_Metric", Counter, Histogram)
_CHILDREN_CACHE = 10_000

BUCKETS: Final = (
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
)  # fmt: skip
"""Seconds: from a cached reply's few milliseconds to a long reasoning stream."""

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"

_CALL_LABELS = ("protocol", "backend", "model")
_TOKEN_KINDS = (
    ("input", "input_tokens"),
    ("output", "output_tokens"),
    ("cached_input", "cached_input_tokens"),
    ("cache_creation_input", "cache_creation_input_tokens"),
    ("reasoning", "reasoning_tokens"),
)
_GLOB = frozenset("*?[")


class MetricsObserver(CallObserver):
    """Counts finished calls into its own registry; :meth:`exposition` renders it.

    ``health`` adds each backend's breaker and bulkhead gauges. With
    ``$PROMETHEUS_MULTIPROC_DIR`` set, a scrape sums the counters of every
    process writing to that directory (read from the environment, as
    prometheus_client itself decides where values live by it)."""

    def __init__(
        self,
        config: Config,
        *,
        health: HealthBoard | None = None,
    ) -> None:
        self.registry = CollectorRegistry()
        self._labels = _Labels(config)
        self._prices = PriceTable(config.prices) if config.prices else None
        self._metrics_path = config.observability.metrics.path
        self._live: dict[str, CallRecord] = {}
        self._children: dict[tuple[object, ...], object] = {}
        r = self.registry
        self.http_requests = Counter(
            "lip_http_requests",
            "HTTP requests answered, by route group and status class.",
            ("path_group", "status_class"),
            registry=r,
        )
        self.requests = Counter(
            "lip_requests",
            "Generate calls, by client protocol, serving backend and model, status class and outcome.",
            (*_CALL_LABELS, "status_class", "outcome"),
            registry=r,
        )
        self.duration = Histogram(
            "lip_request_duration_seconds",
            "Generate calls: seconds from the request to the reply's last byte.",
            _CALL_LABELS,
            buckets=BUCKETS,
            registry=r,
        )
        self.ttft = Histogram(
            "lip_time_to_first_token_seconds",
            "Generate calls: seconds from the request to the first output.",
            _CALL_LABELS,
            buckets=BUCKETS,
            registry=r,
        )
        self.attempts = Counter(
            "lip_upstream_attempts",
            "Upstream attempts, by backend and how they ended.",
            ("backend", "outcome"),
            registry=r,
        )
        self.tokens = Counter(
            "lip_tokens",
            "Tokens the replies reported, by backend, model, client and kind.",
            ("backend", "model", "client", "kind"),
            registry=r,
        )
        self.cost = Counter(
            "lip_cost_usd",
            "What the replies cost in USD, from the configured prices.",
            ("backend", "model", "client"),
            registry=r,
        )
        multiprocess_dir = os.environ.get(MULTIPROC_ENV) or None
        live = _LiveCollector(self._live, health, pid=os.getpid() if multiprocess_dir else None)
        self._scraped = r
        if multiprocess_dir:
            # The counters above write to the directory (prometheus_client picks
            # its value store from the environment); a scrape reads every file.
            self._scraped = CollectorRegistry()
            MultiProcessCollector(self._scraped, multiprocess_dir)  # type: ignore[no-untyped-call]
        self._scraped.register(live)

    def _at(self, metric: _Metric, *values: str) -> _Metric:
        """``metric.labels(*values)``, kept: label values repeat from request to
        request, and prometheus_client checks and converts them on every call."""
        key = (id(metric), *values)
        child = self._children.get(key)
        if child is None:
            if len(self._children) >= _CHILDREN_CACHE:
                self._children.clear()
            child = self._children[key] = metric.labels(*values)
        return cast(_Metric, child)

    def started(self, record: CallRecord) -> None:
        self._live[record.request_id] = record

    def ended(self, record: CallRecord) -> None:
        self._live.pop(record.request_id, None)
        status = _status_class(record.status)
        self._at(self.http_requests, self._path_group(record), status).inc()
        protocol = record.protocol
        if protocol is None:
            return
        served = record.served_by
        backend = self._labels.backend(served)
        model = self._labels.model(served)
        outcome = record.outcome.value if record.outcome is not None else "unknown"
        self._at(self.requests, protocol, backend, model, status, outcome).inc()
        if record.ended is not None:
            self._at(self.duration, protocol, backend, model).observe(record.ended)
        if record.first_output is not None:
            self._at(self.ttft, protocol, backend, model).observe(record.first_output)
        for attempt in record.attempts:
            ended = attempt.outcome.value if attempt.outcome is not None else "unknown"
            self._at(self.attempts, self._labels.backend(attempt), ended).inc()
        self._count_usage(record, served, backend, model)

    def exposition(self) -> bytes:
        """The text exposition format (:data:`prometheus_client.CONTENT_TYPE_LATEST`).

        Call it on the event loop: the breakers it reads are not thread-safe."""
        return generate_latest(self._scraped)

    def _count_usage(
        self, record: CallRecord, served: Attempt | None, backend: str, model: str
    ) -> None:
        usage = record.usage
        if usage is None:
            return
        client = _client(record.client)
        for kind, field in _TOKEN_KINDS:
            count: int | None = getattr(usage, field)
            if count:
                self._at(self.tokens, backend, model, client, kind).inc(count)
        if self._prices is None or served is None:
            return
        # Priced by the name the client routed to, else the upstream's own name
        # (a model_map alias may be priced under either).
        priced = next(
            (m for m in (served.model, served.upstream_model) if self._prices.price(m)), None
        )
        if priced is not None:
            self._at(self.cost, backend, model, client).inc(self._prices.cost(priced, usage))

    def _path_group(self, record: CallRecord) -> str:
        path = record.path
        if record.protocol is not None:
            return "generate"
        if path in ("/healthz", "/readyz"):
            return "health"
        if path == self._metrics_path:
            return "metrics"
        if path.startswith("/diagnostics/"):
            return "diagnostics"
        if path == "/openapi.json":
            return "openapi"
        return "other"


class _Labels:
    """Label values from the config (see the module docstring)."""

    def __init__(self, config: Config) -> None:
        models: set[str] = {m for m in config.prices if not _GLOB & set(m)}
        backends: set[str] = set()
        for backend in config.backends:
            backends.update(backend.upstream_ids())
            models.update(m for m in backend.models if not _GLOB & set(m))
            models.update(backend.model_map)
            models.update(backend.model_map.values())
        self._models = frozenset(models)
        self._backends = frozenset(backends)

    def backend(self, attempt: Attempt | None) -> str:
        if attempt is None:
            return "none"
        return attempt.backend_id if attempt.backend_id in self._backends else "other"

    def model(self, attempt: Attempt | None) -> str:
        if attempt is None:
            return "unknown"
        return attempt.model if attempt.model in self._models else "other"


def _client(subject: str | None) -> str:
    """A key id or ``oidc:<subject>``; open access (``ip:<address>``) is anonymous."""
    if subject is None or subject.startswith("ip:"):
        return "anonymous"
    return subject


def _status_class(status: int | None) -> str:
    """``2xx``...; ``none`` when the client left before any reply was sent."""
    return "none" if status is None else f"{status // 100}xx"


class _LiveCollector:
    """Gauges read at scrape time: requests in flight and backend health."""

    def __init__(
        self, live: Mapping[str, CallRecord], health: HealthBoard | None, *, pid: int | None
    ) -> None:
        self._live = live
        self._health = health
        self._pid = () if pid is None else (str(pid),)
        self._pid_label = () if pid is None else ("pid",)

    def collect(self) -> Iterable[Metric]:
        yield from self._in_flight()
        if self._health is not None:
            yield from self._backends(self._health)

    def _gauge(self, name: str, doc: str, *labels: str) -> GaugeMetricFamily:
        return GaugeMetricFamily(name, doc, labels=[*labels, *self._pid_label])

    def _in_flight(self) -> Iterable[Metric]:
        http = self._gauge("lip_http_requests_in_flight", "HTTP requests being answered.")
        calls = self._gauge("lip_requests_in_flight", "Generate calls being answered.", "protocol")
        streams = self._gauge(
            "lip_streams_in_flight", "Streaming generate calls being answered.", "protocol"
        )
        by_protocol: dict[str, list[int]] = {}
        records = list(self._live.values())
        for record in records:
            if record.protocol is not None:
                counts = by_protocol.setdefault(record.protocol, [0, 0])
                counts[0] += 1
                counts[1] += record.stream
        http.add_metric(list(self._pid), len(records))
        for protocol, (count, streaming) in sorted(by_protocol.items()):
            calls.add_metric([protocol, *self._pid], count)
            streams.add_metric([protocol, *self._pid], streaming)
        return (http, calls, streams)

    def _backends(self, health: HealthBoard) -> Iterable[Metric]:
        state = self._gauge(
            "lip_backend_breaker_state",
            "The backend's circuit breaker: 1 for its current state, 0 for the others.",
            "backend",
            "state",
        )
        opened = self._gauge(
            "lip_backend_breaker_open", "1 while the backend's breaker is open.", "backend"
        )
        in_flight = self._gauge(
            "lip_backend_in_flight", "Requests the backend's bulkhead lets run now.", "backend"
        )
        queued = self._gauge(
            "lip_backend_queued", "Requests waiting in the backend's bulkhead queue.", "backend"
        )
        for backend, now in health.snapshot().items():
            if now.breaker is not None:
                for candidate in BreakerState:
                    state.add_metric(
                        [backend, candidate.value, *self._pid], float(now.breaker is candidate)
                    )
                opened.add_metric([backend, *self._pid], float(now.breaker is BreakerState.OPEN))
            if now.in_flight is not None:
                in_flight.add_metric([backend, *self._pid], now.in_flight)
            if now.queued is not None:
                queued.add_metric([backend, *self._pid], now.queued)
        return (state, opened, in_flight, queued)


__all__ = ["BUCKETS", "MULTIPROC_ENV", "MetricsObserver"]
