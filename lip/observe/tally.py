"""The series a finished call moves, and :class:`Tally`, which counts them in
process and renders them at scrape time.

:data:`HTTP_REQUESTS` ... :data:`COST` name each counter and histogram (name,
HELP text, label names) and :class:`~lip.observe.labels.CallLabels` turns a record into label
values for both backends of :class:`~lip.observe.MetricsObserver`, so they
expose the same series: :class:`Tally` in a single process, prometheus_client's
metric objects when workers share a ``PROMETHEUS_MULTIPROC_DIR``.

A :class:`Tally` keeps a cell per label-value tuple of each series (a counter's
value; a histogram's bucket counts and sum; each with its creation time) and
renders them as the samples prometheus_client's ``Counter`` and ``Histogram``
would (``_total``; cumulative ``_bucket`` counts up to ``+Inf``, ``_count``,
``_sum``; ``_created``). Cells are never dropped: :class:`CallLabels` bounds
their number (``client`` has a value per key id or OIDC subject that called,
as with prometheus_client). Calls end and scrapes run on the event loop (a
:class:`Tally` is not thread-safe).
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple, TypeVar

from prometheus_client import metrics as _client_metrics
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString

from lip.continuity import Attempt, CallRecord, Outcome
from lip.limits import PriceTable
from lip.observe.labels import CallLabels

_K = TypeVar("_K")
_V = TypeVar("_V")
_CACHE = 10_000
_TOKEN_KINDS: Final = ("input", "output", "cached_input", "cache_creation_input", "reasoning")
_COST = len(_TOKEN_KINDS)  # a usage cell list's last: the cost cell


class Series(NamedTuple):
    """A metric's name (without ``_total``), HELP text and label names."""

    name: str
    doc: str
    labels: tuple[str, ...]


_CALL_LABELS = ("protocol", "backend", "model")
HTTP_REQUESTS: Final = Series(
    "lip_http_requests",
    "HTTP requests answered, by route group and status class.",
    ("path_group", "status_class"),
)
REQUESTS: Final = Series(
    "lip_requests",
    "Generate calls, by client protocol, serving backend and model, status class and outcome.",
    (*_CALL_LABELS, "status_class", "outcome"),
)
DURATION: Final = Series(
    "lip_request_duration_seconds",
    "Generate calls: seconds from the request to the reply's last byte.",
    _CALL_LABELS,
)
TTFT: Final = Series(
    "lip_time_to_first_token_seconds",
    "Generate calls: seconds from the request to the first output.",
    _CALL_LABELS,
)
ATTEMPTS: Final = Series(
    "lip_upstream_attempts",
    "Upstream attempts, by backend and how they ended.",
    ("backend", "outcome"),
)
TOKENS: Final = Series(
    "lip_tokens",
    "Tokens the replies reported, by backend, model, client and kind.",
    ("backend", "model", "client", "kind"),
)
COST: Final = Series(
    "lip_cost_usd",
    "What the replies cost in USD, from the configured prices.",
    ("backend", "model", "client"),
)


Cell = list[float]
"""A counter's ``[value, created]``; a histogram's bucket counts (the last
one ``+Inf``), then ``sum`` and ``created``."""


class Counts:
    """One counter series: a cell per label-value tuple."""

    def __init__(self, series: Series) -> None:
        self.series = series
        self.cells: dict[tuple[str, ...], Cell] = {}

    def cell(self, key: tuple[str, ...]) -> Cell:
        """The cell of ``key``'s label values, created at zero when new."""
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = [0, time.time()]
        return cell

    def family(self, created: bool) -> Metric:
        name, doc, labels = self.series
        family = CounterMetricFamily(name, doc, labels=labels)
        for key, (value, at) in list(self.cells.items()):
            family.add_metric(key, value, created=at if created else None)
        return family


class Buckets:
    """One histogram series: a cell per label-value tuple. A value lands in the
    first bucket whose upper bound it does not exceed (``le``)."""

    def __init__(self, series: Series, bounds: Sequence[float]) -> None:
        self.series = series
        self.bounds = tuple(bounds)
        self.sum = len(self.bounds) + 1
        """Where a cell keeps its sum (its buckets come first, ``+Inf`` last)."""
        self.cells: dict[tuple[str, ...], Cell] = {}
        les = [floatToGoString(b) for b in self.bounds]  # type: ignore[no-untyped-call]
        self._les = [*les, "+Inf"]

    def cell(self, key: tuple[str, ...]) -> Cell:
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = [*(0 for _ in range(self.sum)), 0.0, time.time()]
        return cell

    def family(self, created: bool) -> Metric:
        name, doc, labels = self.series
        family = HistogramMetricFamily(name, doc, labels=labels)
        for key, cell in list(self.cells.items()):
            count = 0.0
            buckets: list[tuple[str, float]] = []
            for le, n in zip(self._les, cell, strict=False):
                count += n
                buckets.append((le, count))
            family.add_metric(key, buckets, cell[self.sum])
            if created:
                family.add_sample(f"{name}_created", dict(zip(labels, key, strict=True)), cell[-1])
        return family


class _Call:
    """The cells one kind of generate call moves (for one client); its
    histogram, token and cost cells are looked up when first moved (a series
    appears with its first value)."""

    __slots__ = (
        "attempt",
        "backend",
        "duration",
        "http",
        "model",
        "priced",
        "requests",
        "series",
        "ttft",
        "usage",
    )

    def __init__(
        self, http: Cell, requests: Cell, series: tuple[str, str, str], attempt: Cell | None
    ) -> None:
        self.http = http
        self.requests = requests
        self.series = series
        self.backend = series[1]
        self.model = series[2]
        self.attempt = attempt
        """The attempts counter's cell of a call that made one attempt."""
        self.priced: str | None = None
        """The model name the prices know the serving attempt by."""
        self.duration: Cell | None = None
        self.ttft: Cell | None = None
        self.usage: list[Cell | None] = [None] * (_COST + 1)
        """The token cells by kind, then the cost cell."""


class Tally:
    """Counts finished calls in process; a collector rendering them at scrape time.

    :meth:`count` finds a record's cells from its raw values (protocol, status,
    outcome, the serving attempt's backend and models, the client) through
    bounded caches; a cell outlives any cache entry pointing at it."""

    def __init__(
        self,
        labels: CallLabels,
        prices: PriceTable | None,
        bounds: Sequence[float],
        *,
        counting_on: Tally | None = None,
    ) -> None:
        """``counting_on``: a tally whose counts this one adds to (a reloaded
        config's), so that no counter starts over; a cell found by its labels
        is shared."""
        self._labels = labels
        self._prices = prices
        if counting_on is None:
            self.http_requests, self.requests = Counts(HTTP_REQUESTS), Counts(REQUESTS)
            self.duration, self.ttft = Buckets(DURATION, bounds), Buckets(TTFT, bounds)
            self.attempts, self.tokens, self.cost = Counts(ATTEMPTS), Counts(TOKENS), Counts(COST)
        else:  # the same bounds: BUCKETS
            before = counting_on
            self.http_requests, self.requests = before.http_requests, before.requests
            self.duration, self.ttft = before.duration, before.ttft
            self.attempts, self.tokens, self.cost = before.attempts, before.tokens, before.cost
        self._bounds = self.duration.bounds
        self._calls: dict[tuple[object, ...], _Call] = {}
        self._others: dict[tuple[str, int | None], Cell] = {}
        self._attempts: dict[tuple[str, Outcome | None], Cell] = {}

    def collect(self) -> Iterable[Metric]:
        created = bool(getattr(_client_metrics, "_use_created", True))
        for series in (self.http_requests, self.requests, self.duration, self.ttft):
            yield series.family(created)
        for series in (self.attempts, self.tokens, self.cost):
            yield series.family(created)

    def count(self, record: CallRecord) -> None:
        """Adds a finished call (a generate call or any other request)."""
        protocol = record.protocol
        if protocol is None:
            key = (record.path, record.status)
            cell = self._others.get(key) or self._other(record, key)
            cell[0] += 1
            return
        attempts = record.attempts
        lone: Attempt | None
        if len(attempts) == 1:  # most calls: no walk for the serving attempt
            lone = attempts[0]
            served = lone if lone.first_output is not None else None
        else:
            lone = served = None
            for attempt in reversed(attempts):
                if attempt.first_output is not None:
                    served = attempt
                    break
        # One look-up per call: everything its cells depend on, flat.
        ck = (
            protocol,
            record.status,
            record.outcome,
            None if served is None else served.backend_id,
            None if served is None else served.model,
            None if served is None else served.upstream_model,
            record.client,
            None if lone is None else lone.backend_id,
            None if lone is None else lone.outcome,
        )
        call = self._calls.get(ck) or self._call(protocol, record, served, lone, ck)
        call.http[0] += 1
        call.requests[0] += 1
        bounds = self._bounds
        seconds = record.ended
        if seconds is not None:
            cell = call.duration or self._observed(call, self.duration)
            cell[bisect_left(bounds, seconds)] += 1
            cell[-2] += seconds  # the sum (Buckets.sum), read as a constant
        seconds = record.first_output
        if seconds is not None:
            cell = call.ttft or self._observed(call, self.ttft)
            cell[bisect_left(bounds, seconds)] += 1
            cell[-2] += seconds
        if call.attempt is not None:
            call.attempt[0] += 1
        else:
            tried = self._attempts
            for attempt in attempts:
                leg = (attempt.backend_id, attempt.outcome)
                (tried.get(leg) or self._attempt(attempt, leg))[0] += 1
        usage = record.usage
        if usage is None:
            return
        cells = call.usage
        # By kind, in _TOKEN_KINDS' order; written out, as this runs per call.
        if n := usage.input_tokens:
            (cells[0] or self._tokens_cell(call, 0, record.client))[0] += n
        if n := usage.output_tokens:
            (cells[1] or self._tokens_cell(call, 1, record.client))[0] += n
        if n := usage.cached_input_tokens:
            (cells[2] or self._tokens_cell(call, 2, record.client))[0] += n
        if n := usage.cache_creation_input_tokens:
            (cells[3] or self._tokens_cell(call, 3, record.client))[0] += n
        if n := usage.reasoning_tokens:
            (cells[4] or self._tokens_cell(call, 4, record.client))[0] += n
        if call.priced is not None and self._prices is not None:
            cost = cells[_COST] or self._cost_cell(call, record.client)
            cost[0] += self._prices.cost(call.priced, usage)

    def _other(self, record: CallRecord, key: tuple[str, int | None]) -> Cell:
        labels = self._labels
        cell = self.http_requests.cell(
            (labels.path_group(record), labels.status_class(record.status))
        )
        _remember(self._others, key, cell)
        return cell

    def _call(
        self,
        protocol: str,
        record: CallRecord,
        served: Attempt | None,
        lone: Attempt | None,
        key: tuple[object, ...],
    ) -> _Call:
        labels = self._labels
        status = labels.status_class(record.status)
        series = (protocol, labels.backend(served), labels.model(served))
        call = _Call(
            self.http_requests.cell(("generate", status)),
            self.requests.cell((*series, status, labels.outcome(record.outcome))),
            series,
            None if lone is None else self._attempt(lone, (lone.backend_id, lone.outcome)),
        )
        prices = self._prices
        if prices is not None and served is not None:
            # Priced by the name the client routed to, else the upstream's own
            # name (a model_map alias may be priced under either).
            names = (served.model, served.upstream_model)
            call.priced = next((m for m in names if prices.price(m)), None)
        _remember(self._calls, key, call)
        return call

    def _observed(self, call: _Call, buckets: Buckets) -> Cell:
        cell = buckets.cell(call.series)
        if buckets is self.duration:
            call.duration = cell
        else:
            call.ttft = cell
        return cell

    def _attempt(self, attempt: Attempt, key: tuple[str, Outcome | None]) -> Cell:
        labels = self._labels
        cell = self.attempts.cell((labels.backend(attempt), labels.outcome(attempt.outcome)))
        _remember(self._attempts, key, cell)
        return cell

    def _tokens_cell(self, call: _Call, i: int, client: str | None) -> Cell:
        key = (call.backend, call.model, self._labels.client(client), _TOKEN_KINDS[i])
        cell = call.usage[i] = self.tokens.cell(key)
        return cell

    def _cost_cell(self, call: _Call, client: str | None) -> Cell:
        key = (call.backend, call.model, self._labels.client(client))
        cell = call.usage[_COST] = self.cost.cell(key)
        return cell


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> None:
    if len(cache) >= _CACHE:
        cache.clear()
    cache[key] = value


__all__ = [
    "ATTEMPTS",
    "COST",
    "DURATION",
    "HTTP_REQUESTS",
    "REQUESTS",
    "TOKENS",
    "TTFT",
    "Series",
    "Tally",
]
