import pytest

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Citation,
    CitationDelta,
    Collector,
    ErrorEvent,
    ErrorKind,
    FinishReason,
    GrammarViolation,
    Limits,
    ProviderState,
    ProviderStateDelta,
    RateLimitedError,
    ReasoningDelta,
    ReasoningPart,
    ReplyExtensions,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    TextPart,
    ToolCallDelta,
    ToolCallPart,
    UpstreamError,
    Usage,
    UsageEvent,
    collect,
)

START = ResponseStarted(id="r1", model="m", created=1)
ORIGIN = ProviderState(origin="anthropic_messages")


def test_folds_blocks_in_index_order() -> None:
    response = collect(
        [
            START,
            BlockStarted(index=0, kind=BlockKind.REASONING, state=ORIGIN),
            ReasoningDelta(index=0, text="think"),
            ReasoningDelta(index=0, text="sum", summary_index=0),
            ProviderStateDelta(
                index=0, state=ProviderState(origin="anthropic_messages", signature="sig")
            ),
            BlockFinished(index=0),
            BlockStarted(index=1, kind=BlockKind.TEXT),
            TextDelta(index=1, text="Hel"),
            UsageEvent(usage=Usage(input_tokens=3)),
            TextDelta(index=1, text="lo"),
            CitationDelta(index=1, citation=Citation(kind="url", url="https://x", title="X")),
            BlockFinished(index=1),
            BlockStarted(index=2, kind=BlockKind.TOOL_CALL, id="call_1", name="f"),
            ToolCallDelta(index=2, arguments='{"a":'),
            ToolCallDelta(index=2, arguments="1}"),
            BlockFinished(index=2),
            UsageEvent(usage=Usage(output_tokens=4)),
            ReplyExtensions(extensions={"p": {"logprobs": {"content": [1]}}}),
            ReplyExtensions(extensions={"p": {"logprobs": {"content": [2]}, "fp": "x"}}),
            ResponseFinished(finish_reason=FinishReason.TOOL_CALLS),
        ]
    )
    assert response.output == (
        ReasoningPart(
            text="think",
            summary=("sum",),
            state=ProviderState(origin="anthropic_messages", signature="sig"),
        ),
        TextPart(text="Hello", citations=(Citation(kind="url", url="https://x", title="X"),)),
        ToolCallPart(id="call_1", name="f", arguments='{"a":1}'),
    )
    assert response.usage == Usage(input_tokens=3, output_tokens=4)
    assert response.usage.total_tokens == 7
    assert response.finish_reason is FinishReason.TOOL_CALLS
    assert response.extensions == {"p": {"logprobs": {"content": [1, 2]}, "fp": "x"}}


TEXT0 = BlockStarted(index=0, kind=BlockKind.TEXT)


@pytest.mark.parametrize(
    "events, message",
    [
        ([TextDelta(index=0, text="x")], "outside its block"),
        ([START, TEXT0, TextDelta(index=0, text="x")], "ended before it finished"),
        ([START, START], "twice"),
        ([START, ToolCallDelta(index=0, arguments="{}")], "outside its block"),
        ([START, TEXT0, ReasoningDelta(index=0, text="b")], "outside its block"),
        ([START, TEXT0, BlockStarted(index=1, kind=BlockKind.TEXT)], "inside block 0"),
        ([START, BlockStarted(index=1, kind=BlockKind.TEXT)], "expected 0"),
        (
            [START, TEXT0, ResponseFinished(finish_reason=FinishReason.STOP)],
            "finished inside block",
        ),
        (
            [START, ResponseFinished(finish_reason=FinishReason.STOP), TEXT0],
            "after the terminal",
        ),
    ],
)
def test_grammar_violations_are_internal_errors(events: list, message: str) -> None:
    with pytest.raises(GrammarViolation, match=message) as info:
        collect(events)
    assert info.value.kind is ErrorKind.INTERNAL


def test_error_event_raises_its_kind() -> None:
    with pytest.raises(RateLimitedError) as info:
        collect(
            [START, ErrorEvent(kind=ErrorKind.RATE_LIMITED, message="slow down", retry_after=2.0)]
        )
    assert info.value.retry_after == 2.0


def test_usage_and_model_so_far_survive_an_error_event() -> None:
    """What a unary reply's record and admission pass read back, even when
    the stream ends in an error."""
    collector = Collector()
    assert (collector.usage, collector.model) == (None, None)
    events = [
        START,
        UsageEvent(usage=Usage(input_tokens=3)),
        UsageEvent(usage=Usage(output_tokens=4)),
        ErrorEvent(kind=ErrorKind.RATE_LIMITED, message="slow down"),
    ]
    with pytest.raises(RateLimitedError):
        for event in events:
            collector.feed(event)
    assert collector.usage == Usage(input_tokens=3, output_tokens=4)
    assert collector.model == "m"
    unnamed = Collector()
    unnamed.feed(ResponseStarted(id="r2", model="", created=1))
    assert unnamed.model is None


def test_size_limit() -> None:
    with pytest.raises(UpstreamError, match="size limit"):
        collect([START, TEXT0, TextDelta(index=0, text="x" * 11)], Limits(max_response_bytes=10))


def test_event_limit() -> None:
    with pytest.raises(UpstreamError, match="event limit"):
        collect([START, TEXT0, *[TextDelta(index=0, text="x")] * 5], Limits(max_events=3))
