"""The ``limits:``, ``prices:`` and ``budgets:`` sections (enforced by :mod:`lip.limits`)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from lip.config.strict import Strict as _Strict


class LimitsConfig(_Strict):
    """Where per-key rate limits (requests and tokens per minute, requests in
    flight) are counted (:mod:`lip.limits`): in this process, or in Redis,
    shared by every ``--workers`` process and every LIP host using it."""

    store: Literal["memory", "redis"] = "memory"
    """``memory``: per process (``--workers 4`` lets each key 4x its limits);
    ``redis``: one count for all processes (budgets then live in Redis too)."""
    redis_url: SecretStr | None = Field(default=None, validate_default=True)
    """``redis://[user:password@]host:port/db`` (``rediss://`` for TLS, or
    ``unix://``); required for ``store: redis``. A secret: it may hold a password."""
    key_prefix: Annotated[str, Field(max_length=100)] = "lip:"
    """Prepended to every Redis key LIP writes, so several deployments can share a server."""

    @field_validator("redis_url")
    @classmethod
    def _redis_url_shape(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # The messages never repeat the value: it may hold a password.
        if value is None:
            if info.data.get("store") == "redis":
                raise ValueError("required when store is 'redis'")
        elif not re.match(r"^(rediss?|unix)://\S+$", value.get_secret_value()):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value


class ModelPrice(_Strict):
    """What a model costs, in USD per million tokens (for budgets)."""

    input: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    """Uncached input (prompt) tokens; cache writes are charged at this price too."""
    output: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    """Output tokens, reasoning tokens included."""
    cached_input: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    """Input tokens read from the provider's prompt cache; unset: the ``input`` price."""


class BudgetsConfig(_Strict):
    """Where what each key has spent is kept (:mod:`lip.limits.budgets`). With
    ``limits.store: redis`` it is kept in Redis and ``path`` must be unset."""

    path: str | None = None
    """A SQLite file (kept across restarts, shared by ``--workers`` processes on
    one machine); unset: in memory (one per worker, lost on restart)."""


__all__ = ["BudgetsConfig", "LimitsConfig", "ModelPrice"]
