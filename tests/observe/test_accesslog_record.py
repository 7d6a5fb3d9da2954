"""The log record an access line travels in: every attribute a formatter may
name, and no second scrubbing pass over a line scrubbed field by field."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterator

import pytest

from lip.config.observability import AccessLogConfig
from lip.continuity import CallRecord
from lip.observe.accesslog import AccessLogObserver, _iso
from lip.secrets import SCRUBBED, Scrubber, ScrubbingFilter


@pytest.fixture
def formatted() -> Iterator[io.StringIO]:
    """``lip.access`` through a formatter naming most LogRecord attributes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s|%(msecs)03d|%(created)f|%(relativeCreated)d|%(levelname)s|%(levelno)d"
            "|%(name)s|%(module)s|%(filename)s|%(funcName)s|%(lineno)d|%(process)d"
            "|%(processName)s|%(thread)d|%(threadName)s|%(message)s"
        )
    )
    logger = logging.getLogger("lip.access")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def test_a_formatter_finds_every_attribute_it_may_name(formatted: io.StringIO) -> None:
    AccessLogObserver(AccessLogConfig()).ended(
        CallRecord(request_id="r1", method="GET", path="/v1/models", status=200)
    )
    fields = formatted.getvalue().rstrip("\n").split("|")
    assert fields[4:11] == ["INFO", "20", "lip.access", "accesslog", "accesslog.py", "ended", "0"]
    assert fields[11] == str(os.getpid())
    assert fields[13] == str(threading.get_ident())
    assert fields[14] == threading.current_thread().name
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", fields[0])
    assert fields[1] == fields[0][-3:]  # msecs agrees with asctime
    assert json.loads(fields[15])["request_id"] == "r1"


def test_the_scrubbing_filter_passes_scrubbed_records_and_scrubs_the_rest() -> None:
    scrub = ScrubbingFilter(Scrubber(["s3cret-value"]))
    done = logging.makeLogRecord({"msg": "kept s3cret-value", SCRUBBED: True})
    assert scrub.filter(done) and done.getMessage() == "kept s3cret-value"
    plain = logging.makeLogRecord({"msg": "said %s", "args": ("s3cret-value",)})
    assert scrub.filter(plain) and plain.getMessage() == "said [redacted]"
    try:
        raise ValueError("s3cret-value")
    except ValueError:
        failed = logging.makeLogRecord({"msg": "x", SCRUBBED: True, "exc_info": sys.exc_info()})
    assert scrub.filter(failed) and "s3cret-value" not in (failed.exc_text or "")


@pytest.mark.parametrize(
    ("epoch", "text"),
    [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1.9996, "1970-01-01T00:00:01.999Z"),
        (1_700_000_000.123456, "2023-11-14T22:13:20.123Z"),
        (1_700_000_000.5, "2023-11-14T22:13:20.500Z"),
        (1_700_000_001.0, "2023-11-14T22:13:21.000Z"),
    ],
)
def test_timestamps_are_iso_milliseconds_utc(epoch: float, text: str) -> None:
    assert _iso(epoch) == text
