"""A JavaScript SDK driver kept running: one Node process serves job after job.

Starting Node and loading an SDK costs far more than one request, so a
driver script (``parity/js/<frontend>.mjs``) runs once per harness worker
and reads jobs as JSON lines on stdin, answering each with one JSON line on
stdout (:mod:`parity/js/driver.mjs` documents the shapes). The harness sends
one job at a time and waits for its answer, so it can script the upstream
for exactly that job first.
"""

from __future__ import annotations

import contextlib
import json
import queue
import shutil
import subprocess
import threading
from collections import deque
from pathlib import Path
from typing import IO, Any

from parity.observation import Observation
from parity.scenario import Mode

__all__ = ["JS_DIR", "NodeDriver"]

JS_DIR = Path(__file__).resolve().parent / "js"
_SCRIPTS = {
    "openai_chat": "openai_chat.mjs",
    "anthropic_messages": "anthropic_messages.mjs",
    "openai_responses": "openai_responses.mjs",
    "gemini": "gemini.mjs",
}
_JOB_TIMEOUT = 120.0
"""Seconds one job may take (the SDKs time out after 20)."""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed; the JavaScript SDK drivers need Node.js 20+")
    if not (JS_DIR / "node_modules").is_dir():
        raise RuntimeError(f"run `npm ci --prefix {JS_DIR}` to install the JavaScript SDKs")
    return node


class NodeDriver:
    """``frontend``'s JavaScript driver in one Node process; :meth:`run` one job."""

    def __init__(self, frontend: str) -> None:
        if frontend not in _SCRIPTS:
            raise KeyError(f"no JavaScript driver for frontend {frontend!r}")
        self.script = _SCRIPTS[frontend]
        self._process = subprocess.Popen(
            [_node(), str(JS_DIR / self.script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        assert self._process.stdout is not None and self._process.stderr is not None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=20)
        self._readers = [
            threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True),
            threading.Thread(target=self._drain, args=(self._process.stderr,), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self.sdk: dict[str, Any] = self._next()["sdk"]
        self._sent = 0

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def _drain(self, stream: IO[str]) -> None:
        for line in stream:  # one diagnostic line per failed job: kept for errors
            self._stderr.append(line.rstrip())

    def _next(self) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=_JOB_TIMEOUT)
        except queue.Empty:
            self.close()
            raise RuntimeError(f"{self.script}: no answer within {_JOB_TIMEOUT:.0f} s") from None
        if line is None:
            code = self._process.wait()
            raise RuntimeError(
                f"{self.script} exited with {code}: " + " | ".join(self._stderr or ["no output"])
            )
        value: dict[str, Any] = json.loads(line)
        return value

    def run(self, base_url: str, api_key: str, params: dict[str, Any], mode: Mode) -> Observation:
        """One request through the SDK, read the way ``mode`` says."""
        assert self._process.stdin is not None
        self._sent += 1
        job = {
            "id": str(self._sent),
            "base_url": base_url,
            "api_key": api_key,
            "params": params,
            "mode": mode,
        }
        self._process.stdin.write(json.dumps(job) + "\n")
        self._process.stdin.flush()
        result = self._next()
        if result.get("id") != job["id"]:
            raise RuntimeError(f"{self.script} answered job {result.get('id')!r}, not {job['id']}")
        return Observation.model_validate(result["observation"])

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            with contextlib.suppress(OSError):  # it may have died
                self._process.stdin.close()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for reader in self._readers:
            reader.join(5)
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()
