"""SIGTERM with streams in flight, on a real ``lip serve`` process: readiness
says 503 at once, every stream either completes or ends with a well-formed
in-stream error when the grace period is over, and the process exits 0."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from refbackends.openai_chat import create_app as create_emulator
from refbackends.serving import serve_in_thread

STREAMS = 50
GRACE = int(os.environ.get("LIP_DRAIN_GRACE", "2"))
"""server.shutdown_timeout; the acceptance run uses 10 (LIP_DRAIN_GRACE=10)."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def emulator() -> Iterator[str]:
    with serve_in_thread(create_emulator()) as url:
        yield url


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, "lip serve did not start"
        time.sleep(0.1)


def test_sigterm_drains_streams_into_in_stream_errors(emulator: str, tmp_path: Path) -> None:
    port = _free_port()
    config = tmp_path / "lip.yaml"
    config.write_text(
        f"server: {{port: {port}, shutdown_timeout: {GRACE}, drain_delay: 1}}\n"
        f"backends: [{{id: emu, kind: openai-compatible, base_url: '{emulator}/v1', models: ['*']}}]\n"
    )
    # Long streams, a word every 200 ms: each would run for over a minute.
    scripts = [{"scenario": "long", "chunk_delay_ms": 200}] * STREAMS
    httpx.post(f"{emulator}/__emulator__/scripts", json=scripts).raise_for_status()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lip.cli", "serve", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    frames: list[list[str]] = [[] for _ in range(STREAMS)]
    started = threading.Barrier(STREAMS + 1, timeout=30)

    def stream(number: int) -> None:
        body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": "x"}]}
        with httpx.stream("POST", f"{base}/v1/chat/completions", json=body, timeout=30) as reply:
            lines = reply.iter_lines()
            frames[number].append(next(lines))
            started.wait()
            frames[number].extend(line for line in lines if line)

    try:
        _wait_ready(base, proc)
        threads = [threading.Thread(target=stream, args=(n,)) for n in range(STREAMS)]
        for thread in threads:
            thread.start()
        started.wait()
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        assert httpx.get(f"{base}/readyz", timeout=5).status_code == 503  # during drain_delay
        for thread in threads:
            thread.join(GRACE + 60)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        log = proc.stderr.read().decode() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    for lines in frames:
        last = json.loads(lines[-1].removeprefix("data: "))
        assert last == {
            "error": {
                "message": "the server is shutting down; retry the request",
                "type": "server_error",
                "param": None,
                "code": "overloaded",
            }
        }, lines[-3:]
        assert len(lines) > 3  # words kept flowing during the grace period
    assert "Traceback" not in log
