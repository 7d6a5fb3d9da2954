"""How much a client may use: rate limits (requests and tokens per minute,
requests in flight) and spend budgets, per subject (a client key, a token
subject, an IP), counted in memory, SQLite or Redis.

    Limiter                      admit / settle / release (lip.limits.window)
    ├── MemoryLimiter            this process (lip.limits.memory)
    └── RedisLimiter             all processes on one Redis (lip.limits.redis)
    Budgets                      check / charge / spent (lip.limits.budgets)
    ├── MemoryBudgets            this process
    ├── SQLiteBudgets            one machine, kept across restarts
    └── RedisBudgets             all processes on one Redis (lip.limits.redis)

:func:`build_limits` makes the pair a config asks for. The Redis classes are
not imported here: ``redis`` is an optional dependency (``lip[redis]``).
"""

from lip.limits.budgets import Budgets, MemoryBudgets, SQLiteBudgets
from lip.limits.build import build_limits
from lip.limits.memory import MemoryLimiter
from lip.limits.periods import PERIODS, Period, period_window
from lip.limits.prices import PriceTable
from lip.limits.window import WINDOW, Limiter, Ticket

__all__ = [
    "PERIODS",
    "WINDOW",
    "Budgets",
    "Limiter",
    "MemoryBudgets",
    "MemoryLimiter",
    "Period",
    "PriceTable",
    "SQLiteBudgets",
    "Ticket",
    "build_limits",
    "period_window",
]
