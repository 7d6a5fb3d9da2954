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
from typing import Literal

import pytest

from lip.config.observability import AccessLogConfig
from lip.continuity import CallRecord
from lip.observe.accesslog import (
    AccessLogObserver,
    _direct_handler,
    _iso,
    access_fields,
    format_json,
    format_text,
)
from lip.observe.lines import LineHandler
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


@pytest.fixture
def served() -> Iterator[tuple[LineHandler, io.StringIO]]:
    """``lip.access`` set up as ``lip serve`` sets it up (log_config)."""
    stream = io.StringIO()
    handler = LineHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("lip.access")
    saved = logger.handlers[:], logger.propagate, logger.level, logger.filters[:]
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.filters[:] = [ScrubbingFilter(Scrubber())]
    try:
        yield handler, stream
    finally:
        logger.handlers[:], logger.propagate, level, logger.filters[:] = saved
        logger.setLevel(level)


def alone(handler: LineHandler) -> None:
    """Leave ``handler`` the logger's only one (the test run's log capture
    adds its own handlers once the fixtures are set up)."""
    logging.getLogger("lip.access").handlers[:] = [handler]


def test_lip_serves_setup_takes_the_line_without_a_record(
    served: tuple[LineHandler, io.StringIO], monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, stream = served
    alone(handler)
    assert _direct_handler() is handler
    monkeypatch.setattr(logging.Logger, "handle", lambda *_: pytest.fail("a record was made"))
    AccessLogObserver(AccessLogConfig()).ended(CallRecord(request_id="d1", path="/v1/x"))
    assert json.loads(stream.getvalue())["request_id"] == "d1"


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_a_batch_is_written_as_one_line_per_record(
    served: tuple[LineHandler, io.StringIO], log_format: Literal["json", "text"]
) -> None:
    handler, stream = served
    alone(handler)
    records = [
        CallRecord(request_id=f"r{n}", method="POST", path=f"/v1/{n}\nx", status=200)
        for n in range(3)
    ]
    AccessLogObserver(AccessLogConfig(format=log_format)).ended_batch(records)
    handler.flush()
    format_line = format_json if log_format == "json" else format_text
    expected = [format_line(access_fields(record, Scrubber())) for record in records]
    assert stream.getvalue() == "".join(f"{line}\n" for line in expected)


@pytest.mark.parametrize(
    "change",
    ["second handler", "formatter", "handler filter", "other filter", "propagate", "level"],
)
def test_any_other_setup_gets_a_record(
    served: tuple[LineHandler, io.StringIO], change: str
) -> None:
    handler, stream = served
    alone(handler)
    logger = logging.getLogger("lip.access")
    match change:
        case "second handler":
            logger.addHandler(logging.NullHandler())
        case "formatter":
            handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        case "handler filter":
            handler.addFilter(logging.Filter("lip"))
        case "other filter":
            logger.addFilter(logging.Filter("lip"))
        case "propagate":
            logger.propagate = True
        case "level":
            handler.setLevel(logging.WARNING)
    assert _direct_handler() is None
    AccessLogObserver(AccessLogConfig()).ended(CallRecord(request_id="d2", path="/v1/x"))
    if change == "formatter":
        assert stream.getvalue().startswith("INFO {")
