"""The bulkhead: limit, FIFO queue, refusals, and no slot ever lost to a
cancelled or timed-out waiter. Timing-free except one short queue timeout
whose occurrence (not duration) is asserted."""

from __future__ import annotations

import asyncio
import time

import pytest

from lip.canonical import OverloadedError
from lip.config.model import ConcurrencyConfig
from lip.routing.bulkhead import Bulkhead


async def settle() -> None:
    """Let every ready task run until it blocks again."""
    for _ in range(10):
        await asyncio.sleep(0)


async def queue_up(bulkhead: Bulkhead) -> asyncio.Task[None]:
    """Start an acquire and return once it waits in the queue."""
    before = bulkhead.queued
    task = asyncio.create_task(bulkhead.acquire())
    await settle()
    assert bulkhead.queued == before + 1
    return task


@pytest.mark.anyio
async def test_limit_then_refused_at_once_without_a_queue() -> None:
    bulkhead = Bulkhead(2, backend_id="b1")
    await bulkhead.acquire()
    await bulkhead.acquire()
    with pytest.raises(OverloadedError) as caught:
        await bulkhead.acquire()
    error = caught.value
    assert error.code == "backend_busy"
    assert error.retry_after == 1.0
    assert error.message == "backend b1 is at its concurrency limit (2 in flight, 0 queued)"
    assert bulkhead.in_flight == 2
    bulkhead.release()
    await bulkhead.acquire()
    assert bulkhead.in_flight == 2


@pytest.mark.anyio
async def test_queue_full_is_refused_with_backend_busy() -> None:
    bulkhead = Bulkhead(1, queue=1, backend_id="b1")
    await bulkhead.acquire()
    waiter = await queue_up(bulkhead)
    with pytest.raises(OverloadedError, match=r"\(1 in flight, 1 queued\)") as caught:
        await bulkhead.acquire()
    assert caught.value.code == "backend_busy"
    bulkhead.release()
    await waiter
    assert (bulkhead.in_flight, bulkhead.queued) == (1, 0)


@pytest.mark.anyio
async def test_waiters_are_served_in_fifo_order() -> None:
    bulkhead = Bulkhead(1, queue=5, backend_id="b1")
    await bulkhead.acquire()
    served: list[int] = []

    async def worker(n: int) -> None:
        async with bulkhead.slot():
            served.append(n)
            await asyncio.sleep(0)

    tasks = []
    for n in range(5):
        tasks.append(asyncio.create_task(worker(n)))
        await settle()  # queued in this order
    assert bulkhead.queued == 5
    bulkhead.release()
    await asyncio.gather(*tasks)
    assert served == [0, 1, 2, 3, 4]
    assert (bulkhead.in_flight, bulkhead.queued) == (0, 0)


@pytest.mark.anyio
async def test_a_newcomer_cannot_overtake_a_waiter_being_handed_a_slot() -> None:
    bulkhead = Bulkhead(1, queue=1, backend_id="b1")
    await bulkhead.acquire()
    first = await queue_up(bulkhead)
    bulkhead.release()  # handed to `first`, which has not resumed yet
    assert bulkhead.in_flight == 1
    newcomer = asyncio.create_task(bulkhead.acquire())
    await settle()
    assert first.done() and not newcomer.done()
    bulkhead.release()
    await newcomer
    assert bulkhead.in_flight == 1


@pytest.mark.anyio
async def test_queue_timeout() -> None:
    bulkhead = Bulkhead(1, queue=1, queue_timeout=0.05, backend_id="b1")
    await bulkhead.acquire()
    with pytest.raises(OverloadedError) as caught:
        await bulkhead.acquire()
    assert caught.value.code == "queue_timeout"
    assert caught.value.retry_after == 1.0
    assert (bulkhead.in_flight, bulkhead.queued) == (1, 0)
    bulkhead.release()
    assert bulkhead.in_flight == 0


@pytest.mark.anyio
async def test_timeout_at_handover_keeps_the_slot() -> None:
    bulkhead = Bulkhead(1, queue=1, queue_timeout=0.05, backend_id="b1")
    await bulkhead.acquire()
    waiter = await queue_up(bulkhead)
    time.sleep(0.1)  # block the loop: the waiter's timer is now due
    # The loop runs this step, then the due timer, in one turn: the slot is
    # handed over first and the timer cancels a waiter that already has it.
    await asyncio.sleep(0)
    bulkhead.release()
    await waiter  # no queue_timeout: the wait did succeed
    assert (bulkhead.in_flight, bulkhead.queued) == (1, 0)
    bulkhead.release()
    assert bulkhead.in_flight == 0


@pytest.mark.anyio
async def test_cancelled_waiter_leaves_the_queue() -> None:
    bulkhead = Bulkhead(1, queue=2, backend_id="b1")
    await bulkhead.acquire()
    doomed = await queue_up(bulkhead)
    kept = await queue_up(bulkhead)
    doomed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await doomed
    assert bulkhead.queued == 1
    bulkhead.release()
    await kept  # the slot skipped the cancelled waiter
    assert (bulkhead.in_flight, bulkhead.queued) == (1, 0)


@pytest.mark.anyio
async def test_cancelled_at_handover_passes_the_slot_on() -> None:
    bulkhead = Bulkhead(1, queue=2, backend_id="b1")
    await bulkhead.acquire()
    doomed = await queue_up(bulkhead)
    kept = await queue_up(bulkhead)
    bulkhead.release()  # the slot is handed to `doomed` ...
    doomed.cancel()  # ... which is cancelled before it can resume
    with pytest.raises(asyncio.CancelledError):
        await doomed
    await kept  # so it went on to the next in line
    assert (bulkhead.in_flight, bulkhead.queued) == (1, 0)
    bulkhead.release()
    assert bulkhead.in_flight == 0


@pytest.mark.anyio
async def test_cancelled_at_handover_with_no_one_behind_frees_the_slot() -> None:
    bulkhead = Bulkhead(1, queue=1, backend_id="b1")
    await bulkhead.acquire()
    doomed = await queue_up(bulkhead)
    bulkhead.release()
    doomed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await doomed
    assert (bulkhead.in_flight, bulkhead.queued) == (0, 0)
    await bulkhead.acquire()  # not leaked: available at once


@pytest.mark.anyio
async def test_slot_is_released_when_the_body_raises() -> None:
    bulkhead = Bulkhead(1, backend_id="b1")
    with pytest.raises(RuntimeError, match="boom"):
        async with bulkhead.slot():
            assert bulkhead.in_flight == 1
            raise RuntimeError("boom")
    assert bulkhead.in_flight == 0


@pytest.mark.anyio
async def test_stress_never_exceeds_the_limit() -> None:
    limit = 3
    bulkhead = Bulkhead(limit, queue=1000, queue_timeout=3600, backend_id="b1")
    holding = 0
    peak = 0
    finished = 0

    async def worker(n: int) -> None:
        nonlocal holding, peak, finished
        async with bulkhead.slot():
            holding += 1
            peak = max(peak, holding)
            assert bulkhead.in_flight <= limit
            for _ in range(n % 4):
                await asyncio.sleep(0)
            holding -= 1
        finished += 1

    tasks = [asyncio.create_task(worker(n)) for n in range(200)]
    await asyncio.sleep(0)
    # Cancel some while queued, some right after a release handed them a slot.
    for turn in range(40):
        tasks[50 + turn * 3].cancel()
        await asyncio.sleep(0)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    cancelled = sum(isinstance(r, asyncio.CancelledError) for r in results)
    assert [r for r in results if r is not None and not isinstance(r, asyncio.CancelledError)] == []
    assert peak == limit
    assert finished + cancelled == 200 and cancelled > 0
    assert (bulkhead.in_flight, bulkhead.queued) == (0, 0)


def test_release_without_acquire_is_a_bug() -> None:
    with pytest.raises(RuntimeError, match="release without acquire"):
        Bulkhead(1, backend_id="b1").release()


@pytest.mark.parametrize("limit, queue, timeout", [(0, 0, 1.0), (1, -1, 1.0), (1, 0, 0.0)])
def test_rejects_bad_parameters(limit: int, queue: int, timeout: float) -> None:
    with pytest.raises(ValueError):
        Bulkhead(limit, queue, timeout, backend_id="b1")


def test_from_config() -> None:
    bulkhead = Bulkhead.from_config("b1", ConcurrencyConfig(limit=4, queue=2, queue_timeout=3))
    assert (bulkhead.backend_id, bulkhead.limit, bulkhead.queue) == ("b1", 4, 2)
    assert bulkhead.queue_timeout == 3
