"""Load from `wrk <https://github.com/wg/wrk>`_, a C load generator, when it is installed.

On a 2-core machine the load generator shares the cores with the servers
under test. :mod:`tests.bench.loadgen` is cheap for Python, but at LIP's
rates with two workers it and the mock upstream still take over a third of
the machine, so a 2-worker LIP gets well under two cores and the
2-worker/1-worker ratio measures the generator as much as LIP. ``wrk -t1``
(Debian's ``wrk`` package) costs a fraction of that per request, so the
benchmark also measures the workers point with it when ``wrk`` is on the
``PATH`` (and says so when it is not).

wrk checks statuses, not bodies: a reply other than 2xx/3xx counts as an
error, and the same servers' bodies are checked by every other point.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["WrkResult", "available", "lua_script", "parse_output", "run_wrk"]

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass
class WrkResult:
    """One wrk run: rate per second, latencies in milliseconds."""

    requests: int
    seconds: float
    rate: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int] = field(default_factory=dict)


def available() -> str | None:
    """The path of ``wrk``, or None when it is not installed."""
    return shutil.which("wrk")


def lua_script(raw_request: bytes) -> str:
    """A wrk script sending ``raw_request`` (a rendered HTTP/1.1 request):
    its method, path, headers and body; wrk adds ``Host`` and ``Content-Length``."""
    head, _, body = raw_request.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    out = [f"wrk.method = {_quote(method)}", f"wrk.path = {_quote(path)}"]
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() in ("host", "content-length"):
            continue
        out.append(f"wrk.headers[ {_quote(name.strip())} ] = {_quote(value.strip())}")
    if body:
        out.append(f"wrk.body = {_quote(body.decode('latin-1'))}")
    return "\n".join(out) + "\n"


def _quote(text: str) -> str:
    """A Lua long string holding ``text`` exactly (a level its text does not close)."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    bar = "=" * level
    # A newline right after the opening bracket is dropped by Lua: add one.
    return f"[{bar}[\n{text}]{bar}]"


def run_wrk(
    host: str, port: int, script: Path, connections: int, seconds: float, timeout_s: float = 10.0
) -> WrkResult:
    """Run ``wrk -t1`` with ``connections`` for ``seconds`` against ``host:port``."""
    wrk = available()
    if wrk is None:
        raise RuntimeError("wrk is not installed")
    argv = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={max(1, round(timeout_s))}s",
        "--latency",
        "-s",
        str(script),
        f"http://{host}:{port}/",
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_output(done.stdout)


def parse_output(text: str) -> WrkResult:
    """The figures of wrk's report (run with ``--latency``)."""
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", text)
    rate = re.search(r"Requests/sec:\s*([\d.]+)", text)
    if total is None or rate is None:
        raise ValueError(f"not a wrk report:\n{text}")
    errors: dict[str, int] = {}
    if non_2xx := re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text):
        errors["status not 2xx/3xx"] = int(non_2xx.group(1))
    if sockets := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    ):
        for name, count in zip(
            ("connect", "read", "write", "timeout"), sockets.groups(), strict=True
        ):
            if int(count):
                errors[f"socket {name}"] = int(count)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * _UNITS[total.group(3)] / 1e3,
        rate=float(rate.group(1)),
        p50_ms=_percentile(text, "50"),
        p99_ms=_percentile(text, "99"),
        errors=errors,
    )


def _percentile(text: str, which: str) -> float:
    found = re.search(rf"^\s*{which}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
    return math.nan if found is None else float(found.group(1)) * _UNITS[found.group(2)]
