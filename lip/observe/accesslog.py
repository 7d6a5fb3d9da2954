"""Structured access logs: one line per HTTP request on the ``lip.access`` logger.

:class:`AccessLogObserver` turns each finished :class:`CallRecord` into one
INFO record, JSON (one object per line) or text (``key=value`` pairs, the
same fields in the same order, null ones left out). The fields, in order::

    ts request_id trace_id method path protocol client selector backend model
    attempts failovers status outcome error_kind input_tokens output_tokens
    cached_tokens ttfb_ms ttft_ms duration_ms stream

``trace_id`` only when tracing gave the call one. The record holds no message
content and neither does the line; the path never carries the query string.
Every free-form string still passes through the runtime's scrubber
(:class:`lip.secrets.Scrubber`), so a key pasted into a path, a selector or a
client label comes out ``[redacted]``.

This is not uvicorn's access log (``server.access_log``), which prints the
raw request line; with this one on, that one is best turned off.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from math import floor, trunc
from typing import cast

import orjson

from lip.config.observability import AccessLogConfig
from lip.continuity import CallObserver, CallRecord, Outcome
from lip.observe.lines import LineHandler
from lip.secrets import SCRUBBED, Scrubber, ScrubbingFilter

__all__ = ["LOGGER", "AccessLogObserver", "access_fields", "format_json", "format_text"]

LOGGER = "lip.access"
log = logging.getLogger(LOGGER)
failures = logging.getLogger("lip.observe")

_SCRUBBED_CACHE = 4096

Value = str | int | float | bool | None
"""A field's value: what JSON and the text format both write."""


def access_fields(
    record: CallRecord,
    scrub: Callable[[str], str],
    templates: dict[tuple[object, ...], dict[str, Value]] | None = None,
) -> dict[str, Value]:
    """The line's fields, in their order (``trace_id`` only when set).

    ``templates`` (the observer's, bounded) keeps, per combination of the
    fields that repeat from request to request (method, path, protocol,
    client, selector, backend, model, attempts, status, outcome, error kind,
    stream), the fields in order with those already scrubbed: a line is then
    a copy of its template with the rest filled in."""
    attempts = record.attempts
    count = len(attempts)
    if count == 1:
        served = attempts[0] if attempts[0].first_output is not None else None
    else:
        served = record.served_by if count else None
    trace_id = record.trace_id
    key = (
        trace_id is not None,
        record.method,
        record.path,
        record.protocol,
        record.client,
        record.selector,
        None if served is None else served.backend_id,
        None if served is None else served.upstream_model,
        count,
        record.status,
        record.outcome,
        record.error_kind,
        record.stream,
    )
    template = None if templates is None else templates.get(key)
    if template is None:
        template = _template(key, scrub)
        if templates is not None:
            if len(templates) >= _TEMPLATES:
                templates.clear()
            templates[key] = template
    fields = template.copy()
    fields["ts"] = _iso(record.started)
    fields["request_id"] = record.request_id
    if trace_id is not None:
        fields["trace_id"] = trace_id
    if count > 1:
        fields["failovers"] = sum(a.outcome is _FAILED_BEFORE_OUTPUT for a in attempts)
    usage = record.usage
    if usage is not None:
        fields["input_tokens"] = usage.input_tokens
        fields["output_tokens"] = usage.output_tokens
        fields["cached_tokens"] = usage.cached_input_tokens
    # Milliseconds to one decimal (half up; cheaper than round), inline, as
    # this runs for every line.
    first_byte, first_output, ended = record.first_byte, record.first_output, record.ended
    if first_byte is not None:
        fields["ttfb_ms"] = floor(first_byte * 10_000 + 0.5) / 10
    if first_output is not None:
        fields["ttft_ms"] = floor(first_output * 10_000 + 0.5) / 10
    if ended is not None:
        fields["duration_ms"] = floor(ended * 10_000 + 0.5) / 10
    return fields


_TEMPLATES = 1024
"""Templates an observer keeps at most (a bounded cache: cleared when full)."""
_FAILED_BEFORE_OUTPUT = Outcome.FAILED_BEFORE_OUTPUT


def _template(key: tuple[object, ...], scrub: Callable[[str], str]) -> dict[str, Value]:
    """Every field in order: those of ``key`` scrubbed, the others empty."""
    (
        traced,
        method,
        path,
        protocol,
        client,
        selector,
        backend,
        model,
        attempts,
        status,
        outcome,
        error_kind,
        stream,
    ) = key
    fields: dict[str, Value] = {"ts": "", "request_id": ""}
    if traced:
        fields["trace_id"] = ""
    assert isinstance(method, str) and isinstance(path, str)
    fields["method"] = scrub(method)
    fields["path"] = scrub(path)
    fields["protocol"] = protocol if isinstance(protocol, str) else None
    named = (("client", client), ("selector", selector), ("backend", backend), ("model", model))
    for name, value in named:
        fields[name] = scrub(value) if isinstance(value, str) else None
    assert isinstance(attempts, int) and isinstance(stream, bool)
    assert status is None or isinstance(status, int)
    fields["attempts"], fields["failovers"], fields["status"] = attempts, 0, status
    fields["outcome"] = None if outcome is None else str(outcome)  # a StrEnum's value
    fields["error_kind"] = scrub(error_kind) if isinstance(error_kind, str) else None
    fields["input_tokens"] = fields["output_tokens"] = fields["cached_tokens"] = None
    fields["ttfb_ms"] = fields["ttft_ms"] = fields["duration_ms"] = None
    fields["stream"] = stream
    return fields


def format_json(fields: dict[str, Value]) -> str:
    """One JSON object on one line (newlines in values are escaped; text
    outside ASCII is written as UTF-8, not escaped)."""
    return _dumps(fields).decode()


_dumps = orjson.dumps


# A string goes bare only when it cannot be mistaken for another type or for
# the next pair: no spaces, quotes, ``=`` or control characters.
_BARE = re.compile(r"[A-Za-z0-9._:/@+\-\[\]]+")
_NOT_A_STRING = re.compile(r"-?[0-9][0-9.eE+\-]*|true|false|null|NaN|-?Infinity")


def format_text(fields: dict[str, Value]) -> str:
    """``key=value`` pairs; null fields left out, strings JSON-quoted when needed
    (spaces, quotes, ``=``, or a string that reads as a number or boolean)."""
    return " ".join(f"{key}={_text_value(value)}" for key, value in _present(fields.items()))


def _present(items: Iterable[tuple[str, Value]]) -> Iterable[tuple[str, Value]]:
    return ((k, v) for k, v in items if v is not None)


def _text_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        bare = _BARE.fullmatch(value) and not _NOT_A_STRING.fullmatch(value)
        return value if bare else json.dumps(value, ensure_ascii=False)
    return str(value)


class AccessLogObserver(CallObserver):
    """Logs each finished request (but those under ``skip_paths``) as one line.

    ``scrub`` redacts secrets from every free-form string; the default knows
    only the shapes of keys, so the runtime passes its own scrubber (which
    knows every configured credential)."""

    batches = True

    def __init__(self, config: AccessLogConfig, scrub: Callable[[str], str] | None = None) -> None:
        self._skip = frozenset(config.skip_paths)
        self._redact: Callable[[str], str] = scrub if scrub is not None else Scrubber()
        self._json = config.format == "json"
        # Paths, models, selectors and clients repeat from request to request:
        # each distinct value is scrubbed once (bounded), not by a regex per line.
        self._scrubbed: dict[str, str] = {}
        self._templates: dict[tuple[object, ...], dict[str, Value]] = {}

    def _scrub(self, text: str) -> str:
        done = self._scrubbed.get(text)
        if done is None:
            done = self._redact(text)
            if len(self._scrubbed) >= _SCRUBBED_CACHE:
                self._scrubbed.clear()
            self._scrubbed[text] = done
        return done

    def ended(self, record: CallRecord) -> None:
        self.ended_batch((record,))

    def ended_batch(self, records: Sequence[CallRecord]) -> None:
        """The records' lines, written together."""
        if not log.isEnabledFor(logging.INFO):
            return
        skip, scrub, templates = self._skip, self._scrub, self._templates
        render: Callable[[dict[str, Value]], bytes | str] = _dumps if self._json else format_text
        rendered: list[bytes | str] = []
        for record in records:
            if record.path in skip:
                continue
            try:
                rendered.append(render(access_fields(record, scrub, templates)))
            except Exception:
                failures.exception("observer %s failed", type(self).__name__)
        if not rendered:
            return
        direct = _direct_handler()
        if not self._json:
            lines = cast("list[str]", rendered)
        else:
            # orjson's bytes; written directly, decoded once for the batch (a
            # JSON line holds no raw newline: the batch's text is its lines, joined).
            encoded = cast("list[bytes]", rendered)
            if direct is not None:
                lines = [b"\n".join(encoded).decode()]
            else:
                lines = [line.decode() for line in encoded]
        if direct is not None:
            direct.write_lines(lines)
        else:
            for line in lines:
                log.handle(_AccessRecord(line))


def _direct_handler() -> LineHandler | None:
    """The logger's one handler, when writing to it directly is what logging
    would do: ``lip serve``'s setup (a bare :class:`LineHandler`, no
    propagation, no filter but the scrubbing one, which passes a line
    scrubbed field by field unchanged). Any other setup (more handlers, a
    formatter, a test's capture) gets a log record."""
    handlers = log.handlers
    if len(handlers) != 1 or log.propagate or log.disabled:
        return None
    handler = handlers[0]
    if type(handler) is not LineHandler or not handler.bare or handler.filters:
        return None
    if handler.level > logging.INFO or any(type(f) is not ScrubbingFilter for f in log.filters):
        return None
    return handler


_FILENAME = os.path.basename(__file__)
_MODULE = os.path.splitext(_FILENAME)[0]
_STARTED_NS = int(
    getattr(logging, "_startTime", time.time()) * 1e9
)  # relativeCreated counts from it


class _AccessRecord(logging.LogRecord):
    """An INFO record of one access line, with every attribute a formatter
    may name, made without :class:`logging.LogRecord`'s per-record lookups
    (caller, file name, process name): at a line per request they cost more
    than the line. Every field is scrubbed already (:data:`SCRUBBED`), so the
    loggers' scrubbing filter does not search the whole line again."""

    def __init__(self, line: str) -> None:  # no super().__init__(): see above
        now = time.time_ns()
        self.name = LOGGER
        self.msg = line
        self.args = ()
        self.levelname = "INFO"
        self.levelno = logging.INFO
        self.pathname = __file__
        self.filename = _FILENAME
        self.module = _MODULE
        self.exc_info = None
        self.exc_text = None
        self.stack_info = None
        self.lineno = 0
        self.funcName = "ended"
        self.created = now / 1e9
        self.msecs = float((now % 1_000_000_000) // 1_000_000)
        self.relativeCreated = (now - _STARTED_NS) / 1e6
        self.thread = threading.get_ident()
        self.threadName = threading.current_thread().name
        self.processName = "MainProcess"
        self.process = os.getpid()
        self.taskName = None
        setattr(self, SCRUBBED, True)


class _Seconds:
    """The ISO 8601 text of the whole second last formatted (lines come in
    bursts within one second): only the milliseconds are added per line."""

    second = -1
    text = ""


def _iso(epoch: float) -> str:
    second, millis = divmod(trunc(epoch * 1000), 1000)  # math.trunc: int() costs twice
    if second != _Seconds.second:
        _Seconds.second = second
        _Seconds.text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return _Seconds.text + _MILLIS[millis]


_MILLIS = tuple(f".{millis:03d}Z" for millis in range(1000))
"""Each line's milliseconds and zone, made once."""
