"""Loopback benchmark: the OpenAI Chat emulator called directly vs through LIP.

Run ``python -m tests.bench.run`` (``tox -e bench``) from the repository
root. It starts three subprocesses on free 127.0.0.1 ports (a null server,
the emulator, LIP routed to the emulator), then measures, each for
``--duration`` seconds after a ``--warmup``:

1. the generator's ceiling: ``GET /healthz`` on the null server and on the
   emulator;
2. unary ``POST /v1/chat/completions`` (small request) at each
   ``--concurrency``, direct and through LIP;
3. a streamed reply of exactly 20 content chunks at ``--stream-concurrency``,
   direct and through LIP, checking the chunk count of every stream.

The 20 chunks need no emulator script (LIP does not forward
``x-emulator-*`` headers): the emulator answers ``"Echo: <last user
text>"`` and streams one word per chunk, so 19 user words give ``"Echo:"``
plus 19 words. A stream is also framed by a role chunk, a finish chunk and
``[DONE]``.

This is a report, not a test: nothing is asserted about timing. Output is a
table on stdout; ``--json PATH`` writes the same numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from tests.bench.loadgen import (
    HttpResponse,
    Load,
    Validator,
    event_loop_name,
    render_request,
    run_async,
    run_load,
)
from tests.bench.report import Measurement, Report, machine_facts, measurement, render_table
from tests.bench.servers import API_KEY, ServerProcess, Servers, launch

__all__ = ["STREAM_CHUNKS", "main"]

HOST = "127.0.0.1"
STREAM_CHUNKS = 20
"""Content chunks per benchmark stream."""
MODEL = "gpt-4o-mini"


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


def _chat_body(text: str, *, stream: bool) -> bytes:
    body = {"model": MODEL, "messages": [{"role": "user", "content": text}], "stream": stream}
    return json.dumps(body, separators=(",", ":")).encode()


def _ok(reply: HttpResponse) -> str | None:
    return None if reply.status == 200 else f"status {reply.status}"


def _unary_ok(reply: HttpResponse) -> str | None:
    if reply.status != 200:
        return f"status {reply.status}"
    return None if b"Echo: " in reply.body else "unexpected body"


def _stream_ok(reply: HttpResponse) -> str | None:
    """A 200 SSE stream ending in ``[DONE]`` with exactly STREAM_CHUNKS
    non-empty ``delta.content`` values (single-line ``data:`` fields only,
    which is what both servers send)."""
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


def _plans(servers: Servers, concurrencies: Sequence[int], stream_concurrency: int) -> list[_Plan]:
    emu, lip, null = servers.emulator, servers.lip, servers.null
    auth = [("Authorization", f"Bearer {API_KEY}")]
    unary = _chat_body("Say hello to the benchmark", stream=False)
    words = " ".join(f"word{i}" for i in range(1, STREAM_CHUNKS))  # + "Echo:" = STREAM_CHUNKS
    streamed = _chat_body(words, stream=True)
    path = "/v1/chat/completions"

    def chat(server: ServerProcess, body: bytes) -> bytes:
        return render_request("POST", HOST, server.port, path, body, auth)

    ceiling = max(concurrencies)
    plans = [
        _Plan("ceiling", name, srv, ceiling, health, _ok, (srv,))
        for name, srv in (("null", null), ("emu", emu))
        for health in [render_request("GET", HOST, srv.port, "/healthz")]
    ]
    for conc in concurrencies:
        plans.append(_Plan("unary", "direct", emu, conc, chat(emu, unary), _unary_ok, (emu,)))
        plans.append(_Plan("unary", "lip", lip, conc, chat(lip, unary), _unary_ok, (emu, lip)))
    plans.append(
        _Plan("stream", "direct", emu, stream_concurrency, chat(emu, streamed), _stream_ok, (emu,))
    )
    plans.append(
        _Plan("stream", "lip", lip, stream_concurrency, chat(lip, streamed), _stream_ok, (emu, lip))
    )
    return plans


async def _measure(plan: _Plan, args: argparse.Namespace) -> Measurement:
    """Run one plan and turn CPU snapshots at the window edges into percentages."""
    edges: dict[str, tuple[float, dict[str, float | None]]] = {}

    def snapshot(edge: str) -> None:
        cpu: dict[str, float | None] = {"gen": time.process_time()}
        cpu.update({p.name: p.cpu_seconds() for p in plan.watched})
        cpu["host"], cpu["steal"] = _host_cpu()
        edges[edge] = (time.perf_counter(), cpu)

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
    return measurement(plan.scenario, plan.target, plan.concurrency, result, percent)


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


async def _run_all(servers: Servers, args: argparse.Namespace) -> list[Measurement]:
    plans = _plans(servers, args.concurrency, args.stream_concurrency)
    results: list[Measurement] = []
    for number, plan in enumerate(plans, 1):
        print(
            f"[{number}/{len(plans)}] {plan.scenario} {plan.target} c={plan.concurrency} ...",
            file=sys.stderr,
            flush=True,
        )
        results.append(await _measure(plan, args))
    return results


def _concurrency_list(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of positive integers")
    return values


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line options (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--duration", type=_positive, default=5.0, help="measured seconds per run (5)"
    )
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="warm-up seconds before each window (1)"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=200_000,
        help="hard cap on requests per run, warm-up included",
    )
    parser.add_argument(
        "--concurrency", type=_concurrency_list, default=[1, 16, 64], help="unary (1,16,64)"
    )
    parser.add_argument(
        "--stream-concurrency", type=int, default=16, help="streaming concurrency (16)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers as JSON")
    parser.add_argument(
        "--profile-lip", type=Path, metavar="PATH", help="run LIP under cProfile, stats to PATH"
    )
    return parser


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (tox, CI) becomes Ctrl-C: asyncio's runner then cancels the
    # measurement cleanly, or KeyboardInterrupt unwinds, and every server
    # gets stopped on the way out.
    os.kill(os.getpid(), signal.SIGINT)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the servers, run every measurement, print (and write) the report."""
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    profile = args.profile_lip.resolve() if args.profile_lip else None
    with (
        tempfile.TemporaryDirectory(prefix="lip-bench-") as work,
        launch(HOST, Path(work), profile) as servers,
    ):
        measurements = run_async(_run_all(servers, args))
    report = Report(
        machine=machine_facts(event_loop_name()),
        settings={
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "max_requests": args.max_requests,
            "stream_chunks": STREAM_CHUNKS,
            "host": HOST,
        },
        measurements=measurements,
        wall_s=time.perf_counter() - started,
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
