"""Limits and budgets in Redis, shared by every LIP process that uses the server.

:class:`RedisLimiter` runs one Lua script per admission (EVALSHA, falling
back to EVAL when the server has not cached it), so the checks and records of
``rpm``, ``tpm`` and ``concurrency`` are one atomic step however many
processes admit at once. Times are the server's (``TIME``): the processes
share one clock whatever theirs say.

A subject's keys (``<prefix>rl:{<subject>}:...``, one hash slot per subject
for Redis Cluster) hold sorted sets of admissions scored by millisecond:
``req`` for ``rpm``; ``tok`` with the ``tokn`` hash and ``toksum`` running
total for ``tpm``; ``slots`` for requests in flight. Every write sets a
PEXPIRE, so an idle subject's keys vanish after a window; a slot a crashed
process never released is dropped after ``slot_lease`` seconds.

:class:`RedisBudgets` keeps spend with INCRBYFLOAT on one key per subject,
period and period start (``<prefix>budget:{<subject>}:month:2025-06-01``),
each expiring after its period (the running ``total`` never does).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Final

import redis.asyncio as aioredis
from redis import exceptions as redis_errors

from lip.canonical.errors import InternalError, LipError, OverloadedError
from lip.config.access import KeyLimits
from lip.limits.budgets import Budgets, Clock
from lip.limits.periods import PeriodWindow
from lip.limits.prices import PriceTable
from lip.limits.window import WINDOW, Limiter, Refusal, Ticket, ticket_id

__all__ = ["RedisBudgets", "RedisLimiter", "connect"]

_WINDOW_MS: Final = round(WINDOW * 1000)
_KEY_TTL_MS: Final = _WINDOW_MS + 1000  # a window, and a second for slow clocks
_PERIOD_GRACE_S: Final = 3600  # a period's key outlives it: processes' clocks differ

# Codes the admit script returns (first element of its reply).
_ADMITTED, _RPM, _TPM, _TPM_NEVER, _CONCURRENCY = 0, 1, 2, 3, 4

# Milliseconds stay below 2^53 and print exactly with Lua's %.14g: microseconds
# would not (1.7e15 has 16 digits and would lose its tail as a redis.call arg).
_PRELUDE = """
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

_ADMIT = (
    _PRELUDE
    + """
-- KEYS: 1 req (zset), 2 tok (zset), 3 tokn (hash id -> tokens), 4 toksum, 5 slots (zset)
-- ARGV: 1 ticket id, 2 rpm, 3 tpm, 4 concurrency (-1: no limit), 5 estimate,
--       6 window ms, 7 key ttl ms, 8 slot lease ms
-- Reply: {0, now} admitted, else {code, wait ms}: 1 rpm, 2 tpm, 3 tpm never, 4 slots.
local id = ARGV[1]
local rpm, tpm, cap = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local est, window = tonumber(ARGV[5]), tonumber(ARGV[6])
local ttl, lease = tonumber(ARGV[7]), tonumber(ARGV[8])
local since = now - window
-- Report the refusal that waiting cannot cure, else the one that frees last.
local rank, code, wait = 0, 0, 0
local function refuse(r, c, w)
  if r > rank or (r == rank and w > wait) then rank, code, wait = r, c, w end
end

if rpm >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', since)
  local n = redis.call('ZCARD', KEYS[1])
  if n >= rpm then
    local leaving = redis.call('ZRANGE', KEYS[1], n - rpm, n - rpm, 'WITHSCORES')
    refuse(2, 1, tonumber(leaving[2]) + window - now)
  end
end

if tpm >= 0 then
  local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', since)
  if #old > 0 then
    local freed = 0
    for i = 1, #old, 500 do  -- unpack() is bounded by Lua's stack
      local chunk = {unpack(old, i, math.min(i + 499, #old))}
      for _, n in ipairs(redis.call('HMGET', KEYS[3], unpack(chunk))) do
        freed = freed + (tonumber(n) or 0)
      end
      redis.call('HDEL', KEYS[3], unpack(chunk))
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', since)
    redis.call('DECRBY', KEYS[4], freed)
  end
  local total = 0
  if redis.call('ZCARD', KEYS[2]) == 0 then
    redis.call('DEL', KEYS[3], KEYS[4])
  else
    total = tonumber(redis.call('GET', KEYS[4]) or '0')
  end
  if est > tpm then
    refuse(3, 3, 0)
  elseif total + est > tpm then
    -- Walk the oldest entries until enough tokens have left the window.
    local excess, freed, first, found = total + est - tpm, 0, 0, false
    while not found do
      local batch = redis.call('ZRANGE', KEYS[2], first, first + 99, 'WITHSCORES')
      if #batch == 0 then refuse(2, 2, window) break end
      local ids = {}
      for j = 1, #batch, 2 do ids[#ids + 1] = batch[j] end
      for j, n in ipairs(redis.call('HMGET', KEYS[3], unpack(ids))) do
        freed = freed + (tonumber(n) or 0)
        if freed >= excess then
          refuse(2, 2, tonumber(batch[2 * j]) + window - now)
          found = true
          break
        end
      end
      first = first + 100
    end
  end
end

if cap >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - lease)
  if redis.call('ZCARD', KEYS[5]) >= cap then refuse(1, 4, -1) end
end

if rank > 0 then return {code, wait} end
if rpm >= 0 then
  redis.call('ZADD', KEYS[1], now, id)
  redis.call('PEXPIRE', KEYS[1], ttl)
end
if tpm >= 0 then
  redis.call('ZADD', KEYS[2], now, id)
  redis.call('HSET', KEYS[3], id, est)
  redis.call('INCRBY', KEYS[4], est)
  for k = 2, 4 do redis.call('PEXPIRE', KEYS[k], ttl) end
end
if cap >= 0 then
  redis.call('ZADD', KEYS[5], now, id)
  redis.call('PEXPIRE', KEYS[5], lease)
end
return {0, now}
"""
)

_SETTLE = (
    _PRELUDE
    + """
-- KEYS: 1 tok, 2 tokn, 3 toksum; ARGV: 1 ticket id, 2 estimate, 3 actual, 4 window, 5 ttl
local id, est, actual = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local score = redis.call('ZSCORE', KEYS[1], id)
if score and tonumber(score) > now - tonumber(ARGV[4]) then
  -- Still in the window: correct the record where it stands.
  local before = tonumber(redis.call('HGET', KEYS[2], id) or '0')
  redis.call('HSET', KEYS[2], id, actual)
  redis.call('INCRBY', KEYS[3], actual - before)
elseif actual > est then
  -- It has left the window: count what it used beyond its estimate from now.
  local late = id .. ':late'
  redis.call('ZADD', KEYS[1], now, late)
  redis.call('HSET', KEYS[2], late, actual - est)
  redis.call('INCRBY', KEYS[3], actual - est)
  for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], tonumber(ARGV[5])) end
end
return 0
"""
)


def connect(url: str, *, max_connections: int = 64, timeout: float = 5.0) -> aioredis.Redis:
    """A client for ``url`` (nothing is sent until first use). At most
    ``max_connections`` at once, callers past it wait up to ``timeout`` seconds;
    a command unanswered for ``timeout`` seconds fails."""
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=timeout,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
    )
    return aioredis.Redis.from_pool(pool)


@asynccontextmanager
async def _store_errors() -> AsyncIterator[None]:
    """The Redis boundary's one error mapping: an unreachable or slow server is
    ``overloaded`` (503, retryable); any other failure is a bug (500). The
    message never names the server: its URL may hold a password."""
    try:
        yield
    except redis_errors.RedisError as exc:
        error: LipError
        if isinstance(exc, redis_errors.ConnectionError | redis_errors.TimeoutError):
            error = OverloadedError("The limits store is unreachable.", code="limits_unavailable")
        else:
            error = InternalError("The limits store failed.", code="limits_store_error")
        raise error from exc


def _tag(subject: str) -> str:
    # The subject is the key's hash tag, so it must not hold braces itself.
    return subject.replace("%", "%25").replace("{", "%7B").replace("}", "%7D")


class _Script:
    """A Lua script run by EVALSHA, with EVAL when the server lacks it (NOSCRIPT:
    restarted, flushed, or a new server); EVAL also caches it for next time."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()

    async def __call__(
        self, client: aioredis.Redis, keys: Sequence[str], args: Sequence[str | int]
    ) -> object:
        try:
            return await client.evalsha(self.sha, len(keys), *keys, *args)
        except redis_errors.NoScriptError:
            return await client.eval(self.source, len(keys), *keys, *args)


_ADMIT_SCRIPT = _Script(_ADMIT)
_SETTLE_SCRIPT = _Script(_SETTLE)


class RedisLimiter(Limiter):
    """Sliding-log limits in Redis: one count per subject for all processes.
    ``slot_lease`` bounds how long a never-released slot stays taken."""

    def __init__(
        self, client: aioredis.Redis, *, key_prefix: str = "lip:", slot_lease: float = 3600.0
    ) -> None:
        self._client, self._prefix = client, key_prefix
        self._lease_ms = max(1, round(slot_lease * 1000))

    def _keys(self, subject: str) -> tuple[str, str, str, str, str]:
        base = f"{self._prefix}rl:{{{_tag(subject)}}}:"
        return base + "req", base + "tok", base + "tokn", base + "toksum", base + "slots"

    async def admit(self, subject: str, limits: KeyLimits, estimated_tokens: int) -> Ticket:
        estimated = max(0, estimated_tokens)
        rpm, tpm, cap = limits.rpm, limits.tpm, limits.concurrency
        ticket = Ticket(
            subject,
            estimated,
            counts_tokens=tpm is not None,
            holds_slot=cap is not None,
            id=ticket_id(),
        )
        if rpm is None and tpm is None and cap is None:
            return ticket
        args = (
            ticket.id,
            -1 if rpm is None else rpm,
            -1 if tpm is None else tpm,
            -1 if cap is None else cap,
            estimated,
            _WINDOW_MS,
            _KEY_TTL_MS,
            self._lease_ms,
        )
        async with _store_errors():
            reply = await _ADMIT_SCRIPT(self._client, self._keys(subject), args)
        match reply:
            case [int(code), int(wait_ms)]:
                pass
            case _:
                raise InternalError("The limits store answered out of shape.")
        wait = wait_ms / 1000
        match code:
            case 0:
                return ticket
            case 1 if rpm is not None:
                raise Refusal.rpm(rpm, wait).error()
            case 2 if tpm is not None:
                raise Refusal.tpm(tpm, estimated, wait).error()
            case 3 if tpm is not None:
                raise Refusal.tpm(tpm, estimated, None).error()
            case 4 if cap is not None:
                raise Refusal.concurrency(cap).error()
        raise InternalError("The limits store answered out of shape.")

    async def settle(self, ticket: Ticket, actual_tokens: int) -> None:
        if ticket.settled or not ticket.counts_tokens:
            return
        ticket.settled = True
        _, tok, tokn, toksum, _ = self._keys(ticket.subject)
        args = (ticket.id, ticket.estimated_tokens, max(0, actual_tokens), _WINDOW_MS, _KEY_TTL_MS)
        async with _store_errors():
            await _SETTLE_SCRIPT(self._client, (tok, tokn, toksum), args)

    async def release(self, ticket: Ticket) -> None:
        if ticket.released or not ticket.holds_slot:
            return
        ticket.released = True
        async with _store_errors():
            await self._client.zrem(self._keys(ticket.subject)[4], ticket.id)

    async def aclose(self) -> None:
        await self._client.aclose()


class RedisBudgets(Budgets):
    """Spend in Redis, shared by every process using the server. Periods follow
    this process's UTC clock (``clock``)."""

    remote = True

    def __init__(
        self,
        client: aioredis.Redis,
        prices: PriceTable,
        *,
        key_prefix: str = "lip:",
        clock: Clock = time.time,
    ) -> None:
        super().__init__(prices, clock=clock)
        self._client, self._prefix = client, key_prefix

    def _key(self, subject: str, window: PeriodWindow) -> str:
        start = f":{window.start}" if window.start else ""
        return f"{self._prefix}budget:{{{_tag(subject)}}}:{window.period}{start}"

    async def _spent(self, subject: str, window: PeriodWindow) -> float:
        async with _store_errors():
            value = await self._client.get(self._key(subject, window))
        return float(value) if value is not None else 0.0

    async def _add(self, subject: str, windows: Sequence[PeriodWindow], usd: float) -> None:
        now = self._clock()
        async with _store_errors(), self._client.pipeline(transaction=True) as pipe:
            for window in windows:
                key = self._key(subject, window)
                pipe.incrbyfloat(key, usd)
                if window.ends_at is not None:
                    # Relative to this process's clock, which decided the period.
                    pipe.expire(key, math.ceil(window.ends_at - now) + _PERIOD_GRACE_S)
            await pipe.execute()

    async def aclose(self) -> None:
        await self._client.aclose()
