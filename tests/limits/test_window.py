"""Refusals: which one is reported when several limits are reached, and what
their messages say (the limit and its value, never the key)."""

from __future__ import annotations

from lip.canonical.errors import ErrorKind
from lip.limits.window import Refusal


def test_a_refusal_waiting_cannot_cure_is_reported_first() -> None:
    never = Refusal.tpm(100, 500, None)
    assert Refusal.worst([Refusal.rpm(10, 59), never, Refusal.concurrency(1)]) is never


def test_else_the_refusal_that_frees_last() -> None:
    late = Refusal.tpm(100, 50, 30)
    assert Refusal.worst([Refusal.rpm(10, 5), late, Refusal.concurrency(1)]) is late


def test_a_full_slot_only_when_nothing_else_is_refused() -> None:
    slot = Refusal.concurrency(4)
    assert Refusal.worst([slot]) is slot
    assert Refusal.worst([slot, Refusal.rpm(10, 0.001)]).code == "rpm_exceeded"


def test_errors_are_rate_limited_with_code_and_retry_after() -> None:
    error = Refusal.rpm(10, 12.34).error()
    assert error.kind is ErrorKind.RATE_LIMITED
    assert (error.code, error.retry_after) == ("rpm_exceeded", 12.34)
    assert error.message == "Rate limit reached: 10 requests per minute; retry in 12.3 s."
    assert "10 requests in flight" in Refusal.concurrency(10).error().message
