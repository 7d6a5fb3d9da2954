"""Memory given back after a peak: the reclaimer works only while RSS is well
above its floor, and ``lip serve`` runs on the system allocator."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from lip.server.memory import MemoryReclaimer, current_rss, glibc_trim
from tests.test_cli import _free_port

MIB = 1024 * 1024


@pytest.mark.anyio
async def test_the_reclaimer_trims_only_while_far_above_the_floor() -> None:
    readings = iter([60, 62, 90, 70, 74, 100, 59])
    trims: list[int] = []
    reclaimer = MemoryReclaimer(1, rss=lambda: next(readings) * MIB, trim=lambda: trims.append(1))
    for _ in range(7):
        await reclaimer.step()
    # 60 is the floor; 62, 70 and 74 are within 25% of it; 90 and 100 are not; 59 lowers it.
    assert reclaimer.reclaims == 2 and len(trims) == 2
    assert reclaimer.floor == 59 * MIB


def test_rss_and_trim_are_available_here() -> None:
    if not Path("/proc/self/status").exists():
        pytest.skip("reads /proc (Linux)")
    rss = current_rss()
    assert rss is not None and rss > MIB
    trim = glibc_trim()
    if trim is not None:
        trim()  # must not raise


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
def test_lip_serve_runs_on_the_system_allocator() -> None:
    port = _free_port()
    env = {k: v for k, v in __import__("os").environ.items() if k != "PYTHONMALLOC"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lip.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
        assert b"PYTHONMALLOC=malloc" in environ  # same pid: the process re-ran itself
    finally:
        proc.terminate()
        proc.wait(10)
