"""The servers under test, each a subprocess on a free loopback port.

Subprocesses keep the servers' CPU apart from the load generator's (one
Python process cannot use more than one core for this work, so a server
sharing the generator's interpreter would halve both). :func:`launch` starts
the null server, the upstream (the fast mock of :mod:`tests.bench.mockupstream`,
or the OpenAI Chat emulator) and LIP routed to it, waits for each one's
health check, and stops all of them on exit, also when the body raises
(errors, Ctrl-C, ``SystemExit`` from a SIGTERM handler).
:func:`start_lip_workers` starts another LIP on the same config with
``--workers``; :func:`start_lip_auth` another on the same config plus access
control (one client key, :data:`CLIENT_KEY`, with limits, and with or
without a budget);
:func:`start_lip_obs` another on the same config plus every observability
feature (metrics, tracing with the exporter off, a JSON access log).

LIP's config also names two backends whose ports refuse connections (bound,
never listening, held for the whole run): a failover chain through them
measures what routing costs when the first legs fail fast.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "API_KEY",
    "CLIENT_KEY",
    "REFUSED_BACKENDS",
    "UPSTREAM_BACKEND",
    "ServerProcess",
    "Servers",
    "free_port",
    "launch",
    "lip_supports_workers",
    "refusing_port",
    "start_lip_auth",
    "start_lip_obs",
    "start_lip_workers",
    "start_server",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
API_KEY = "sk-bench"
"""The key the emulator requires; LIP sends it upstream, direct calls send it too."""
UPSTREAM_BACKEND = "up"
"""LIP's backend id for the upstream (serves every model)."""
REFUSED_BACKENDS = ("refused1", "refused2")
"""LIP's backend ids whose ports refuse every connection (serve no model by name)."""
CLIENT_KEY = "lip-bench-client-key-0123456789"
"""The one client key of the LIP started by :func:`start_lip_auth`."""

_LIP_CONFIG = """\
server: {{host: {host}, port: {port}}}
backends:
  - id: {upstream_id}
    kind: openai-compatible
    base_url: http://{host}:{upstream_port}/v1
    api_key: {key}
    models: ["*"]
"""
# Limits and a budget no benchmark reaches, so every request goes through
# authentication, authorization, the limiter (admit, settle, release) and the
# budget (check, then charge at the priced model) and none is refused.
_ACCESS_SECTION = """\
access:
  mode: keys
  keys:
    - id: bench
      key: {client_key}
      limits: {{rpm: 1000000000, tpm: 1000000000000, concurrency: 100000}}
      budget: {{usd: 1000000000, period: month}}
prices:
  "{model}": {{input: 0.15, output: 0.6}}
"""
_BUDGET_LINE = "      budget: {usd: 1000000000, period: month}\n"
"""The key's budget line in :data:`_ACCESS_SECTION` (formatted)."""
# Everything observability has, on: Prometheus metrics (recorded per call,
# served at /metrics), a span tree per call (built and ended; the process runs
# with OTEL_TRACES_EXPORTER=none, so no exporter ships them anywhere) and one
# JSON access-log line per request on stdout (the server's log file).
_OBSERVABILITY_SECTION = """\
observability:
  metrics: {enabled: true}
  tracing: {enabled: true}
  access_log: {enabled: true, format: json}
"""
_OBSERVABILITY_ENV = {"OTEL_TRACES_EXPORTER": "none"}
"""Tracing on, exporter off: spans cost what building them costs, nothing is sent."""
_REFUSED_BACKEND = """\
  - id: {id}
    kind: openai-compatible
    base_url: http://{host}:{port}/v1
    api_key: {key}
    models: []
"""


@dataclass
class ServerProcess:
    """A started server: its name, address and process."""

    name: str
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def cpu_seconds(self) -> float | None:
        """User plus system CPU time the process has used (Linux ``/proc``), or None."""
        return _cpu_seconds(self.process.pid)

    def pids(self) -> list[int]:
        """The process and every live descendant (worker processes)."""
        return [self.process.pid, *_descendants(self.process.pid)]

    def tree_cpu_seconds(self) -> float | None:
        """:meth:`cpu_seconds` summed over the process and its live descendants."""
        times = [_cpu_seconds(pid) for pid in self.pids()]
        return None if times[0] is None else sum(t for t in times if t is not None)

    def rss_bytes(self) -> int | None:
        """Resident set size (``VmRSS``) of the process and its live descendants."""
        sizes = [_rss_bytes(pid) for pid in self.pids()]
        return None if sizes[0] is None else sum(s for s in sizes if s is not None)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGINT, then SIGKILL if the process is still there after ``timeout``.

        uvicorn shuts down gracefully on SIGINT or SIGTERM and then re-raises
        the signal; only SIGINT's KeyboardInterrupt lets cProfile write its
        stats file, SIGTERM's default action ends the process first."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5.0)


@dataclass(frozen=True)
class Servers:
    """Every server of one benchmark run."""

    null: ServerProcess
    upstream: ServerProcess
    lip: ServerProcess
    lip_config: Path


def _cpu_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _descendants(root: int) -> list[int]:
    """Live descendants of ``root``, from the parent ids in ``/proc/*/stat``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    pending = list(children.get(root, ()))
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, ()))
    return found


def free_port(host: str) -> int:
    """A port that was free a moment ago (bind to 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def refusing_port(host: str) -> socket.socket:
    """A socket bound to a free port and never listening: connections to the
    port are refused at once, and no other server can take it while the
    socket stays open."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, 0))
    return sock


def start_server(
    name: str,
    argv: Sequence[str],
    host: str,
    port: int,
    log_dir: Path,
    timeout: float = 20.0,
    *,
    health_path: str = "/healthz",
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> ServerProcess:
    """Start ``argv`` in its own session (a terminal's Ctrl-C reaches only
    the benchmark, which then stops it) and wait until ``GET health_path``
    answers 200. Raises RuntimeError, with the log's tail, if it does not.
    ``env`` replaces the environment; ``cwd`` defaults to the repository."""
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd or REPO_ROOT,
            env=None if env is None else dict(env),
            start_new_session=True,
        )
    server = ServerProcess(name, host, port, process, log_path)
    deadline = time.monotonic() + timeout
    try:
        while not _healthy(host, port, health_path):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not ready within {timeout}s:\n{_tail(log_path)}")
            time.sleep(0.05)
    except BaseException:  # not ready, or Ctrl-C while waiting: never leak the process
        server.stop()
        raise
    return server


def lip_supports_workers() -> bool:
    """Whether ``lip serve`` has a ``--workers`` option (read from its ``--help``)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lip.cli", "serve", "--help"],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--workers" in done.stdout


@contextmanager
def launch(
    host: str,
    work_dir: Path,
    profile_lip: Path | None = None,
    *,
    upstream: str = "mock",
) -> Iterator[Servers]:
    """Start the null server, the upstream (``"mock"`` or ``"emulator"``) and
    LIP; stop them all on exit.

    With ``profile_lip``, the first LIP runs under cProfile and writes its
    stats there when it is stopped.
    """
    python = sys.executable
    with ExitStack() as stack:

        def started(name: str, argv: list[str], port: int) -> ServerProcess:
            server = start_server(name, argv, host, port, work_dir)
            stack.callback(server.stop)
            return server

        null_port = free_port(host)
        null = started(
            "null", [python, "-m", "tests.bench.nullserver", *_address(host, null_port)], null_port
        )
        up_port = free_port(host)
        up = started(*_upstream_command(upstream, host, up_port), up_port)
        refused = [stack.enter_context(refusing_port(host)) for _ in REFUSED_BACKENDS]
        config = work_dir / "lip.yaml"
        config.write_text(_lip_config(host, up.port, [sock.getsockname()[1] for sock in refused]))
        lip_port = free_port(host)
        profiler = ["-m", "cProfile", "-o", str(profile_lip)] if profile_lip is not None else []
        lip = started("lip", [python, *profiler, *_lip_command(host, lip_port, config)], lip_port)
        yield Servers(null, up, lip, config)


def start_lip_workers(host: str, config: Path, workers: int, log_dir: Path) -> ServerProcess:
    """Start another LIP on ``config`` with ``--workers``, named ``lip-wN``;
    the caller stops it."""
    port = free_port(host)
    argv = [sys.executable, *_lip_command(host, port, config), "--workers", str(workers)]
    return start_server(f"lip-w{workers}", argv, host, port, log_dir, 60.0)


def start_lip_auth(
    host: str, config: Path, model: str, log_dir: Path, *, budget: bool = True
) -> ServerProcess:
    """Start another LIP on ``config`` plus an ``access:`` section in ``keys``
    mode holding :data:`CLIENT_KEY` with unreachable limits and, when
    ``budget``, an unreachable budget and a price for ``model``. Named
    ``lip-auth`` with the budget, ``lip-limits`` without; the caller stops it."""
    name = "lip-auth" if budget else "lip-limits"
    auth_config = log_dir / f"{name}.yaml"
    access = _ACCESS_SECTION.format(client_key=CLIENT_KEY, model=model)
    if not budget:
        access = access.replace(_BUDGET_LINE, "")
    auth_config.write_text(config.read_text() + access)
    port = free_port(host)
    argv = [sys.executable, *_lip_command(host, port, auth_config)]
    return start_server(name, argv, host, port, log_dir)


def start_lip_obs(host: str, config: Path, log_dir: Path) -> ServerProcess:
    """Start another LIP, named ``lip-obs``, on ``config`` plus an
    ``observability:`` section turning on metrics, tracing and a JSON access
    log, with ``OTEL_TRACES_EXPORTER=none`` in its environment (spans are
    made, not exported); its access lines go to its log file, as all its
    stdout does. The caller stops it."""
    obs_config = log_dir / "lip-obs.yaml"
    obs_config.write_text(config.read_text() + _OBSERVABILITY_SECTION)
    port = free_port(host)
    argv = [sys.executable, *_lip_command(host, port, obs_config)]
    env = {**os.environ, **_OBSERVABILITY_ENV}
    return start_server("lip-obs", argv, host, port, log_dir, env=env)


def _upstream_command(kind: str, host: str, port: int) -> tuple[str, list[str]]:
    python = sys.executable
    if kind == "emulator":
        emulate = ["lip.cli", "emulate", "openai-chat", "--api-key", API_KEY]
        return "emu", [python, "-m", *emulate, *_address(host, port)]
    if kind == "mock":
        return "mock", [python, "-m", "tests.bench.mockupstream", *_address(host, port)]
    raise ValueError(f"unknown upstream {kind!r}")


def _lip_config(host: str, upstream_port: int, refused_ports: Sequence[int]) -> str:
    text = _LIP_CONFIG.format(
        host=host, port=0, upstream_id=UPSTREAM_BACKEND, upstream_port=upstream_port, key=API_KEY
    )
    for backend, port in zip(REFUSED_BACKENDS, refused_ports, strict=True):
        text += _REFUSED_BACKEND.format(id=backend, host=host, port=port, key=API_KEY)
    return text


def _lip_command(host: str, port: int, config: Path) -> list[str]:
    return [
        "-m",
        "lip.cli",
        "serve",
        *_address(host, port),
        "--config",
        str(config),
        "--log-level",
        "warning",
    ]


def _address(host: str, port: int) -> list[str]:
    return ["--host", host, "--port", str(port)]


def _healthy(host: str, port: int, path: str = "/healthz") -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=1.0)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
