"""Spend per subject and period, checked against a :class:`KeyBudget`.

:meth:`Budgets.charge` prices a finished call's usage (:class:`PriceTable`)
and adds it to every period at once (the day, ISO week and month it falls in,
and the running total), so :meth:`Budgets.check` can answer for whichever
period a subject's budget names. Periods are calendar UTC; a new period is a
new count, and what older periods spent is dropped.

Three stores: :class:`MemoryBudgets` (per process, lost on restart),
:class:`SQLiteBudgets` (a file shared by the processes of one machine, kept
across restarts) and :class:`lip.limits.redis.RedisBudgets` (shared by every
process using the server).

A budget is checked before a call and charged after it, so calls running
together may all pass the check and overshoot the budget by what they cost:
a budget is a ceiling on what is started, not a hard cap on the last cent.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from lip.canonical.errors import InternalError, RateLimitedError
from lip.canonical.usage import Usage
from lip.config.access import KeyBudget
from lip.limits.periods import PERIODS, Period, PeriodWindow, period_window
from lip.limits.prices import PriceTable

__all__ = ["Budgets", "MemoryBudgets", "SQLiteBudgets"]

Clock = Callable[[], float]
"""Epoch seconds (periods are calendar dates)."""


class Budgets(ABC):
    """What each subject has spent, in USD, per period."""

    def __init__(self, prices: PriceTable, *, clock: Clock = time.time) -> None:
        self._prices, self._clock = prices, clock
        # The current window of each period, reused until it ends: working out
        # calendar dates on every request cost more than the rest of a check.
        self._windows: dict[Period, PeriodWindow] = {}
        self._all: tuple[PeriodWindow, ...] | None = None
        self._all_from = self._all_until = 0.0

    remote: bool = False
    """Whether spend lives outside the process (a cancelled call could leave it half-written)."""

    def reprice(self, prices: PriceTable) -> None:
        """Price calls charged from now on with ``prices`` (a reloaded config's)."""
        self._prices = prices

    def _window(self, period: Period, now: float) -> PeriodWindow:
        window = self._windows.get(period)
        if (
            window is None
            or (window.ends_at is not None and now >= window.ends_at)
            or (window.begins_at is not None and now < window.begins_at)
        ):
            window = self._windows[period] = period_window(period, now)
        return window

    def _every_window(self, now: float) -> tuple[PeriodWindow, ...]:
        """The current window of every period, kept until the first one ends."""
        if self._all is not None and self._all_from <= now < self._all_until:
            return self._all
        windows = tuple(self._window(p, now) for p in PERIODS)
        ends = [w.ends_at for w in windows if w.ends_at is not None]
        begins = [w.begins_at for w in windows if w.begins_at is not None]
        self._all = windows
        self._all_until = min(ends, default=float("inf"))
        self._all_from = max(begins, default=float("-inf"))
        return windows

    async def check(self, subject: str, budget: KeyBudget) -> None:
        """Raise :class:`RateLimitedError` (code ``budget_exhausted``) once
        ``subject`` has spent ``budget.usd`` or more in the current period;
        ``retry_after`` is the time until the period rolls over (None for ``total``)."""
        now = self._clock()
        window = self._window(budget.period, now)
        if await self._spent(subject, window) < budget.usd:
            return
        renews = ""
        if window.ends_at is not None:
            at = datetime.fromtimestamp(window.ends_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
            renews = f"; it renews at {at}"
        raise RateLimitedError(
            f"The key {subject!r} has spent its ${budget.usd:.2f} {window.adjective} budget{renews}.",
            code="budget_exhausted",
            retry_after=window.seconds_left(now),
        )

    async def charge(self, subject: str, model: str, usage: Usage) -> float:
        """Add what ``usage`` on ``model`` costs to every period of ``subject``
        and return it in USD (0 for a model with no price: one warning)."""
        usd = self._prices.cost(model, usage)
        if usd > 0:
            now = self._clock()
            await self._add(subject, self._every_window(now), usd)
        return usd

    async def spent(self, subject: str, period: Period) -> float:
        """USD ``subject`` has spent in the current ``period``."""
        return await self._spent(subject, self._window(period, self._clock()))

    async def aclose(self) -> None:
        """Release the store (files, connections); it is not used after."""
        return None

    @abstractmethod
    async def _spent(self, subject: str, window: PeriodWindow) -> float: ...

    @abstractmethod
    async def _add(self, subject: str, windows: Sequence[PeriodWindow], usd: float) -> None: ...


class MemoryBudgets(Budgets):
    """Spend in this process: per worker, lost on restart."""

    def __init__(self, prices: PriceTable, *, clock: Clock = time.time) -> None:
        super().__init__(prices, clock=clock)
        # subject -> what it spent in the windows it was last charged in: one
        # entry per subject, so memory grows with the configured subjects only.
        self._spend: dict[str, _Spent] = {}

    async def _spent(self, subject: str, window: PeriodWindow) -> float:
        spent = self._spend.get(subject)
        return 0.0 if spent is None else spent.in_window(window)

    async def _add(self, subject: str, windows: Sequence[PeriodWindow], usd: float) -> None:
        spent = self._spend.get(subject)
        if spent is None or spent.windows is not windows:
            # A period rolled over (the windows are kept until one does): what
            # the periods still current have spent carries over.
            before = spent
            spent = self._spend[subject] = _Spent(windows)
            if before is not None:
                spent.usd = [before.in_window(w) for w in windows]
        totals = spent.usd
        for index in range(len(totals)):
            totals[index] += usd


class _Spent:
    """USD spent in each of ``windows`` (the current window of every period)."""

    __slots__ = ("usd", "windows")

    def __init__(self, windows: Sequence[PeriodWindow]) -> None:
        self.windows = windows
        self.usd = [0.0] * len(windows)

    def in_window(self, window: PeriodWindow) -> float:
        index = _POSITION[window.period]  # windows come in PERIODS order
        own = self.windows[index]
        return self.usd[index] if own.start == window.start else 0.0


_POSITION = {period: index for index, period in enumerate(PERIODS)}


class SQLiteBudgets(Budgets):
    """Spend in a SQLite file (WAL: readers never wait for the writer): kept
    across restarts and shared by the ``--workers`` processes of one machine.
    Every statement runs in a worker thread, never on the event loop."""

    remote = True

    def __init__(self, path: str | Path, prices: PriceTable, *, clock: Clock = time.time) -> None:
        super().__init__(prices, clock=clock)
        # One connection, used by one thread at a time.
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=10
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS lip_budget_spend (subject TEXT NOT NULL,"
            " period TEXT NOT NULL, start TEXT NOT NULL, usd REAL NOT NULL,"
            " PRIMARY KEY (subject, period, start)) WITHOUT ROWID"
        )

    async def _spent(self, subject: str, window: PeriodWindow) -> float:
        return await asyncio.to_thread(self._read, subject, window.period, window.start)

    async def _add(self, subject: str, windows: Sequence[PeriodWindow], usd: float) -> None:
        await asyncio.to_thread(self._write, subject, windows, usd)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._close)

    def _read(self, subject: str, period: str, start: str) -> float:
        with self._lock, _store_errors():
            row = self._db.execute(
                "SELECT usd FROM lip_budget_spend WHERE subject = ? AND period = ? AND start = ?",
                (subject, period, start),
            ).fetchone()
        return float(row[0]) if row is not None else 0.0

    def _write(self, subject: str, windows: Sequence[PeriodWindow], usd: float) -> None:
        with self._lock, _store_errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for window in windows:
                    self._db.execute(
                        "INSERT INTO lip_budget_spend (subject, period, start, usd)"
                        " VALUES (?, ?, ?, ?) ON CONFLICT (subject, period, start)"
                        " DO UPDATE SET usd = usd + excluded.usd",
                        (subject, window.period, window.start, usd),
                    )
                    # Past periods are never read again: keep one row per period.
                    self._db.execute(
                        "DELETE FROM lip_budget_spend WHERE subject = ? AND period = ?"
                        " AND start < ?",
                        (subject, window.period, window.start),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _close(self) -> None:
        with self._lock:
            self._db.close()


@contextmanager
def _store_errors() -> Iterator[None]:
    """The SQLite boundary's one error mapping: any database failure (a full
    disk, a lock held past the timeout) becomes an :class:`InternalError`."""
    try:
        yield
    except sqlite3.Error as exc:
        raise InternalError("The budget store failed.", code="budget_store_error") from exc
