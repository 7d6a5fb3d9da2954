"""Budget periods: calendar UTC days, ISO weeks (Monday to Sunday), months,
and ``total`` (never rolls over).

A period is named by the date it starts on (``2025-06-02`` for the ISO week
of Monday 2 June), so a store keys what was spent by ``(subject, period,
start)`` and a new period simply starts a new count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal, assert_never

__all__ = ["PERIODS", "Period", "PeriodWindow", "period_window"]

Period = Literal["day", "week", "month", "total"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "total")

_ADJECTIVE: dict[Period, str] = {
    "day": "daily",
    "week": "weekly",
    "month": "monthly",
    "total": "total",
}


class PeriodWindow:
    """The period of kind ``period`` holding one instant: where it starts
    (``start``, its name) and ends (``ends_at``, epoch seconds; None for ``total``)."""

    __slots__ = ("begins_at", "ends_at", "period", "start")

    def __init__(
        self, period: Period, start: str, ends_at: float | None, begins_at: float | None = None
    ) -> None:
        self.period, self.start, self.ends_at = period, start, ends_at
        self.begins_at = begins_at
        """Epoch seconds the period starts (None for ``total``)."""

    @property
    def adjective(self) -> str:
        """``daily``, ``weekly``, ``monthly`` or ``total``, for messages."""
        return _ADJECTIVE[self.period]

    def seconds_left(self, now: float) -> float | None:
        """Seconds from ``now`` (epoch) until the next period starts; None for ``total``."""
        return None if self.ends_at is None else max(0.0, self.ends_at - now)


def period_window(period: Period, now: float) -> PeriodWindow:
    """The ``period`` that holds ``now`` (epoch seconds), in UTC."""
    today = datetime.fromtimestamp(now, UTC).date()
    match period:
        case "day":
            start, end = today, today + timedelta(days=1)
        case "week":
            start = today - timedelta(days=today.weekday())
            end = start + timedelta(days=7)
        case "month":
            start = today.replace(day=1)
            end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        case "total":
            return PeriodWindow(period, "", None)
        case _:
            assert_never(period)
    return PeriodWindow(period, start.isoformat(), _epoch(end), _epoch(start))


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
