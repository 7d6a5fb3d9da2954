"""Loopback benchmark: an OpenAI Chat upstream called directly, through LIP,
and (``--peers``) through LiteLLM and Portkey's gateway, side by side.

Run ``python -m tests.bench.run`` (``tox -e bench``) from the repository
root. It starts subprocesses on free 127.0.0.1 ports: a null server, the
upstream (by default the fast mock of :mod:`tests.bench.mockupstream`, which
answers from pre-rendered bytes so the gateways, not the upstream, set the
pace; ``--upstream emulator`` uses LIP's OpenAI Chat emulator), LIP routed
to it, with ``--peers`` LiteLLM's proxy and Portkey's gateway routed to the
same upstream (installed outside the repository, see :mod:`tests.bench.peers`),
when ``lip serve`` has ``--workers``, a second LIP with ``--lip-workers``
workers, and (unless ``--no-access``) ``lip-limits``: LIP on the same config
plus access control in ``keys`` mode, one client key with rpm, tpm and
concurrency limits (far out of reach), so each of its requests is
authenticated, authorized, admitted and settled by the limiter, and
``lip-auth``: the same plus a monthly budget (out of reach too) and a price
for the model, so each request is also checked against and charged to the
budget; requests to both carry that client key instead of the upstream's; and (unless
``--no-observability``) ``lip-obs``: LIP on the same config plus
``observability:`` metrics, tracing and a JSON access log, run with
``OTEL_TRACES_EXPORTER=none`` (each call's spans are built and ended, none is
exported), its access lines written to its log file as its stdout is. Each
point is measured for ``--duration`` seconds after a ``--warmup``:

1. the generator's ceiling: ``GET /healthz`` on the null server and on the
   upstream;
2. unary ``POST /v1/chat/completions`` (small request) at each
   ``--concurrency``, on every target; LIP with workers joins at
   ``--workers-concurrency``;
3. a streamed reply of exactly 20 content chunks at ``--stream-concurrency``
   on every target, checking the chunk count of every stream; then the same
   on LIP, ``lip-auth`` and ``lip-obs`` alone (scenario
   ``stream-features``), so that each feature's streaming ratio pairs
   windows measured back to back, never one that follows a peer's (a
   saturated peer can still be busy with its backlog, or failing requests,
   for part of the next window);
4. routing overhead in LIP at ``--failover-concurrency``: one leg
   (``X-LIP-Route: up:gpt-4o-mini``) against a failover chain of three whose
   first two legs are refused at connect (ports bound but never listening),
   and a 2-way race of the upstream against itself (``up:gpt-4o-mini !
   up:gpt-4o-mini``; n/a if LIP refuses the selector);
5. the cost of access control and limits: unary at ``--access-concurrency``
   on LIP (open access), on ``lip-limits`` and on ``lip-auth``, whose
   throughput ratios (``access_c16_throughput_limits_over_open``: client key
   and limits, target: a cost under 10%, a ratio above 0.9;
   ``access_c16_throughput_auth_over_open``: with the budget too) and added
   CPU per request the summary shows;
6. the cost of observability: unary at ``--observability-concurrency`` on
   LIP (observability off) and on ``lip-obs``, whose throughput ratio
   (``observability_c16_throughput_obs_over_plain``; target: a cost under
   10%) and added CPU per request
   (``observability_c16_added_cpu_ms_per_req_obs``) the summary shows, as for
   streams (``stream_c16_throughput_obs_over_plain``).

The whole list runs ``--repeat`` times, interleaved (repetition, then point,
then target, the target order rotated each repetition), and the report shows
the median of the windows per cell, LIP's ratios to direct and to each peer,
the 3-leg/1-leg, N-worker/1-worker, access/open and observability on/off
ratios, and each server's resident memory after start and after the load.
The points that compare LIP with itself (``stream-features``, routing,
access, observability) measure their targets in order and then in reverse
within each repetition (A B B A), so that the host drifting faster or
slower weighs on both sides alike: their cells are medians of twice
``--repeat`` windows.

With the emulator, 20 chunks need no script (LIP does not forward
``x-emulator-*`` headers): it answers ``"Echo: <last user text>"`` and
streams one word per chunk, so 19 user words give ``"Echo:"`` plus 19 words.
The mock always streams 20. A stream is also framed by a role chunk, a
finish chunk and ``[DONE]``.

This is a report, not a test: nothing is asserted about timing. Output is a
table on stdout; ``--json PATH`` writes every window and the medians as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import http.client
import json
import math
import os
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from tests.bench import wrk
from tests.bench.cliargs import positive, positive_int
from tests.bench.loadgen import (
    HttpResponse,
    Load,
    Validator,
    event_loop_name,
    render_request,
    run_async,
    run_load,
)
from tests.bench.mockupstream import REPLY_TEXT
from tests.bench.mockupstream import STREAM_CHUNKS as MOCK_STREAM_CHUNKS
from tests.bench.peers import DEFAULT_PEERS_DIR, Peer, launch_peers
from tests.bench.report import (
    STREAM_FEATURES,
    WRK_SCENARIO,
    Measurement,
    Report,
    machine_facts,
    measurement,
    render_table,
)
from tests.bench.servers import (
    API_KEY,
    CLIENT_KEY,
    REFUSED_BACKENDS,
    UPSTREAM_BACKEND,
    ServerProcess,
    Servers,
    launch,
    lip_supports_workers,
    start_lip_auth,
    start_lip_obs,
    start_lip_workers,
)

__all__ = ["STREAM_CHUNKS", "main"]

HOST = "127.0.0.1"
STREAM_CHUNKS = MOCK_STREAM_CHUNKS
"""Content chunks per benchmark stream."""
MODEL = "gpt-4o-mini"
PATH = "/v1/chat/completions"
_AUTH = (("Authorization", f"Bearer {API_KEY}"),)
"""What direct calls and open-access gateways get (LIP in ``open`` mode ignores it)."""
_CLIENT_AUTH = (("Authorization", f"Bearer {CLIENT_KEY}"),)
"""What ``lip-auth`` gets: its client key (it calls the upstream with its own)."""
_REPLY_MARKERS = {"mock": REPLY_TEXT.encode(), "emulator": b"Echo: "}
"""Bytes every good unary reply contains, per upstream."""


@dataclass(frozen=True)
class _Target:
    """Where a client sends chat requests: a server and its request headers."""

    name: str
    server: ServerProcess
    headers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Plan:
    """One measurement to run."""

    scenario: str
    target: str
    server: ServerProcess
    concurrency: int
    raw_request: bytes
    validate: Validator
    watched: tuple[ServerProcess, ...]
    wrk: bool = False
    """Load from wrk (:mod:`tests.bench.wrk`) instead of :mod:`tests.bench.loadgen`."""


@dataclass
class _Stack:
    """Everything running for one benchmark."""

    servers: Servers
    peers: list[Peer]
    lip_workers: ServerProcess | None
    lip_auth: ServerProcess | None = None
    lip_obs: ServerProcess | None = None
    lip_limits: ServerProcess | None = None
    unavailable: dict[str, str] = field(default_factory=dict)

    def gateways(self) -> list[_Target]:
        """LIP, then each peer, in report order."""
        lip = _Target("lip", self.servers.lip, _AUTH)
        return [lip, *(_Target(p.name, p.server, p.headers) for p in self.peers)]

    def auth(self) -> _Target | None:
        """LIP with access control, limits and a budget, if it runs."""
        server = self.lip_auth
        return None if server is None else _Target(server.name, server, _CLIENT_AUTH)

    def limits(self) -> _Target | None:
        """LIP with access control and limits (no budget), if it runs."""
        server = self.lip_limits
        return None if server is None else _Target(server.name, server, _CLIENT_AUTH)

    def obs(self) -> _Target | None:
        """LIP with metrics, tracing and the access log on, if it runs."""
        server = self.lip_obs
        return None if server is None else _Target(server.name, server, _AUTH)

    def memory_watched(self) -> list[ServerProcess]:
        """Servers whose resident memory the report shows."""
        extra = [
            s
            for s in (self.lip_workers, self.lip_limits, self.lip_auth, self.lip_obs)
            if s is not None
        ]
        return [self.servers.upstream, self.servers.lip, *extra, *(p.server for p in self.peers)]


def _chat_body(text: str, *, stream: bool) -> bytes:
    body = {"model": MODEL, "messages": [{"role": "user", "content": text}], "stream": stream}
    return json.dumps(body, separators=(",", ":")).encode()


def _ok(reply: HttpResponse) -> str | None:
    return None if reply.status == 200 else f"status {reply.status}"


def _unary_validator(marker: bytes) -> Validator:
    def unary_ok(reply: HttpResponse) -> str | None:
        if reply.status != 200:
            return f"status {reply.status}"
        return None if marker in reply.body else "unexpected body"

    return unary_ok


def _stream_ok(reply: HttpResponse) -> str | None:
    """A 200 SSE stream ending in ``[DONE]`` with exactly STREAM_CHUNKS
    non-empty ``delta.content`` values (single-line ``data:`` fields only,
    which is what every server here sends)."""
    if reply.status != 200:
        return f"status {reply.status}"
    frames = [f.strip() for f in reply.body.replace(b"\r\n", b"\n").split(b"\n\n") if f.strip()]
    if not frames or frames[-1] != b"data: [DONE]":
        return "no [DONE]"
    chunks = 0
    for frame in frames[:-1]:
        if not frame.startswith(b"data:"):
            continue
        try:
            payload = json.loads(frame[5:])
            for choice in payload.get("choices") or ():
                if (choice.get("delta") or {}).get("content"):
                    chunks += 1
        except (ValueError, AttributeError):
            return "malformed frame"
    return None if chunks == STREAM_CHUNKS else f"{chunks} chunks"


def _request(target: _Target, body: bytes, extra: Sequence[tuple[str, str]] = ()) -> bytes:
    headers = [*target.headers, *extra]
    return render_request("POST", HOST, target.server.port, PATH, body, headers)


def _plan(
    scenario: str, target: _Target, conc: int, raw: bytes, check: Validator, up: ServerProcess
) -> _Plan:
    watched = (up,) if target.server is up else (up, target.server)
    return _Plan(scenario, target.name, target.server, conc, raw, check, watched)


def _points(stack: _Stack, args: argparse.Namespace) -> list[list[_Plan]]:
    """Every point of one repetition, each a list of plans (one per target)."""
    up = stack.servers.upstream
    unary_ok = _unary_validator(_REPLY_MARKERS[args.upstream])
    unary = _chat_body("Say hello to the benchmark", stream=False)
    words = " ".join(f"word{i}" for i in range(1, STREAM_CHUNKS))  # + "Echo:" = STREAM_CHUNKS
    streamed = _chat_body(words, stream=True)
    everyone = [_Target("direct", up, _AUTH), *stack.gateways()]

    points = [_ceiling(stack.servers, max(args.concurrency))]
    workers = _workers_target(stack)
    for conc in sorted({*args.concurrency, args.workers_concurrency}):
        targets = list(everyone) if conc in args.concurrency else []
        if workers is not None and conc == args.workers_concurrency:
            if not targets:  # the one-worker baseline
                targets = [_Target("lip", stack.servers.lip, _AUTH)]
            targets.append(workers)
        if targets:
            points.append(
                [_plan("unary", t, conc, _request(t, unary), unary_ok, up) for t in targets]
            )
    if workers is not None and wrk.available() is not None:
        conc = args.workers_concurrency
        pair = [_Target("lip", stack.servers.lip, _AUTH), workers]
        points.append(
            [
                dataclasses.replace(
                    _plan(WRK_SCENARIO, t, conc, _request(t, unary), unary_ok, up), wrk=True
                )
                for t in pair
            ]
        )
    conc = args.stream_concurrency
    points.append(
        [_plan("stream", t, conc, _request(t, streamed), _stream_ok, up) for t in everyone]
    )
    auth, obs = stack.auth(), stack.obs()
    features = [t for t in (auth, obs) if t is not None]
    if features:
        trio = [_Target("lip", stack.servers.lip, _AUTH), *features]
        points.append(
            [_plan(STREAM_FEATURES, t, conc, _request(t, streamed), _stream_ok, up) for t in trio]
        )
    points.append(_routing(stack, args.failover_concurrency, unary, unary_ok))
    if auth is not None:
        conc = args.access_concurrency
        limits = stack.limits()
        trio = [_Target("lip", stack.servers.lip, _AUTH), *([limits] if limits else []), auth]
        points.append([_plan("access", t, conc, _request(t, unary), unary_ok, up) for t in trio])
    if obs is not None:
        conc = args.observability_concurrency
        pair = [_Target("lip", stack.servers.lip, _AUTH), obs]
        points.append(
            [_plan("observability", t, conc, _request(t, unary), unary_ok, up) for t in pair]
        )
    return points


def _ceiling(servers: Servers, conc: int) -> list[_Plan]:
    plans = []
    for srv in (servers.null, servers.upstream):
        health = render_request("GET", HOST, srv.port, "/healthz")
        plans.append(_Plan("ceiling", srv.name, srv, conc, health, _ok, (srv,)))
    return plans


def _workers_target(stack: _Stack) -> _Target | None:
    server = stack.lip_workers
    return None if server is None else _Target(server.name, server, _AUTH)


def _leg(backend: str) -> str:
    return f"{backend}:{MODEL}"


_RACE = f"{_leg(UPSTREAM_BACKEND)} ! {_leg(UPSTREAM_BACKEND)}"
"""A 2-way race of the upstream against itself (selector grammar ``a ! b``)."""


def _routing(stack: _Stack, conc: int, body: bytes, check: Validator) -> list[_Plan]:
    """One leg, three legs of which the first two are refused, and a 2-way
    race when LIP serves one."""
    lip = _Target("lip", stack.servers.lip, _AUTH)
    up = stack.servers.upstream
    routes = {
        "lip-1leg": _leg(UPSTREAM_BACKEND),
        "lip-3legs": " | ".join(_leg(b) for b in (*REFUSED_BACKENDS, UPSTREAM_BACKEND)),
    }
    if "race" not in stack.unavailable:
        routes["lip-race2"] = _RACE
    plans = []
    for name, route in routes.items():
        raw = _request(lip, body, [("X-LIP-Route", route)])
        plans.append(_Plan("failover", name, lip.server, conc, raw, check, (up, lip.server)))
    return plans


def _race_supported(lip: ServerProcess) -> bool:
    """Whether LIP answers a 2-way race selector with a 200 (it refuses
    operators it cannot run with a 400)."""
    conn = http.client.HTTPConnection(HOST, lip.port, timeout=10.0)
    try:
        headers = {"X-LIP-Route": _RACE, "Content-Type": "application/json", **dict(_AUTH)}
        conn.request("POST", PATH, _chat_body("race probe", stream=False), headers)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


async def _measure(plan: _Plan, args: argparse.Namespace, rep: int) -> Measurement:
    """Run one plan and turn CPU snapshots at the window edges into percentages."""
    edges: dict[str, tuple[float, dict[str, float | None]]] = {}

    def snapshot(edge: str) -> None:
        cpu: dict[str, float | None] = {"gen": _wrk_cpu() if plan.wrk else time.process_time()}
        cpu.update({p.name: p.tree_cpu_seconds() for p in plan.watched})
        cpu["host"], cpu["steal"] = _host_cpu()
        edges[edge] = (time.perf_counter(), cpu)

    if plan.wrk:
        return await asyncio.to_thread(_measure_wrk, plan, args, rep, snapshot, edges)
    load = Load(
        host=HOST,
        port=plan.server.port,
        raw_request=plan.raw_request,
        validate=plan.validate,
        concurrency=plan.concurrency,
        warmup_s=args.warmup,
        duration_s=args.duration,
        max_requests=args.max_requests,
    )
    result = await run_load(load, snapshot)
    return measurement(
        plan.scenario,
        plan.target,
        plan.concurrency,
        result,
        _percent(edges),
        server=plan.server.name,
        rep=rep,
    )


def _wrk_cpu() -> float:
    """CPU seconds of the finished child processes (the wrk runs)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def _percent(edges: dict[str, tuple[float, dict[str, float | None]]]) -> dict[str, float]:
    (t0, cpu0), (t1, cpu1) = edges["start"], edges["end"]
    wall = max(t1 - t0, 1e-9)
    percent: dict[str, float] = {}
    for name, before in cpu0.items():
        after = cpu1.get(name)
        if before is not None and after is not None:
            percent[name] = 100.0 * (after - before) / wall
    if "host" in percent:
        # Busy CPU of processes outside this benchmark (other jobs on the box).
        ours = sum(v for k, v in percent.items() if k not in ("host", "steal"))
        percent["other"] = max(percent.pop("host") - ours, 0.0)
    return percent


def _measure_wrk(
    plan: _Plan,
    args: argparse.Namespace,
    rep: int,
    snapshot: Callable[[str], None],
    edges: dict[str, tuple[float, dict[str, float | None]]],
) -> Measurement:
    """One plan under ``wrk -t1``: a warm-up run, then the measured one."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk.lua_script(plan.raw_request))
    path = Path(script.name)
    try:
        wrk.run_wrk(HOST, plan.server.port, path, plan.concurrency, args.warmup)
        snapshot("start")
        result = wrk.run_wrk(HOST, plan.server.port, path, plan.concurrency, args.duration)
        snapshot("end")
    finally:
        path.unlink(missing_ok=True)
    return Measurement(
        scenario=plan.scenario,
        target=plan.target,
        concurrency=plan.concurrency,
        window_s=round(result.seconds, 3),
        completed=result.requests - sum(result.errors.values()),
        errors=result.errors,
        rate=round(result.rate, 1),
        p50_ms=round(result.p50_ms, 3),
        p99_ms=round(result.p99_ms, 3),
        ttfb_p50_ms=math.nan,
        ttfb_p99_ms=math.nan,
        capped=False,
        cpu_percent=_percent(edges),
        server=plan.server.name,
        rep=rep,
    )


def _host_cpu() -> tuple[float | None, float | None]:
    """Whole-machine busy and steal CPU seconds from ``/proc/stat`` (Linux),
    so the report shows load from outside the benchmark and hypervisor steal."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None, None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def _rotated(plans: list[_Plan], rep: int) -> list[_Plan]:
    """The targets of a point in a different order each repetition, so no
    target always runs first (or right after the heaviest one)."""
    shift = rep % len(plans) if plans else 0
    return plans[shift:] + plans[:shift]


_MIRRORED = frozenset({STREAM_FEATURES, "failover", "access", "observability"})
"""Points that compare LIP with itself (routes, features on and off): each
repetition measures their targets in order and then in reverse (A B B A), so
that a host drifting faster or slower within the repetition weighs on both
sides alike. Their cells are medians of twice ``--repeat`` windows."""


def _ordered(point: list[_Plan], rep: int) -> list[_Plan]:
    """The plans of one point for repetition ``rep``: rotated, and mirrored
    for the points that compare LIP with itself."""
    plans = _rotated(point, rep)
    if plans and plans[0].scenario in _MIRRORED:
        plans = [*plans, *reversed(plans)]
    return plans


async def _run_all(stack: _Stack, args: argparse.Namespace) -> list[Measurement]:
    points = _points(stack, args)
    total = sum(len(_ordered(p, 0)) for p in points) * args.repeat
    results: list[Measurement] = []
    for rep in range(args.repeat):
        for point in points:
            for plan in _ordered(point, rep):
                print(
                    f"[{len(results) + 1}/{total}] rep {rep + 1} {plan.scenario} "
                    f"{plan.target} c={plan.concurrency} ...",
                    file=sys.stderr,
                    flush=True,
                )
                results.append(await _measure(plan, args, rep))
    return results


def _concurrency_list(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of positive integers")
    return values


def build_parser() -> argparse.ArgumentParser:
    """The command line options (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--duration", type=positive, default=5.0, help="measured seconds per run (5)"
    )
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="warm-up seconds before each window (1)"
    )
    parser.add_argument(
        "--repeat",
        type=positive_int,
        default=3,
        help="repetitions, interleaved; the report shows their median (3)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=500_000,
        help="hard cap on requests per run, warm-up included (500000)",
    )
    parser.add_argument(
        "--concurrency", type=_concurrency_list, default=[1, 16, 64], help="unary (1,16,64)"
    )
    parser.add_argument(
        "--stream-concurrency", type=positive_int, default=16, help="streaming concurrency (16)"
    )
    parser.add_argument(
        "--failover-concurrency",
        type=positive_int,
        default=16,
        help="concurrency of the routing-overhead point (16)",
    )
    parser.add_argument(
        "--lip-workers",
        type=int,
        default=2,
        help="also run LIP with this many --workers, when supported; 0 or 1: skip (2)",
    )
    parser.add_argument(
        "--workers-concurrency",
        type=positive_int,
        default=64,
        help="unary concurrency of the workers point (64)",
    )
    parser.add_argument(
        "--access-concurrency",
        type=positive_int,
        default=16,
        help="unary concurrency of the access-control point, LIP open vs lip-auth (16)",
    )
    parser.add_argument(
        "--no-access",
        dest="access",
        action="store_false",
        help="skip lip-auth (access control + limits) and its points",
    )
    parser.add_argument(
        "--observability-concurrency",
        type=positive_int,
        default=16,
        help="unary concurrency of the observability point, LIP vs lip-obs (16)",
    )
    parser.add_argument(
        "--no-observability",
        dest="observability",
        action="store_false",
        help="skip lip-obs (metrics, tracing, access log) and its points",
    )
    parser.add_argument(
        "--upstream",
        choices=sorted(_REPLY_MARKERS),
        default="mock",
        help="the upstream every target calls: the fast mock, or LIP's emulator (mock)",
    )
    parser.add_argument(
        "--peers", action="store_true", help="also measure LiteLLM and Portkey's gateway"
    )
    parser.add_argument(
        "--peers-dir",
        type=Path,
        default=DEFAULT_PEERS_DIR,
        help=f"where the peers are installed and cached ({DEFAULT_PEERS_DIR})",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers as JSON")
    parser.add_argument(
        "--keep-logs",
        type=Path,
        metavar="DIR",
        help="write the servers' logs and configs to DIR (default: a temporary folder,"
        " in /dev/shm where there is one)",
    )
    parser.add_argument(
        "--profile-lip", type=Path, metavar="PATH", help="run LIP under cProfile, stats to PATH"
    )
    return parser


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (tox, CI) becomes Ctrl-C: asyncio's runner then cancels the
    # measurement cleanly, or KeyboardInterrupt unwinds, and every server
    # gets stopped on the way out.
    os.kill(os.getpid(), signal.SIGINT)


def _start_lip_workers(
    servers: Servers, args: argparse.Namespace, work: Path, exits: ExitStack
) -> tuple[ServerProcess | None, str | None]:
    """LIP with ``--lip-workers`` workers, or None and why not."""
    if args.lip_workers < 2:
        return None, "not asked for (--lip-workers < 2)"
    if not lip_supports_workers():
        return None, "lip serve has no --workers"
    try:
        server = start_lip_workers(HOST, servers.lip_config, args.lip_workers, work)
    except RuntimeError as exc:
        print(f"LIP --workers {args.lip_workers} did not start:\n{exc}", file=sys.stderr)
        return None, "did not start (see stderr)"
    exits.callback(server.stop)
    return server, None


def _start_lip_auth(
    servers: Servers, args: argparse.Namespace, work: Path, exits: ExitStack, *, budget: bool
) -> tuple[ServerProcess | None, str | None]:
    """LIP with access control and limits (and a budget), or None and why not."""
    if not args.access:
        return None, "not asked for (--no-access)"
    try:
        server = start_lip_auth(HOST, servers.lip_config, MODEL, work, budget=budget)
    except RuntimeError as exc:
        print(f"lip-auth (budget: {budget}) did not start:\n{exc}", file=sys.stderr)
        return None, "did not start (see stderr)"
    exits.callback(server.stop)
    return server, None


def _start_lip_obs(
    servers: Servers, args: argparse.Namespace, work: Path, exits: ExitStack
) -> tuple[ServerProcess | None, str | None]:
    """LIP with metrics, tracing and the access log on, or None and why not
    (also when it does not serve ``/metrics``: observability would be off)."""
    if not args.observability:
        return None, "not asked for (--no-observability)"
    try:
        server = start_lip_obs(HOST, servers.lip_config, work)
    except RuntimeError as exc:
        print(f"lip-obs did not start:\n{exc}", file=sys.stderr)
        return None, "did not start (see stderr)"
    exits.callback(server.stop)
    if not _metrics_served(server):
        print(f"lip-obs does not serve /metrics; see {server.log_path}", file=sys.stderr)
        server.stop()
        return None, "metrics not served (see stderr)"
    return server, None


def _metrics_served(server: ServerProcess) -> bool:
    """Whether ``GET /metrics`` answers 200 with Prometheus text."""
    conn = http.client.HTTPConnection(HOST, server.port, timeout=10.0)
    try:
        conn.request("GET", "/metrics")
        reply = conn.getresponse()
        return reply.status == 200 and b"# TYPE" in reply.read()
    except OSError:
        return False
    finally:
        conn.close()


def _start(args: argparse.Namespace, work: Path, exits: ExitStack) -> _Stack:
    profile = args.profile_lip.resolve() if args.profile_lip else None
    servers = exits.enter_context(launch(HOST, work, profile, upstream=args.upstream))
    peers: list[Peer] = []
    if args.peers:
        upstream_url = f"http://{HOST}:{servers.upstream.port}/v1"
        peers = launch_peers(args.peers_dir.expanduser(), HOST, upstream_url, work, exits)
    workers, why = _start_lip_workers(servers, args, work, exits)
    limits, _ = _start_lip_auth(servers, args, work, exits, budget=False)
    auth, why_not_auth = _start_lip_auth(servers, args, work, exits, budget=True)
    obs, why_not_obs = _start_lip_obs(servers, args, work, exits)
    stack = _Stack(servers, peers, workers, auth, obs, lip_limits=limits)
    if why is not None:
        stack.unavailable["workers"] = why
    elif workers is not None and wrk.available() is None:
        stack.unavailable[WRK_SCENARIO] = (
            "wrk is not installed (Debian, Ubuntu: apt-get install wrk)"
        )
    if why_not_auth is not None:
        stack.unavailable["access"] = why_not_auth
    if why_not_obs is not None:
        stack.unavailable["observability"] = why_not_obs
    if not _race_supported(servers.lip):
        stack.unavailable["race"] = "races not implemented"
    return stack


def _settings(args: argparse.Namespace) -> dict[str, float | int | str]:
    return {
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "repeat": args.repeat,
        "max_requests": args.max_requests,
        "stream_chunks": STREAM_CHUNKS,
        "upstream": args.upstream,
        "lip_workers": args.lip_workers,
        "access": "lip-auth" if args.access else "skipped",
        "access_concurrency": args.access_concurrency,
        "observability": "lip-obs" if args.observability else "skipped",
        "observability_concurrency": args.observability_concurrency,
        "host": HOST,
    }


_MEMORY_DIR = Path("/dev/shm")
"""Linux's in-memory file system: where logs go unless ``--keep-logs`` says."""


def _work_dir(keep: Path | None, exits: ExitStack) -> Path:
    """Where servers write logs and configs: ``keep``, else a temporary
    folder removed after the servers stop, in memory where there is one.

    ``lip-obs`` writes an access line per request (a couple of MB a second):
    on a disk, the kernel's writeback of those pages runs on the same cores as
    the servers now and then, and took up to 15% off lip-obs's throughput in
    the windows it fell into. That is the disk's cost, not the server's (each
    write is the server's all the same: the page cache is written either way)."""
    if keep is None:
        memory = _MEMORY_DIR if _MEMORY_DIR.is_dir() and os.access(_MEMORY_DIR, os.W_OK) else None
        folder = tempfile.TemporaryDirectory(prefix="lip-bench-", dir=memory)
        return Path(exits.enter_context(folder))
    keep.mkdir(parents=True, exist_ok=True)
    return keep.resolve()


def _rss(servers: Sequence[ServerProcess]) -> dict[str, int | None]:
    return {server.name: server.rss_bytes() for server in servers}


def main(argv: Sequence[str] | None = None) -> int:
    """Start the servers, run every measurement, print (and write) the report."""
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    with ExitStack() as exits:
        work = _work_dir(args.keep_logs, exits)
        stack = _start(args, work, exits)
        watched = stack.memory_watched()
        rss_started = _rss(watched)
        measurements = run_async(_run_all(stack, args))
        rss_loaded = _rss(watched)
    report = Report(
        machine=machine_facts(event_loop_name()),
        settings={**_settings(args), "logs": str(work)},
        measurements=measurements,
        wall_s=time.perf_counter() - started,
        peers={p.name: f"{p.version} ({p.runtime})" for p in stack.peers},
        rss={n: {"started": rss_started[n], "loaded": rss_loaded[n]} for n in rss_started},
        unavailable=stack.unavailable,
    )
    print(render_table(report))
    if args.json is not None:
        args.json.write_text(json.dumps(report.to_json(), indent=2) + "\n")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        raise SystemExit(130) from None
