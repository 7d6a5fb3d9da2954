"""Budgets in each store: charge, check, spent, calendar rollover on a fake
clock; SQLite kept across reopening; Redis shared by two clients."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from lip.canonical.errors import RateLimitedError
from lip.canonical.usage import Usage
from lip.config.access import KeyBudget
from lip.config.model import ModelPrice
from lip.limits import Budgets, MemoryBudgets, PriceTable, SQLiteBudgets

if TYPE_CHECKING:
    import redis.asyncio as aioredis

pytestmark = pytest.mark.anyio

GPT_4O = {"gpt-4o": ModelPrice(input=2.5, output=10, cached_input=1.25)}
PRICES = PriceTable(GPT_4O)
MILLION_IN = Usage(input_tokens=1_000_000, output_tokens=0)  # $2.50 on gpt-4o


class FakeClock:
    def __init__(self, when: str) -> None:
        self.set(when)

    def set(self, when: str) -> None:
        self.now = datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp()

    def __call__(self) -> float:
        return self.now


Factory = Callable[[FakeClock], Awaitable[Budgets]]


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def make(
    request: pytest.FixtureRequest, tmp_path: Path, key_prefix: str
) -> AsyncIterator[Factory]:
    """Builds budgets of one store; every one built is closed at the end."""
    made: list[Budgets] = []
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else ""

    async def factory(clock: FakeClock) -> Budgets:
        budgets: Budgets
        prices = PriceTable(GPT_4O)  # its own: a table warns once per unpriced model
        match request.param:
            case "memory":
                budgets = MemoryBudgets(prices, clock=clock)
            case "sqlite":
                budgets = SQLiteBudgets(tmp_path / "spend.db", prices, clock=clock)
            case _:
                from lip.limits.redis import RedisBudgets, connect

                budgets = RedisBudgets(
                    connect(redis_url), prices, key_prefix=key_prefix, clock=clock
                )
        made.append(budgets)
        return budgets

    yield factory
    for budgets in made:
        await budgets.aclose()


async def test_charge_prices_the_usage_into_every_period(make: Factory) -> None:
    budgets = await make(FakeClock("2025-06-11T12:00:00"))
    usage = Usage(input_tokens=1_000_000, cached_input_tokens=400_000, output_tokens=100_000)
    charged = await budgets.charge("alice", "gpt-4o", usage)
    assert charged == pytest.approx(0.6 * 2.5 + 0.4 * 1.25 + 0.1 * 10)
    await budgets.charge("alice", "gpt-4o", usage)
    for period in ("day", "week", "month", "total"):
        assert await budgets.spent("alice", period) == pytest.approx(2 * charged)
    assert await budgets.spent("bob", "month") == 0


async def test_a_new_price_table_prices_what_follows_and_keeps_what_was_spent(
    make: Factory,
) -> None:
    budgets = await make(FakeClock("2025-06-11T12:00:00"))
    usage = Usage(input_tokens=1_000_000, output_tokens=0)
    before = await budgets.charge("alice", "gpt-4o", usage)
    budgets.reprice(PriceTable({"gpt-4o": ModelPrice(input=5, output=10)}))
    after = await budgets.charge("alice", "gpt-4o", usage)
    assert (before, after) == (pytest.approx(2.5), pytest.approx(5))
    assert await budgets.spent("alice", "month") == pytest.approx(7.5)


async def test_check_refuses_once_the_budget_is_spent(make: Factory) -> None:
    budgets = await make(FakeClock("2025-06-30T23:00:00"))
    budget = KeyBudget(usd=10, period="month")
    for _ in range(3):
        await budgets.charge("alice", "gpt-4o", MILLION_IN)
    await budgets.check("alice", budget)  # $7.50 of $10
    await budgets.charge("alice", "gpt-4o", MILLION_IN)  # $10.00: spent
    with pytest.raises(RateLimitedError) as caught:
        await budgets.check("alice", budget)
    error = caught.value
    assert error.code == "budget_exhausted"
    assert "the key 'alice' has spent its $10.00 monthly budget" in error.message.lower()
    assert "2025-07-01 00:00 UTC" in error.message
    assert error.retry_after == pytest.approx(3600)
    await budgets.check("bob", budget)


async def test_periods_roll_over_on_the_utc_calendar(make: Factory) -> None:
    clock = FakeClock("2025-01-31T23:59:00")  # a Friday
    budgets = await make(clock)
    await budgets.charge("alice", "gpt-4o", MILLION_IN)
    clock.set("2025-02-01T00:00:00")  # new day and month, same ISO week
    assert await budgets.spent("alice", "day") == 0
    assert await budgets.spent("alice", "month") == 0
    assert await budgets.spent("alice", "week") == pytest.approx(2.5)
    await budgets.charge("alice", "gpt-4o", MILLION_IN)
    clock.set("2025-02-03T00:00:00")  # Monday: a new week
    assert await budgets.spent("alice", "week") == 0
    assert await budgets.spent("alice", "month") == pytest.approx(2.5)
    assert await budgets.spent("alice", "total") == pytest.approx(5)
    await budgets.check("alice", KeyBudget(usd=2.5, period="day"))
    with pytest.raises(RateLimitedError) as caught:
        await budgets.check("alice", KeyBudget(usd=5, period="total"))
    assert caught.value.retry_after is None
    assert "$5.00 total budget" in caught.value.message


async def test_weekly_and_daily_retry_after(make: Factory) -> None:
    budgets = await make(FakeClock("2025-06-11T18:00:00"))  # a Wednesday
    await budgets.charge("alice", "gpt-4o", MILLION_IN)
    with pytest.raises(RateLimitedError) as caught:
        await budgets.check("alice", KeyBudget(usd=1, period="day"))
    assert caught.value.retry_after == pytest.approx(6 * 3600)
    with pytest.raises(RateLimitedError) as caught:
        await budgets.check("alice", KeyBudget(usd=1, period="week"))
    assert caught.value.retry_after == pytest.approx((4 * 24 + 6) * 3600)
    assert "weekly" in caught.value.message


async def test_an_unpriced_model_costs_nothing_with_one_warning(
    make: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    budgets = await make(FakeClock("2025-06-11T12:00:00"))
    with caplog.at_level(logging.WARNING, logger="lip.limits"):
        assert await budgets.charge("alice", "mystery", MILLION_IN) == 0
        assert await budgets.charge("alice", "mystery", MILLION_IN) == 0
    assert await budgets.spent("alice", "total") == 0
    assert len([r for r in caplog.records if "'mystery'" in r.message]) == 1


async def test_sqlite_spend_survives_reopening(tmp_path: Path) -> None:
    clock = FakeClock("2025-06-11T12:00:00")
    path = tmp_path / "spend.db"
    first = SQLiteBudgets(path, PRICES, clock=clock)
    await first.charge("alice", "gpt-4o", MILLION_IN)
    await first.aclose()
    second = SQLiteBudgets(path, PRICES, clock=clock)
    other = SQLiteBudgets(path, PRICES, clock=clock)  # another worker on the same file
    try:
        await other.charge("alice", "gpt-4o", MILLION_IN)
        assert await second.spent("alice", "month") == pytest.approx(5)
        clock.set("2025-07-01T00:00:00")
        await second.charge("alice", "gpt-4o", MILLION_IN)
        assert await other.spent("alice", "month") == pytest.approx(2.5)
        assert await other.spent("alice", "total") == pytest.approx(7.5)
    finally:
        await second.aclose()
        await other.aclose()
    # Past periods are dropped: one row per subject and period.
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT period, start FROM lip_budget_spend ORDER BY period").fetchall()
    assert rows == [
        ("day", "2025-07-01"),
        ("month", "2025-07-01"),
        ("total", ""),
        ("week", "2025-06-30"),
    ]


async def test_redis_spend_is_shared_and_expires_after_its_period(
    redis_url: str, key_prefix: str, redis_client: aioredis.Redis
) -> None:
    from lip.limits.redis import RedisBudgets, connect

    clock = FakeClock("2025-06-11T12:00:00")
    one = RedisBudgets(connect(redis_url), PRICES, key_prefix=key_prefix, clock=clock)
    two = RedisBudgets(connect(redis_url), PRICES, key_prefix=key_prefix, clock=clock)
    try:
        await one.charge("alice", "gpt-4o", MILLION_IN)
        await two.charge("alice", "gpt-4o", MILLION_IN)
        assert await two.spent("alice", "week") == pytest.approx(5)
        with pytest.raises(RateLimitedError):
            await one.check("alice", KeyBudget(usd=5, period="day"))
    finally:
        await one.aclose()
        await two.aclose()
    base = f"{key_prefix}budget:{{alice}}:"
    to_month_end = datetime(2025, 7, 1, tzinfo=UTC).timestamp() - clock.now
    ttl = await redis_client.ttl(base + "month:2025-06-01")
    assert to_month_end + 3600 - 5 < ttl <= to_month_end + 3600  # the period, and an hour
    assert await redis_client.ttl(base + "total") == -1  # kept
