"""The in-process limiter: exact under concurrent bursts, retry_after to the
millisecond on a fake clock, settle and release semantics, bounded subjects."""

from __future__ import annotations

import asyncio

import pytest

from lip.canonical.errors import RateLimitedError
from lip.config.access import KeyLimits
from lip.limits import MemoryLimiter, Ticket
from lip.limits.memory import SLOT
from lip.limits.window import WINDOW

pytestmark = pytest.mark.anyio


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def memory_log(limiter: MemoryLimiter, subject: str) -> list[object]:
    """The slots of ``subject``'s log (what its memory holds)."""
    return list(limiter._subjects[subject].slots)


async def burst(
    limiter: MemoryLimiter, limits: KeyLimits, n: int, estimate: int = 0, subject: str = "alice"
) -> tuple[list[Ticket], list[RateLimitedError]]:
    """``n`` admissions at once; the tickets and the refusals."""
    results = await asyncio.gather(
        *(limiter.admit(subject, limits, estimate) for _ in range(n)), return_exceptions=True
    )
    tickets = [r for r in results if isinstance(r, Ticket)]
    refusals = [r for r in results if isinstance(r, RateLimitedError)]
    assert len(tickets) + len(refusals) == n
    return tickets, refusals


async def refused(limiter: MemoryLimiter, limits: KeyLimits, estimate: int = 0) -> RateLimitedError:
    with pytest.raises(RateLimitedError) as caught:
        await limiter.admit("alice", limits, estimate)
    return caught.value


async def test_a_burst_against_rpm_admits_exactly_the_limit() -> None:
    tickets, refusals = await burst(MemoryLimiter(), KeyLimits(rpm=100), 1000)
    assert len(tickets) == 100
    assert {r.code for r in refusals} == {"rpm_exceeded"}


async def test_a_burst_against_tpm_admits_exactly_what_the_estimates_fit() -> None:
    tickets, refusals = await burst(MemoryLimiter(), KeyLimits(tpm=1000), 1000, estimate=7)
    assert len(tickets) == 1000 // 7
    assert {r.code for r in refusals} == {"tpm_exceeded"}


async def test_a_burst_against_concurrency_admits_exactly_the_cap() -> None:
    tickets, refusals = await burst(MemoryLimiter(), KeyLimits(concurrency=10), 1000)
    assert len(tickets) == 10
    assert {(r.code, r.retry_after) for r in refusals} == {("concurrency_exceeded", None)}


async def test_subjects_are_counted_apart() -> None:
    limiter = MemoryLimiter()
    alice, _ = await burst(limiter, KeyLimits(rpm=5), 20, subject="alice")
    bob, _ = await burst(limiter, KeyLimits(rpm=5), 20, subject="bob")
    assert len(alice) == len(bob) == 5


async def test_rpm_retry_after_is_when_the_oldest_admission_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = MemoryLimiter(clock=clock)
    limits = KeyLimits(rpm=2)
    await limiter.admit("alice", limits, 0)  # t=1000
    clock.now = 1010
    await limiter.admit("alice", limits, 0)
    clock.now = 1020
    error = await refused(limiter, limits)
    assert error.code == "rpm_exceeded"
    assert error.retry_after == pytest.approx(40)
    assert "2 requests per minute" in error.message
    assert "alice" not in error.message
    clock.now = 1059.999
    await refused(limiter, limits)
    clock.now = 1060  # exactly retry_after later: the first admission has left
    await limiter.admit("alice", limits, 0)
    clock.now = 1061
    assert (await refused(limiter, limits)).retry_after == pytest.approx(9)


async def test_tpm_retry_after_is_when_enough_tokens_have_left_the_window() -> None:
    clock = FakeClock()
    limiter = MemoryLimiter(clock=clock)
    limits = KeyLimits(tpm=100)
    await limiter.admit("alice", limits, 30)  # t=1000
    clock.now = 1005
    await limiter.admit("alice", limits, 30)
    clock.now = 1008
    await limiter.admit("alice", limits, 30)
    clock.now = 1010
    # 90 in the window: 11 to 40 more need the first entry gone (t=1060), 41
    # the first two (t=1065), 100 all three (t=1068).
    assert (await refused(limiter, limits, 11)).retry_after == pytest.approx(50)
    assert (await refused(limiter, limits, 40)).retry_after == pytest.approx(50)
    assert (await refused(limiter, limits, 41)).retry_after == pytest.approx(55)
    error = await refused(limiter, limits, 100)
    assert error.retry_after == pytest.approx(58)
    assert error.code == "tpm_exceeded"
    assert "100 tokens per minute" in error.message
    assert "estimated at 100" in error.message
    await limiter.admit("alice", limits, 10)  # exactly fills it


async def test_an_estimate_over_the_tpm_limit_can_never_be_admitted() -> None:
    limiter = MemoryLimiter()
    error = await refused(limiter, KeyLimits(tpm=100), 101)
    assert (error.code, error.retry_after) == ("tpm_exceeded", None)
    assert "101 tokens" in error.message


async def test_settle_corrects_the_estimate_in_place() -> None:
    clock = FakeClock()
    limiter = MemoryLimiter(clock=clock)
    limits = KeyLimits(tpm=100)
    ticket = await limiter.admit("alice", limits, 80)
    await refused(limiter, limits, 30)
    await limiter.settle(ticket, 20)
    await limiter.admit("alice", limits, 80)  # 20 + 80
    await refused(limiter, limits, 1)

    other = MemoryLimiter(clock=clock)
    ticket = await other.admit("alice", limits, 10)
    await other.settle(ticket, 100)
    with pytest.raises(RateLimitedError):
        await other.admit("alice", limits, 1)


async def test_settle_counts_once() -> None:
    limiter = MemoryLimiter()
    limits = KeyLimits(tpm=100)
    ticket = await limiter.admit("alice", limits, 50)
    await limiter.settle(ticket, 10)
    await limiter.settle(ticket, 90)  # ignored
    await limiter.admit("alice", limits, 90)  # 10 + 90


async def test_settle_after_the_window_counts_only_the_excess_from_now() -> None:
    clock = FakeClock()
    limiter = MemoryLimiter(clock=clock)
    limits = KeyLimits(tpm=100)
    long_stream = await limiter.admit("alice", limits, 10)  # t=1000
    clock.now = 1061  # the admission has left the window
    await limiter.settle(long_stream, 50)  # 40 over the estimate, counted at t=1061
    clock.now = 1062
    error = await refused(limiter, limits, 70)
    assert error.retry_after == pytest.approx(59)
    await limiter.admit("alice", limits, 60)

    overestimate = await limiter.admit("bob", limits, 90)
    clock.now = 1200
    await limiter.settle(overestimate, 5)  # moot: it has left the window
    await limiter.admit("bob", limits, 100)


async def test_settle_tolerates_tickets_without_tokens_and_forgotten_subjects() -> None:
    limiter = MemoryLimiter(max_subjects=1)
    untracked = await limiter.admit("alice", KeyLimits(rpm=10), 10)
    await limiter.settle(untracked, 1_000_000)  # no tpm: nothing to correct
    ticket = await limiter.admit("alice", KeyLimits(tpm=100, concurrency=1), 10)
    await limiter.admit("bob", KeyLimits(rpm=1), 0)  # evicts alice
    await limiter.settle(ticket, 20)
    await limiter.release(ticket)


async def test_release_frees_the_slot_and_is_idempotent() -> None:
    limiter = MemoryLimiter()
    limits = KeyLimits(concurrency=2)
    first = await limiter.admit("alice", limits, 0)
    await limiter.admit("alice", limits, 0)
    error = await refused(limiter, limits)
    assert (error.code, error.retry_after) == ("concurrency_exceeded", None)
    assert "2 requests in flight" in error.message
    await limiter.release(first)
    await limiter.release(first)  # a second release must not free another slot
    third = await limiter.admit("alice", limits, 0)
    await refused(limiter, limits)
    await limiter.release(third)
    await limiter.admit("alice", limits, 0)


async def test_a_refusal_records_nothing() -> None:
    limiter = MemoryLimiter()
    limits = KeyLimits(rpm=1, tpm=100, concurrency=5)
    await limiter.admit("alice", limits, 10)
    for _ in range(10):
        await refused(limiter, limits, 10)
    # The refused requests took no tokens: 90 more still fit once rpm allows.
    assert await limiter.admit("alice", KeyLimits(tpm=100), 90)


async def test_the_reported_refusal_is_the_one_that_frees_last() -> None:
    clock = FakeClock()
    limiter = MemoryLimiter(clock=clock)
    await limiter.admit("alice", KeyLimits(tpm=100), 100)  # t=1000: frees at 1060
    clock.now = 1030
    limits = KeyLimits(rpm=1, tpm=100, concurrency=1)
    await limiter.admit("alice", KeyLimits(rpm=1, concurrency=1), 0)  # frees at 1090
    clock.now = 1040
    error = await refused(limiter, limits, 10)
    assert (error.code, error.retry_after) == ("rpm_exceeded", pytest.approx(50))
    # Waiting cannot cure an estimate over the limit: that one is reported.
    assert (await refused(limiter, limits, 500)).retry_after is None


async def test_no_limits_admit_everything_and_remember_nothing() -> None:
    limiter = MemoryLimiter()
    tickets, _ = await burst(limiter, KeyLimits(), 100)
    assert len(tickets) == 100
    assert len(limiter) == 0


async def test_subjects_are_bounded() -> None:
    limiter = MemoryLimiter(max_subjects=50)
    for n in range(1000):
        await limiter.admit(f"key-{n}", KeyLimits(rpm=1), 0)
        assert len(limiter) <= 50
    assert len(limiter) == 50


async def test_idle_subjects_are_dropped() -> None:
    clock = FakeClock()
    limiter = MemoryLimiter(clock=clock)
    for n in range(10):
        await limiter.admit(f"old-{n}", KeyLimits(rpm=1, tpm=10), 1)
    busy = await limiter.admit("busy", KeyLimits(concurrency=1), 0)
    clock.now += 61  # every old subject's window is empty now
    for n in range(10):
        await limiter.admit(f"new-{n}", KeyLimits(rpm=1), 0)
    assert len(limiter) == 11  # the new ones, and the one still in flight
    await limiter.release(busy)
    await limiter.admit("new-0", KeyLimits(rpm=5), 0)
    await limiter.admit("new-1", KeyLimits(rpm=5), 0)
    assert len(limiter) == 10


async def test_admissions_within_one_slot_share_it_and_leave_the_window_together() -> None:
    clock = FakeClock()
    limiter = MemoryLimiter(clock=clock)
    limits = KeyLimits(rpm=3, tpm=100)
    await limiter.admit("alice", limits, 10)
    clock.now += SLOT / 2
    late = await limiter.admit("alice", limits, 10)
    clock.now = 1_000 + 2 * SLOT  # a new slot
    await limiter.admit("alice", limits, 10)
    error = await refused(limiter, limits)
    assert (error.code, error.retry_after) == ("rpm_exceeded", pytest.approx(WINDOW - 2 * SLOT))
    await limiter.settle(late, 50)  # corrected in its slot, which is still in the window
    assert (await refused(limiter, KeyLimits(tpm=100), 31)).code == "tpm_exceeded"
    clock.now = 1_000 + WINDOW  # the first slot leaves, with both of its admissions
    await limiter.admit("alice", limits, 10)
    await limiter.admit("alice", limits, 10)
    assert (await refused(limiter, limits)).code == "rpm_exceeded"


async def test_the_log_is_bounded_by_the_window_not_the_request_rate() -> None:
    clock = FakeClock()
    limiter = MemoryLimiter(clock=clock)
    limits = KeyLimits(rpm=10**9, tpm=10**12, concurrency=10**6)
    for _ in range(20_000):  # 20,000 requests over 2 s, a new one every 0.1 ms
        ticket = await limiter.admit("alice", limits, 5)
        await limiter.finish(ticket, 7)
        clock.now += 0.0001
    assert len(memory_log(limiter, "alice")) <= 2 / SLOT + 1
    clock.now += WINDOW
    await limiter.admit("alice", limits, 0)
    assert len(memory_log(limiter, "alice")) == 1
