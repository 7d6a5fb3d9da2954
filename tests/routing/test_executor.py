"""The output-commit rule: failures before output raise, after output they stream."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Sequence

import pytest

from lip.backends import Backend, Target
from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Call,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    InternalError,
    RateLimitedError,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    UpstreamError,
    UpstreamTimeoutError,
    Usage,
    UsageEvent,
)
from lip.config import parse_config
from lip.routing import Planner
from lip.routing.executor import Executor

START = ResponseStarted(id="r", model="m", created=1)
OPEN = BlockStarted(index=0, kind=BlockKind.TEXT)
CLOSE = BlockFinished(index=0)
DONE = ResponseFinished(finish_reason=FinishReason.STOP)


class Scripted(Backend):
    """Yields the given batches, then raises ``fail`` if set."""

    def __init__(self, batches: Sequence[Sequence[Event]], fail: Exception | None = None) -> None:
        super().__init__("s")
        self.batches, self.fail, self.closed = batches, fail, False

    async def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        try:
            for batch in self.batches:
                yield list(batch)
            if self.fail is not None:
                raise self.fail
        finally:
            self.closed = True


async def _run(backend: Scripted) -> list[Event]:
    config = parse_config("backends: [{id: s, kind: localstub, models: ['*']}]", env={})
    executor = Executor(Planner(config), {"s": backend})
    call = Call(id="c", protocol="openai_chat", model="m", messages=())
    return [e async for batch in executor.events(call) for e in batch]


@pytest.mark.anyio
async def test_started_is_held_until_output_then_passes_in_order() -> None:
    usage = UsageEvent(usage=Usage(input_tokens=1))
    text = TextDelta(index=0, text="a")
    events = await _run(Scripted([[START], [usage], [OPEN, text], [CLOSE, DONE]]))
    assert events == [START, usage, OPEN, text, CLOSE, DONE]


@pytest.mark.anyio
async def test_error_event_before_output_raises_its_kind() -> None:
    backend = Scripted(
        [[START, ErrorEvent(kind=ErrorKind.RATE_LIMITED, message="slow", retry_after=2)]]
    )
    with pytest.raises(RateLimitedError) as info:
        await _run(backend)
    assert info.value.retry_after == 2 and backend.closed


@pytest.mark.anyio
async def test_failure_before_output_raises() -> None:
    with pytest.raises(UpstreamError, match="boom"):
        await _run(Scripted([[START]], fail=UpstreamError("boom")))


@pytest.mark.anyio
async def test_failure_after_output_is_a_terminal_error_event() -> None:
    events = await _run(
        Scripted([[START, OPEN, TextDelta(index=0, text="a")]], fail=UpstreamError("boom"))
    )
    assert events[:3] == [START, OPEN, TextDelta(index=0, text="a")]
    assert isinstance(events[-1], ErrorEvent) and events[-1].message == "boom"


@pytest.mark.anyio
async def test_stream_ending_without_terminal_is_an_internal_error() -> None:
    with pytest.raises(InternalError):
        await _run(Scripted([[START]]))
    events = await _run(Scripted([[START, OPEN, TextDelta(index=0, text="a")]]))
    assert isinstance(events[-1], ErrorEvent) and events[-1].kind is ErrorKind.INTERNAL


@pytest.mark.anyio
async def test_bug_in_adapter_is_internal_and_never_leaks() -> None:
    with pytest.raises(Exception) as info:
        await _run(Scripted([[START]], fail=KeyError("secret detail")))
    assert info.value.kind is ErrorKind.INTERNAL  # type: ignore[attr-defined]
    assert "secret" not in str(info.value)
    events = await _run(
        Scripted([[START, OPEN, TextDelta(index=0, text="a")]], fail=KeyError("secret detail"))
    )
    assert isinstance(events[-1], ErrorEvent) and events[-1].kind is ErrorKind.INTERNAL
    assert "secret" not in events[-1].message


@pytest.mark.anyio
async def test_events_after_the_terminal_are_not_passed_on() -> None:
    events = await _run(Scripted([[START, OPEN, TextDelta(index=0, text="a"), CLOSE, DONE, OPEN]]))
    assert events[-1] == DONE


async def _run_legs(selector: str, backends: dict[str, Scripted]) -> list[Event]:
    ids = ", ".join(f"{{id: {name}, kind: localstub}}" for name in backends)
    config = parse_config(f"backends: [{ids}]", env={})
    executor = Executor(Planner(config), backends)
    call = Call(id="c", protocol="openai_chat", model=selector, messages=())
    return [e async for batch in executor.events(call) for e in batch]


TEXT = TextDelta(index=0, text="from b")
ANSWER = [START, OPEN, TEXT, CLOSE, DONE]


@pytest.mark.anyio
async def test_failover_before_output_tries_the_next_leg() -> None:
    a = Scripted([[START]], fail=UpstreamError("a is down"))
    b = Scripted([ANSWER])
    assert await _run_legs("a:m | b:m", {"a": a, "b": b}) == ANSWER
    assert a.closed and b.closed


@pytest.mark.anyio
async def test_no_failover_on_an_invalid_request() -> None:
    from lip.canonical import InvalidRequestError

    a = Scripted([[START]], fail=InvalidRequestError("bad request"))
    b = Scripted([ANSWER])
    with pytest.raises(InvalidRequestError):
        await _run_legs("a:m | b:m", {"a": a, "b": b})
    assert not b.closed  # never tried


@pytest.mark.anyio
async def test_no_failover_after_output() -> None:
    a = Scripted([[START, OPEN, TextDelta(index=0, text="from a")]], fail=UpstreamError("cut"))
    b = Scripted([ANSWER])
    events = await _run_legs("a:m | b:m", {"a": a, "b": b})
    assert events[2] == TextDelta(index=0, text="from a")
    assert isinstance(events[-1], ErrorEvent) and not b.closed


@pytest.mark.anyio
async def test_last_legs_error_when_every_leg_fails() -> None:
    a = Scripted([[START]], fail=UpstreamError("a is down"))
    b = Scripted(
        [[START, ErrorEvent(kind=ErrorKind.RATE_LIMITED, message="b is busy", retry_after=3)]]
    )
    with pytest.raises(RateLimitedError, match="b is busy") as info:
        await _run_legs("a:m | b:m", {"a": a, "b": b})
    assert info.value.retry_after == 3


@pytest.mark.anyio
async def test_a_lip_bug_never_fails_over() -> None:
    a = Scripted([[START]], fail=KeyError("bug"))
    b = Scripted([ANSWER])
    with pytest.raises(InternalError):
        await _run_legs("a:m | b:m", {"a": a, "b": b})
    assert not b.closed  # never tried
    a = Scripted([[START, TextDelta(index=0, text="no block")]])  # a decoder bug
    with pytest.raises(InternalError):
        await _run_legs("a:m | b:m", {"a": a, "b": b})
    assert not b.closed


@pytest.mark.anyio
async def test_grammar_violation_after_output_is_an_in_stream_error() -> None:
    text = TextDelta(index=0, text="a")
    bad = BlockStarted(index=5, kind=BlockKind.TEXT)
    events = await _run(Scripted([[START, OPEN, text], [CLOSE, bad, DONE]]))
    assert events[:4] == [START, OPEN, text, CLOSE]
    assert events[-1] == ErrorEvent(
        kind=ErrorKind.INTERNAL, message="internal error while streaming"
    )
    assert len(events) == 5


class Hanging(Scripted):
    """Sends nothing for ``seconds``, as an upstream stuck before its first byte."""

    def __init__(self, seconds: float) -> None:
        super().__init__([ANSWER])
        self.seconds = seconds
        self.started = False

    async def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        self.started = True
        try:
            await asyncio.sleep(self.seconds)
            yield list(ANSWER)
        finally:
            self.closed = True


@pytest.mark.anyio
async def test_failover_legs_share_one_time_to_first_output_budget() -> None:
    a, b, c = Hanging(30), Hanging(30), Hanging(30)
    config = parse_config(
        "backends: [{id: a, kind: localstub}, {id: b, kind: localstub}, {id: c, kind: localstub}]"
        "\nrouting: {ttft_timeout: 0.3}",
        env={},
    )
    executor = Executor(Planner(config), {"a": a, "b": b, "c": c})
    call = Call(id="c", protocol="openai_chat", model="a:m | b:m | c:m", messages=())
    start = time.monotonic()
    with pytest.raises(
        UpstreamTimeoutError, match=r"within 0.3 s \(the call's time-to-first-output budget"
    ):
        async for _ in executor.events(call):
            pass
    # The budget ended the call (a hanging leg would hold it for 30 s), and it
    # is one budget for the call, not one per leg: when it ran out on the
    # first leg, the others were never started.
    assert time.monotonic() - start < 15
    assert a.started and a.closed
    assert not b.started and not c.started


@pytest.mark.anyio
async def test_a_leg_that_answers_within_the_budget_is_not_cut() -> None:
    a = Scripted([[START]], fail=UpstreamError("a is down"))
    b = Hanging(0.1)
    config = parse_config(
        "backends: [{id: a, kind: localstub}, {id: b, kind: localstub}]\nrouting: {ttft_timeout: 5}",
        env={},
    )
    executor = Executor(Planner(config), {"a": a, "b": b})
    call = Call(id="c", protocol="openai_chat", model="a:m | b:m", messages=())
    assert [e async for batch in executor.events(call) for e in batch] == ANSWER
