"""Key pools on a fake clock: rotation, rest after a rate limit, refusals, what is shown."""

from __future__ import annotations

import hashlib
import logging

import pytest
from pydantic import SecretStr

from lip.backends.keys import (
    DEFAULT_COOLDOWN,
    MAX_COOLDOWN,
    Key,
    KeyPool,
    KeyState,
    KeyStatus,
    fingerprint,
)
from lip.canonical import ErrorKind

SECRETS = ("sk-pool-secret-aaaa", "sk-pool-secret-bbbb", "sk-pool-secret-cccc")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _pool(clock: Clock, secrets: tuple[str, ...] = SECRETS) -> KeyPool:
    return KeyPool([SecretStr(s) for s in secrets], backend_id="oa", clock=clock)


def _take(pool: KeyPool, n: int) -> list[str | None]:
    return [k.secret.get_secret_value() if (k := pool.acquire()) else None for _ in range(n)]


def test_keys_are_handed_out_round_robin(clock: Clock) -> None:
    pool = _pool(clock)
    assert _take(pool, 7) == [*SECRETS, *SECRETS, SECRETS[0]]
    assert [s.uses for s in pool.status()] == [3, 2, 2]


def test_duplicates_are_one_key_and_an_empty_pool_is_refused(clock: Clock) -> None:
    pool = _pool(clock, (SECRETS[0], SECRETS[1], SECRETS[0]))
    assert len(pool) == 2
    with pytest.raises(ValueError, match="at least one key"):
        KeyPool([])


def test_a_rate_limited_key_rests_for_its_retry_after(clock: Clock) -> None:
    pool = _pool(clock)
    b = pool.keys[1]
    pool.report(b, ErrorKind.RATE_LIMITED, 5)
    assert _take(pool, 4) == [SECRETS[0], SECRETS[2], SECRETS[0], SECRETS[2]]
    assert pool.status()[1] == KeyStatus(
        fingerprint=b.fingerprint, state=KeyState.COOLING, cooling_for=5.0, uses=0
    )
    clock.now += 5
    assert pool.status()[1].state is KeyState.ACTIVE
    assert _take(pool, 3) == [SECRETS[0], SECRETS[1], SECRETS[2]]


def test_a_rate_limit_without_retry_after_rests_the_default_and_is_capped(
    clock: Clock,
) -> None:
    pool = _pool(clock)
    a, b, _ = pool.keys
    pool.report(a, ErrorKind.RATE_LIMITED, None)
    pool.report(b, ErrorKind.RATE_LIMITED, 7 * 86400)
    status = pool.status()
    assert status[0].cooling_for == DEFAULT_COOLDOWN and status[1].cooling_for == MAX_COOLDOWN


def test_a_later_shorter_retry_after_does_not_shorten_the_rest(clock: Clock) -> None:
    pool = _pool(clock)
    a = pool.keys[0]
    pool.report(a, ErrorKind.RATE_LIMITED, 20)
    pool.report(a, ErrorKind.RATE_LIMITED, 1)  # a request sent before the first 429
    assert pool.status()[0].cooling_for == 20


@pytest.mark.parametrize("kind", [ErrorKind.AUTHENTICATION, ErrorKind.PERMISSION])
def test_a_refused_key_is_never_used_again_and_said_once(
    clock: Clock, caplog: pytest.LogCaptureFixture, kind: ErrorKind
) -> None:
    caplog.set_level(logging.DEBUG, logger="lip.backends.keys")
    pool = _pool(clock)
    a = pool.keys[0]
    pool.report(a, kind, None)
    pool.report(a, kind, None)
    clock.now += 10 * MAX_COOLDOWN
    assert SECRETS[0] not in _take(pool, 6)
    assert pool.status()[0].state is KeyState.DISABLED
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "'oa'" in record.getMessage() and a.fingerprint in record.getMessage()
    assert all(s not in record.getMessage() for s in SECRETS)


def test_other_kinds_and_foreign_keys_change_nothing(clock: Clock) -> None:
    pool = _pool(clock)
    for kind in ErrorKind:
        if kind not in (ErrorKind.RATE_LIMITED, ErrorKind.AUTHENTICATION, ErrorKind.PERMISSION):
            pool.report(pool.keys[0], kind, 5)
    pool.report(Key(SecretStr("sk-not-in-this-pool")), ErrorKind.AUTHENTICATION, None)
    assert [s.state for s in pool.status()] == [KeyState.ACTIVE] * 3


def test_none_when_every_key_is_out_and_retry_after_says_until_when(clock: Clock) -> None:
    pool = _pool(clock)
    a, b, c = pool.keys
    assert pool.retry_after() == 0
    pool.report(a, ErrorKind.AUTHENTICATION, None)
    pool.report(b, ErrorKind.RATE_LIMITED, 30)
    pool.report(c, ErrorKind.RATE_LIMITED, 12)
    assert pool.acquire() is None
    assert pool.retry_after() == 12
    clock.now += 12
    assert pool.retry_after() == 0 and pool.acquire() == c
    pool.report(b, ErrorKind.PERMISSION, None)
    pool.report(c, ErrorKind.AUTHENTICATION, None)
    assert pool.acquire() is None and pool.retry_after() is None


def test_a_lone_key_is_never_taken_out(clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    pool = _pool(clock, (SECRETS[0],))
    (a,) = pool.keys
    pool.report(a, ErrorKind.RATE_LIMITED, 60)
    for _ in range(3):
        pool.report(a, ErrorKind.AUTHENTICATION, None)
    assert pool.acquire() == a and pool.status()[0].state is KeyState.ACTIVE
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_fingerprints_are_stable_and_never_the_key() -> None:
    key = Key(SecretStr(SECRETS[0]))
    digest = hashlib.sha256(SECRETS[0].encode()).hexdigest()
    assert key.fingerprint == fingerprint(SECRETS[0]) == f"key-{digest[:8]}"
    assert Key(SecretStr(SECRETS[0])).fingerprint == key.fingerprint
    assert Key(SecretStr(SECRETS[1])).fingerprint != key.fingerprint
    assert SECRETS[0] not in key.fingerprint


def test_reprs_show_fingerprints_only(clock: Clock) -> None:
    pool = _pool(clock)
    key = pool.keys[0]
    assert repr(key) == f"Key({key.fingerprint})" and str(key) == key.fingerprint
    pool.report(pool.keys[1], ErrorKind.RATE_LIMITED, 3)
    shown = [repr(key), str(key), repr(pool), repr(pool.status()), repr(pool.keys)]
    for text in shown:
        assert all(s not in text for s in SECRETS) and "secret" not in text


def test_keys_compare_and_hash_by_secret() -> None:
    assert Key(SecretStr("k1")) == Key(SecretStr("k1")) != Key(SecretStr("k2"))
    assert len({Key(SecretStr("k1")), Key(SecretStr("k1"))}) == 1
