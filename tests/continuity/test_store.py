"""Lineage stores: records by request id, bounded by count (oldest out first)
and by age; SQLite writes off the request path, keeps records across
instances and shares them with other connections to the file."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from lip.continuity import (
    Attempt,
    CallOutcome,
    CallRecord,
    LineageStore,
    MemoryLineage,
    Outcome,
    SQLiteLineage,
)

pytestmark = pytest.mark.anyio


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def full_record(request_id: str = "a" * 32) -> CallRecord:
    """Every field set, so a round trip that drops one shows."""
    return CallRecord(
        request_id=request_id,
        protocol="openai_chat",
        selector="a:m | b:m",
        plan="failover(a:m, b:m)",
        stream=True,
        started=1_700_000_000.25,
        first_output=0.5,
        ended=1.75,
        outcome=CallOutcome.ERROR,
        error_kind="upstream_error",
        attempts=[
            Attempt(
                number=1,
                backend_id="a",
                model="m",
                upstream_model="m-2024",
                key_fingerprint="k#1a2b",
                started=1_700_000_000.3,
                ended=0.1,
                outcome=Outcome.FAILED_BEFORE_OUTPUT,
                error_kind="overloaded",
                error_message="upstream overloaded",
            ),
            Attempt(
                number=2,
                backend_id="b",
                model="m",
                upstream_model="m",
                started=1_700_000_000.4,
                first_output=0.2,
                ended=1.2,
                outcome=Outcome.SURFACED,
                error_kind="upstream_error",
                error_message="stream cut",
            ),
        ],
    )


def record(request_id: str) -> CallRecord:
    return CallRecord(request_id=request_id, protocol="gemini", outcome=CallOutcome.SUCCESS)


async def ids(store: LineageStore, wanted: str) -> list[str]:
    return [i for i in wanted if await store.get(i) is not None]


# --- records ------------------------------------------------------------------


def test_from_json_inverts_to_json() -> None:
    original = full_record()
    assert CallRecord.from_json(original.to_json()) == original
    bare = CallRecord(request_id="b" * 32, protocol="gemini")
    assert CallRecord.from_json(bare.to_json()) == bare


@pytest.mark.parametrize(
    "broken",
    [
        {"protocol": "x", "started": 1.0},  # no request_id
        {"request_id": "r", "protocol": "x", "started": "soon"},
        {"request_id": "r", "protocol": "x", "started": 1.0, "outcome": "meh"},
        {"request_id": "r", "protocol": "x", "started": 1.0, "attempts": {}},
        {"request_id": "r", "protocol": "x", "started": 1.0, "attempts": [{"number": 1}]},
        {"request_id": "r", "protocol": "x", "started": True},
    ],
)
def test_from_json_rejects_other_shapes(broken: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CallRecord.from_json(broken)


# --- memory -------------------------------------------------------------------


async def test_memory_keeps_at_most_max_entries_oldest_out_first() -> None:
    store = MemoryLineage(max_entries=3, ttl=60, clock=FakeClock())
    for i in "abcde":
        store.put(record(i))
    assert len(store) == 3
    assert await ids(store, "abcde") == ["c", "d", "e"]
    store.put(record("c"))  # put again: now the newest
    store.put(record("f"))
    assert await ids(store, "cdef") == ["c", "e", "f"]


async def test_memory_records_expire_after_their_ttl() -> None:
    clock = FakeClock()
    store = MemoryLineage(max_entries=10, ttl=10, clock=clock)
    store.put(record("a"))
    clock.now += 5
    store.put(record("b"))
    clock.now += 4.9
    assert await ids(store, "ab") == ["a", "b"]
    clock.now += 0.1  # a is 10 s old
    assert await ids(store, "ab") == ["b"]
    clock.now += 5
    assert await ids(store, "ab") == []
    assert len(store) == 0


async def test_memory_returns_the_record_as_put() -> None:
    store = MemoryLineage(max_entries=1, ttl=1, clock=FakeClock())
    kept = full_record()
    store.put(kept)
    assert await store.get(kept.request_id) == kept
    assert await store.get("unknown") is None
    await store.aclose()


class Failing(LineageStore):
    def _put(self, record: CallRecord) -> None:
        raise OSError("disk on fire")

    async def get(self, request_id: str) -> CallRecord | None:
        return None

    async def flush(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


def test_put_never_raises_it_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="lip.continuity"):
        Failing().put(record("a"))
    assert "record of request a" in caplog.text


# --- sqlite -------------------------------------------------------------------


@asynccontextmanager
async def sqlite(
    path: Path, *, max_entries: int = 100, ttl: float = 60.0, clock: Callable[[], float] = time.time
) -> AsyncIterator[SQLiteLineage]:
    store = SQLiteLineage(path, max_entries=max_entries, ttl=ttl, clock=clock)
    try:
        yield store
    finally:
        await store.aclose()


async def test_sqlite_round_trip_survives_reopening(tmp_path: Path) -> None:
    kept = full_record()
    async with sqlite(tmp_path / "lineage.db") as store:
        store.put(kept)
        assert await store.get(kept.request_id) == kept  # readable before it is written
    async with sqlite(tmp_path / "lineage.db") as reopened:
        assert await reopened.get(kept.request_id) == kept
        assert await reopened.get("unknown") is None


async def test_a_second_connection_reads_what_was_flushed(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    async with sqlite(path) as writer, sqlite(path) as reader:
        writer.put(full_record("x" * 32))
        await writer.flush()
        got = await reader.get("x" * 32)
        assert got is not None and got.attempts[1].outcome is Outcome.SURFACED
    # And a plain sqlite3 client (another worker process reads it the same way): WAL mode.
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT COUNT(*) FROM lip_lineage").fetchone() == (1,)
    finally:
        db.close()


async def test_sqlite_prunes_to_max_entries_oldest_first(tmp_path: Path) -> None:
    clock = FakeClock()
    async with sqlite(tmp_path / "lineage.db", max_entries=3, clock=clock) as store:
        for i in "abcde":
            store.put(record(i))
            await store.flush()  # one batch each, so each has its own write time
            clock.now += 1
        assert await ids(store, "abcde") == ["c", "d", "e"]
    # Reopened with a smaller bound: pruned at the next write.
    async with sqlite(tmp_path / "lineage.db", max_entries=1, clock=clock) as store:
        store.put(record("f"))
        await store.flush()
        assert await ids(store, "abcdef") == ["f"]


async def test_sqlite_records_expire_after_their_ttl(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "lineage.db"
    async with sqlite(path, ttl=10.0, clock=clock) as store:
        store.put(record("a"))
        await store.flush()
        clock.now += 5
        store.put(record("b"))
        await store.flush()
        clock.now += 5  # a is 10 s old: no longer served, even before a prune
        assert await ids(store, "ab") == ["b"]
        clock.now += 1
        store.put(record("c"))  # the next write deletes what has expired
        await store.flush()
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT request_id FROM lip_lineage ORDER BY 1").fetchall() == [
            ("b",),
            ("c",),
        ]
    finally:
        db.close()


async def test_sqlite_batches_a_burst_and_flushes_on_close(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    async with sqlite(path, max_entries=1000) as store:
        for i in range(600):  # more than one batch
            store.put(record(f"r{i}"))
    async with sqlite(path, max_entries=1000) as reopened:
        assert await reopened.get("r0") is not None
        assert await reopened.get("r599") is not None


async def test_sqlite_drops_records_after_close_without_raising(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with sqlite(tmp_path / "lineage.db") as store:
        pass
    with caplog.at_level(logging.WARNING, logger="lip.continuity"):
        store.put(record("late"))
    assert "dropped" in caplog.text
    await store.aclose()  # twice is fine


async def test_sqlite_bounds_its_backlog(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sqlite(tmp_path / "lineage.db", max_entries=2) as store:
        monkeypatch.setattr(store, "_write_loop", lambda: None)  # a writer that never writes
        with caplog.at_level(logging.WARNING, logger="lip.continuity"):
            for i in "abcd":
                store.put(record(i))
        assert await ids(store, "abcd") == ["a", "b"]
        assert caplog.text.count("not keeping up") == 1
