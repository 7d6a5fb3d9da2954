"""Backend instances over real sockets: two OpenAI Chat emulators as instances
``i1`` and ``i2`` of one backend ``pool``. What each emulator logged
(``GET /__emulator__/requests``) shows where LIP sent every request, with
which key and headers; LIP's lineage shows the attempts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import openai
import pytest

from lip.config import parse_config
from lip.server import Runtime, create_app
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

SECRET = "diagnostics-secret-0123456789"
BACKEND_KEY = "sk-backend-key-0000"
I1_KEY = "sk-instance-one-1111"
HI = [{"role": "user", "content": "one two three"}]
Record = dict[str, Any]


@dataclass(frozen=True)
class Setup:
    lip: str
    i1: str
    i2: str
    runtime: Runtime


def _config(i1: str, i2: str) -> str:
    # i1 inherits the backend's base_url and has its own key; i2 the reverse.
    return f"""
server: {{host: 127.0.0.1}}
diagnostics: {{enabled: true, secret: {SECRET}}}
backends:
  - id: pool
    kind: openai-compatible
    base_url: '{i1}/v1'
    api_key: {BACKEND_KEY}
    headers: {{X-Team: lip, X-Region: none}}
    models: [m]
    instances:
      - {{id: i1, api_key: {I1_KEY}, headers: {{x-region: one}}}}
      - {{id: i2, base_url: '{i2}/v1'}}
"""


@pytest.fixture(scope="module")
def setup() -> Iterator[Setup]:
    with serve_in_thread(chat_emulator()) as i1, serve_in_thread(chat_emulator()) as i2:
        app = create_app(parse_config(_config(i1, i2), env={}))
        with serve_lip(app) as url:
            yield Setup(lip=url, i1=i1, i2=i2, runtime=app.state.runtime)


@pytest.fixture(autouse=True)
def clean(setup: Setup) -> None:
    for url in (setup.i1, setup.i2):
        httpx.delete(f"{url}/__emulator__/scripts").raise_for_status()
        httpx.delete(f"{url}/__emulator__/requests").raise_for_status()


def logged(url: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = httpx.get(f"{url}/__emulator__/requests").json()["data"]
    return data


def ask(url: str, model: str) -> tuple[str, str]:
    """A unary call through LIP: (reply text, request id)."""
    with openai.OpenAI(base_url=f"{url}/v1", api_key="client-key", max_retries=0) as client:
        raw = client.chat.completions.with_raw_response.create(model=model, messages=HI)  # type: ignore[arg-type]
        return raw.parse().choices[0].message.content or "", raw.headers["x-lip-request-id"]


def attempts(url: str, request_id: str) -> list[tuple[str, str]]:
    """The call's attempts from its lineage (stored just after the reply's last byte)."""
    for _ in range(200):
        reply = httpx.get(
            f"{url}/diagnostics/requests/{request_id}",
            headers={"x-lip-diagnostics-secret": SECRET},
        )
        if reply.status_code == 200:
            record: Record = reply.json()
            if record["outcome"] is not None:
                return [(a["backend"], a["outcome"]) for a in record["attempts"]]
        time.sleep(0.02)
    raise AssertionError(f"no lineage for {request_id}")


def test_each_instance_runs_as_its_own_backend(setup: Setup) -> None:
    runtime = setup.runtime
    assert sorted(runtime.backends) == ["pool.i1", "pool.i2"]  # none for 'pool' itself
    assert list(runtime.health.snapshot()) == ["pool.i1", "pool.i2"]
    assert httpx.get(f"{setup.lip}/readyz").json()["backends"] == ["pool.i1", "pool.i2"]
    # Every instance's key, its own or inherited, is kept out of logs and errors.
    assert runtime.scrubber(f"{I1_KEY} {BACKEND_KEY}").count("sk-") == 0


def test_an_instance_leaf_goes_to_that_instance_only(setup: Setup) -> None:
    for _ in range(5):
        text, request_id = ask(setup.lip, "pool.i1:m")
        assert text.startswith("Echo: one two")
    assert attempts(setup.lip, request_id) == [("pool.i1", "success")]
    assert (len(logged(setup.i1)), logged(setup.i2)) == (5, [])
    headers = logged(setup.i1)[-1]["headers"]
    assert headers["authorization"] == "Bearer sk-***1111"  # the instance's own key
    assert (headers["x-region"], headers["x-team"]) == ("one", "lip")  # merged headers

    ask(setup.lip, "pool.i2:m")
    (request,) = logged(setup.i2)
    assert request["headers"]["authorization"] == "Bearer sk-***0000"  # the backend's key
    assert (request["headers"]["x-region"], request["headers"]["x-team"]) == ("none", "lip")
    assert len(logged(setup.i1)) == 5


@pytest.mark.parametrize("selector", ["pool:m", "m"])
def test_a_backend_leaf_spreads_over_its_instances(setup: Setup, selector: str) -> None:
    for _ in range(20):
        text, request_id = ask(setup.lip, selector)
        assert text.startswith("Echo:")
        ((backend, outcome),) = attempts(setup.lip, request_id)
        assert backend in ("pool.i1", "pool.i2") and outcome == "success"
    first, second = len(logged(setup.i1)), len(logged(setup.i2))
    assert first + second == 20 and first > 0 and second > 0, (first, second)


def test_an_instance_failing_before_output_hands_over_to_the_other(setup: Setup) -> None:
    httpx.post(f"{setup.i1}/__emulator__/scripts", json=[{"status": 500}] * 20).raise_for_status()
    seen: list[list[tuple[str, str]]] = []
    for _ in range(20):
        text, request_id = ask(setup.lip, "pool:m")
        assert text.startswith("Echo:")  # whichever instance was picked first
        seen.append(attempts(setup.lip, request_id))
    handed_over = [("pool.i1", "failed_before_output"), ("pool.i2", "success")]
    assert all(a in (handed_over, [("pool.i2", "success")]) for a in seen), seen
    assert handed_over in seen  # i1 goes first about half the time
    assert len(logged(setup.i2)) == 20
    assert len(logged(setup.i1)) == seen.count(handed_over)
    assert all(r["script"] == {"status": 500} for r in logged(setup.i1))
