"""The output-commit rule: failures before output raise, after output they stream."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence

import pytest

from lip.backends.base import Backend
from lip.canonical import (
    Call,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    RateLimitedError,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    UpstreamError,
    Usage,
    UsageEvent,
)
from lip.config import parse_config
from lip.routing import Planner, Target
from lip.routing.executor import Executor

START = ResponseStarted(id="r", model="m", created=1)
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
    events = await _run(Scripted([[START], [usage], [TextDelta(index=0, text="a")], [DONE]]))
    assert events == [START, usage, TextDelta(index=0, text="a"), DONE]


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
        Scripted([[START, TextDelta(index=0, text="a")]], fail=UpstreamError("boom"))
    )
    assert events[:2] == [START, TextDelta(index=0, text="a")]
    assert isinstance(events[-1], ErrorEvent) and events[-1].message == "boom"


@pytest.mark.anyio
async def test_stream_ending_without_terminal_is_reported() -> None:
    with pytest.raises(UpstreamError, match="ended before it finished"):
        await _run(Scripted([[START]]))
    events = await _run(Scripted([[START, TextDelta(index=0, text="a")]]))
    assert isinstance(events[-1], ErrorEvent) and "ended before it finished" in events[-1].message


@pytest.mark.anyio
async def test_bug_in_adapter_is_internal_and_never_leaks() -> None:
    with pytest.raises(Exception) as info:
        await _run(Scripted([[START]], fail=KeyError("secret detail")))
    assert info.value.kind is ErrorKind.INTERNAL  # type: ignore[attr-defined]
    assert "secret" not in str(info.value)
    events = await _run(
        Scripted([[START, TextDelta(index=0, text="a")]], fail=KeyError("secret detail"))
    )
    assert isinstance(events[-1], ErrorEvent) and events[-1].kind is ErrorKind.INTERNAL
    assert "secret" not in events[-1].message


@pytest.mark.anyio
async def test_events_after_the_terminal_are_not_passed_on() -> None:
    events = await _run(
        Scripted([[START, TextDelta(index=0, text="a"), DONE, TextDelta(index=0, text="x")]])
    )
    assert events[-1] == DONE


async def _run_legs(selector: str, backends: dict[str, Scripted]) -> list[Event]:
    ids = ", ".join(f"{{id: {name}, kind: localstub}}" for name in backends)
    config = parse_config(f"backends: [{ids}]", env={})
    executor = Executor(Planner(config), backends)
    call = Call(id="c", protocol="openai_chat", model=selector, messages=())
    return [e async for batch in executor.events(call) for e in batch]


TEXT = TextDelta(index=0, text="from b")


@pytest.mark.anyio
async def test_failover_before_output_tries_the_next_leg() -> None:
    a = Scripted([[START]], fail=UpstreamError("a is down"))
    b = Scripted([[START, TEXT, DONE]])
    assert await _run_legs("a:m | b:m", {"a": a, "b": b}) == [START, TEXT, DONE]
    assert a.closed and b.closed


@pytest.mark.anyio
async def test_no_failover_on_an_invalid_request() -> None:
    from lip.canonical import InvalidRequestError

    a = Scripted([[START]], fail=InvalidRequestError("bad request"))
    b = Scripted([[START, TEXT, DONE]])
    with pytest.raises(InvalidRequestError):
        await _run_legs("a:m | b:m", {"a": a, "b": b})
    assert not b.closed  # never tried


@pytest.mark.anyio
async def test_no_failover_after_output() -> None:
    a = Scripted([[START, TextDelta(index=0, text="from a")]], fail=UpstreamError("cut"))
    b = Scripted([[START, TEXT, DONE]])
    events = await _run_legs("a:m | b:m", {"a": a, "b": b})
    assert events[1] == TextDelta(index=0, text="from a")
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
