"""Benchmark results: the numbers of each measurement, the LIP-vs-direct
summary, the machine they were taken on, and two renderings (a plain-text
table for stdout, a JSON document for ``--json``) of the same numbers."""

from __future__ import annotations

import math
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from tests.bench.loadgen import LoadResult, percentile

__all__ = ["Machine", "Measurement", "Report", "machine_facts", "measurement", "render_table"]


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

    scenario: str  # ceiling | unary | stream
    target: str  # nullserver | emulator | direct | lip
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

    @property
    def error_count(self) -> int:
        """All failures in the window."""
        return sum(self.errors.values())


def measurement(
    scenario: str, target: str, concurrency: int, result: LoadResult, cpu_percent: dict[str, float]
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
    )


@dataclass(frozen=True)
class Report:
    """A whole run: settings, machine, measurements and the derived summary."""

    machine: Machine
    settings: dict[str, float | int | str]
    measurements: list[Measurement]
    wall_s: float

    def find(self, scenario: str, target: str, concurrency: int) -> Measurement | None:
        """The measurement of one scenario, target and concurrency, if run."""
        return next(
            (
                m
                for m in self.measurements
                if (m.scenario, m.target, m.concurrency) == (scenario, target, concurrency)
            ),
            None,
        )

    def summary(self) -> dict[str, float | None]:
        """LIP's added p50 latency at concurrency 1 (ms) and the LIP/direct
        throughput ratio of every scenario measured both ways."""
        out: dict[str, float | None] = {}
        one_direct, one_lip = self.find("unary", "direct", 1), self.find("unary", "lip", 1)
        if one_direct and one_lip:
            out["unary_c1_added_p50_ms"] = round(one_lip.p50_ms - one_direct.p50_ms, 3)
            out["unary_c1_added_p99_ms"] = round(one_lip.p99_ms - one_direct.p99_ms, 3)
        for m in self.measurements:
            if m.target != "direct":
                continue
            via = self.find(m.scenario, "lip", m.concurrency)
            if via is not None:
                ratio = via.rate / m.rate if m.rate else None
                out[f"{m.scenario}_c{m.concurrency}_throughput_ratio"] = (
                    round(ratio, 3) if ratio is not None else None
                )
        return out

    def to_json(self) -> dict[str, object]:
        """The report as JSON-ready data (NaN becomes null)."""
        data: dict[str, object] = {
            "machine": asdict(self.machine),
            "settings": self.settings,
            "wall_s": round(self.wall_s, 1),
            "measurements": [asdict(m) for m in self.measurements],
            "summary": self.summary(),
        }
        return {key: _finite(value) for key, value in data.items()}


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
    """The report as a plain-text table."""
    m, s = report.machine, report.settings
    lines = [
        "LIP loopback benchmark",
        f"  machine   {m.nproc} CPUs ({m.cpus_usable} usable), {m.cpu_model}; {m.platform}",
        f"  python    {m.python}; generator loop {m.generator_loop}; "
        + ", ".join(f"{k} {v}" for k, v in m.packages.items()),
        f"  settings  window {s['duration_s']} s after {s['warmup_s']} s warm-up, "
        f"cap {s['max_requests']} requests per run; {s['stream_chunks']}-chunk streams",
        "  cpu%      over the window, 100 = one core: gen = load generator, null/emu/lip = servers,",
        "            other = busy CPU outside the benchmark, steal = taken by the hypervisor",
        "",
    ]
    header = (
        f"  {'target':<11}{'conc':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   cpu%"
    )
    for title, scenario in (
        ("Generator ceiling: GET /healthz (nullserver = generator's own limit)", "ceiling"),
        ("Unary POST /v1/chat/completions (small request)", "unary"),
    ):
        rows = [x for x in report.measurements if x.scenario == scenario]
        if rows:
            lines += [title, header] + [_row(x) for x in rows] + [""]
    streams = [x for x in report.measurements if x.scenario == "stream"]
    if streams:
        lines += [
            f"Streaming POST /v1/chat/completions (stream: true, {s['stream_chunks']} content chunks verified per stream)",
            f"  {'target':<11}{'conc':>5}{'streams/s':>10}{'ttfb p50':>9}{'ttfb p99':>9}"
            f"{'total p50':>10}{'total p99':>10}{'errors':>8}   cpu%",
        ]
        lines += [_stream_row(x) for x in streams] + [""]
    lines.append("LIP vs direct")
    for key, value in report.summary().items():
        shown = (
            "n/a"
            if value is None
            else (f"{value:+.3f} ms" if key.endswith("_ms") else f"{value:.3f}")
        )
        lines.append(f"  {key:<34}{shown}")
    failures = [x for x in report.measurements if x.errors]
    for x in failures:
        lines.append(f"  errors {x.scenario}/{x.target}/c{x.concurrency}: {x.errors}")
    lines.append(f"\nwall time {report.wall_s:.1f} s")
    return "\n".join(lines)


def _row(x: Measurement) -> str:
    capped = " (capped)" if x.capped else ""
    return (
        f"  {x.target:<11}{x.concurrency:>5}{x.rate:>10.1f}{_f(x.p50_ms):>9}{_f(x.p99_ms):>9}"
        f"{x.error_count:>8}   {_cpu(x)}{capped}"
    )


def _stream_row(x: Measurement) -> str:
    return (
        f"  {x.target:<11}{x.concurrency:>5}{x.rate:>10.1f}{_f(x.ttfb_p50_ms):>9}{_f(x.ttfb_p99_ms):>9}"
        f"{_f(x.p50_ms):>10}{_f(x.p99_ms):>10}{x.error_count:>8}   {_cpu(x)}"
    )


def _cpu(x: Measurement) -> str:
    return " ".join(f"{name} {value:.0f}" for name, value in x.cpu_percent.items())


def _f(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.2f}"


def _ms(seconds: float) -> float:
    return seconds if math.isnan(seconds) else round(seconds * 1000.0, 3)


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
