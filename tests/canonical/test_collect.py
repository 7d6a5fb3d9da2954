import pytest

from lip.canonical import (
    ErrorEvent,
    ErrorKind,
    FinishReason,
    Limits,
    RateLimitedError,
    ReasoningDelta,
    ReasoningPart,
    ReasoningSignature,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    TextPart,
    ToolCallDelta,
    ToolCallFinished,
    ToolCallPart,
    ToolCallStarted,
    UpstreamError,
    Usage,
    UsageEvent,
    collect,
)

START = ResponseStarted(id="r1", model="m", created=1)


def test_folds_blocks_in_index_order() -> None:
    response = collect(
        [
            START,
            ReasoningDelta(index=0, text="think", origin="anthropic_messages"),
            ReasoningSignature(index=0, signature="sig", origin="anthropic_messages"),
            TextDelta(index=1, text="Hel"),
            ToolCallStarted(index=2, id="call_1", name="f"),
            TextDelta(index=1, text="lo"),
            ToolCallDelta(index=2, arguments='{"a":'),
            ToolCallDelta(index=2, arguments="1}"),
            ToolCallFinished(index=2),
            UsageEvent(usage=Usage(input_tokens=3)),
            UsageEvent(usage=Usage(output_tokens=4)),
            ResponseFinished(finish_reason=FinishReason.TOOL_CALLS),
        ]
    )
    assert response.output == (
        ReasoningPart(text="think", signature="sig", origin="anthropic_messages"),
        TextPart(text="Hello"),
        ToolCallPart(id="call_1", name="f", arguments='{"a":1}'),
    )
    assert response.usage == Usage(input_tokens=3, output_tokens=4)
    assert response.usage.total_tokens == 7
    assert response.finish_reason is FinishReason.TOOL_CALLS


@pytest.mark.parametrize(
    "events, message",
    [
        ([TextDelta(index=0, text="x")], "before it started"),
        ([START, TextDelta(index=0, text="x")], "ended before it finished"),
        ([START, START], "started twice"),
        ([START, ToolCallDelta(index=0, arguments="{}")], "without an open call"),
        ([START, TextDelta(index=0, text="a"), ReasoningDelta(index=0, text="b")], "mixes"),
        (
            [START, ResponseFinished(finish_reason=FinishReason.STOP), TextDelta(index=0, text="")],
            "after its terminal",
        ),
    ],
)
def test_grammar_violations_are_upstream_errors(events: list, message: str) -> None:
    with pytest.raises(UpstreamError, match=message):
        collect(events)


def test_error_event_raises_its_kind() -> None:
    with pytest.raises(RateLimitedError) as info:
        collect(
            [START, ErrorEvent(kind=ErrorKind.RATE_LIMITED, message="slow down", retry_after=2.0)]
        )
    assert info.value.retry_after == 2.0


def test_size_limit() -> None:
    with pytest.raises(UpstreamError, match="size limit"):
        collect([START, TextDelta(index=0, text="x" * 11)], Limits(max_response_bytes=10))


def test_event_limit() -> None:
    with pytest.raises(UpstreamError, match="event limit"):
        collect([START, *[TextDelta(index=0, text="x")] * 5], Limits(max_events=3))
