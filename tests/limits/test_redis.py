"""The Redis limiter against a real server (tests/limits/conftest.py): as exact
as the memory one under bursts, one count across processes, keys that expire,
the script cache lost and refilled, and a dead server reported as 503."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from lip.canonical.errors import OverloadedError, RateLimitedError
from lip.config.access import KeyLimits
from lip.limits import Ticket

pytest.importorskip("redis")

from lip.limits.redis import RedisLimiter, connect

if TYPE_CHECKING:
    import redis.asyncio as aioredis

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def limiter(redis_url: str, key_prefix: str) -> AsyncIterator[RedisLimiter]:
    limiter = RedisLimiter(connect(redis_url), key_prefix=key_prefix)
    try:
        yield limiter
    finally:
        await limiter.aclose()


async def burst(
    limiter: RedisLimiter, limits: KeyLimits, n: int, estimate: int = 0, subject: str = "alice"
) -> tuple[list[Ticket], list[RateLimitedError]]:
    results = await asyncio.gather(
        *(limiter.admit(subject, limits, estimate) for _ in range(n)), return_exceptions=True
    )
    tickets = [r for r in results if isinstance(r, Ticket)]
    refusals = [r for r in results if isinstance(r, RateLimitedError)]
    assert len(tickets) + len(refusals) == n, [r for r in results if isinstance(r, Exception)]
    return tickets, refusals


async def refused(limiter: RedisLimiter, limits: KeyLimits, estimate: int = 0) -> RateLimitedError:
    with pytest.raises(RateLimitedError) as caught:
        await limiter.admit("alice", limits, estimate)
    return caught.value


async def test_a_burst_against_rpm_admits_exactly_the_limit(limiter: RedisLimiter) -> None:
    tickets, refusals = await burst(limiter, KeyLimits(rpm=100), 1000)
    assert len(tickets) == 100
    assert {r.code for r in refusals} == {"rpm_exceeded"}
    # Nothing has left the window: the first admission frees the next slot.
    assert all(59 < (r.retry_after or 0) <= 60 for r in refusals)


async def test_a_burst_against_tpm_admits_exactly_what_the_estimates_fit(
    limiter: RedisLimiter,
) -> None:
    tickets, refusals = await burst(limiter, KeyLimits(tpm=1000), 1000, estimate=7)
    assert len(tickets) == 1000 // 7
    assert {r.code for r in refusals} == {"tpm_exceeded"}
    assert all(59 < (r.retry_after or 0) <= 60 for r in refusals)


async def test_a_burst_against_concurrency_admits_exactly_the_cap(limiter: RedisLimiter) -> None:
    tickets, refusals = await burst(limiter, KeyLimits(concurrency=10), 1000)
    assert len(tickets) == 10
    assert {(r.code, r.retry_after) for r in refusals} == {("concurrency_exceeded", None)}


async def test_an_estimate_over_the_tpm_limit_can_never_be_admitted(
    limiter: RedisLimiter,
) -> None:
    error = await refused(limiter, KeyLimits(tpm=100, rpm=1), 101)
    assert (error.code, error.retry_after) == ("tpm_exceeded", None)


async def test_settle_corrects_the_estimate(limiter: RedisLimiter) -> None:
    limits = KeyLimits(tpm=100)
    ticket = await limiter.admit("alice", limits, 80)
    await refused(limiter, limits, 30)
    await limiter.settle(ticket, 20)
    await limiter.settle(ticket, 100)  # only the first settle counts
    second = await limiter.admit("alice", limits, 80)
    await refused(limiter, limits, 1)
    await limiter.settle(second, 90)  # 20 + 90: over, nothing more fits
    assert (await refused(limiter, limits, 1)).code == "tpm_exceeded"


async def test_release_frees_the_slot_and_is_idempotent(limiter: RedisLimiter) -> None:
    limits = KeyLimits(concurrency=2)
    first = await limiter.admit("alice", limits, 0)
    await limiter.admit("alice", limits, 0)
    await refused(limiter, limits)
    await limiter.release(first)
    await limiter.release(first)
    await limiter.admit("alice", limits, 0)
    await refused(limiter, limits)


async def test_a_refusal_records_nothing(limiter: RedisLimiter) -> None:
    limits = KeyLimits(rpm=1, tpm=100, concurrency=5)
    await limiter.admit("alice", limits, 10)
    for _ in range(10):
        await refused(limiter, limits, 10)
    await limiter.admit("alice", KeyLimits(tpm=100, concurrency=4), 90)


async def test_keys_expire_and_name_the_subject_as_a_hash_tag(
    limiter: RedisLimiter, redis_client: aioredis.Redis, key_prefix: str
) -> None:
    await limiter.admit("a{b}%", KeyLimits(rpm=5, tpm=50, concurrency=2), 5)
    keys = sorted(k.decode() for k in await redis_client.keys(f"{key_prefix}*"))
    base = f"{key_prefix}rl:{{a%7Bb%7D%25}}:"
    assert keys == [base + s for s in ("req", "slots", "tok", "tokn", "toksum")]
    for key in keys:
        ttl = await redis_client.pttl(key)
        limit = 3_600_000 if key.endswith("slots") else 61_000
        assert 0 < ttl <= limit


async def test_a_lost_script_cache_is_refilled(
    limiter: RedisLimiter, redis_client: aioredis.Redis
) -> None:
    limits = KeyLimits(rpm=2)
    await limiter.admit("alice", limits, 0)
    await redis_client.script_flush()
    ticket = await limiter.admit("alice", limits, 0)  # EVALSHA -> NOSCRIPT -> EVAL
    await redis_client.script_flush()
    await limiter.settle(ticket, 5)
    await refused(limiter, limits)


async def test_two_processes_share_one_limit(redis_url: str, key_prefix: str) -> None:
    # Each process tries 1000 against rpm=400 and 1000 (of 7 tokens) against
    # tpm=4000, 16 at a time so the two interleave; together they must get
    # exactly the limits, not twice them.
    command = [sys.executable, "-m", "tests.limits.burst", redis_url, key_prefix]
    command += ["1000", "400", "4000", "7"]
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:  # both connected before either starts
            assert worker.stdout is not None
            assert await asyncio.to_thread(worker.stdout.readline) == "ready\n"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [await asyncio.to_thread(w.communicate, timeout=20) for w in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    counts = [tuple(int(n) for n in out.split()) for out, _ in outputs]
    assert [w.returncode for w in workers] == [0, 0]
    assert sum(c[0] for c in counts) == 400
    assert sum(c[1] for c in counts) == 4000 // 7


async def test_an_unreachable_server_is_overloaded_and_never_shows_the_url() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    limiter = RedisLimiter(connect(f"redis://:hunter2secret@127.0.0.1:{port}/0", timeout=1))
    try:
        started = time.monotonic()
        with pytest.raises(OverloadedError) as caught:
            await limiter.admit("alice", KeyLimits(rpm=1), 0)
        assert (
            time.monotonic() - started < 30
        )  # no hang (the connect timeout is 1 s), however loaded
    finally:
        await limiter.aclose()
    assert caught.value.code == "limits_unavailable"
    assert "hunter2" not in caught.value.message
    assert str(port) not in caught.value.message
