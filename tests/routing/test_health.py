"""The circuit breaker state machine, which errors count against a backend, and
the health board built from the config. A fake clock: no sleeps."""

from __future__ import annotations

import pytest

from lip.canonical import ErrorKind
from lip.config import parse_config
from lip.config.model import BreakerConfig
from lip.routing.bulkhead import Bulkhead
from lip.routing.health import (
    MAX_RETRY_AFTER,
    BackendHealth,
    Breaker,
    BreakerState,
    HealthBoard,
    counts_as_failure,
)

CLOSED, OPEN, HALF_OPEN = BreakerState.CLOSED, BreakerState.OPEN, BreakerState.HALF_OPEN


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


Change = tuple[str, BreakerState, BreakerState]


def make(clock: FakeClock, changes: list[Change] | None = None, **config: object) -> Breaker:
    sink = changes if changes is not None else []
    return Breaker(
        "b1",
        BreakerConfig.model_validate(config),
        clock=clock,
        on_change=lambda *change: sink.append(change),
    )


def fail(breaker: Breaker, times: int = 1, retry_after: float | None = None) -> None:
    for _ in range(times):
        assert breaker.admit()
        breaker.record_failure(retry_after)


def succeed(breaker: Breaker, times: int = 1) -> None:
    for _ in range(times):
        assert breaker.admit()
        breaker.record_success()


def test_opens_after_n_consecutive_failures() -> None:
    changes: list[Change] = []
    breaker = make(FakeClock(), changes, failures=3)
    fail(breaker, 2)
    assert breaker.state is CLOSED
    fail(breaker)
    assert breaker.state is OPEN
    assert not breaker.admit()
    assert changes == [("b1", CLOSED, OPEN)]
    assert breaker.transitions == 1


def test_a_success_resets_the_consecutive_count() -> None:
    breaker = make(FakeClock(), failures=3)
    for _ in range(5):
        fail(breaker, 2)
        succeed(breaker)
    assert breaker.state is CLOSED
    assert breaker.transitions == 0


def test_ratio_mode_waits_for_min_calls_then_opens_at_the_ratio() -> None:
    clock = FakeClock()
    breaker = make(clock, failures=100, failure_ratio=0.5, min_calls=4, window=10)
    fail(breaker)
    succeed(breaker)
    fail(breaker)
    assert breaker.state is CLOSED  # 2 of 3 failed, but only 3 calls in the window
    succeed(breaker)
    assert breaker.state is CLOSED  # only a failure can open it
    fail(breaker)  # 3 of 5
    assert breaker.state is OPEN


def test_ratio_exactly_reached_opens() -> None:
    # 3 / 10 >= 0.3 must hold although 0.3 * 10 > 3 in floating point.
    breaker = make(FakeClock(), failures=100, failure_ratio=0.3, min_calls=10)
    succeed(breaker, 7)
    fail(breaker, 2)
    assert breaker.state is CLOSED
    fail(breaker)
    assert breaker.state is OPEN


def test_ratio_window_forgets_old_calls() -> None:
    clock = FakeClock()
    breaker = make(clock, failures=100, failure_ratio=0.5, min_calls=4, window=10)
    fail(breaker, 3)
    clock.now += 10  # those three leave the window
    succeed(breaker, 3)
    fail(breaker)  # 1 of 4 in the window
    assert breaker.state is CLOSED
    fail(breaker)  # 2 of 5
    assert breaker.state is CLOSED
    fail(breaker)  # 3 of 6
    assert breaker.state is OPEN


def test_either_mode_opens_it() -> None:
    breaker = make(FakeClock(), failures=2, failure_ratio=0.9, min_calls=50)
    fail(breaker, 2)
    assert breaker.state is OPEN


def test_half_open_after_open_for_and_probes_are_limited() -> None:
    clock = FakeClock()
    changes: list[Change] = []
    breaker = make(clock, changes, failures=1, open_for=30, half_open_probes=2)
    fail(breaker)
    clock.now += 29.9
    assert breaker.state is OPEN
    assert breaker.reopens_in() == pytest.approx(0.1)
    assert not breaker.admit()
    clock.now += 0.1
    assert breaker.reopens_in() == 0.0
    assert breaker.state is HALF_OPEN
    assert breaker.admit()
    assert breaker.admit()
    assert not breaker.admit()  # two probes out already
    assert breaker.probes_in_flight == 2
    assert changes == [("b1", CLOSED, OPEN), ("b1", OPEN, HALF_OPEN)]


def test_probe_successes_close_it() -> None:
    clock = FakeClock()
    breaker = make(clock, failures=1, open_for=5, half_open_probes=2)
    fail(breaker)
    clock.now += 5
    assert breaker.admit()
    assert breaker.admit()
    breaker.record_success()
    assert breaker.state is HALF_OPEN  # one of two
    assert breaker.admit()  # the limit is on probes at once: a finished one frees a slot
    assert not breaker.admit()
    breaker.record_success()
    assert breaker.state is CLOSED
    assert breaker.admit()


def test_closing_starts_a_fresh_count() -> None:
    clock = FakeClock()
    breaker = make(clock, failures=2, open_for=5)
    fail(breaker, 2)
    clock.now += 5
    succeed(breaker)
    assert breaker.state is CLOSED
    fail(breaker)
    assert breaker.state is CLOSED


def test_probe_failure_reopens_for_a_full_interval() -> None:
    clock = FakeClock()
    changes: list[Change] = []
    breaker = make(clock, changes, failures=1, open_for=5, half_open_probes=2)
    fail(breaker)
    clock.now += 5
    assert breaker.admit()
    assert breaker.admit()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is OPEN
    assert breaker.reopens_in() == 5
    assert [new for _, _, new in changes] == [OPEN, HALF_OPEN, OPEN]


def test_release_frees_a_probe_without_counting() -> None:
    clock = FakeClock()
    breaker = make(clock, failures=1, open_for=5)
    fail(breaker)
    clock.now += 5
    assert breaker.admit()
    assert not breaker.admit()
    breaker.release()
    assert breaker.state is HALF_OPEN
    assert breaker.probes_in_flight == 0
    assert breaker.admit()


def test_release_while_closed_changes_nothing() -> None:
    breaker = make(FakeClock(), failures=2)
    fail(breaker)
    assert breaker.admit()
    breaker.release()
    fail(breaker)
    assert breaker.state is OPEN  # the released call neither reset nor added


@pytest.mark.parametrize(
    "retry_after, reopens_in",
    [(None, 30.0), (10.0, 30.0), (120.0, 120.0), (1e9, MAX_RETRY_AFTER), (-5.0, 30.0)],
)
def test_retry_after_on_the_opening_failure(retry_after: float | None, reopens_in: float) -> None:
    breaker = make(FakeClock(), failures=1, open_for=30)
    fail(breaker, retry_after=retry_after)
    assert breaker.reopens_in() == reopens_in


def test_retry_after_while_open_extends_but_never_shortens() -> None:
    clock = FakeClock()
    breaker = make(clock, failures=1, open_for=30)
    assert breaker.admit() and breaker.admit()  # two calls out before it opens
    breaker.record_failure()
    clock.now += 10
    breaker.record_failure(retry_after=5)  # late, and shorter than what is left
    assert breaker.reopens_in() == 20
    breaker.record_failure(retry_after=100)
    assert breaker.reopens_in() == 100
    assert breaker.transitions == 1


def test_retry_after_on_a_failed_probe() -> None:
    clock = FakeClock()
    breaker = make(clock, failures=1, open_for=30)
    fail(breaker)
    clock.now += 30
    fail(breaker, retry_after=90)
    assert breaker.reopens_in() == 90


def test_late_results_while_open_are_ignored() -> None:
    clock = FakeClock()
    breaker = make(clock, failures=1, open_for=30)
    assert breaker.admit() and breaker.admit()
    breaker.record_failure()
    breaker.record_success()  # admitted before the opening
    breaker.record_failure()
    breaker.release()
    assert breaker.state is OPEN
    assert breaker.reopens_in() == 30
    assert breaker.transitions == 1


def test_retry_after_does_nothing_while_closed() -> None:
    breaker = make(FakeClock(), failures=2)
    fail(breaker, retry_after=600)
    assert breaker.state is CLOSED
    assert breaker.reopens_in() == 0.0


FAILURES = {
    ErrorKind.RATE_LIMITED: True,
    ErrorKind.OVERLOADED: True,
    ErrorKind.TIMEOUT: True,
    ErrorKind.UPSTREAM_ERROR: True,
    ErrorKind.INVALID_REQUEST: False,
    ErrorKind.AUTHENTICATION: False,
    ErrorKind.PERMISSION: False,
    ErrorKind.NOT_FOUND: False,
    ErrorKind.REQUEST_TOO_LARGE: False,
    ErrorKind.CANCELLED: False,
    ErrorKind.INTERNAL: False,  # a bug in LIP, not the backend's health
}


def test_failure_table_covers_every_kind() -> None:
    assert set(FAILURES) == set(ErrorKind)


@pytest.mark.parametrize("kind", list(ErrorKind))
def test_counts_as_failure(kind: ErrorKind) -> None:
    assert counts_as_failure(kind) is FAILURES[kind]


BOARD_CONFIG = """
backends:
  - {id: guarded, kind: localstub, breaker: {failures: 2, open_for: 7}}
  - {id: limited, kind: localstub, concurrency: {limit: 3, queue: 4, queue_timeout: 2}}
  - {id: plain, kind: localstub}
"""


def test_board_from_config() -> None:
    clock = FakeClock()
    changes: list[Change] = []
    board = HealthBoard.from_config(
        parse_config(BOARD_CONFIG, env={}), clock=clock, on_change=lambda *c: changes.append(c)
    )
    breaker = board.breaker("guarded")
    assert breaker is not None and breaker.config.open_for == 7
    assert board.breaker("limited") is None and board.breaker("plain") is None
    assert board.breaker("unknown") is None
    bulkhead = board.bulkhead("limited")
    assert isinstance(bulkhead, Bulkhead)
    assert (bulkhead.limit, bulkhead.queue, bulkhead.queue_timeout) == (3, 4, 2)
    assert board.bulkhead("guarded") is None

    fail(breaker, 2)
    assert changes == [("guarded", CLOSED, OPEN)]
    assert board.snapshot() == {
        "guarded": BackendHealth(breaker=OPEN, reopens_in=7, in_flight=None, queued=None),
        "limited": BackendHealth(breaker=None, reopens_in=None, in_flight=0, queued=0),
        "plain": BackendHealth(breaker=None, reopens_in=None, in_flight=None, queued=None),
    }
    assert list(board.snapshot()) == ["guarded", "limited", "plain"]


def test_a_reload_keeps_the_breakers_and_bulkheads_of_unchanged_backends() -> None:
    clock = FakeClock()
    before = parse_config(BOARD_CONFIG, env={})
    board = HealthBoard.from_config(before, clock=clock)
    breaker = board.breaker("guarded")
    assert breaker is not None
    fail(breaker, 2)
    assert breaker.state is BreakerState.OPEN
    same = parse_config(BOARD_CONFIG + "  - {id: added, kind: localstub}\n", env={})
    kept = HealthBoard.from_config(same, clock=clock, replacing=(before, board))
    assert kept.breaker("guarded") is breaker and kept.bulkhead("limited") is board.bulkhead(
        "limited"
    )
    changed = parse_config(BOARD_CONFIG.replace("open_for: 7", "open_for: 8"), env={})
    fresh = HealthBoard.from_config(changed, clock=clock, replacing=(before, board))
    renewed = fresh.breaker("guarded")
    assert renewed is not None and renewed is not breaker
    assert renewed.state is BreakerState.CLOSED
    assert fresh.bulkhead("limited") is board.bulkhead("limited")
