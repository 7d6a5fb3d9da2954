"""Where finished call records are kept for ``GET /diagnostics/requests/{id}``.

:class:`MemoryLineage` keeps them in this process; :class:`SQLiteLineage` in a
SQLite file, so any ``--workers`` process on the machine (and a restart)
can read what another one recorded. Both are bounded: at most
``max_entries`` records (the oldest go first), each kept ``ttl`` seconds.

``put`` runs at the end of every request while diagnostics are enabled, so
it never waits for a disk and never raises: a record that cannot be kept is
logged and dropped, and the client's answer is unaffected.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from lip.continuity.records import CallRecord

__all__ = ["LineageStore", "MemoryLineage", "SQLiteLineage"]

log = logging.getLogger("lip.continuity")

Clock = Callable[[], float]


class LineageStore(ABC):
    """Keeps finished :class:`CallRecord` s by request id."""

    def put(self, record: CallRecord) -> None:
        """Keep ``record`` (replacing one with the same id). Never blocks on I/O,
        never raises: a failure is logged and the record dropped."""
        try:
            self._put(record)
        except Exception:
            log.exception("lineage: keeping the record of request %s failed", record.request_id)

    @abstractmethod
    def _put(self, record: CallRecord) -> None: ...

    @abstractmethod
    async def get(self, request_id: str) -> CallRecord | None:
        """The record of ``request_id``, or None if unknown or expired."""

    @abstractmethod
    async def flush(self) -> None:
        """Return once every record put so far is readable by other processes."""

    @abstractmethod
    async def aclose(self) -> None:
        """Flush and release the store; later ``put`` calls are dropped."""


class MemoryLineage(LineageStore):
    """Records in this process's memory, oldest evicted first."""

    def __init__(self, *, max_entries: int, ttl: float, clock: Clock = time.monotonic) -> None:
        self._max_entries, self._ttl, self._clock = max_entries, ttl, clock
        # Insertion order is expiry order (one ttl for all): the oldest is first.
        self._records: OrderedDict[str, tuple[float, CallRecord]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._records)

    def _put(self, record: CallRecord) -> None:
        now = self._clock()
        self._records.pop(record.request_id, None)
        self._records[record.request_id] = (now + self._ttl, record)
        self._expire(now)
        while len(self._records) > self._max_entries:
            self._records.popitem(last=False)

    async def get(self, request_id: str) -> CallRecord | None:
        self._expire(self._clock())
        entry = self._records.get(request_id)
        return None if entry is None else entry[1]

    async def flush(self) -> None:
        return  # nothing is ever pending, and no other process can read it

    async def aclose(self) -> None:
        self._records.clear()

    def _expire(self, now: float) -> None:
        while self._records:
            expires, _ = next(iter(self._records.values()))
            if expires > now:
                return
            self._records.popitem(last=False)


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS lip_lineage (request_id TEXT PRIMARY KEY,"
    " record TEXT NOT NULL, written REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS lip_lineage_written ON lip_lineage (written)",
)
_BATCH = 256  # records per transaction: a burst never holds the write lock for long


class SQLiteLineage(LineageStore):
    """Records in a SQLite file (WAL mode: readers never wait for the writer).

    ``put`` only queues the record; one writer thread commits the queue in
    batches and prunes the table (by ``ttl``, then by ``max_entries``) as it
    goes. Until its batch is committed a record is still readable here, from
    the queue. At most ``max_entries`` records wait; past that, new ones are
    dropped (and logged) rather than letting a stuck disk grow memory.
    """

    def __init__(
        self, path: str | Path, *, max_entries: int, ttl: float, clock: Clock = time.time
    ) -> None:
        self._path = str(path)
        self._max_entries, self._ttl, self._clock = max_entries, ttl, clock
        self._pending: dict[str, CallRecord] = {}
        self._lock = threading.Lock()  # guards _pending, _closed and the queue's order
        # Records, flush markers (set once all before them are written), None: stop.
        self._queue: queue.SimpleQueue[CallRecord | threading.Event | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._closed = False
        self._dropping = False
        self._reader = self._connect()  # also creates the table, before any request
        self._read_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        for statement in _SCHEMA:
            db.execute(statement)
        return db

    def _put(self, record: CallRecord) -> None:
        with self._lock:
            if self._closed:
                log.warning("lineage: store closed; record of %s dropped", record.request_id)
                return
            if len(self._pending) >= max(self._max_entries, 1):
                if not self._dropping:  # once per backlog, not once per request
                    log.warning("lineage: %s is not keeping up; records dropped", self._path)
                    self._dropping = True
                return
            self._pending[record.request_id] = record
            if self._writer is None:
                # Started on first use: a store that is never written holds no thread.
                self._writer = threading.Thread(
                    target=self._write_loop, name="lip-lineage-writer", daemon=True
                )
                self._writer.start()
            # Under the lock: aclose's stop marker can never overtake a record.
            self._queue.put(record)

    async def get(self, request_id: str) -> CallRecord | None:
        with self._lock:
            pending = self._pending.get(request_id)
        if pending is not None:
            return pending
        return await asyncio.to_thread(self._read, request_id)

    def _read(self, request_id: str) -> CallRecord | None:
        with self._read_lock:
            row = self._reader.execute(
                "SELECT record FROM lip_lineage WHERE request_id = ? AND written > ?",
                (request_id, self._clock() - self._ttl),
            ).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
            return CallRecord.from_json(data) if isinstance(data, dict) else None
        except ValueError:
            log.warning("lineage: the stored record of %s is unreadable", request_id)
            return None

    async def flush(self) -> None:
        with self._lock:
            running = self._writer is not None and not self._closed
        if running:
            done = threading.Event()
            self._queue.put(done)
            await asyncio.to_thread(done.wait)

    async def aclose(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            writer = self._writer
        if writer is not None:
            self._queue.put(None)  # after everything queued: the writer drains it, then stops
            await asyncio.to_thread(writer.join)
        with self._read_lock:
            self._reader.close()

    def _write_loop(self) -> None:
        try:
            db: sqlite3.Connection | None = self._connect()
        except Exception:
            log.exception("lineage: cannot open %s; records will be dropped", self._path)
            db = None
        try:
            stop = False
            while not stop:
                batch: list[CallRecord] = []
                flushed: list[threading.Event] = []
                item = self._queue.get()  # blocks until there is work
                while True:
                    if item is None:
                        stop = True
                    elif isinstance(item, threading.Event):
                        flushed.append(item)
                    elif isinstance(item, CallRecord):
                        batch.append(item)
                    if stop or len(batch) >= _BATCH:
                        break
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                self._write(db, batch)
                for event in flushed:  # queued after the records just written
                    event.set()
        finally:
            if db is not None:
                db.close()

    def _write(self, db: sqlite3.Connection | None, batch: list[CallRecord]) -> None:
        if not batch:
            return
        now = self._clock()
        try:
            if db is None:
                raise sqlite3.OperationalError("the database could not be opened")
            rows = [(r.request_id, json.dumps(r.to_json()), now) for r in batch]
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO lip_lineage VALUES (?, ?, ?)", rows)
                db.execute("DELETE FROM lip_lineage WHERE written <= ?", (now - self._ttl,))
                db.execute(
                    "DELETE FROM lip_lineage WHERE rowid IN (SELECT rowid FROM lip_lineage"
                    " ORDER BY written DESC, rowid DESC LIMIT -1 OFFSET ?)",
                    (self._max_entries,),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except Exception:
            log.exception("lineage: writing %d record(s) to %s failed", len(batch), self._path)
        finally:
            with self._lock:
                for record in batch:
                    if self._pending.get(record.request_id) is record:
                        del self._pending[record.request_id]
                self._dropping = False
