"""The limits, prices and budgets config, and the stores build_limits makes
of it: memory by default, SQLite budgets with a path, Redis for both, and a
clear startup error when Redis is asked for without its package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from lip.config import ConfigError
from lip.config.model import Config
from lip.limits import MemoryBudgets, MemoryLimiter, SQLiteBudgets, build_limits

pytestmark = pytest.mark.anyio

BACKENDS = [{"id": "stub", "kind": "localstub"}]
SECRET_URL = "redis://:hunter2secret@127.0.0.1:6379/0"


def config(**fields: Any) -> Config:
    return Config.model_validate({"backends": BACKENDS, **fields})


def test_defaults_are_memory_without_prices() -> None:
    cfg = config()
    assert (cfg.limits.store, cfg.limits.redis_url, cfg.limits.key_prefix) == (
        "memory",
        None,
        "lip:",
    )
    assert cfg.prices == {}
    assert cfg.budgets.path is None


def test_redis_needs_a_url_and_never_shows_it() -> None:
    with pytest.raises(ValidationError, match="required when store is 'redis'"):
        config(limits={"store": "redis"})
    with pytest.raises(ValidationError) as caught:
        config(limits={"store": "redis", "redis_url": "http://:hunter2secret@host"})
    assert "hunter2" not in str(caught.value)
    cfg = config(limits={"store": "redis", "redis_url": SECRET_URL})
    assert "hunter2" not in repr(cfg) + str(cfg.limits)


def test_budgets_path_is_refused_with_redis() -> None:
    with pytest.raises(ValidationError, match="budgets live in Redis"):
        config(limits={"store": "redis", "redis_url": SECRET_URL}, budgets={"path": "x.db"})


def test_prices_are_validated() -> None:
    cfg = config(prices={"gpt-4o*": {"input": 2.5, "output": 10, "cached_input": 1.25}})
    assert cfg.prices["gpt-4o*"].cached_input == 1.25
    for bad in ({"input": -1, "output": 1}, {"input": 1}, {"input": 1, "output": "inf"}):
        with pytest.raises(ValidationError):
            config(prices={"m": bad})


async def test_memory_store_with_memory_or_sqlite_budgets(tmp_path: Path) -> None:
    limiter, budgets = build_limits(config())
    assert isinstance(limiter, MemoryLimiter)
    assert isinstance(budgets, MemoryBudgets)
    limiter, budgets = build_limits(config(budgets={"path": str(tmp_path / "spend.db")}))
    assert isinstance(budgets, SQLiteBudgets)
    await limiter.aclose()
    await budgets.aclose()


async def test_redis_store(redis_url: str, key_prefix: str) -> None:
    from lip.config.access import KeyLimits
    from lip.limits.redis import RedisBudgets, RedisLimiter

    cfg = config(limits={"store": "redis", "redis_url": redis_url, "key_prefix": key_prefix})
    limiter, budgets = build_limits(cfg)
    try:
        assert isinstance(limiter, RedisLimiter)
        assert isinstance(budgets, RedisBudgets)
        await limiter.admit("alice", KeyLimits(rpm=1), 0)
        assert await budgets.spent("alice", "month") == 0
    finally:
        await limiter.aclose()
        await budgets.aclose()


def test_redis_without_its_package_is_a_clear_startup_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import lip.limits

    # As if never installed: `import redis` raises ModuleNotFoundError.
    monkeypatch.setitem(sys.modules, "redis", None)
    monkeypatch.delitem(sys.modules, "lip.limits.redis", raising=False)
    monkeypatch.delattr(lip.limits, "redis", raising=False)
    with pytest.raises(ConfigError, match=r"pip install 'lip\[redis\]'"):
        build_limits(config(limits={"store": "redis", "redis_url": SECRET_URL}))


def test_importing_limits_loads_neither_redis_nor_the_layers_above() -> None:
    probe = "import sys, lip.limits; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.split()
    above = ("redis", "lip.server", "lip.routing", "lip.backends", "lip.protocols", "lip.access")
    assert [m for m in loaded for p in above if m == p or m.startswith(p + ".")] == []
