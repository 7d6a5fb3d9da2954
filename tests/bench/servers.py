"""The servers under test, each a subprocess on a free loopback port.

Subprocesses keep the servers' CPU apart from the load generator's (one
Python process cannot use more than one core for this work, so a server
sharing the generator's interpreter would halve both). :func:`launch` starts
the null server, the OpenAI Chat emulator and LIP routed to the emulator,
waits for each ``GET /healthz``, and stops all of them on exit, also when
the body raises (errors, Ctrl-C, ``SystemExit`` from a SIGTERM handler).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["API_KEY", "ServerProcess", "Servers", "free_port", "launch", "start_server"]

REPO_ROOT = Path(__file__).resolve().parents[2]
API_KEY = "sk-bench"
"""The key the emulator requires; LIP sends it upstream, direct calls send it too."""

_LIP_CONFIG = """\
server: {{host: {host}, port: {port}}}
backends:
  - id: emu
    kind: openai-compatible
    base_url: http://{host}:{emu_port}/v1
    api_key: {key}
    models: ["*"]
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
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return None
        fields = stat[stat.rfind(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

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
    emulator: ServerProcess
    lip: ServerProcess


def free_port(host: str) -> int:
    """A port that was free a moment ago (bind to 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    name: str, argv: Sequence[str], host: str, port: int, log_dir: Path, timeout: float = 20.0
) -> ServerProcess:
    """Start ``argv`` in its own session (a terminal's Ctrl-C reaches only
    the benchmark, which then stops it) and wait until ``GET /healthz``
    answers 200. Raises RuntimeError, with the log's tail, if it does not."""
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(argv), stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT, start_new_session=True
        )
    server = ServerProcess(name, host, port, process, log_path)
    deadline = time.monotonic() + timeout
    try:
        while not _healthy(host, port):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not ready within {timeout}s:\n{_tail(log_path)}")
            time.sleep(0.05)
    except BaseException:  # not ready, or Ctrl-C while waiting: never leak the process
        server.stop()
        raise
    return server


@contextmanager
def launch(host: str, work_dir: Path, profile_lip: Path | None = None) -> Iterator[Servers]:
    """Start the null server, the emulator and LIP; stop them all on exit.

    With ``profile_lip``, LIP runs under cProfile and writes its stats there
    when it is stopped.
    """
    python = sys.executable
    with ExitStack() as stack:
        null_port = free_port(host)
        null = start_server(
            "null",
            [python, "-m", "tests.bench.nullserver", *_address(host, null_port)],
            host,
            null_port,
            work_dir,
        )
        stack.callback(null.stop)
        emu_port = free_port(host)
        emulator = start_server(
            "emu",
            [
                python,
                "-m",
                "lip.cli",
                "emulate",
                "openai-chat",
                *_address(host, emu_port),
                "--api-key",
                API_KEY,
            ],
            host,
            emu_port,
            work_dir,
        )
        stack.callback(emulator.stop)
        lip_port = free_port(host)
        config = work_dir / "lip.yaml"
        config.write_text(
            _LIP_CONFIG.format(host=host, port=lip_port, emu_port=emu_port, key=API_KEY)
        )
        profiler = ["-m", "cProfile", "-o", str(profile_lip)] if profile_lip is not None else []
        lip = start_server(
            "lip",
            [
                python,
                *profiler,
                "-m",
                "lip.cli",
                "serve",
                *_address(host, lip_port),
                "--config",
                str(config),
                "--log-level",
                "warning",
            ],
            host,
            lip_port,
            work_dir,
        )
        stack.callback(lip.stop)
        yield Servers(null, emulator, lip)


def _address(host: str, port: int) -> list[str]:
    return ["--host", host, "--port", str(port)]


def _healthy(host: str, port: int) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=1.0)
    try:
        conn.request("GET", "/healthz")
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
