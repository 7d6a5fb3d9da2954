"""Calendar UTC periods: where each starts and ends, across year ends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lip.limits import Period, period_window


def at(when: str) -> float:
    return datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("period", "now", "start", "end"),
    [
        ("day", "2025-06-11T23:59:59", "2025-06-11", "2025-06-12T00:00:00"),
        ("day", "2025-06-12T00:00:00", "2025-06-12", "2025-06-13T00:00:00"),
        ("week", "2025-06-11T12:00:00", "2025-06-09", "2025-06-16T00:00:00"),  # Wed
        ("week", "2025-06-15T23:59:59", "2025-06-09", "2025-06-16T00:00:00"),  # Sun
        ("week", "2025-06-16T00:00:00", "2025-06-16", "2025-06-23T00:00:00"),  # Mon
        ("week", "2026-01-01T00:00:00", "2025-12-29", "2026-01-05T00:00:00"),  # ISO week 1
        ("month", "2025-02-28T12:00:00", "2025-02-01", "2025-03-01T00:00:00"),
        ("month", "2025-12-31T23:59:59", "2025-12-01", "2026-01-01T00:00:00"),
    ],
)
def test_period_bounds(period: Period, now: str, start: str, end: str) -> None:
    window = period_window(period, at(now))
    assert window.start == start
    assert window.ends_at == at(end)
    assert window.seconds_left(at(now)) == at(end) - at(now)


def test_total_never_rolls_over() -> None:
    window = period_window("total", at("2025-06-11T12:00:00"))
    assert (window.start, window.ends_at, window.adjective) == ("", None, "total")
    assert window.seconds_left(0) is None


def test_adjectives() -> None:
    assert [period_window(p, 0).adjective for p in ("day", "week", "month")] == [
        "daily",
        "weekly",
        "monthly",
    ]
