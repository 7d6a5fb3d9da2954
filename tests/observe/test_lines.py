"""The line handler of the access log (:mod:`lip.observe.lines`): what one
event-loop turn logs is written once, nothing is held past that turn."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator

import pytest

from lip.observe.lines import LineHandler


class _Recording(io.StringIO):
    """A stream that remembers each write."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, LineHandler, _Recording]]:
    stream = _Recording()
    handler = LineHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("lip.test.lines")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield logger, handler, stream
    finally:
        logger.removeHandler(handler)


def test_lines_of_one_turn_are_written_together(
    logged: tuple[logging.Logger, LineHandler, _Recording],
) -> None:
    logger, _, stream = logged

    async def main() -> None:
        for n in range(3):
            logger.info("line %d", n)
        assert stream.writes == []  # held until the end of this turn
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert stream.writes == ["line 0\nline 1\nline 2\n"]
        logger.info("line 3")
        await asyncio.sleep(0)
        await asyncio.sleep(0)

    asyncio.run(main())
    assert stream.writes == ["line 0\nline 1\nline 2\n", "line 3\n"]


def test_lines_given_together_join_those_of_the_same_turn(
    logged: tuple[logging.Logger, LineHandler, _Recording],
) -> None:
    logger, handler, stream = logged

    async def main() -> None:
        logger.info("first")
        handler.write_lines(["second", "third"])
        assert stream.writes == []
        await asyncio.sleep(0)
        await asyncio.sleep(0)

    asyncio.run(main())
    assert stream.writes == ["first\nsecond\nthird\n"]
    handler.write_lines(["no loop"])
    assert stream.writes[-1] == "no loop\n"


def test_without_a_running_loop_a_line_is_written_at_once(
    logged: tuple[logging.Logger, LineHandler, _Recording],
) -> None:
    logger, _, stream = logged
    logger.info("alone")
    assert stream.getvalue() == "alone\n"


def test_flush_writes_what_is_pending(
    logged: tuple[logging.Logger, LineHandler, _Recording],
) -> None:
    logger, handler, stream = logged

    async def main() -> None:
        logger.info("pending")
        handler.flush()  # logging.shutdown() does this at exit
        assert stream.getvalue() == "pending\n"

    asyncio.run(main())
    assert stream.getvalue() == "pending\n"  # the scheduled write finds nothing left


def test_a_very_busy_turn_is_written_in_bounded_pieces(
    logged: tuple[logging.Logger, LineHandler, _Recording],
) -> None:
    logger, _, stream = logged

    async def main() -> None:
        for n in range(2500):
            logger.info("%d", n)
        assert len(stream.writes) == 2  # 1024 lines each, 452 still held
        await asyncio.sleep(0)
        await asyncio.sleep(0)

    asyncio.run(main())
    assert stream.getvalue().splitlines() == [str(n) for n in range(2500)]


def test_a_failed_write_is_reported_not_raised(
    logged: tuple[logging.Logger, LineHandler, _Recording],
    capsys: pytest.CaptureFixture[str],
) -> None:
    logger, handler, stream = logged
    stream.close()
    logger.info("lost")  # no running loop: written at once, and that fails
    assert "writing log lines failed" in capsys.readouterr().err
    handler.flush()
