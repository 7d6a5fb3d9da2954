"""Attempt lineage: one A-leg record per client call, one B-leg per upstream attempt.

The executor fills these in as a call runs; when the call ends the record
goes to a :class:`lip.continuity.store.LineageStore`, from which
``GET /diagnostics/requests/{id}`` reads it back. Times are wall-clock
seconds (``time.time()``) for the starts and seconds since that start for
the rest, so a record reads the same in any store.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from lip.canonical import Usage
from lip.canonical.enums import ValueEnum


class Outcome(ValueEnum):
    """How one attempt (B-leg) ended."""

    SUCCESS = "success"
    """It produced the client's output, to the end."""
    FAILED_BEFORE_OUTPUT = "failed_before_output"
    """It failed before any client-visible output; the call moved on (or gave up)."""
    SURFACED = "surfaced_failure"
    """It failed after output had started: the client saw an in-stream error."""
    CANCELLED = "cancelled"
    """The client went away (or the call's budget ran out) while it ran."""
    LOST_RACE = "lost_race"
    """Another branch of a race produced output first; this one was cancelled."""
    SKIPPED = "skipped"
    """Never sent: the backend's circuit breaker was open or its queue was full."""


class CallOutcome(ValueEnum):
    """How the client call (A-leg) ended."""

    SUCCESS = "success"
    ERROR = "error"
    """Answered with an error (an HTTP error, or an in-stream error after output)."""
    CANCELLED = "cancelled"
    """The client went away first."""


@dataclass(slots=True, kw_only=True)
class Attempt:
    """A B-leg: one upstream request (or one skipped candidate)."""

    number: int
    backend_id: str
    model: str
    upstream_model: str
    key_fingerprint: str | None = None
    started: float = field(default_factory=time.time)
    first_output: float | None = None
    """Seconds from ``started`` to the attempt's first client-visible output."""
    ended: float | None = None
    """Seconds from ``started`` to the attempt's end."""
    outcome: Outcome | None = None
    error_kind: str | None = None
    error_message: str | None = None
    """Already scrubbed of secrets."""
    span_id: str | None = None
    """The attempt's trace span (16 hex digits), sent upstream in ``traceparent``."""

    @classmethod
    def begun(
        cls,
        number: int,
        backend_id: str,
        model: str,
        upstream_model: str,
        key_fingerprint: str | None,
    ) -> Attempt:
        """An attempt starting now: what the keyword constructor makes, for the
        executor's every attempt (that constructor looks each keyword-only
        default up by name, at twice the cost)."""
        attempt = _new(cls)
        attempt.number = number
        attempt.backend_id = backend_id
        attempt.model = model
        attempt.upstream_model = upstream_model
        attempt.key_fingerprint = key_fingerprint
        attempt.started = time.time()
        attempt.first_output = attempt.ended = attempt.outcome = None
        attempt.error_kind = attempt.error_message = attempt.span_id = None
        return attempt

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "backend": self.backend_id,
            "model": self.model,
            "upstream_model": self.upstream_model,
            "key_fingerprint": self.key_fingerprint,
            "started": self.started,
            "first_output": self.first_output,
            "ended": self.ended,
            "outcome": self.outcome.value if self.outcome else None,
            "error_kind": self.error_kind,
            "error_message": self.error_message,
            "span_id": self.span_id,
        }


@dataclass(slots=True, kw_only=True)
class CallRecord:
    """An A-leg: one client call, with its attempts in the order they started."""

    request_id: str
    protocol: str | None = None
    """The client protocol of a generate call; None for other requests."""
    method: str = ""
    path: str = ""
    status: int | None = None
    """The HTTP status LIP answered with."""
    first_byte: float | None = None
    """Seconds from ``started`` to the reply's status line."""
    client: str | None = None
    """Who called: a client key id, ``oidc:<subject>`` or ``ip:<address>``."""
    usage: Usage | None = None
    """The token counts the reply reported."""
    trace_id: str | None = None
    """The W3C trace (32 hex digits): the client's ``traceparent``, or a new one."""
    span_id: str | None = None
    """This request's server span (16 hex digits)."""
    parent_span_id: str | None = None
    """The client's span, from its ``traceparent``."""
    selector: str | None = None
    plan: str | None = None
    """The parsed plan, rendered (``lip routes`` prints the same form)."""
    stream: bool = False
    started: float = field(default_factory=time.time)
    first_output: float | None = None
    ended: float | None = None
    outcome: CallOutcome | None = None
    error_kind: str | None = None
    finish_reason: str | None = None
    """Why the reply's output ended (a canonical ``FinishReason`` value), when it did."""
    content: dict[str, str] | None = None
    """The prompt and completion, as span attributes, when tracing captures
    them (``observability.tracing.capture_content``); never kept for
    ``/diagnostics``."""
    attempts: list[Attempt] = field(default_factory=list)

    @classmethod
    def begun(cls, request_id: str, method: str, path: str) -> CallRecord:
        """The record of a request arriving now: what the keyword constructor
        makes, on every request at half its cost (see :meth:`Attempt.begun`)."""
        record = _new(cls)
        record.request_id = request_id
        record.method = method
        record.path = path
        record.protocol = record.status = record.first_byte = record.client = None
        record.usage = record.trace_id = record.span_id = record.parent_span_id = None
        record.selector = record.plan = record.first_output = record.ended = None
        record.outcome = record.error_kind = record.finish_reason = record.content = None
        record.stream = False
        record.started = time.time()
        record.attempts = []
        return record

    @property
    def served_by(self) -> Attempt | None:
        """The attempt whose output the client got (the last one that produced any)."""
        for attempt in reversed(self.attempts):
            if attempt.first_output is not None:
                return attempt
        return None

    def to_json(self) -> dict[str, object]:
        usage = self.usage
        return {
            "request_id": self.request_id,
            "protocol": self.protocol,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "first_byte": self.first_byte,
            "client": self.client,
            "usage": None if usage is None else _usage_json(usage),
            "trace_id": self.trace_id,
            "span_id": self.span_id,
            "parent_span_id": self.parent_span_id,
            "selector": self.selector,
            "plan": self.plan,
            "stream": self.stream,
            "started": self.started,
            "first_output": self.first_output,
            "ended": self.ended,
            "outcome": self.outcome.value if self.outcome else None,
            "error_kind": self.error_kind,
            "finish_reason": self.finish_reason,
            "attempts": [a.to_json() for a in self.attempts],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CallRecord:
        """The inverse of :meth:`to_json` (for stores that keep JSON).

        Raises :class:`ValueError` when ``data`` is not a record's shape."""
        attempts = data.get("attempts", [])
        if not isinstance(attempts, list):
            raise ValueError("a call record's 'attempts' must be a list")
        outcome = _opt_str(data, "outcome")
        usage = data.get("usage")
        return cls(
            request_id=_str(data, "request_id"),
            protocol=_opt_str(data, "protocol"),
            method=_opt_str(data, "method") or "",
            path=_opt_str(data, "path") or "",
            status=_opt_int(data, "status"),
            first_byte=_opt_float(data, "first_byte"),
            client=_opt_str(data, "client"),
            usage=_usage(usage) if isinstance(usage, dict) else None,
            trace_id=_opt_str(data, "trace_id"),
            span_id=_opt_str(data, "span_id"),
            parent_span_id=_opt_str(data, "parent_span_id"),
            selector=_opt_str(data, "selector"),
            plan=_opt_str(data, "plan"),
            stream=data.get("stream") is True,
            started=_float(data, "started"),
            first_output=_opt_float(data, "first_output"),
            ended=_opt_float(data, "ended"),
            outcome=CallOutcome(outcome) if outcome is not None else None,
            error_kind=_opt_str(data, "error_kind"),
            finish_reason=_opt_str(data, "finish_reason"),
            attempts=[_attempt(a) for a in attempts],
        )


_new = object.__new__


def _attempt(data: object) -> Attempt:
    """The inverse of :meth:`Attempt.to_json`."""
    if not isinstance(data, dict):
        raise ValueError("an attempt must be an object")
    outcome = _opt_str(data, "outcome")
    return Attempt(
        number=int(_float(data, "number")),
        backend_id=_str(data, "backend"),
        model=_str(data, "model"),
        upstream_model=_str(data, "upstream_model"),
        key_fingerprint=_opt_str(data, "key_fingerprint"),
        started=_float(data, "started"),
        first_output=_opt_float(data, "first_output"),
        ended=_opt_float(data, "ended"),
        outcome=Outcome(outcome) if outcome is not None else None,
        error_kind=_opt_str(data, "error_kind"),
        error_message=_opt_str(data, "error_message"),
        span_id=_opt_str(data, "span_id"),
    )


_USAGE_FIELDS = (
    "input_tokens",
    "output_tokens",
    "cached_input_tokens",
    "cache_creation_input_tokens",
    "reasoning_tokens",
)


def _usage_json(usage: Usage) -> dict[str, object]:
    return {name: getattr(usage, name) for name in _USAGE_FIELDS}


def _usage(data: dict[str, object]) -> Usage:
    return Usage(**{name: _opt_int(data, name) for name in _USAGE_FIELDS})


def _opt_int(data: dict[str, object], key: str) -> int | None:
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{key!r} must be an integer or null")
    return value


def _opt_str(data: dict[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string or null")
    return value


def _str(data: dict[str, object], key: str) -> str:
    value = _opt_str(data, key)
    if value is None:
        raise ValueError(f"{key!r} is required")
    return value


def _opt_float(data: dict[str, object], key: str) -> float | None:
    value = data.get(key)
    # bool is an int: a JSON true is not a time.
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ValueError(f"{key!r} must be a number or null")
    return None if value is None else float(value)


def _float(data: dict[str, object], key: str) -> float:
    value = _opt_float(data, key)
    if value is None:
        raise ValueError(f"{key!r} is required")
    return value


__all__ = ["Attempt", "CallOutcome", "CallRecord", "Outcome"]
