"""Call records: the fast constructors make what the keyword ones make."""

from __future__ import annotations

import dataclasses

from lip.continuity.records import Attempt, CallRecord


def test_a_begun_record_is_the_keyword_constructors_record() -> None:
    record = CallRecord.begun("r1", "POST", "/v1/chat/completions")
    made = CallRecord(request_id="r1", method="POST", path="/v1/chat/completions")
    # Every field compared (an unset slot would raise): only the start time differs.
    assert record == dataclasses.replace(made, started=record.started)
    assert abs(record.started - made.started) < 60
    assert record.attempts == [] and record.attempts is not CallRecord.begun("r2", "", "").attempts


def test_a_begun_attempt_is_the_keyword_constructors_attempt() -> None:
    attempt = Attempt.begun(2, "b", "m", "u", "key-1234")
    made = Attempt(
        number=2, backend_id="b", model="m", upstream_model="u", key_fingerprint="key-1234"
    )
    assert attempt == dataclasses.replace(made, started=attempt.started)
    assert abs(attempt.started - made.started) < 60
