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
a process). In a single process a :class:`~lip.observe.tally.Tally` counts the
calls and renders them at scrape time. With ``PROMETHEUS_MULTIPROC_DIR`` set
(``lip serve --workers``), prometheus_client's ``Counter`` and ``Histogram``
objects count them into that directory instead and every worker's scrape
reports all workers' sums (:class:`MultiProcessCollector`), without the
``_created`` samples; the live gauges are each worker's own and carry its
``pid``. Both expose the same series (:mod:`lip.observe.tally`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Final, TypeVar, cast

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from lip.config import Config
from lip.continuity import Attempt, CallObserver, CallRecord
from lip.limits import PriceTable
from lip.observe.labels import CallLabels
from lip.observe.tally import (
    ATTEMPTS,
    COST,
    DURATION,
    HTTP_REQUESTS,
    REQUESTS,
    TOKENS,
    TTFT,
    Series,
    Tally,
)
from lip.routing.health import BreakerState, HealthBoard

_Metric = TypeVar("_Metric", Counter, Histogram)
_CHILDREN_CACHE = 10_000

BUCKETS: Final = (
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
)  # fmt: skip
"""Seconds: from a cached reply's few milliseconds to a long reasoning stream."""

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"

_TOKEN_KINDS = (
    ("input", "input_tokens"),
    ("output", "output_tokens"),
    ("cached_input", "cached_input_tokens"),
    ("cache_creation_input", "cache_creation_input_tokens"),
    ("reasoning", "reasoning_tokens"),
)


class MetricsObserver(CallObserver):
    """Counts finished calls into its own registry; :meth:`exposition` renders it.

    ``health`` adds each backend's breaker and bulkhead gauges. With
    ``$PROMETHEUS_MULTIPROC_DIR`` set, a scrape sums the counters of every
    process writing to that directory (read from the environment, as
    prometheus_client itself decides where values live by it)."""

    batches = True

    def __init__(
        self,
        config: Config,
        *,
        health: HealthBoard | None = None,
        counting_on: MetricsObserver | None = None,
    ) -> None:
        """``counting_on``: the observer of the config this one replaces (a
        reload): its counts go on here."""
        self.registry = CollectorRegistry()
        labels = CallLabels(config)
        prices = PriceTable(config.prices) if config.prices else None
        self._live: dict[str, CallRecord] = {}
        multiprocess_dir = os.environ.get(MULTIPROC_ENV) or None
        live = _LiveCollector(self._live, health, pid=os.getpid() if multiprocess_dir else None)
        self._scraped = self.registry
        self._count: Callable[[CallRecord], None]
        self.tally: Tally | None = None
        """The in-process counts (None when they live in PROMETHEUS_MULTIPROC_DIR)."""
        if multiprocess_dir:
            # The counters write to the directory (prometheus_client picks its
            # value store from the environment); a scrape reads every file.
            self._count = _SharedCounts(labels, prices, self.registry).count
            self._scraped = CollectorRegistry()
            MultiProcessCollector(self._scraped, multiprocess_dir)  # type: ignore[no-untyped-call]
        else:
            before = counting_on.tally if counting_on is not None else None
            tally = Tally(labels, prices, BUCKETS, counting_on=before)
            self.tally = tally
            self.registry.register(tally)
            self._count = tally.count
        self._scraped.register(live)

    def started(self, record: CallRecord) -> None:
        self._live[record.request_id] = record

    def ended(self, record: CallRecord) -> None:
        self._live.pop(record.request_id, None)
        self._count(record)

    def exposition(self) -> bytes:
        """The text exposition format (:data:`prometheus_client.CONTENT_TYPE_LATEST`).

        Call it on the event loop: the breakers it reads are not thread-safe."""
        return generate_latest(self._scraped)


class _SharedCounts:
    """prometheus_client's metric objects, whose values live where its value
    store puts them (with several workers, each one's file in the shared
    directory); the same series as :class:`~lip.observe.tally.Tally`."""

    def __init__(
        self, labels: CallLabels, prices: PriceTable | None, registry: CollectorRegistry
    ) -> None:
        self._labels = labels
        self._prices = prices
        self._children: dict[tuple[object, ...], object] = {}

        def counter(series: Series) -> Counter:
            return Counter(*series, registry=registry)

        def histogram(series: Series) -> Histogram:
            return Histogram(*series, buckets=BUCKETS, registry=registry)

        self.http_requests = counter(HTTP_REQUESTS)
        self.requests = counter(REQUESTS)
        self.duration = histogram(DURATION)
        self.ttft = histogram(TTFT)
        self.attempts = counter(ATTEMPTS)
        self.tokens = counter(TOKENS)
        self.cost = counter(COST)

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

    def count(self, record: CallRecord) -> None:
        labels = self._labels
        status = labels.status_class(record.status)
        self._at(self.http_requests, labels.path_group(record), status).inc()
        protocol = record.protocol
        if protocol is None:
            return
        served = record.served_by
        backend = labels.backend(served)
        model = labels.model(served)
        outcome = labels.outcome(record.outcome)
        self._at(self.requests, protocol, backend, model, status, outcome).inc()
        if record.ended is not None:
            self._at(self.duration, protocol, backend, model).observe(record.ended)
        if record.first_output is not None:
            self._at(self.ttft, protocol, backend, model).observe(record.first_output)
        for attempt in record.attempts:
            ended = labels.outcome(attempt.outcome)
            self._at(self.attempts, labels.backend(attempt), ended).inc()
        self._count_usage(record, served, backend, model)

    def _count_usage(
        self, record: CallRecord, served: Attempt | None, backend: str, model: str
    ) -> None:
        usage = record.usage
        if usage is None:
            return
        client = self._labels.client(record.client)
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
        # A record whose reply is complete may still wait for its batch.
        records = [record for record in self._live.values() if record.ended is None]
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
