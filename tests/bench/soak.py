"""Soak benchmark: LIP's memory over a long mixed load and after a burst of streams.

Run ``python -m tests.bench.soak`` (``tox -e soak``) from the repository
root. It starts the OpenAI Chat emulator and LIP (``lip serve --config``)
as subprocesses on free 127.0.0.1 ports, samples LIP's resident set size
(``VmRSS`` of ``/proc/<pid>/status``) and its open file descriptors every
second, and runs two phases:

1. **Mixed load.** ``--warmup`` seconds, then ``--minutes`` of open-loop
   load at ``--rate`` requests per second (each request starts on schedule,
   whatever the earlier ones are doing): unary and streamed chat completions
   (70% / 30%), malformed JSON (expects 400), an unknown model (404), and
   streams the client drops after a few events while the upstream is still
   sending. Replies are counted by kind and status; a wrong status, a
   malformed or incomplete body or a transport error is a failure. Reported:
   RSS at the start (after the warm-up), its peak and end, the drift
   ``(end - start) / start`` and the slope of a least-squares line through
   the samples (MiB per minute; also over the second half alone, which
   separates a leak from early growth that levels off).
2. **Burst.** After a few idle seconds, ``--burst`` streams opened at once,
   each :data:`BURST_CHUNKS` content chunks ``--burst-chunk-delay-ms``
   apart, so that all of them are open together; every one must complete
   with all its chunks. Then ``--settle`` seconds without load. Reported:
   RSS before the burst, its peak, 10, 30 and 60 s after the last stream
   ended, and whether it came back within :data:`RETURN_TOLERANCE` of the
   pre-burst level.

Upstream pacing comes from the emulator's ``x-emulator-chunk-delay-ms``
header. LIP does not forward a client's ``x-emulator-*`` headers, but it
sends a backend's configured ``headers`` upstream, so the generated config
points three backends at the one emulator: ``emu`` (no delay, the model
:data:`MODEL`), ``drop`` (:data:`DROP_MODEL`, a slow stream for the dropped
ones) and ``burst`` (:data:`BURST_MODEL`, with ``max_connections`` above
the burst size so the burst never waits for LIP's upstream pool).

LIP inherits this process's environment, so allocator settings are tried
as ``MALLOC_ARENA_MAX=2 python -m tests.bench.soak`` or
``PYTHONMALLOC=malloc python -m tests.bench.soak``; ``--malloc-trim
SECONDS`` runs LIP through :mod:`tests.bench.trimmed`, which calls glibc's
``malloc_trim(0)`` in LIP at that interval (after ``gc.collect()`` with
``--trim-gc``). All of them are recorded in the report.

This is a report, not a test: the process exits 0 unless it could not run
(servers failing to start); failures and the memory verdict are in the
report. ``--json PATH`` writes the numbers and every RSS sample as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import resource
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from types import FrameType

import aiohttp

from tests.bench.cliargs import non_negative, positive
from tests.bench.loadgen import event_loop_name, percentile, run_async
from tests.bench.report import finite, machine_facts
from tests.bench.servers import API_KEY, ServerProcess, free_port, start_server

__all__ = [
    "BURST_CHUNKS",
    "BURST_MODEL",
    "DROP_MODEL",
    "MIX",
    "MODEL",
    "RETURN_TOLERANCE",
    "BurstResult",
    "Kind",
    "MixedResult",
    "RssSampler",
    "Sample",
    "SoakRun",
    "build_parser",
    "main",
    "render",
    "run_burst",
    "run_mixed",
    "slope_mib_per_min",
    "soak",
    "stream_problem",
]

HOST = "127.0.0.1"
MODEL = "gpt-4o-mini"
"""Served by the ``emu`` backend without any delay."""
DROP_MODEL = "drop-stream"
"""Served by the ``drop`` backend: streams paced :data:`DROP_CHUNK_DELAY_MS` apart."""
BURST_MODEL = "burst-stream"
"""Served by the ``burst`` backend: streams paced ``--burst-chunk-delay-ms`` apart."""
UNKNOWN_MODEL = "no-such-model"

DROP_CHUNK_DELAY_MS = 20
DROP_WORDS = 49
"""A dropped stream would have 50 content chunks (about one second)..."""
DROP_AFTER_EVENTS = 5
"""...and the client closes the connection after this many SSE events."""
BURST_CHUNKS = 50
"""Content chunks per burst stream (``"Echo:"`` plus 49 words)."""

RETURN_TOLERANCE = 0.25
"""After the burst, RSS counts as returned when at most this much above pre-burst."""
SETTLE_MARKS_S = (10, 30, 60)
PRE_BURST_IDLE_S = 5.0
REQUEST_TIMEOUT_S = 30.0
MAX_IN_FLIGHT = 2000
"""Phase 1 sheds (and counts) requests rather than let a stalled server pile up more."""
MIB = 1024 * 1024

_JSON_HEADERS = {"Content-Type": "application/json", "Authorization": "Bearer sk-any"}
_BAD_JSON = b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "cut'

_LIP_CONFIG = """\
server:
  host: {host}
  port: {port}
  max_connections: {max_connections}
backends:
  - id: emu
    kind: openai-compatible
    base_url: http://{host}:{emu_port}/v1
    api_key: {key}
    models: [{model}]
  - id: drop
    kind: openai-compatible
    base_url: http://{host}:{emu_port}/v1
    api_key: {key}
    model_map: {{{drop_model}: {model}}}
    headers: {{x-emulator-chunk-delay-ms: "{drop_delay}"}}
  - id: burst
    kind: openai-compatible
    base_url: http://{host}:{emu_port}/v1
    api_key: {key}
    model_map: {{{burst_model}: {model}}}
    headers: {{x-emulator-chunk-delay-ms: "{burst_delay}"}}
    max_connections: {burst_pool}
"""


class Kind(StrEnum):
    """What a phase 1 request is, and so what it expects."""

    UNARY = "unary"
    STREAM = "stream"
    DROP = "drop"  # streamed, closed by the client after DROP_AFTER_EVENTS events
    BAD_JSON = "bad_json"
    UNKNOWN_MODEL = "unknown_model"


MIX: dict[Kind, int] = {
    Kind.UNARY: 66,
    Kind.BAD_JSON: 2,
    Kind.UNKNOWN_MODEL: 2,
    Kind.STREAM: 26,
    Kind.DROP: 4,
}
"""Phase 1 weights (percent): 70 unary-shaped, 30 streamed."""
_EXPECTED_STATUS = {
    Kind.UNARY: 200,
    Kind.STREAM: 200,
    Kind.DROP: 200,
    Kind.BAD_JSON: 400,
    Kind.UNKNOWN_MODEL: 404,
}


# -- RSS sampling -------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One reading of the LIP process: ``t`` in seconds on the sampler's clock."""

    t: float
    rss: int  # bytes
    fds: int


def read_rss(pid: int) -> int | None:
    """``VmRSS`` of a process in bytes (Linux), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def count_fds(pid: int) -> int:
    """Open file descriptors of a process (-1 when unreadable)."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


class RssSampler:
    """Reads a process's RSS every ``interval`` seconds on its own thread, so
    samples keep their rhythm while the load generator's event loop is busy."""

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        self._pid = pid
        self._interval = interval
        self._origin = time.monotonic()
        self._samples: list[Sample] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def now(self) -> float:
        """Seconds on the sampler's clock (the ``t`` of samples)."""
        return time.monotonic() - self._origin

    def take(self) -> Sample | None:
        """Read one sample now and keep it."""
        rss = read_rss(self._pid)
        if rss is None:
            return None
        sample = Sample(round(self.now(), 3), rss, count_fds(self._pid))
        with self._lock:
            self._samples.append(sample)
        return sample

    def samples(self, start: float = 0.0, end: float = math.inf) -> list[Sample]:
        """The samples with ``start <= t <= end``, oldest first."""
        with self._lock:
            return [s for s in self._samples if start <= s.t <= end]

    def last(self) -> Sample:
        """The newest sample (one is taken when there is none yet)."""
        with self._lock:
            if self._samples:
                return self._samples[-1]
        sample = self.take()
        if sample is None:
            raise RuntimeError("the LIP process is gone")
        return sample

    def __enter__(self) -> RssSampler:
        self.take()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        ticks = 1
        while not self._stop.wait(max(self._origin + ticks * self._interval - time.monotonic(), 0)):
            self.take()
            ticks += 1


def slope_mib_per_min(samples: Sequence[Sample]) -> float:
    """Least-squares slope of RSS over time, MiB per minute (nan under 2 samples)."""
    if len(samples) < 2:
        return math.nan
    n = len(samples)
    mean_t = sum(s.t for s in samples) / n
    mean_r = sum(s.rss for s in samples) / n
    var = sum((s.t - mean_t) ** 2 for s in samples)
    if var == 0:
        return math.nan
    cov = sum((s.t - mean_t) * (s.rss - mean_r) for s in samples)
    return cov / var * 60 / MIB


def _sample_at(samples: Sequence[Sample], t: float) -> Sample | None:
    """The sample closest to ``t``."""
    return min(samples, key=lambda s: abs(s.t - t), default=None)


# -- phase 1: mixed load ------------------------------------------------------


@dataclass
class Tally:
    """What phase 1 sent and got back."""

    outcomes: Counter[str] = field(default_factory=Counter)
    """``"<kind> <status>"`` for every reply with the expected status and a good body."""
    failures: Counter[str] = field(default_factory=Counter)
    """``"<kind>: <what went wrong>"`` for everything else."""
    latencies: dict[Kind, list[float]] = field(default_factory=dict)
    issued: int = 0
    shed: int = 0
    max_lag_s: float = 0.0

    def ok(self, kind: Kind, status: int, seconds: float) -> None:
        """Count one good reply."""
        self.outcomes[f"{kind} {status}"] += 1
        self.latencies.setdefault(kind, []).append(seconds)


def _words(count: int) -> str:
    return " ".join(f"w{i}" for i in range(1, count + 1))


def _chat(model: str, text: str, *, stream: bool) -> bytes:
    body: dict[str, object] = {
        "model": model,
        "messages": [{"role": "user", "content": text}],
        "stream": stream,
    }
    if stream:
        body["stream_options"] = {"include_usage": True}
    return json.dumps(body, separators=(",", ":")).encode()


def stream_problem(raw: bytes, chunks: int) -> str | None:
    """None when ``raw`` is an SSE body ending in ``[DONE]`` with exactly
    ``chunks`` non-empty ``delta.content`` values, else what is wrong."""
    frames = [f.strip() for f in raw.replace(b"\r\n", b"\n").split(b"\n\n") if f.strip()]
    if not frames or frames[-1] != b"data: [DONE]":
        return "no [DONE]"
    seen = 0
    for frame in frames[:-1]:
        if not frame.startswith(b"data:"):
            continue
        try:
            payload = json.loads(frame[5:])
        except ValueError:
            return "malformed event"
        if "error" in payload:
            return "in-stream error"
        for choice in payload.get("choices") or ():
            if (choice.get("delta") or {}).get("content"):
                seen += 1
    return None if seen == chunks else f"{seen}/{chunks} chunks"


def _error_problem(raw: bytes) -> str | None:
    try:
        payload = json.loads(raw)
    except ValueError:
        return "error body not JSON"
    ok = isinstance(payload, dict) and isinstance(payload.get("error"), dict)
    return None if ok else "error body not OpenAI-shaped"


async def _exchange(
    session: aiohttp.ClientSession, url: str, kind: Kind, words: int
) -> tuple[int, str | None]:
    """Send one phase 1 request; its status and what is wrong with the reply."""
    if kind is Kind.BAD_JSON:
        body = _BAD_JSON
    elif kind is Kind.UNKNOWN_MODEL:
        body = _chat(UNKNOWN_MODEL, _words(words), stream=False)
    elif kind is Kind.DROP:
        body = _chat(DROP_MODEL, _words(DROP_WORDS), stream=True)
    else:
        body = _chat(MODEL, _words(words), stream=kind is Kind.STREAM)
    async with session.post(url, data=body, headers=_JSON_HEADERS) as response:
        status = response.status
        if kind is Kind.DROP and status == 200:
            events = 0
            async for data in response.content.iter_any():
                events += data.count(b"\n\n")
                if events >= DROP_AFTER_EVENTS:
                    break
            response.close()  # drop the connection mid-stream
            return status, None if events >= DROP_AFTER_EVENTS else "stream ended early"
        raw = await response.read()
    if status != _EXPECTED_STATUS[kind]:
        return status, f"status {status}"
    if kind is Kind.UNARY:
        return status, None if b"Echo: " in raw else "unexpected body"
    if kind is Kind.STREAM:
        return status, stream_problem(raw, words + 1)
    return status, _error_problem(raw)


async def _one(
    session: aiohttp.ClientSession, url: str, kind: Kind, words: int, tally: Tally
) -> None:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT_S):
            status, problem = await _exchange(session, url, kind, words)
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        tally.failures[f"{kind}: {type(exc).__name__}"] += 1
        return
    if problem is None:
        tally.ok(kind, status, time.perf_counter() - started)
    else:
        tally.failures[f"{kind}: {problem}"] += 1


async def run_mixed(
    session: aiohttp.ClientSession,
    url: str,
    rate: float,
    seconds: float,
    rng: random.Random,
    tally: Tally,
) -> None:
    """``seconds`` of open-loop mixed load: request ``i`` starts at ``i / rate``."""
    loop = asyncio.get_running_loop()
    kinds = list(MIX)
    weights = list(MIX.values())
    in_flight: set[asyncio.Task[None]] = set()
    start = loop.time()
    for index in range(int(seconds * rate)):
        due = start + index / rate
        if due > loop.time():
            await asyncio.sleep(due - loop.time())
        tally.max_lag_s = max(tally.max_lag_s, loop.time() - due)
        kind = rng.choices(kinds, weights)[0]
        words = rng.randint(3, 30)
        if len(in_flight) >= MAX_IN_FLIGHT:
            tally.shed += 1
            continue
        task = asyncio.create_task(_one(session, url, kind, words, tally))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        tally.issued += 1
    remaining = start + seconds - loop.time()
    if remaining > 0:
        await asyncio.sleep(remaining)
    if in_flight:
        await asyncio.wait(in_flight)


# -- phase 2: burst -----------------------------------------------------------


@dataclass
class BurstTally:
    """What the burst's streams did."""

    completed: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    open_now: int = 0
    max_open: int = 0
    ttfbs: list[float] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)


async def _burst_stream(
    session: aiohttp.ClientSession, url: str, body: bytes, go: asyncio.Event, tally: BurstTally
) -> None:
    await go.wait()
    started = time.perf_counter()
    opened = False
    try:
        async with session.post(url, data=body, headers=_JSON_HEADERS) as response:
            opened = True
            tally.open_now += 1
            tally.max_open = max(tally.max_open, tally.open_now)
            first: float | None = None
            parts: list[bytes] = []
            async for data in response.content.iter_any():
                if first is None:
                    first = time.perf_counter()
                parts.append(data)
            status = response.status
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        tally.failures[type(exc).__name__] += 1
        return
    finally:
        if opened:
            tally.open_now -= 1
    problem = f"status {status}" if status != 200 else stream_problem(b"".join(parts), BURST_CHUNKS)
    if problem is not None:
        tally.failures[problem] += 1
        return
    tally.completed += 1
    tally.ttfbs.append((first or time.perf_counter()) - started)
    tally.durations.append(time.perf_counter() - started)


async def run_burst(url: str, streams: int) -> BurstTally:
    """Open ``streams`` streams at once, each on its own connection, and read
    every one to its end."""
    tally = BurstTally()
    body = _chat(BURST_MODEL, _words(BURST_CHUNKS - 1), stream=True)
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=60, sock_read=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        go = asyncio.Event()
        tasks = [
            asyncio.create_task(_burst_stream(session, url, body, go, tally))
            for _ in range(streams)
        ]
        await asyncio.sleep(0)  # every task is waiting on the gate
        go.set()
        await asyncio.gather(*tasks)
    return tally


# -- the run ------------------------------------------------------------------


@dataclass(frozen=True)
class Servers:
    """The emulator and LIP of one soak run."""

    emulator: ServerProcess
    lip: ServerProcess


@contextmanager
def launch(work_dir: Path, args: argparse.Namespace) -> Iterator[Servers]:
    """Start the emulator and LIP (its config in ``work_dir``); stop both on exit."""
    python = sys.executable
    with ExitStack() as stack:
        emu_port = free_port(HOST)
        emulator = start_server(
            "emu",
            [
                *(python, "-m", "lip.cli", "emulate", "openai-chat"),
                *("--host", HOST, "--port", str(emu_port), "--api-key", API_KEY),
            ],
            HOST,
            emu_port,
            work_dir,
        )
        stack.callback(emulator.stop)
        lip_port = free_port(HOST)
        config = work_dir / "lip.yaml"
        config.write_text(
            _LIP_CONFIG.format(
                host=HOST,
                port=lip_port,
                emu_port=emu_port,
                key=API_KEY,
                model=MODEL,
                drop_model=DROP_MODEL,
                drop_delay=DROP_CHUNK_DELAY_MS,
                burst_model=BURST_MODEL,
                burst_delay=args.burst_chunk_delay_ms,
                burst_pool=max(4096, args.burst),
                max_connections=max(4096, args.burst + 1024),
            )
        )
        if args.malloc_trim is None:
            runner = ["-m", "lip.cli"]
        else:
            collect = ["--collect"] if args.trim_gc else []
            runner = ["-m", "tests.bench.trimmed", "--every", str(args.malloc_trim), *collect, "--"]
        lip = start_server(
            "lip",
            [python, *runner, "serve", "--config", str(config), "--log-level", "warning"],
            HOST,
            lip_port,
            work_dir,
        )
        stack.callback(lip.stop)
        yield Servers(emulator, lip)


def _mib(value: float) -> float:
    return round(value / MIB, 1)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@dataclass(frozen=True)
class MixedResult:
    """Phase 1: the load sent, its outcomes and LIP's RSS over the phase (MiB)."""

    seconds: float
    issued: int
    rate: float
    shed: int
    max_lag_ms: float
    outcomes: dict[str, int]
    failures: dict[str, int]
    latency_ms: dict[str, tuple[float, float]]
    """Good replies of a kind: (p50, p99), whole exchange."""
    rss_start_mib: float
    rss_peak_mib: float
    rss_end_mib: float
    drift_percent: float
    slope_mib_per_min: float
    slope_second_half_mib_per_min: float
    fds_start: int
    fds_end: int

    @classmethod
    def of(cls, tally: Tally, samples: Sequence[Sample], seconds: float) -> MixedResult:
        """Summarise a phase from its tally and the RSS samples taken during it."""
        start, end = samples[0], samples[-1]
        half = [s for s in samples if s.t >= (start.t + end.t) / 2]
        return cls(
            seconds=round(seconds, 1),
            issued=tally.issued,
            rate=round(tally.issued / seconds, 1),
            shed=tally.shed,
            max_lag_ms=_ms(tally.max_lag_s),
            outcomes=dict(sorted(tally.outcomes.items())),
            failures=dict(sorted(tally.failures.items())),
            latency_ms={
                str(kind): (_ms(percentile(values, 0.5)), _ms(percentile(values, 0.99)))
                for kind, values in tally.latencies.items()
                if kind in (Kind.UNARY, Kind.STREAM)
            },
            rss_start_mib=_mib(start.rss),
            rss_peak_mib=_mib(max(s.rss for s in samples)),
            rss_end_mib=_mib(end.rss),
            drift_percent=round(100 * (end.rss - start.rss) / start.rss, 1),
            slope_mib_per_min=round(slope_mib_per_min(samples), 3),
            slope_second_half_mib_per_min=round(slope_mib_per_min(half), 3),
            fds_start=start.fds,
            fds_end=end.fds,
        )


@dataclass(frozen=True)
class BurstResult:
    """Phase 2: the burst's streams and LIP's RSS around it (MiB)."""

    streams: int
    completed: int
    failures: dict[str, int]
    max_open_at_once: int
    seconds: float
    ttfb_p50_ms: float
    ttfb_p99_ms: float
    stream_p50_s: float
    stream_max_s: float
    rss_pre_mib: float
    rss_peak_mib: float
    rss_after_mib: dict[int, float]
    """Seconds after the last stream ended -> RSS (the marks the settle reached)."""
    settle_s: float
    rss_settled_mib: float
    settled_vs_pre_percent: float
    returned: bool
    """RSS at the end of the settle within RETURN_TOLERANCE of pre-burst."""
    fds_pre: int
    fds_peak: int
    fds_settled: int

    @classmethod
    def of(
        cls,
        tally: BurstTally,
        streams: int,
        seconds: float,
        pre: Sample,
        samples: Sequence[Sample],
        ended: float,
    ) -> BurstResult:
        """Summarise the burst from its tally and the RSS samples from its
        start (``pre``) to the end of the settle; it ended at ``ended``."""
        peak = max(samples, key=lambda s: s.rss, default=pre)
        settling = [s for s in samples if s.t >= ended]
        final = settling[-1] if settling else peak
        marks: dict[int, float] = {}
        for mark in SETTLE_MARKS_S:
            sample = _sample_at(settling, ended + mark)
            if sample is not None and final.t >= ended + mark:
                marks[mark] = _mib(sample.rss)
        return cls(
            streams=streams,
            completed=tally.completed,
            failures=dict(sorted(tally.failures.items())),
            max_open_at_once=tally.max_open,
            seconds=round(seconds, 1),
            ttfb_p50_ms=_ms(percentile(tally.ttfbs, 0.5)),
            ttfb_p99_ms=_ms(percentile(tally.ttfbs, 0.99)),
            stream_p50_s=round(percentile(tally.durations, 0.5), 2),
            stream_max_s=round(max(tally.durations, default=math.nan), 2),
            rss_pre_mib=_mib(pre.rss),
            rss_peak_mib=_mib(peak.rss),
            rss_after_mib=marks,
            settle_s=round(final.t - ended, 1),
            rss_settled_mib=_mib(final.rss),
            settled_vs_pre_percent=round(100 * (final.rss - pre.rss) / pre.rss, 1),
            returned=final.rss <= pre.rss * (1 + RETURN_TOLERANCE),
            fds_pre=pre.fds,
            fds_peak=max((s.fds for s in samples), default=pre.fds),
            fds_settled=final.fds,
        )


@dataclass(frozen=True)
class SoakRun:
    """What :func:`soak` measured."""

    mixed: MixedResult
    burst: BurstResult
    samples: list[Sample]


async def soak(lip: ServerProcess, args: argparse.Namespace) -> SoakRun:
    """Warm up, run both phases against ``lip`` and sample its RSS throughout."""
    url = f"http://{HOST}:{lip.port}/v1/chat/completions"
    rng = random.Random(args.seed)
    # Shorter than LIP's keep-alive (5 s): an idle connection is never reused
    # just as the server closes it.
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=2)
    with RssSampler(lip.process.pid, args.sample_interval) as sampler:
        async with aiohttp.ClientSession(connector=connector) as session:
            _progress(f"warm-up {args.warmup:g} s at {args.rate:g} req/s")
            await run_mixed(session, url, args.rate, args.warmup, rng, Tally())
            _progress(f"phase 1: {args.minutes:g} min of mixed load at {args.rate:g} req/s")
            tally = Tally()
            first = sampler.take() or sampler.last()
            started = time.perf_counter()
            await run_mixed(session, url, args.rate, args.minutes * 60, rng, tally)
            elapsed = time.perf_counter() - started
            last = sampler.take() or sampler.last()
        mixed = MixedResult.of(tally, sampler.samples(first.t, last.t), elapsed)
        await asyncio.sleep(PRE_BURST_IDLE_S)
        pre = sampler.take() or sampler.last()
        _progress(f"phase 2: burst of {args.burst} streams")
        started = time.perf_counter()
        burst = await run_burst(url, args.burst)
        burst_seconds = time.perf_counter() - started
        ended = sampler.now()
        _progress(f"settling {args.settle:g} s")
        await asyncio.sleep(args.settle)
        sampler.take()
        result = BurstResult.of(
            burst,
            args.burst,
            burst_seconds,
            pre,
            sampler.samples(pre.t),
            ended,
        )
        return SoakRun(mixed, result, sampler.samples())


def _progress(message: str) -> None:
    print(f"[soak] {message} ...", file=sys.stderr, flush=True)


def raise_fd_limit(wanted: int) -> int:
    """Raise the soft file-descriptor limit toward ``wanted`` (at most the hard
    limit); the servers started afterwards inherit it. Returns the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return soft
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        return soft
    return target


def _allocator_env() -> dict[str, str]:
    return {
        k: v
        for k, v in sorted(os.environ.items())
        if k.startswith("MALLOC_") or k == "PYTHONMALLOC"
    }


def render(run: SoakRun, settings: dict[str, object], wall_s: float) -> str:
    """The compact human report."""
    m, b = run.mixed, run.burst
    env = ", ".join(f"{k}={v}" for k, v in _allocator_env().items()) or "glibc defaults"
    trim = settings["malloc_trim_s"]
    latency = "; ".join(
        f"{kind} p50 {p50} ms p99 {p99} ms" for kind, (p50, p99) in m.latency_ms.items()
    )
    marks = "  ".join(f"+{mark}s {rss}" for mark, rss in b.rss_after_mib.items())
    return "\n".join(
        [
            f"LIP soak ({settings['python']}, {settings['cpus']} CPUs; allocator: {env}; "
            f"malloc_trim: {_trim_label(trim, settings['trim_gc'])})",
            f"phase 1: {m.seconds} s of mixed load after {settings['warmup_s']} s warm-up: "
            f"{m.issued} requests ({m.rate} req/s, shed {m.shed}, max lag {m.max_lag_ms} ms)",
            f"  outcomes  {_counts(m.outcomes)}",
            f"  failures  {_counts(m.failures)}",
            f"  latency   {latency}",
            f"  RSS MiB   start {m.rss_start_mib}  peak {m.rss_peak_mib}  end {m.rss_end_mib}  "
            f"drift {m.drift_percent:+}%  slope {m.slope_mib_per_min:+} MiB/min "
            f"(second half {m.slope_second_half_mib_per_min:+})",
            f"  fds       start {m.fds_start}  end {m.fds_end}",
            f"phase 2: burst of {b.streams} streams x {BURST_CHUNKS} chunks "
            f"{settings['burst_chunk_delay_ms']} ms apart: {b.completed}/{b.streams} completed "
            f"in {b.seconds} s, {b.max_open_at_once} open at once",
            f"  failures  {_counts(b.failures)}",
            f"  timing    first byte p50 {b.ttfb_p50_ms} ms p99 {b.ttfb_p99_ms} ms; "
            f"stream p50 {b.stream_p50_s} s max {b.stream_max_s} s",
            f"  RSS MiB   pre-burst (idle) {b.rss_pre_mib}  peak {b.rss_peak_mib}  "
            f"{marks}  (+{b.settle_s}s {b.rss_settled_mib}: {b.settled_vs_pre_percent:+}%)",
            f"  returned within {RETURN_TOLERANCE:.0%} of pre-burst: {'yes' if b.returned else 'NO'}",
            f"  fds       pre {b.fds_pre}  peak {b.fds_peak}  settled {b.fds_settled}",
            f"wall time {wall_s:.0f} s",
        ]
    )


def _trim_label(every: object, collect: object) -> str:
    if every is None:
        return "off"
    return f"every {every} s" + (" after gc.collect()" if collect else "")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} x{value}" for key, value in counts.items()) or "none"


def build_parser() -> argparse.ArgumentParser:
    """The command line options (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.soak", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--minutes", type=positive, default=10.0, help="phase 1 length (10)")
    parser.add_argument("--rate", type=positive, default=100.0, help="phase 1 req/s (100)")
    parser.add_argument("--warmup", type=non_negative, default=15.0, help="warm-up s (15)")
    parser.add_argument("--burst", type=int, default=2000, help="concurrent burst streams (2000)")
    parser.add_argument(
        "--burst-chunk-delay-ms", type=int, default=200, help="burst chunk spacing (200)"
    )
    parser.add_argument(
        "--settle", type=non_negative, default=60.0, help="seconds sampled after the burst (60)"
    )
    parser.add_argument(
        "--sample-interval", type=positive, default=1.0, help="RSS sampling period, s (1)"
    )
    parser.add_argument(
        "--malloc-trim",
        type=positive,
        metavar="SECONDS",
        help="run LIP with glibc malloc_trim(0) called every SECONDS (an experiment)",
    )
    parser.add_argument(
        "--trim-gc", action="store_true", help="with --malloc-trim: gc.collect() before each trim"
    )
    parser.add_argument("--seed", type=int, default=1, help="request mix seed (1)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the report as JSON")
    return parser


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (tox, CI) becomes Ctrl-C, so the servers are stopped on the way out.
    os.kill(os.getpid(), signal.SIGINT)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the servers, run both phases, print (and write) the report."""
    args = build_parser().parse_args(argv)
    if args.burst < 1:
        raise SystemExit("--burst must be at least 1")
    signal.signal(signal.SIGTERM, _terminate)
    fd_limit = raise_fd_limit(args.burst + 1024)
    if fd_limit != resource.RLIM_INFINITY and fd_limit < args.burst + 64:
        print(f"warning: file descriptor limit {fd_limit} is low for the burst", file=sys.stderr)
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="lip-soak-") as work,
        launch(Path(work), args) as servers,
    ):
        run = run_async(soak(servers.lip, args))
    wall_s = time.perf_counter() - started
    machine = machine_facts(event_loop_name())
    settings: dict[str, object] = {
        "python": machine.python,
        "cpus": machine.cpus_usable,
        "minutes": args.minutes,
        "rate": args.rate,
        "warmup_s": args.warmup,
        "mix_percent": {str(kind): weight for kind, weight in MIX.items()},
        "burst": args.burst,
        "burst_chunks": BURST_CHUNKS,
        "burst_chunk_delay_ms": args.burst_chunk_delay_ms,
        "settle_s": args.settle,
        "seed": args.seed,
        "lip_env": _allocator_env(),
        "malloc_trim_s": args.malloc_trim,
        "trim_gc": args.trim_gc,
    }
    print(render(run, settings, wall_s))
    if args.json is not None:
        document = {
            "machine": asdict(machine),
            "settings": settings,
            "phase1": asdict(run.mixed),
            "burst": asdict(run.burst),
            "samples": [[s.t, _mib(s.rss), s.fds] for s in run.samples],
            "wall_s": round(wall_s, 1),
        }
        args.json.write_text(json.dumps(finite(document), indent=1) + "\n")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        raise SystemExit(130) from None
