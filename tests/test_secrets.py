"""The scrubber: configured credentials and key-shaped strings never pass."""

from __future__ import annotations

import logging

from lip.secrets import REDACTED, Scrubber, ScrubbingFilter


def test_configured_and_key_shaped_secrets_are_redacted() -> None:
    scrub = Scrubber(["my-own-upstream-token", "short"])
    text = (
        "Incorrect API key provided: my-own-upstream-token; also sk-proj-abcdefgh1234, "
        "AIzaSyA1234567890abcdefghijklmnop, Authorization: Bearer eyJhbGciOi.J9 and short"
    )
    scrubbed = scrub(text)
    for secret in ("my-own-upstream-token", "sk-proj-abcdefgh1234", "AIzaSyA123", "eyJhbGciOi"):
        assert secret not in scrubbed
    assert scrubbed.count(REDACTED) == 4
    assert "short" in scrubbed  # too short to be a credential: ordinary words stay


def test_log_records_and_tracebacks_are_scrubbed() -> None:
    record = logging.LogRecord(
        "lip.x", logging.ERROR, __file__, 1, "upstream said %s", ("key sk-canary-000000000",), None
    )
    try:
        raise ValueError("status line with sk-canary-000000000")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert ScrubbingFilter(Scrubber()).filter(record)
    formatted = logging.Formatter().format(record)
    assert "sk-canary" not in formatted and REDACTED in formatted
    assert "ValueError" in formatted  # the traceback itself is kept
