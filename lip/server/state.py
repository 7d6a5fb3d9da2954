"""The server's state store (:class:`lip.protocols.base.StateStore`): in memory by
default, SQLite when ``server.state.path`` is set (kept across restarts and
shared by ``--workers`` processes on one machine).

Both are bounded: at most ``max_entries`` values and ``max_bytes`` in all
(the least recently used go first), each kept ``ttl`` seconds. A value larger
than the whole budget is not kept.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from pathlib import Path

from lip.protocols.base import StateStore

__all__ = ["MemoryStore", "SQLiteStore"]


class MemoryStore(StateStore):
    def __init__(self, *, max_entries: int, max_bytes: int, ttl: float) -> None:
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._max_entries, self._max_bytes, self._ttl = max_entries, max_bytes, ttl
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._bytes

    def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: str, value: bytes) -> None:
        self._drop(key)
        if len(value) > self._max_bytes or self._max_entries < 1:
            return
        self._entries[key] = (time.monotonic() + self._ttl, value)
        self._bytes += len(value)
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            oldest = next(iter(self._entries))
            self._drop(oldest)

    def delete(self, key: str) -> bool:
        return self._drop(key)

    def _drop(self, key: str) -> bool:
        entry = self._entries.pop(key, None)
        if entry is None:
            return False
        self._bytes -= len(entry[1])
        return True


class SQLiteStore(StateStore):
    """One table in a SQLite file (WAL mode: readers never wait for a writer)."""

    def __init__(self, path: str | Path, *, max_entries: int, max_bytes: int, ttl: float) -> None:
        self._max_entries, self._max_bytes, self._ttl = max_entries, max_bytes, ttl
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS lip_state (key TEXT PRIMARY KEY, value BLOB NOT NULL,"
            " size INTEGER NOT NULL, expires REAL NOT NULL, used REAL NOT NULL)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS lip_state_used ON lip_state (used)")

    def get(self, key: str) -> bytes | None:
        now = time.time()
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM lip_state WHERE key = ? AND expires >= ?", (key, now)
            ).fetchone()
            if row is None:
                return None
            self._db.execute("UPDATE lip_state SET used = ? WHERE key = ?", (now, key))
        value: bytes = row[0]
        return value

    def put(self, key: str, value: bytes) -> None:
        if len(value) > self._max_bytes or self._max_entries < 1:
            self.delete(key)
            return
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO lip_state VALUES (?, ?, ?, ?, ?)",
                    (key, value, len(value), now + self._ttl, now),
                )
                self._db.execute("DELETE FROM lip_state WHERE expires < ?", (now,))
                self._trim()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _trim(self) -> None:
        count, size = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM lip_state"
        ).fetchone()
        while count > self._max_entries or size > self._max_bytes:
            key, freed = self._db.execute(
                "SELECT key, size FROM lip_state ORDER BY used LIMIT 1"
            ).fetchone()
            self._db.execute("DELETE FROM lip_state WHERE key = ?", (key,))
            count, size = count - 1, size - freed

    def delete(self, key: str) -> bool:
        with self._lock:
            cursor = self._db.execute("DELETE FROM lip_state WHERE key = ?", (key,))
        return cursor.rowcount > 0

    def close(self) -> None:
        with self._lock:
            self._db.close()
