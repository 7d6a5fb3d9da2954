"""Build the limiter and the budget store a :class:`Config` asks for."""

from __future__ import annotations

from typing import assert_never

from lip.config.loader import ConfigError
from lip.config.model import Config
from lip.limits.budgets import Budgets, MemoryBudgets, SQLiteBudgets
from lip.limits.memory import MemoryLimiter
from lip.limits.prices import PriceTable
from lip.limits.window import Limiter

__all__ = ["build_limits"]


def build_limits(config: Config) -> tuple[Limiter, Budgets]:
    """The limiter and budgets of ``config.limits`` / ``config.budgets``: in
    memory (budgets in SQLite when ``budgets.path`` is set), or both in Redis.
    Nothing is sent to Redis yet: an unreachable server shows on first use.
    The caller owns both and ``aclose()`` s them at shutdown.

    Raises :class:`ConfigError` when ``store: redis`` and the ``redis``
    package is not installed."""
    prices = PriceTable(config.prices)
    limits = config.limits
    match limits.store:
        case "memory":
            path = config.budgets.path
            budgets = MemoryBudgets(prices) if path is None else SQLiteBudgets(path, prices)
            return MemoryLimiter(), budgets
        case "redis":
            try:
                from lip.limits import redis as store
            except ModuleNotFoundError as exc:
                if exc.name is None or exc.name.split(".")[0] != "redis":
                    raise
                raise ConfigError(
                    "limits.store: 'redis' needs the redis package: pip install 'lip[redis]'"
                ) from None
            # The validator guarantees a URL for store: redis.
            assert limits.redis_url is not None
            url = limits.redis_url.get_secret_value()
            # One client each: closing one must not close the other's connections.
            return (
                store.RedisLimiter(store.connect(url), key_prefix=limits.key_prefix),
                store.RedisBudgets(store.connect(url), prices, key_prefix=limits.key_prefix),
            )
        case _:
            assert_never(limits.store)
