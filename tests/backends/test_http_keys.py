"""A key pool over a real socket, against the OpenAI Chat emulator: requests rotate
across the keys, a 429'd key rests until its Retry-After has passed, a 401'd key
is never sent again, and no key shows in a log line or an error."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from lip.backends import HTTPBackend, build_backend, resolve_backends
from lip.backends.base import Target
from lip.backends.keys import KeyPool, KeyState
from lip.canonical import (
    DEFAULT_LIMITS,
    Call,
    ErrorKind,
    LipError,
    Message,
    RateLimitedError,
    TextPart,
    UpstreamError,
    collect,
)
from lip.config import parse_config
from lip.plugins import Plugins
from refbackends.openai_chat import create_app as create_emulator
from refbackends.serving import serve_in_thread

# What the emulator's request log shows of each (first 3 and last 4 characters).
KEYS = {"sk-pool-key-aaaa1111": "A", "sk-pool-key-bbbb2222": "B", "sk-pool-key-cccc3333": "C"}
MASKED = {f"Bearer {k[:3]}***{k[-4:]}": name for k, name in KEYS.items()}
CALL = Call(
    id="c", protocol="openai_chat", model="gpt-4o-mini", stream=False,
    messages=(Message(role="user", parts=(TextPart(text="hi"),)),),
)  # fmt: skip
TARGET = Target(backend_id="up", model="gpt-4o-mini", upstream_model="gpt-4o-mini", selector="m")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    with serve_in_thread(create_emulator()) as url:
        yield url


@pytest.fixture
def control(emulator_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{emulator_url}/__emulator__", timeout=5) as client:
        client.delete("/scripts")
        client.delete("/requests")
        yield client


def _backend(emulator_url: str, clock: Clock) -> HTTPBackend:
    keys = ", ".join(KEYS)
    config = parse_config(
        f"backends: [{{id: up, kind: openai-compatible, base_url: '{emulator_url}/v1',"
        f" api_keys: [{keys}]}}]",
        env={},
    )
    plugins = Plugins.builtin()
    (resolved,) = resolve_backends(config, plugins.kind_table(), plugins.codecs(), {})
    backend = build_backend(resolved, None, DEFAULT_LIMITS)
    assert isinstance(backend, HTTPBackend) and backend.keys is not None
    # The same keys on a clock the test moves.
    backend.keys = KeyPool(backend.keys.keys, backend_id="up", clock=clock)
    return backend


async def _send(backend: HTTPBackend, target: Target = TARGET) -> LipError | None:
    """One unary call: ``None`` when it answered, else the error it raised."""
    events = []
    try:
        async for batch in backend.stream(CALL, target):
            events.extend(batch)
    except LipError as exc:
        return exc
    assert collect(events).output
    return None


def _sent_with(control: httpx.Client) -> list[str]:
    """Which key each request the emulator received carried, oldest first."""
    log = control.get("/requests").json()["data"]
    control.delete("/requests")
    return [MASKED[entry["headers"]["authorization"]] for entry in log]


@pytest.mark.anyio
async def test_a_pool_rotates_rests_429s_and_drops_401s(
    emulator_url: str, control: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    clock = Clock()
    backend = _backend(emulator_url, clock)
    assert backend.keys is not None
    errors: list[LipError] = []
    try:
        for _ in range(4):
            assert await _send(backend) is None
        assert _sent_with(control) == ["A", "B", "C", "A"]

        control.post("/scripts", json=[{"status": 429, "retry_after": 30}])
        limited = await _send(backend)  # B
        assert isinstance(limited, RateLimitedError) and limited.retry_after == 30
        for _ in range(3):
            assert await _send(backend) is None
        assert _sent_with(control) == ["B", "C", "A", "C"]  # B rests

        control.post("/scripts", json=[{"status": 401}])
        refused = await _send(backend)  # A
        assert isinstance(refused, UpstreamError)
        assert [s.state for s in backend.keys.status()] == [
            KeyState.DISABLED,
            KeyState.COOLING,
            KeyState.ACTIVE,
        ]
        for _ in range(2):
            assert await _send(backend) is None
        assert _sent_with(control) == ["A", "C", "C"]

        clock.now += 30  # B has rested; A stays out
        for _ in range(4):
            assert await _send(backend) is None
        assert _sent_with(control) == ["B", "C", "B", "C"]

        # Every key out: refused before anything is sent, with the soonest return.
        control.post("/scripts", json=[{"status": 429, "retry_after": 12}] * 2)
        errors = [e for e in [await _send(backend), await _send(backend)] if e]
        assert _sent_with(control) == ["B", "C"]
        exhausted = await _send(backend)
        assert isinstance(exhausted, RateLimitedError) and exhausted.retry_after == 12
        assert _sent_with(control) == []
        errors += [limited, refused, exhausted]
    finally:
        await backend.aclose()
    assert len(errors) == 5
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and backend.keys.keys[0].fingerprint in warnings[0].getMessage()
    # No key in any log line or error, whatever its form.
    shown = [r.getMessage() for r in caplog.records] + [r.exc_text or "" for r in caplog.records]
    shown += [str(e) for e in errors] + [repr(e) for e in errors]
    shown += [e.message for e in errors]
    for text in shown:
        for key in KEYS:
            assert key not in text and key[-8:] not in text


@pytest.mark.anyio
async def test_a_key_the_caller_chose_is_sent_and_its_outcome_left_to_the_caller(
    emulator_url: str, control: httpx.Client
) -> None:
    backend = _backend(emulator_url, Clock())
    assert backend.keys is not None
    chosen = backend.keys.keys[2]
    target = Target(
        backend_id="up", model="m", upstream_model="gpt-4o-mini", selector="m", key=chosen
    )
    try:
        control.post("/scripts", json=[{"status": 429, "retry_after": 30}])
        error = await _send(backend, target)
        assert error is not None and error.kind is ErrorKind.RATE_LIMITED
        assert await _send(backend, target) is None
        assert _sent_with(control) == ["C", "C"]
    finally:
        await backend.aclose()
    # Not reported by the backend: the caller that chose the key reports it.
    assert [s.state for s in backend.keys.status()] == [KeyState.ACTIVE] * 3
    assert [s.uses for s in backend.keys.status()] == [0, 0, 0]
