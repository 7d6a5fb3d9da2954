"""Plan walks: weighted picks, races, TTFT budgets, breakers and key pools, with lineage."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import AsyncGenerator, Sequence

import pytest
from pydantic import SecretStr

from lip.backends import Backend, Target
from lip.backends.keys import KeyPool
from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Call,
    Event,
    FinishReason,
    InvalidRequestError,
    LipError,
    OverloadedError,
    RateLimitedError,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    UpstreamError,
    UpstreamTimeoutError,
)
from lip.config import parse_config
from lip.continuity.records import CallRecord, Outcome
from lip.routing import Planner
from lip.routing.executor import Executor
from lip.routing.health import BreakerState, HealthBoard
from tests.cycles import cyclic_garbage, frames_of

START = ResponseStarted(id="r", model="m", created=1)


def answer(text: str) -> list[Event]:
    return [
        START,
        BlockStarted(index=0, kind=BlockKind.TEXT),
        TextDelta(index=0, text=text),
        BlockFinished(index=0),
        ResponseFinished(finish_reason=FinishReason.STOP),
    ]


class Upstream(Backend):
    """Answers ``text`` after ``delay`` seconds, or fails with ``fail`` before output."""

    def __init__(
        self,
        name: str,
        *,
        delay: float = 0,
        fail: LipError | None = None,
        then_hang: bool = False,
    ) -> None:
        super().__init__(name)
        self.delay, self.fail, self.then_hang = delay, fail, then_hang
        self.calls = 0
        self.closed_at: list[float] = []
        self.keys_seen: list[str | None] = []

    async def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        self.calls += 1
        self.keys_seen.append(target.key.fingerprint if target.key else None)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.fail is not None:
                raise self.fail
            events = answer(f"from {self.id}")
            if self.then_hang:
                yield events[:3]
                await asyncio.sleep(3600)
            yield events
        finally:
            self.closed_at.append(time.monotonic())


def _config(names: Sequence[str], extra: str = "", routing: str = "") -> str:
    backends = ", ".join(f"{{id: {n}, kind: localstub{extra}}}" for n in names)
    return f"backends: [{backends}]\nrouting: {{{routing}}}"


def executor(
    upstreams: Sequence[Upstream],
    *,
    extra: str = "",
    routing: str = "",
    seed: int = 7,
    health: HealthBoard | None = None,
) -> Executor:
    config = parse_config(_config([u.id for u in upstreams], extra, routing), env={})
    return Executor(
        Planner(config),
        {u.id: u for u in upstreams},
        health=health,
        rng=random.Random(seed),
    )


async def run(ex: Executor, selector: str) -> tuple[list[Event], CallRecord]:
    record = CallRecord(request_id="req", protocol="openai_chat")
    call = Call(id="c", protocol="openai_chat", model=selector, messages=())
    events = [e async for batch in ex.events(call, record) for e in batch]
    return events, record


def text_of(events: Sequence[Event]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def outcomes(record: CallRecord) -> list[tuple[str, Outcome | None]]:
    return [(a.backend_id, a.outcome) for a in record.attempts]


@pytest.mark.anyio
async def test_a_single_leaf_records_one_successful_attempt() -> None:
    events, record = await run(executor([Upstream("a")]), "a:m")
    assert text_of(events) == "from a"
    assert outcomes(record) == [("a", Outcome.SUCCESS)]
    (attempt,) = record.attempts
    assert attempt.first_output is not None and attempt.ended is not None
    assert record.selector == "a:m"


@pytest.mark.anyio
async def test_failover_records_the_failed_leg_and_the_winner() -> None:
    a, b = Upstream("a", fail=UpstreamError("a is down")), Upstream("b")
    events, record = await run(executor([a, b]), "a:m | b:m")
    assert text_of(events) == "from b"
    assert outcomes(record) == [("a", Outcome.FAILED_BEFORE_OUTPUT), ("b", Outcome.SUCCESS)]
    assert record.attempts[0].error_kind == "upstream_error"


@pytest.mark.anyio
async def test_weighted_picks_follow_the_weights_and_are_seedable() -> None:
    a, b = Upstream("a"), Upstream("b")
    ex = executor([a, b], seed=1)
    firsts: Counter[str] = Counter()
    for _ in range(400):
        _, record = await run(ex, "[weight=3]a:m ^ [weight=1]b:m")
        firsts[record.attempts[0].backend_id] += 1
    assert 240 <= firsts["a"] <= 360, firsts

    async def picks(seed: int) -> list[str]:
        ex = executor([Upstream("a"), Upstream("b")], seed=seed)
        return [
            (await run(ex, "[weight=3]a:m ^ [weight=1]b:m"))[1].attempts[0].backend_id
            for _ in range(20)
        ]

    assert await picks(5) == await picks(5)


@pytest.mark.anyio
async def test_a_weighted_pick_that_fails_moves_on_to_the_other() -> None:
    a, b = Upstream("a", fail=UpstreamError("down")), Upstream("b")
    for seed in range(10):
        events, record = await run(executor([a, b], seed=seed), "a:m ^ b:m")
        assert text_of(events) == "from b"
        assert record.attempts[-1].outcome is Outcome.SUCCESS


@pytest.mark.anyio
async def test_a_race_returns_the_fast_branch_and_cancels_the_slow_one_at_once() -> None:
    slow, fast = Upstream("slow", delay=30), Upstream("fast", delay=0.05)
    begun = time.monotonic()
    events, record = await run(executor([slow, fast]), "slow:m ! fast:m")
    won = time.monotonic()
    assert text_of(events) == "from fast"
    assert slow.closed_at and slow.closed_at[0] - begun < 10  # cancelled, not awaited
    assert slow.closed_at[0] <= won
    assert sorted(outcomes(record)) == [("fast", Outcome.SUCCESS), ("slow", Outcome.LOST_RACE)]


@pytest.mark.anyio
async def test_a_handicap_delays_a_branch() -> None:
    a, b = Upstream("a"), Upstream("b")
    events, record = await run(executor([a, b]), "[handicap=5]a:m ! b:m")
    assert text_of(events) == "from b" and a.calls == 0
    assert outcomes(record) == [("b", Outcome.SUCCESS)]
    events, _ = await run(executor([a, b]), "a:m ! [handicap=5]b:m")
    assert text_of(events) == "from a"


@pytest.mark.anyio
async def test_a_race_survives_a_failing_branch_and_reports_the_telling_error() -> None:
    a, b = Upstream("a", fail=UpstreamError("down")), Upstream("b", delay=0.05)
    events, record = await run(executor([a, b]), "a:m ! b:m")
    assert text_of(events) == "from b"
    assert outcomes(record) == [("a", Outcome.FAILED_BEFORE_OUTPUT), ("b", Outcome.SUCCESS)]
    bad = Upstream("b", fail=InvalidRequestError("no such parameter"))
    with pytest.raises(InvalidRequestError):
        await run(executor([a, bad]), "a:m ! b:m")


@pytest.mark.anyio
async def test_a_leg_budget_cancels_a_silent_leg_and_the_next_answers() -> None:
    silent, b = Upstream("silent", delay=30), Upstream("b")
    events, record = await run(executor([silent, b]), "[ttft_timeout=0.1]silent:m | b:m")
    assert text_of(events) == "from b"
    assert outcomes(record) == [
        ("silent", Outcome.FAILED_BEFORE_OUTPUT),
        ("b", Outcome.SUCCESS),
    ]
    assert record.attempts[0].error_kind == "timeout" and silent.closed_at


@pytest.mark.anyio
async def test_the_call_budget_stops_the_walk() -> None:
    a, b = Upstream("a", delay=30), Upstream("b", delay=30)
    begun = time.monotonic()
    with pytest.raises(UpstreamTimeoutError, match="time-to-first-output budget"):
        await run(executor([a, b]), "{ttft_timeout=0.2} a:m | b:m")
    assert b.calls == 0  # never started past the call's budget
    assert time.monotonic() - begun < 20


@pytest.mark.anyio
async def test_no_budget_or_failure_retries_once_output_has_started() -> None:
    hangs = Upstream("a", then_hang=True)
    ex = executor([hangs, Upstream("b")])
    call = Call(id="c", protocol="openai_chat", model="[ttft_timeout=0.05]a:m | b:m", messages=())
    stream = ex.events(call)
    first = await anext(stream)
    assert text_of(first) == "from a"
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):  # the leg is still streaming: never cut, never retried
            await anext(stream)
    await stream.aclose()
    assert hangs.calls == 1


@pytest.mark.anyio
async def test_a_client_that_leaves_mid_stream_cancels_the_attempt() -> None:
    hangs = Upstream("a", then_hang=True)
    record = CallRecord(request_id="req", protocol="openai_chat")
    call = Call(id="c", protocol="openai_chat", model="a:m", messages=())
    stream = executor([hangs]).events(call, record)
    await anext(stream)
    await stream.aclose()
    assert hangs.closed_at and outcomes(record) == [("a", Outcome.CANCELLED)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.anyio
async def test_a_breaker_opens_skips_half_opens_and_closes() -> None:
    clock = Clock()
    a, b = Upstream("a", fail=UpstreamError("down")), Upstream("b")
    config = parse_config(
        _config(["a", "b"], extra=", breaker: {failures: 2, open_for: 30}"), env={}
    )
    health = HealthBoard.from_config(config, clock=clock)
    ex = Executor(Planner(config), {"a": a, "b": b}, health=health)
    for _ in range(2):
        _, record = await run(ex, "a:m | b:m")
        assert outcomes(record)[0] == ("a", Outcome.FAILED_BEFORE_OUTPUT)
    breaker = health.breaker("a")
    assert breaker is not None and breaker.state is BreakerState.OPEN
    _, record = await run(ex, "a:m | b:m")
    assert outcomes(record) == [("a", Outcome.SKIPPED), ("b", Outcome.SUCCESS)]
    assert a.calls == 2
    with pytest.raises(OverloadedError) as info:
        await run(ex, "a:m")  # no alternative: a fast 503 with a retry hint
    assert info.value.retry_after and info.value.code == "circuit_open"
    clock.now += 31
    a.fail = None
    _, record = await run(ex, "a:m | b:m")
    assert outcomes(record) == [("a", Outcome.SUCCESS)]
    assert breaker.state is BreakerState.CLOSED


class Keyed(Upstream):
    """Answers 429 for the keys in ``limited``."""

    def __init__(self, name: str, pool: KeyPool, limited: set[str]) -> None:
        super().__init__(name)
        self.keys = pool
        self.limited = limited

    async def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        self.keys_seen.append(target.key.fingerprint if target.key else None)
        if target.key is not None and target.key.fingerprint in self.limited:
            raise RateLimitedError("slow down", retry_after=60)
        yield answer("ok")


@pytest.mark.anyio
async def test_a_rate_limited_key_is_retried_on_the_next_key_and_cools() -> None:
    pool = KeyPool([SecretStr(f"sk-test-key-number-{n}-abcdef") for n in range(3)])
    fingerprints = [k.fingerprint for k in pool.keys]
    up = Keyed("a", pool, limited={fingerprints[0]})
    ex = executor([up])
    events, record = await run(ex, "a:m")
    assert text_of(events) == "ok"
    assert [(a.key_fingerprint, a.outcome) for a in record.attempts] == [
        (fingerprints[0], Outcome.FAILED_BEFORE_OUTPUT),
        (fingerprints[1], Outcome.SUCCESS),
    ]
    for _ in range(4):  # the cooling key is left out of the rotation
        _, record = await run(ex, "a:m")
        assert record.attempts[0].key_fingerprint != fingerprints[0]
    up.limited = set(fingerprints)
    with pytest.raises(RateLimitedError):
        await run(ex, "a:m")


def test_no_secret_in_a_record() -> None:
    pool = KeyPool([SecretStr("sk-test-secret-canary-123456")])
    key = pool.acquire()
    assert key is not None
    assert "canary" not in repr(key) and "canary" not in key.fingerprint


# -- backend instances ---------------------------------------------------------

POOL = """
backends:
  - id: p
    kind: openai-compatible
    base_url: http://127.0.0.1:1/v1
    models: [m]
    breaker: {failures: 1, open_for: 30}
    instances: [{id: i1, weight: 3}, {id: i2}]
"""


def pooled(*upstreams: Upstream, seed: int = 7, clock: Clock | None = None) -> Executor:
    """An executor over backend ``p``'s instances ``p.i1`` and ``p.i2``, each its own breaker."""
    config = parse_config(POOL, env={})
    health = HealthBoard.from_config(config, clock=clock or Clock())
    return Executor(
        Planner(config), {u.id: u for u in upstreams}, health=health, rng=random.Random(seed)
    )


@pytest.mark.anyio
async def test_an_instance_that_fails_before_output_hands_over_to_the_other() -> None:
    i1, i2 = Upstream("p.i1", fail=UpstreamError("i1 is down")), Upstream("p.i2")
    handed_over = 0
    for seed in range(10):
        for selector in ("p:m", "m"):  # a backend leaf and a bare model alike
            events, record = await run(pooled(i1, i2, seed=seed), selector)
            assert text_of(events) == "from p.i2"
            assert outcomes(record)[-1] == ("p.i2", Outcome.SUCCESS)
            handed_over += outcomes(record) == [
                ("p.i1", Outcome.FAILED_BEFORE_OUTPUT),
                ("p.i2", Outcome.SUCCESS),
            ]
    assert handed_over >= 10  # i1 is the first pick three times in four


@pytest.mark.anyio
async def test_an_instance_leaf_goes_to_that_instance_only() -> None:
    i1, i2 = Upstream("p.i1", fail=UpstreamError("i1 is down")), Upstream("p.i2")
    with pytest.raises(UpstreamError):
        await run(pooled(i1, i2), "p.i1:m")
    events, record = await run(pooled(i1, i2), "p.i2:m")
    assert text_of(events) == "from p.i2" and i2.calls == 1
    assert outcomes(record) == [("p.i2", Outcome.SUCCESS)]


@pytest.mark.anyio
async def test_instances_share_load_by_weight() -> None:
    i1, i2 = Upstream("p.i1"), Upstream("p.i2")
    ex = pooled(i1, i2, seed=1)
    for _ in range(400):
        await run(ex, "p:m")
    assert 240 <= i1.calls <= 360 and i1.calls + i2.calls == 400, (i1.calls, i2.calls)


@pytest.mark.anyio
async def test_each_instance_has_its_own_breaker() -> None:
    i1, i2 = Upstream("p.i1", fail=UpstreamError("down")), Upstream("p.i2")
    ex = pooled(i1, i2)
    with pytest.raises(UpstreamError):
        await run(ex, "p.i1:m")  # one failure opens p.i1's breaker, not p.i2's
    _, record = await run(ex, "p.i1:m | p.i2:m")
    assert outcomes(record) == [("p.i1", Outcome.SKIPPED), ("p.i2", Outcome.SUCCESS)]
    assert i1.calls == 1


class FreshFailure(Upstream):
    """Fails with a new error on each call, as a real backend does."""

    async def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        self.calls += 1
        raise UpstreamError(f"{self.id} is down")
        yield []  # an async generator, like every backend's stream


@pytest.mark.anyio
async def test_failed_legs_leave_nothing_to_the_collector() -> None:
    down, down2, up = FreshFailure("down"), FreshFailure("down2"), Upstream("up")
    ex = executor([down, down2, up])
    with cyclic_garbage() as garbage:
        for selector in ("down:m | down2:m | up:m", "down:m ! up:m", "down:m ^ up:m"):
            events, _ = await run(ex, selector)
            assert text_of(events) == "from up"
        for selector in ("down:m | down2:m", "down:m ! down2:m"):
            with pytest.raises(UpstreamError):
                await run(ex, selector)
    assert frames_of(garbage) == [], "\n".join(frames_of(garbage))
