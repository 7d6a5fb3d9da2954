"""BlockTracker: vendor deltas in any order -> one block at a time, indexes from 0."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    BlockTracker,
    Event,
    FinishReason,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    ToolCallDelta,
    ToolCallPart,
    collect,
)


def test_current_block_streams_and_others_wait() -> None:
    blocks = BlockTracker("p")
    out: list[Event] = []
    blocks.tool_call("a", "call_a", "f", out)
    blocks.arguments("a", '{"x"', out)
    blocks.tool_call("b", "call_b", "g", out)
    blocks.arguments("b", "{}", out)
    assert out == [
        BlockStarted(index=0, kind=BlockKind.TOOL_CALL, id="call_a", name="f"),
        ToolCallDelta(index=0, arguments='{"x"'),
    ]
    out.clear()
    blocks.arguments("a", ":1}", out)  # interleaved: a is still current
    blocks.finish_all(out)
    assert out == [
        ToolCallDelta(index=0, arguments=":1}"),
        BlockFinished(index=0),
        BlockStarted(index=1, kind=BlockKind.TOOL_CALL, id="call_b", name="g"),
        ToolCallDelta(index=1, arguments="{}"),
        BlockFinished(index=1),
    ]


def test_text_after_finish_opens_a_new_block() -> None:
    blocks = BlockTracker("p")
    out: list[Event] = []
    blocks.text("t", "a", out)
    blocks.finish("t", out)
    blocks.text("t", "b", out)
    blocks.finish_all(out)
    assert [type(e).__name__ for e in out] == [
        "BlockStarted",
        "TextDelta",
        "BlockFinished",
        "BlockStarted",
        "TextDelta",
        "BlockFinished",
    ]
    assert out[3] == BlockStarted(index=1, kind=BlockKind.TEXT)


@given(st.lists(st.tuples(st.integers(0, 3), st.text(max_size=3)), max_size=30))
def test_any_interleaving_of_parallel_calls_folds_to_whole_calls(
    deltas: list[tuple[int, str]],
) -> None:
    blocks = BlockTracker("p")
    events: list[Event] = [ResponseStarted(id="r", model="m", created=0)]
    expected: dict[int, str] = {}
    for call, fragment in deltas:
        if call not in expected:
            blocks.tool_call(call, f"call_{call}", "f", events)
            expected[call] = ""
        blocks.arguments(call, fragment, events)
        expected[call] += fragment
    blocks.finish_all(events)
    events.append(ResponseFinished(finish_reason=FinishReason.TOOL_CALLS))
    response = collect(events)  # checks the grammar too
    assert response.output == tuple(
        ToolCallPart(id=f"call_{c}", name="f", arguments=a) for c, a in expected.items()
    )
    assert [e.index for e in events if isinstance(e, BlockStarted)] == list(range(len(expected)))
    assert all(not isinstance(e, TextDelta) for e in events)
