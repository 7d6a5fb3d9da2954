"""What a reply notes on its call's record and admission pass."""

from __future__ import annotations

from unittest import mock

from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    Collector,
    ErrorEvent,
    ErrorKind,
    Event,
    FinishReason,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    Usage,
    UsageEvent,
)
from lip.continuity import CallOutcome, CallRecord
from lip.server.admission import Pass
from lip.server.replynotes import note_batch, note_reply, settle

STARTED = ResponseStarted(id="r", model="m-2024", created=0)
FIRST: list[Event] = [
    STARTED,
    BlockStarted(index=0, kind=BlockKind.TEXT),
    TextDelta(index=0, text="hi"),
]
LAST: list[Event] = [
    BlockFinished(index=0),
    UsageEvent(usage=Usage(input_tokens=5, output_tokens=2)),
    ResponseFinished(finish_reason=FinishReason.TOOL_CALLS),
]


def pass_() -> Pass:
    return Pass(mock.Mock(), "client", None, charged=False, model="m")


def test_a_stream_notes_its_usage_model_first_output_and_finish_reason() -> None:
    record, tally = CallRecord.begun("a" * 32, "POST", "/v1/chat/completions"), pass_()
    note_batch(FIRST, record, tally)
    first_output = record.first_output
    assert first_output is not None and record.finish_reason is None and tally.model == "m-2024"
    note_batch([UsageEvent(usage=Usage(input_tokens=5, reasoning_tokens=1))], record, tally)
    note_batch(LAST, record, tally)
    assert record.first_output == first_output  # the first batch's, kept
    merged = Usage(input_tokens=5, output_tokens=2, reasoning_tokens=1)  # reports merge
    assert record.usage == tally.usage == merged
    assert record.finish_reason == "tool_calls" and record.outcome is None
    note_batch(LAST, None, tally)  # without a record, the pass alone
    assert tally.usage == merged


def test_an_in_stream_error_settles_the_call_as_failed_and_the_first_outcome_stands() -> None:
    record = CallRecord.begun("a" * 32, "POST", "/v1/chat/completions")
    note_batch([*FIRST, ErrorEvent(kind=ErrorKind.UPSTREAM_ERROR, message="cut")], record, None)
    assert (record.outcome, record.error_kind, record.finish_reason) == (
        CallOutcome.ERROR,
        "upstream_error",
        None,
    )
    settle(record, CallOutcome.SUCCESS)
    assert record.outcome is CallOutcome.ERROR
    settle(None, CallOutcome.SUCCESS)  # nothing observes the call: nothing to note


def test_a_unary_reply_notes_what_its_collector_folded_so_far() -> None:
    record, tally = CallRecord.begun("a" * 32, "POST", "/v1/messages"), pass_()
    collector = Collector()
    for event in FIRST:
        collector.feed(event)
    note_reply(collector, record, tally)  # cut before its end: no finish reason yet
    assert (record.usage, record.finish_reason, tally.model) == (None, None, "m-2024")
    for event in LAST:
        collector.feed(event)
    note_reply(collector, record, None)
    assert record.usage == Usage(input_tokens=5, output_tokens=2)
    assert record.finish_reason == "tool_calls"
