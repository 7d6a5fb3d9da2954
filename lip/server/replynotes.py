"""What a reply tells its call's record and admission pass.

The generate endpoint notes, as a reply goes out: the usage and model the
upstream reported (for the admission :class:`~lip.server.admission.Pass`,
which settles rate limits and budgets with them), and for the call's
:class:`~lip.continuity.CallRecord` (when something observes calls) also
the first output, the finish reason and how the call ended. A unary reply's
:class:`~lip.canonical.Collector` folds these anyway (:func:`note_reply`); a
stream is looked at batch by batch (:func:`note_batch`).
"""

from __future__ import annotations

import time

from lip.canonical import (
    Collector,
    ErrorEvent,
    ErrorKind,
    Event,
    ResponseFinished,
    ResponseStarted,
    Usage,
    UsageEvent,
)
from lip.continuity import CallOutcome, CallRecord
from lip.server.admission import Pass

__all__ = ["note_batch", "note_reply", "settle"]

_ERROR = CallOutcome.ERROR


def settle(record: CallRecord | None, outcome: CallOutcome, kind: ErrorKind | None = None) -> None:
    """Set the call's outcome unless already set: the first settled stands (a
    client that leaves after its error was sent still got an error)."""
    if record is not None and record.outcome is None:
        record.outcome = outcome
        record.error_kind = None if kind is None else kind.value


def note_reply(collector: Collector, record: CallRecord | None, tally: Pass | None) -> None:
    """What a unary reply's collector folded, so far (the reply may have failed
    part way: what was reported until then still counts)."""
    if tally is not None:
        tally.take(collector.usage, collector.model)
    if record is not None:
        record.usage = collector.usage
        finish_reason = collector.finish_reason
        record.finish_reason = None if finish_reason is None else finish_reason.value


def note_batch(batch: list[Event], record: CallRecord | None, tally: Pass | None) -> None:
    """One look at a streamed batch for the call's record and admission pass:
    the usage and the model; for the record also the first output, and how
    the stream ended (the event grammar makes an in-stream error, or the
    response's end, a batch's last event)."""
    usage: Usage | None = None
    model: str | None = None
    for event in batch:
        # Event classes are never subclassed: an identity test, no isinstance walk.
        if type(event) is UsageEvent:
            usage = event.usage if usage is None else usage.merged(event.usage)
        elif type(event) is ResponseStarted and event.model:
            model = event.model
    if tally is not None:
        tally.take(usage, model)
    if record is None:
        return
    if record.first_output is None:
        record.first_output = time.time() - record.started
    if usage is not None:
        record.usage = usage if record.usage is None else record.usage.merged(usage)
    last = batch[-1] if batch else None
    if type(last) is ResponseFinished:
        record.finish_reason = last.finish_reason.value
    elif type(last) is ErrorEvent:
        settle(record, _ERROR, last.kind)
