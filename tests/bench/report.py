"""Benchmark results: the numbers of each measurement, their medians over
the repetitions, the comparisons derived from them (LIP vs direct, vs the
other gateways, failover vs one leg, more workers vs one, access control
and limits vs open access, observability on vs off), the machine they
were taken on, and two renderings (a plain-text table for stdout, a JSON
document for ``--json``) of the same numbers."""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from tests.bench.loadgen import LoadResult, percentile

__all__ = [
    "Cell",
    "Machine",
    "Measurement",
    "Report",
    "finite",
    "machine_facts",
    "measurement",
    "render_table",
]

GATEWAYS = ("lip", "litellm", "portkey")
"""Targets that proxy the upstream, in report order; ``direct`` calls it."""
_LABELS = {
    "direct": "direct",
    "lip": "LIP",
    "litellm": "LiteLLM",
    "portkey": "Portkey",
    "lip-1leg": "LIP, 1 leg",
    "lip-3legs": "LIP, 3 legs (2 refused)",
    "lip-race2": "LIP, 2-way race",
    "lip-limits": "LIP, key+limits",
    "lip-auth": "LIP, key+limits+budget",
    "lip-obs": "LIP, metrics+traces+log",
}
_ACCESS_LABELS = {"lip": "LIP, open access"}
"""Labels of the access point's rows, where plain "LIP" would be ambiguous."""
_OBSERVABILITY_LABELS = {"lip": "LIP, observability off"}
"""Labels of the observability point's rows."""
WRK_SCENARIO = "unary-wrk"
"""The workers point measured again with wrk (:mod:`tests.bench.wrk`)."""
STREAM_FEATURES = "stream-features"
"""The streaming point again, on LIP and on LIP with features on only, back
to back: where the features' streaming ratios (``stream_c16_...``) come from."""
_STREAM_FEATURE_LABELS = {"lip": "LIP, features off"}
ACCESS_COST_TARGET = 0.10
"""The throughput share access control and limits may cost (a ratio above 0.9;
a budget on top is reported, with no target of its own)."""
OBSERVABILITY_COST_TARGET = 0.10
"""The throughput share metrics, tracing and the access log may cost (a ratio above 0.9)."""


@dataclass(frozen=True)
class Machine:
    """Where the numbers come from."""

    nproc: int
    cpus_usable: int
    cpu_model: str
    python: str
    platform: str
    generator_loop: str
    packages: dict[str, str]


@dataclass(frozen=True)
class Measurement:
    """One load run. Rates are per second over the measured window;
    latencies in milliseconds; ``cpu_percent`` is per process, 100 = one
    core busy for the whole window."""

    scenario: str  # ceiling | unary | stream | stream-features | failover | access | observability
    target: str
    """null | mock | emu | direct | lip | lip-wN | lip-auth | lip-obs | litellm |
    portkey | lip-1leg | lip-3legs | lip-race2"""
    concurrency: int
    window_s: float
    completed: int
    errors: dict[str, int]
    rate: float
    p50_ms: float
    p99_ms: float
    ttfb_p50_ms: float
    ttfb_p99_ms: float
    capped: bool
    cpu_percent: dict[str, float] = field(default_factory=dict)
    server: str = ""
    """The process that answered the client (a key of ``cpu_percent``)."""
    rep: int = 0
    """Which repetition (0-based) this window belongs to."""

    @property
    def error_count(self) -> int:
        """All failures in the window."""
        return sum(self.errors.values())

    @property
    def cpu_ms_per_request(self) -> float:
        """CPU milliseconds the answering server spent per good reply (nan if none)."""
        percent = self.cpu_percent.get(self.server)
        if percent is None or not self.completed:
            return math.nan
        return percent / 100.0 * self.window_s * 1000.0 / self.completed


def measurement(
    scenario: str,
    target: str,
    concurrency: int,
    result: LoadResult,
    cpu_percent: dict[str, float],
    *,
    server: str = "",
    rep: int = 0,
) -> Measurement:
    """Summarise a :class:`LoadResult` (seconds) as a :class:`Measurement` (ms)."""
    return Measurement(
        scenario=scenario,
        target=target,
        concurrency=concurrency,
        window_s=round(result.elapsed_s, 3),
        completed=result.completed,
        errors=dict(sorted(result.errors.items())),
        rate=round(result.completed / result.elapsed_s, 1),
        p50_ms=_ms(percentile(result.latencies, 0.50)),
        p99_ms=_ms(percentile(result.latencies, 0.99)),
        ttfb_p50_ms=_ms(percentile(result.ttfbs, 0.50)),
        ttfb_p99_ms=_ms(percentile(result.ttfbs, 0.99)),
        capped=result.capped,
        cpu_percent={name: round(value, 1) for name, value in cpu_percent.items()},
        server=server,
        rep=rep,
    )


@dataclass(frozen=True)
class Cell:
    """One scenario, target and concurrency over every repetition: the median
    of each figure (rates, latencies, CPU per request); errors are summed."""

    scenario: str
    target: str
    concurrency: int
    reps: int
    rate: float
    p50_ms: float
    p99_ms: float
    ttfb_p50_ms: float
    ttfb_p99_ms: float
    cpu_ms_per_request: float
    errors: dict[str, int]
    capped: bool

    @property
    def error_count(self) -> int:
        """All failures over every repetition."""
        return sum(self.errors.values())


def _median(values: Sequence[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return statistics.median(finite) if finite else math.nan


def _cell(runs: Sequence[Measurement]) -> Cell:
    first = runs[0]
    errors: dict[str, int] = {}
    for run in runs:
        for label, count in run.errors.items():
            errors[label] = errors.get(label, 0) + count

    def med(get: Callable[[Measurement], float]) -> float:
        return round(_median([get(run) for run in runs]), 3)

    return Cell(
        scenario=first.scenario,
        target=first.target,
        concurrency=first.concurrency,
        reps=len(runs),
        rate=med(lambda m: m.rate if m.completed else math.nan),
        p50_ms=med(lambda m: m.p50_ms),
        p99_ms=med(lambda m: m.p99_ms),
        ttfb_p50_ms=med(lambda m: m.ttfb_p50_ms),
        ttfb_p99_ms=med(lambda m: m.ttfb_p99_ms),
        cpu_ms_per_request=med(lambda m: m.cpu_ms_per_request),
        errors=dict(sorted(errors.items())),
        capped=any(run.capped for run in runs),
    )


@dataclass(frozen=True)
class Report:
    """A whole run: settings, machine, measurements and the derived summary.

    ``peers`` names each other gateway that ran (``{"litellm": "1.106.2 (1
    uvicorn worker)"}``); ``rss`` holds each server's resident set size in
    bytes, ``{"lip": {"started": ..., "loaded": ...}}``; ``unavailable``
    explains points that were not measured (``{"race": "races not
    implemented"}``, ``{"access": "not asked for (--no-access)"}``,
    ``{"observability": ...}``)."""

    machine: Machine
    settings: dict[str, float | int | str]
    measurements: list[Measurement]
    wall_s: float
    peers: dict[str, str] = field(default_factory=dict)
    rss: dict[str, dict[str, int | None]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)

    def cells(self) -> list[Cell]:
        """Medians per (scenario, target, concurrency), in measurement order."""
        groups: dict[tuple[str, str, int], list[Measurement]] = {}
        for m in self.measurements:
            groups.setdefault((m.scenario, m.target, m.concurrency), []).append(m)
        return [_cell(runs) for runs in groups.values()]

    def find(self, scenario: str, target: str, concurrency: int) -> Cell | None:
        """The cell of one scenario, target and concurrency, if measured."""
        return next(
            (
                c
                for c in self.cells()
                if (c.scenario, c.target, c.concurrency) == (scenario, target, concurrency)
            ),
            None,
        )

    def summary(self) -> dict[str, float | None]:
        """Added p50 over direct at concurrency 1, throughput ratios of LIP
        over direct and over each peer, failover over one leg, more workers
        over one, access control with limits over open access, and
        observability on over off (medians of the repetitions)."""
        out: dict[str, float | None] = {}
        concurrencies = sorted({c.concurrency for c in self.cells() if c.scenario == "unary"})
        low = concurrencies[0] if concurrencies else 1
        direct = self.find("unary", "direct", low)
        for target in GATEWAYS:
            via = self.find("unary", target, low)
            if direct and via:
                out[f"unary_c{low}_added_p50_ms_{target}"] = _diff(via.p50_ms, direct.p50_ms)
        for cell in self.cells():
            if cell.target != "lip" or cell.scenario not in ("unary", "stream"):
                continue
            prefix = f"{cell.scenario}_c{cell.concurrency}_throughput"
            for other in ("direct", "litellm", "portkey"):
                base = self.find(cell.scenario, other, cell.concurrency)
                if base is not None:
                    out[f"{prefix}_lip_over_{other}"] = _ratio(cell.rate, base.rate)
        out.update(self._failover_summary())
        out.update(self._workers_summary())
        out.update(self._feature_summary("access", "lip-limits", "limits", "open"))
        out.update(self._feature_summary("access", "lip-auth", "auth", "open"))
        out.update(self._feature_summary("observability", "lip-obs", "obs", "plain"))
        return out

    def _feature_summary(
        self, scenario: str, target: str, name: str, base_name: str
    ) -> dict[str, float | None]:
        """``target`` (LIP with a feature on) over LIP without it: throughput
        ratio (``..._throughput_{name}_over_{base_name}``), added CPU per
        request and added p50, at ``scenario``'s point and for streams (the
        ``stream-features`` point, named ``stream_...``)."""
        out: dict[str, float | None] = {}
        for point in (scenario, STREAM_FEATURES):
            for cell in self.cells():
                if cell.scenario != point or cell.target != target:
                    continue
                base = self.find(point, "lip", cell.concurrency)
                if base is None:
                    continue
                streams = point == STREAM_FEATURES
                key = f"{'stream' if streams else point}_c{cell.concurrency}"
                unit = "stream" if streams else "req"
                out[f"{key}_throughput_{name}_over_{base_name}"] = _ratio(cell.rate, base.rate)
                out[f"{key}_added_cpu_ms_per_{unit}_{name}"] = _diff(
                    cell.cpu_ms_per_request, base.cpu_ms_per_request
                )
                out[f"{key}_added_p50_ms_{name}"] = _diff(cell.p50_ms, base.p50_ms)
        return out

    def _failover_summary(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for one in (c for c in self.cells() if c.scenario == "failover" and c.target == "lip-1leg"):
            three = self.find("failover", "lip-3legs", one.concurrency)
            if three is not None:
                key = f"failover_c{one.concurrency}"
                out[f"{key}_throughput_3legs_over_1leg"] = _ratio(three.rate, one.rate)
                out[f"{key}_added_p50_ms"] = _diff(three.p50_ms, one.p50_ms)
        return out

    def _workers_summary(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for cell in self.cells():
            workers = _workers(cell.target)
            if cell.scenario not in ("unary", WRK_SCENARIO) or workers is None:
                continue
            single = self.find(cell.scenario, "lip", cell.concurrency)
            if single is not None:
                point = "unary" if cell.scenario == "unary" else "unary_wrk"
                key = f"{point}_c{cell.concurrency}_throughput_{workers}workers_over_1worker"
                out[key] = _ratio(cell.rate, single.rate)
        return out

    def to_json(self) -> dict[str, object]:
        """The report as JSON-ready data (NaN becomes null)."""
        data: dict[str, object] = {
            "machine": asdict(self.machine),
            "settings": self.settings,
            "peers": self.peers,
            "wall_s": round(self.wall_s, 1),
            "medians": [asdict(c) for c in self.cells()],
            "summary": self.summary(),
            "rss_bytes": self.rss,
            "unavailable": self.unavailable,
            "measurements": [asdict(m) for m in self.measurements],
        }
        return {key: finite(value) for key, value in data.items()}


def _ratio(value: float, base: float) -> float | None:
    if math.isnan(value) or math.isnan(base) or not base:
        return None
    return round(value / base, 3)


def _diff(value: float, base: float) -> float | None:
    return None if math.isnan(value) or math.isnan(base) else round(value - base, 3)


def _workers(target: str) -> int | None:
    """N for a ``lip-wN`` target (LIP with ``--workers N``), else None."""
    if target.startswith("lip-w") and target[5:].isdigit():
        return int(target[5:])
    return None


def machine_facts(generator_loop: str) -> Machine:
    """CPU count, CPU model, Python and the versions of the serving stack."""
    packages = {}
    for name in ("uvicorn", "uvloop", "httptools", "starlette", "httpx", "pydantic"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "-"
    return Machine(
        nproc=os.cpu_count() or 0,
        cpus_usable=len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count() or 0,
        cpu_model=_cpu_model(),
        python=f"{platform.python_implementation()} {platform.python_version()}",
        platform=f"{sys.platform} {platform.machine()} {platform.release()}",
        generator_loop=generator_loop,
        packages=packages,
    )


def render_table(report: Report) -> str:
    """The report as plain-text tables (medians of the repetitions)."""
    cells = report.cells()
    lines = _preamble(report)
    ceiling = [c for c in cells if c.scenario == "ceiling"]
    if ceiling:
        lines += [
            "Generator ceiling: GET /healthz (null = the generator's own limit)",
            _UNARY_HEADER,
            *(_unary_row(c, None) for c in ceiling),
            "",
        ]
    unary = [c for c in cells if c.scenario == "unary"]
    if unary:
        lines += ["Unary POST /v1/chat/completions (small request)", _UNARY_HEADER]
        lines += [_unary_row(c, report.find("unary", "direct", c.concurrency)) for c in unary]
        if "workers" in report.unavailable:
            lines.append(f"  {'LIP --workers':<26}n/a ({report.unavailable['workers']})")
        lines.append("")
    streams = [c for c in cells if c.scenario == "stream"]
    if streams:
        chunks = report.settings.get("stream_chunks", "?")
        lines += [
            f"Streaming POST /v1/chat/completions (stream: true, {chunks} content chunks "
            "verified per stream)",
            _STREAM_HEADER,
            *(_stream_row(c) for c in streams),
            "",
        ]
    features = [c for c in cells if c.scenario == STREAM_FEATURES]
    if features:
        lines += [
            "Streaming, LIP with features off against LIP with them on (the same point, "
            "measured back to back)",
            _STREAM_HEADER,
            *(_stream_row(c, _STREAM_FEATURE_LABELS.get(c.target)) for c in features),
            "",
        ]
    lines += _wrk_lines(report, cells)
    lines += _routing_lines(report, cells)
    lines += _access_lines(report, cells)
    lines += _observability_lines(report, cells)
    lines += _rss_lines(report)
    lines += _summary_lines(report)
    for c in (c for c in cells if c.errors):
        lines.append(f"  errors {c.scenario}/{c.target}/c{c.concurrency}: {c.errors}")
    lines.append(f"\nwall time {report.wall_s:.1f} s")
    return "\n".join(lines)


_UNARY_HEADER = (
    f"  {'target':<26}{'conc':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'+p50 ms':>9}"
    f"{'cpu ms/req':>11}{'errors':>8}"
)
_STREAM_HEADER = (
    f"  {'target':<26}{'conc':>5}{'streams/s':>10}{'ttfb p50':>9}{'ttfb p99':>9}"
    f"{'total p50':>10}{'total p99':>10}{'cpu ms/str':>11}{'errors':>8}"
)


def _preamble(report: Report) -> list[str]:
    m, s = report.machine, report.settings
    peers = ", ".join(f"{_label(k)} {v}" for k, v in report.peers.items()) or "none (--peers)"
    return [
        "LIP loopback benchmark",
        f"  machine   {m.nproc} CPUs ({m.cpus_usable} usable), {m.cpu_model}; {m.platform}",
        f"  python    {m.python}; generator loop {m.generator_loop}; "
        + ", ".join(f"{k} {v}" for k, v in m.packages.items()),
        f"  upstream  {s.get('upstream', '?')}; peers: {peers}",
        f"  settings  window {s['duration_s']} s after {s['warmup_s']} s warm-up, "
        f"cap {s['max_requests']} requests per run; {s.get('repeat', 1)} repetitions "
        "interleaved, medians shown",
        f"  logs      the servers' logs (lip-obs's access lines too) in {s.get('logs', '?')}",
        "  columns   +p50 = added over direct (over 1 leg for failover); cpu ms/req = CPU of the",
        "            answering server per good reply (direct: the upstream's own cost)",
        *_outside_load(report),
        "",
    ]


def _outside_load(report: Report) -> list[str]:
    """How busy the machine was outside the benchmark (other jobs, steal)."""
    other = [m.cpu_percent["other"] for m in report.measurements if "other" in m.cpu_percent]
    steal = [m.cpu_percent["steal"] for m in report.measurements if "steal" in m.cpu_percent]
    if not other:
        return []
    line = (
        f"  outside   CPU busy outside the benchmark per window: median {_median(other):.0f}%, "
        f"max {max(other):.0f}% of a core"
    )
    if steal:
        line += f"; steal median {_median(steal):.0f}%"
    return [line]


def _label(target: str) -> str:
    workers = _workers(target)
    if workers is not None:
        return f"LIP --workers {workers}"
    return _LABELS.get(target, target)


def _unary_row(c: Cell, base: Cell | None, label: str | None = None) -> str:
    capped = " (capped)" if c.capped else ""
    added = _diff(c.p50_ms, base.p50_ms) if base is not None and base.target != c.target else None
    shown = "-" if added is None else f"{added:+.2f}"
    return (
        f"  {label or _label(c.target):<26}{c.concurrency:>5}{_f(c.rate, 1):>10}{_f(c.p50_ms):>9}"
        f"{_f(c.p99_ms):>9}{shown:>9}{_f(c.cpu_ms_per_request, 3):>11}{c.error_count:>8}{capped}"
    )


def _stream_row(c: Cell, label: str | None = None) -> str:
    return (
        f"  {label or _label(c.target):<26}{c.concurrency:>5}{_f(c.rate, 1):>10}{_f(c.ttfb_p50_ms):>9}"
        f"{_f(c.ttfb_p99_ms):>9}{_f(c.p50_ms):>10}{_f(c.p99_ms):>10}"
        f"{_f(c.cpu_ms_per_request, 3):>11}{c.error_count:>8}"
    )


def _wrk_lines(report: Report, cells: Sequence[Cell]) -> list[str]:
    rows = [c for c in cells if c.scenario == WRK_SCENARIO]
    title = "Workers, load from wrk -t1 (a C generator; statuses checked, not bodies)"
    if not rows:
        why = report.unavailable.get(WRK_SCENARIO)
        return [] if why is None else [title, f"  n/a ({why})", ""]
    lines = [title, _UNARY_HEADER]
    for c in rows:
        lines.append(_unary_row(c, None))
    return [*lines, ""]


def _routing_lines(report: Report, cells: Sequence[Cell]) -> list[str]:
    failover = [c for c in cells if c.scenario == "failover"]
    if not failover:
        return []
    conc = failover[0].concurrency
    lines = [f"Routing overhead: LIP, unary, concurrency {conc}", _UNARY_HEADER]
    for c in failover:
        base = report.find("failover", "lip-1leg", c.concurrency)
        lines.append(_unary_row(c, base))
    if "race" in report.unavailable:
        lines.append(f"  {'LIP, 2-way race':<26}n/a ({report.unavailable['race']})")
    return [*lines, ""]


def _access_lines(report: Report, cells: Sequence[Cell]) -> list[str]:
    return _feature_lines(
        report,
        cells,
        _Feature(
            scenario="access",
            costs=(
                ("lip-limits", "limits", ACCESS_COST_TARGET),
                ("lip-auth", "auth", None),
            ),
            base_name="open",
            title="Access control + limits: LIP, unary, concurrency {conc}; open access against "
            "lip-limits (same config, keys mode: one key with rpm/tpm/concurrency limits) and "
            "lip-auth (the same plus a budget)",
            labels=_ACCESS_LABELS,
        ),
    )


def _observability_lines(report: Report, cells: Sequence[Cell]) -> list[str]:
    return _feature_lines(
        report,
        cells,
        _Feature(
            scenario="observability",
            costs=(("lip-obs", "obs", OBSERVABILITY_COST_TARGET),),
            base_name="plain",
            title="Observability: LIP, unary, concurrency {conc}; off against lip-obs (same "
            "config, metrics + tracing with OTEL_TRACES_EXPORTER=none + JSON access log)",
            labels=_OBSERVABILITY_LABELS,
        ),
    )


@dataclass(frozen=True)
class _Feature:
    """A point comparing LIP with features on to plain LIP: ``costs`` names
    each such target, its summary name and its cost target (None: none)."""

    scenario: str
    costs: tuple[tuple[str, str, float | None], ...]
    base_name: str
    title: str
    labels: dict[str, str]


def _feature_lines(report: Report, cells: Sequence[Cell], feature: _Feature) -> list[str]:
    rows = [c for c in cells if c.scenario == feature.scenario]
    if not rows and feature.scenario not in report.unavailable:
        return []
    conc = (
        rows[0].concurrency if rows else report.settings.get(f"{feature.scenario}_concurrency", "?")
    )
    lines = [feature.title.format(conc=conc)]
    if rows:
        lines.append(_UNARY_HEADER)
    for c in rows:
        base = report.find(feature.scenario, "lip", c.concurrency)
        lines.append(_unary_row(c, base, feature.labels.get(c.target)))
    if feature.scenario in report.unavailable:
        why = report.unavailable[feature.scenario]
        lines.append(f"  {_label(feature.costs[-1][0]):<26}n/a ({why})")
    summary = report.summary()
    for target, name, target_cost in feature.costs:
        for cell in (c for c in rows if c.target == target):
            key = f"{feature.scenario}_c{cell.concurrency}"
            ratio = summary.get(f"{key}_throughput_{name}_over_{feature.base_name}")
            cpu = summary.get(f"{key}_added_cpu_ms_per_req_{name}")
            if ratio is None:
                continue
            cost = 1.0 - ratio
            added = "" if cpu is None else f", {cpu:+.3f} ms CPU per request"
            verdict = ""
            if target_cost is not None:
                within = "within" if cost < target_cost else "over"
                verdict = f" ({within} the {target_cost:.0%} target)"
            lines.append(f"  cost of {_label(target)}: {cost:+.1%} of throughput{added}{verdict}")
    return [*lines, ""]


def _rss_lines(report: Report) -> list[str]:
    if not report.rss:
        return []
    lines = [
        "Memory: VmRSS (MiB, process and its workers)",
        f"  {'server':<26}{'started':>9}{'loaded':>9}",
    ]
    for name, sizes in report.rss.items():
        started, loaded = (_mib(sizes.get(k)) for k in ("started", "loaded"))
        lines.append(f"  {_label(name):<26}{started:>9}{loaded:>9}")
    return [*lines, ""]


def _summary_lines(report: Report) -> list[str]:
    lines = ["Summary (medians; ratios are throughput, >1 = the first named is faster)"]
    for key, value in report.summary().items():
        if value is None:
            shown = "n/a"
        elif "_ms" in key:
            shown = f"{value:+.3f} ms"
        else:
            shown = f"{value:.3f}"
        lines.append(f"  {key:<52}{shown}")
    return lines


def _mib(size: int | None) -> str:
    return "-" if size is None else f"{size / 2**20:.0f}"


def _f(value: float, digits: int = 2) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _ms(seconds: float) -> float:
    return seconds if math.isnan(seconds) else round(seconds * 1000.0, 3)


def finite(value: object) -> object:
    """``value`` with non-finite floats as ``None`` (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
