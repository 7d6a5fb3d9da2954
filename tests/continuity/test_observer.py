"""How :class:`Observers` hands finished records over: at once to observers that
do not batch, in batches (by count or after ``flush_interval``) to those that
do, and every pending one on :meth:`Observers.flush` and at close."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

import pytest

from lip.continuity import CallObserver, CallRecord, Observers
from lip.continuity.observer import BATCH


class Seen(CallObserver):
    def __init__(self, *, batches: bool) -> None:
        self.batches = batches
        self.ended_ids: list[str] = []
        self.closed = False

    def ended(self, record: CallRecord) -> None:
        self.ended_ids.append(record.request_id)

    def close(self) -> None:
        self.closed = True


class Failing(Seen):
    def ended(self, record: CallRecord) -> None:
        super().ended(record)
        if record.request_id.endswith("1"):
            raise RuntimeError("observer bug")


def record(n: int) -> CallRecord:
    return CallRecord(request_id=f"r{n}", method="POST", path="/v1/chat/completions")


def ids(n: int, start: int = 0) -> list[str]:
    return [f"r{i}" for i in range(start, start + n)]


async def eventually(check: Seen, expected: list[str]) -> None:
    """Until ``check`` has seen ``expected`` (no tight bound on when)."""
    deadline = time.monotonic() + 10
    while check.ended_ids != expected:
        assert time.monotonic() < deadline, check.ended_ids
        await asyncio.sleep(0.01)


def test_with_no_interval_every_observer_sees_a_record_as_it_ends() -> None:
    batching, immediate = Seen(batches=True), Seen(batches=False)
    observers = Observers([batching, immediate])

    async def run() -> None:
        observers.ended(record(0))
        assert batching.ended_ids == immediate.ended_ids == ["r0"]

    asyncio.run(run())


def test_batching_observers_see_records_after_the_interval_others_at_once() -> None:
    batching, immediate = Seen(batches=True), Seen(batches=False)
    observers = Observers([batching, immediate], flush_interval=0.05)

    async def run() -> None:
        for n in range(3):
            observers.ended(record(n))
        assert immediate.ended_ids == ids(3)
        assert batching.ended_ids == []
        await eventually(batching, ids(3))
        observers.ended(record(3))  # a new batch, with a timer of its own
        assert batching.ended_ids == ids(3)
        await eventually(batching, ids(4))

    asyncio.run(run())


def test_a_full_batch_is_handed_over_without_waiting() -> None:
    batching = Seen(batches=True)
    observers = Observers([batching], flush_interval=60)

    async def run() -> None:
        for n in range(BATCH - 1):
            observers.ended(record(n))
        assert batching.ended_ids == []
        observers.ended(record(BATCH - 1))
        assert batching.ended_ids == ids(BATCH)
        observers.ended(record(BATCH))
        assert batching.ended_ids == ids(BATCH)

    asyncio.run(run())


def test_flush_and_close_hand_over_what_is_pending() -> None:
    batching = Seen(batches=True)
    observers = Observers([batching], flush_interval=60)

    async def run() -> None:
        observers.ended(record(0))
        observers.flush()
        assert batching.ended_ids == ["r0"]
        observers.ended(record(1))
        observers.close()
        assert batching.ended_ids == ["r0", "r1"]
        assert batching.closed
        await asyncio.sleep(0.05)  # the first timer was cancelled: nothing twice
        assert batching.ended_ids == ["r0", "r1"]

    asyncio.run(run())


def test_without_a_running_loop_a_record_is_handed_over_at_once() -> None:
    batching = Seen(batches=True)
    Observers([batching], flush_interval=60).ended(record(0))
    assert batching.ended_ids == ["r0"]


def test_a_failing_observer_loses_only_the_record_it_failed_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failing, after = Failing(batches=True), Seen(batches=True)
    observers = Observers([failing, after], flush_interval=60)

    async def run() -> None:
        for n in range(3):
            observers.ended(record(n))
        observers.flush()

    with caplog.at_level(logging.ERROR, logger="lip.observe"):
        asyncio.run(run())
    assert failing.ended_ids == after.ended_ids == ids(3)
    assert [r.getMessage() for r in caplog.records] == ["observer Failing failed"]


def test_an_observer_that_batches_gets_each_batch_in_one_call() -> None:
    class Batches(CallObserver):
        batches = True

        def __init__(self) -> None:
            self.batches_seen: list[list[str]] = []

        def ended_batch(self, records: Sequence[CallRecord]) -> None:
            self.batches_seen.append([r.request_id for r in records])

    observer = Batches()
    observers = Observers([observer], flush_interval=60)

    async def run() -> None:
        for n in range(BATCH + 2):
            observers.ended(record(n))
        observers.flush()

    asyncio.run(run())
    assert observer.batches_seen == [ids(BATCH), ids(2, start=BATCH)]
