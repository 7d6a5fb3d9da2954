"""ASGI servers compared in one run, each serving the same LIP app.

``python -m tests.bench.asgi_servers [--rounds 3] [--seconds 6]`` starts the
mock upstream, then for each server in turn (interleaved rounds) LIP routed
to it, and measures unary requests at concurrency 1 and 16 with the
benchmark's load generator; it prints the median req/s per cell. Servers:
``uvicorn`` (httptools, LIP's connection layer, as ``lip serve`` runs it)
and, when installed, ``granian`` (ASGI interface, uvloop) — not a LIP
dependency: install it into the venv to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.cliargs import positive, positive_int
from tests.bench.loadgen import HttpResponse, Load, render_request, run_async, run_load
from tests.bench.servers import REPO_ROOT, free_port, start_server

_APP = """\
import os
from lip.config import parse_config
from lip.server import create_app
app = create_app(parse_config(
    "backends: [{id: m, kind: openai-compatible, base_url: 'http://127.0.0.1:"
    + os.environ["LIP_BENCH_UPSTREAM_PORT"] + "/v1', models: ['*']}]", env={}))
"""
_BODY = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})


def _command(server: str, port: int) -> list[str]:
    python = sys.executable
    if server == "uvicorn":
        code = (
            "import uvicorn, lip_bench_app as m; from lip.server import server_options; "
            f"uvicorn.run(m.app, host='127.0.0.1', port={port}, log_level='warning', "
            "access_log=False, **server_options(m.app))"
        )
        return [python, "-c", code]
    return [
        python, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1",
        "--port", str(port), "--workers", "1", "--loop", "uvloop",
        "--log-level", "warning", "--no-ws", "lip_bench_app:app",
    ]  # fmt: skip


def _ok(response: HttpResponse) -> str | None:
    return None if response.status == 200 else f"status {response.status}"


def _rate(port: int, concurrency: int, seconds: float) -> float:
    raw = render_request(
        "POST", "127.0.0.1", port, "/v1/chat/completions", _BODY.encode(),
        [("content-type", "application/json")],
    )  # fmt: skip
    load = Load(
        host="127.0.0.1", port=port, raw_request=raw, validate=_ok, concurrency=concurrency,
        warmup_s=1.0, duration_s=seconds, max_requests=500_000,
    )  # fmt: skip
    result = run_async(run_load(load))
    return len(result.latencies) / result.elapsed_s if result.elapsed_s else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=positive_int, default=3)
    parser.add_argument("--seconds", type=positive, default=6.0)
    args = parser.parse_args(argv)
    servers = ["uvicorn"]
    try:
        __import__("granian")
        servers.append("granian")
    except ImportError:
        print("granian is not installed: measuring uvicorn only")
    rates: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "lip_bench_app.py").write_text(_APP)
        upstream_port = free_port("127.0.0.1")
        upstream = start_server(
            "mock",
            [sys.executable, "-m", "tests.bench.mockupstream", "--host", "127.0.0.1",
             "--port", str(upstream_port)],
            "127.0.0.1", upstream_port, work,
        )  # fmt: skip
        env = {
            **os.environ,
            "LIP_BENCH_UPSTREAM_PORT": str(upstream_port),
            "PYTHONPATH": os.pathsep.join([str(work), str(REPO_ROOT)]),
            "PYTHONMALLOC": os.environ.get("PYTHONMALLOC", "malloc"),
        }
        try:
            for _ in range(args.rounds):
                for server in servers:
                    port = free_port("127.0.0.1")
                    process = subprocess.Popen(_command(server, port), env=env, cwd=work)
                    try:
                        start_server_ready(port)
                        for concurrency in (1, 16):
                            rate = _rate(port, concurrency, args.seconds)
                            rates.setdefault((server, concurrency), []).append(rate)
                    finally:
                        process.terminate()
                        process.wait(10)
        finally:
            upstream.stop()
    print(f"unary req/s, median of {args.rounds} interleaved rounds of {args.seconds:g} s")
    for (server, concurrency), values in sorted(rates.items()):
        print(f"  {server:<8} c={concurrency:<3} {statistics.median(values):>8,.0f}")
    return 0


def start_server_ready(port: int, timeout: float = 20.0) -> None:
    """Wait until ``GET /healthz`` answers on ``port``."""
    import http.client
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1.0)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
        finally:
            connection.close()
    raise RuntimeError(f"no server on port {port} within {timeout} s")


if __name__ == "__main__":
    raise SystemExit(main())
