"""What a reply tells its call's record and admission pass.

The generate endpoint notes, as a reply goes out: the usage and model the
upstream reported (for the admission :class:`~lip.server.admission.Pass`,
which settles rate limits and budgets with them), and for the call's
:class:`~lip.continuity.CallRecord` (when something observes calls) also
the first output, the finish reason and how the call ended. A unary reply's
:class:`~lip.canonical.Collector` folds these anyway (:func:`note_reply`); a
stream is looked at batch by batch (:func:`note_batch`).

When tracing captures content (``observability.tracing.capture_content``),
the record also takes the prompt (:func:`note_content`) and the completion:
a unary reply's from its collector, a stream's from an :class:`OutputTap`
that folds it as it goes out. Capturing never fails a call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from lip.canonical import (
    Call,
    Collector,
    ErrorEvent,
    ErrorKind,
    Event,
    ResponseFinished,
    ResponseStarted,
    Usage,
    UsageEvent,
)
from lip.canonical.limits import Limits
from lip.continuity import CallOutcome, CallRecord
from lip.observe.content import input_attributes, output_attributes
from lip.server.admission import Pass

__all__ = ["OutputTap", "note_batch", "note_content", "note_reply", "settle"]

log = logging.getLogger("lip.observe")

_ERROR = CallOutcome.ERROR


def settle(record: CallRecord | None, outcome: CallOutcome, kind: ErrorKind | None = None) -> None:
    """Set the call's outcome unless already set: the first settled stands (a
    client that leaves after its error was sent still got an error)."""
    if record is not None and record.outcome is None:
        record.outcome = outcome
        record.error_kind = None if kind is None else kind.value


def note_reply(
    collector: Collector,
    record: CallRecord | None,
    tally: Pass | None,
    scrub: Callable[[str], str] = str,
) -> None:
    """What a unary reply's collector folded, so far (the reply may have failed
    part way: what was reported until then still counts); the completion too,
    when the record takes its content and the reply finished."""
    if tally is not None:
        tally.take(collector.usage, collector.model)
    if record is not None:
        record.usage = collector.usage
        # The member itself: a StrEnum is its value (reading .value goes
        # through a Python-level descriptor).
        record.finish_reason = finish_reason = collector.finish_reason
        if record.content is not None and finish_reason is not None:
            _note_output(record.content, collector, scrub)


def note_content(call: Call, record: CallRecord, scrub: Callable[[str], str]) -> None:
    """The call's prompt, for a record that takes its content."""
    try:
        record.content = input_attributes(call, scrub)
    except Exception:  # never the call's problem
        log.exception("capturing the prompt of request %s failed", record.request_id)


class OutputTap:
    """A stream's output, folded as it goes out, for a record that takes its
    content: :meth:`feed` each batch, then :meth:`finish`. A stream that does
    not fold (cut, over the size limits) leaves the completion out."""

    __slots__ = ("_collector", "_folds")

    def __init__(self, limits: Limits) -> None:
        self._collector = Collector(limits, checked=True)  # the executor checks the grammar
        self._folds = True

    def feed(self, batch: list[Event]) -> None:
        if self._folds:
            try:
                for event in batch:
                    self._collector.feed(event)
            except Exception:
                self._folds = False

    def finish(self, record: CallRecord, scrub: Callable[[str], str]) -> None:
        if self._folds and record.content is not None and self._collector.finish_reason:
            _note_output(record.content, self._collector, scrub)


def _note_output(
    content: dict[str, str], collector: Collector, scrub: Callable[[str], str]
) -> None:
    try:
        content.update(output_attributes(collector.result(), scrub))
    except Exception:  # an unfinished or unfoldable reply: no completion to show
        log.debug("no completion to capture", exc_info=True)


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
        record.finish_reason = last.finish_reason
    elif type(last) is ErrorEvent:
        settle(record, _ERROR, last.kind)
