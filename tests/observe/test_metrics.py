"""Prometheus metrics (:mod:`lip.observe.metrics`, ``GET /metrics``): every
client protocol through LIP on a loopback socket in front of the emulators,
then a scrape: token counters moved by exactly the usage each reply reported,
one TTFT observation per call, attempt outcomes after a failover, the breaker
gauge once it opens, the secret gate, and no secret anywhere in the text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from lip.config import ConfigError, parse_config
from lip.continuity import CallRecord
from lip.observe import MetricsObserver
from lip.server import create_app
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.gemini import create_app as gemini_emulator
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.openai_responses import create_app as responses_emulator
from refbackends.serving import refused_url, serve_in_thread
from tests.e2e.conftest import serve_lip

CLIENT_KEY = "canary-client-key-5e1a9c07b3d4"
UPSTREAM_KEY = "canary-upstream-key-8f2d6b41c9e0"
SECRET = "canary-diagnostics-secret-2a7f4e90c1b8"
HI = "one two three four five six"
Labels = dict[str, str]


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    with (
        serve_in_thread(chat_emulator()) as chat,
        serve_in_thread(anthropic_emulator()) as anthropic,
        serve_in_thread(responses_emulator()) as responses,
        serve_in_thread(gemini_emulator()) as gemini,
        refused_url() as dead,
    ):
        yield {
            "chat": chat,
            "anthropic": anthropic,
            "responses": responses,
            "gemini": gemini,
            "dead": dead,
        }


def config_text(upstreams: dict[str, str], metrics: str = "{enabled: true}") -> str:
    """The config every test here serves. Finished calls would wait a minute
    for the metrics: each scrape must hand them over itself."""
    u = upstreams
    key = f"api_key: {UPSTREAM_KEY}"
    return f"""
server: {{host: 127.0.0.1}}
diagnostics: {{secret: {SECRET}}}
observability: {{metrics: {metrics}, flush_interval: 60}}
access:
  mode: keys
  keys: [{{id: alice, key: {CLIENT_KEY}}}]
prices:
  gpt-4o-mini: {{input: 1.5, output: 6}}
backends:
  - {{id: chat, kind: openai-compatible, api: chat, base_url: '{u["chat"]}/v1', {key},
     models: [gpt-4o-mini]}}
  - {{id: anthropic, kind: anthropic, base_url: '{u["anthropic"]}/v1', {key},
     models: [claude-sonnet-4-5]}}
  - {{id: responses, kind: openai-compatible, api: responses, base_url: '{u["responses"]}/v1',
     {key}, models: [gpt-5-mini]}}
  - {{id: gemini, kind: gemini, base_url: '{u["gemini"]}/v1beta', {key},
     models: [gemini-2.5-flash]}}
  - {{id: dead, kind: openai-compatible, api: chat, base_url: '{u["dead"]}/v1', {key},
     breaker: {{failures: 1, open_for: 60}}}}
"""


@contextmanager
def lip(upstreams: dict[str, str], metrics: str = "{enabled: true}") -> Iterator[str]:
    config = parse_config(config_text(upstreams, metrics), env={})
    with serve_lip(create_app(config)) as url:
        yield url


# -- one call per client protocol: (protocol, model, backend, call) -> the reply's usage


def _chat(url: str, model: str, stream: bool = False) -> dict[str, int]:
    body: dict[str, Any] = {"model": model, "messages": [{"role": "user", "content": HI}]}
    headers = {"authorization": f"Bearer {CLIENT_KEY}"}
    if not stream:
        reply = httpx.post(f"{url}/v1/chat/completions", json=body, headers=headers, timeout=10)
        reply.raise_for_status()
        usage = reply.json()["usage"]
    else:
        body |= {"stream": True, "stream_options": {"include_usage": True}}
        reply = httpx.post(f"{url}/v1/chat/completions", json=body, headers=headers, timeout=10)
        reply.raise_for_status()
        chunks = [
            json.loads(line[6:]) for line in reply.text.splitlines() if line.startswith("data: {")
        ]
        usage = next(c["usage"] for c in chunks if c.get("usage"))
    return {
        "input": usage["prompt_tokens"],
        "output": usage["completion_tokens"],
        "cached_input": (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0,
        "reasoning": (usage.get("completion_tokens_details") or {}).get("reasoning_tokens") or 0,
    }


def _anthropic(url: str, model: str) -> dict[str, int]:
    reply = httpx.post(
        f"{url}/v1/messages",
        json={"model": model, "max_tokens": 64, "messages": [{"role": "user", "content": HI}]},
        headers={"x-api-key": CLIENT_KEY, "anthropic-version": "2023-06-01"},
        timeout=10,
    )
    reply.raise_for_status()
    usage = reply.json()["usage"]
    # Anthropic's input_tokens leaves out cache reads; canonical input includes them.
    cached = usage.get("cache_read_input_tokens") or 0
    return {
        "input": usage["input_tokens"] + cached,
        "output": usage["output_tokens"],
        "cached_input": cached,
        "cache_creation_input": usage.get("cache_creation_input_tokens") or 0,
    }


def _responses(url: str, model: str) -> dict[str, int]:
    reply = httpx.post(
        f"{url}/v1/responses",
        json={"model": model, "input": HI},
        headers={"authorization": f"Bearer {CLIENT_KEY}"},
        timeout=10,
    )
    reply.raise_for_status()
    usage = reply.json()["usage"]
    return {
        "input": usage["input_tokens"],
        "output": usage["output_tokens"],
        "cached_input": (usage.get("input_tokens_details") or {}).get("cached_tokens") or 0,
        "reasoning": (usage.get("output_tokens_details") or {}).get("reasoning_tokens") or 0,
    }


def _gemini(url: str, model: str) -> dict[str, int]:
    reply = httpx.post(
        f"{url}/v1beta/models/{model}:generateContent",
        json={"contents": [{"role": "user", "parts": [{"text": HI}]}]},
        headers={"x-goog-api-key": CLIENT_KEY},
        timeout=10,
    )
    reply.raise_for_status()
    usage = reply.json()["usageMetadata"]
    # Gemini counts thoughts apart from the candidates; canonical output includes them.
    thoughts = usage.get("thoughtsTokenCount") or 0
    return {
        "input": usage["promptTokenCount"],
        "output": usage["candidatesTokenCount"] + thoughts,
        "cached_input": usage.get("cachedContentTokenCount") or 0,
        "reasoning": thoughts,
    }


CALLS: list[tuple[str, str, str, Callable[[str, str], dict[str, int]]]] = [
    ("openai_chat", "gpt-4o-mini", "chat", _chat),
    ("anthropic_messages", "claude-sonnet-4-5", "anthropic", _anthropic),
    ("openai_responses", "gpt-5-mini", "responses", _responses),
    ("gemini", "gemini-2.5-flash", "gemini", _gemini),
]


# -- scraping -------------------------------------------------------------------


def scrape(url: str) -> str:
    reply = httpx.get(f"{url}/metrics", headers={"x-lip-diagnostics-secret": SECRET})
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/plain")
    return reply.text


def value(text: str, sample: str, **labels: str) -> float:
    """The sum of ``sample``'s values whose labels include ``labels`` (0: none)."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == sample and labels.items() <= s.labels.items():
                total += s.value
    return total


def test_each_protocol_moves_tokens_ttft_and_requests_by_its_own_call(
    upstreams: dict[str, str],
) -> None:
    with lip(upstreams) as url:
        for protocol, model, backend, call in CALLS:
            where = {"backend": backend, "model": model}
            before = scrape(url)
            usage = call(url, model)
            after = scrape(url)

            def moved(
                sample: str, before: str = before, after: str = after, **labels: str
            ) -> float:
                return value(after, sample, **labels) - value(before, sample, **labels)

            assert usage["input"] > 0 and usage["output"] > 0
            for kind, count in usage.items():
                tokens = moved("lip_tokens_total", **where, client="alice", kind=kind)
                assert tokens == count, (protocol, kind)
            assert moved("lip_time_to_first_token_seconds_count", protocol=protocol, **where) == 1
            assert moved("lip_request_duration_seconds_count", protocol=protocol, **where) == 1
            requests = moved("lip_requests_total", protocol=protocol, **where, status_class="2xx")
            assert requests == 1, protocol
            assert moved("lip_upstream_attempts_total", backend=backend, outcome="success") == 1
        text = scrape(url)
    # gpt-4o-mini is priced; the others are not (no cost series at all)
    chat_usage = {
        k: value(text, "lip_tokens_total", model="gpt-4o-mini", kind=k) for k in ("input", "output")
    }
    expected = (chat_usage["input"] * 1.5 + chat_usage["output"] * 6) / 1e6
    assert value(text, "lip_cost_usd_total", model="gpt-4o-mini", client="alice") == pytest.approx(
        expected
    )
    assert value(text, "lip_cost_usd_total", model="gemini-2.5-flash") == 0
    assert value(text, "lip_http_requests_total", path_group="generate") == len(CALLS)
    assert value(text, "lip_http_requests_total", path_group="metrics") >= 2 * len(CALLS)


def test_a_stream_counts_its_usage_and_one_ttft(upstreams: dict[str, str]) -> None:
    with lip(upstreams) as url:
        usage = _chat(url, "gpt-4o-mini", stream=True)
        text = scrape(url)
    where = {"backend": "chat", "model": "gpt-4o-mini"}
    for kind, count in usage.items():
        assert value(text, "lip_tokens_total", **where, kind=kind) == count
    assert value(text, "lip_time_to_first_token_seconds_count", **where) == 1
    # Nothing is in flight once the stream is over but the scrape itself.
    assert value(text, "lip_streams_in_flight") == 0
    assert value(text, "lip_requests_in_flight") == 0
    assert value(text, "lip_http_requests_in_flight") == 1


def test_a_stream_in_flight_is_seen_by_a_scrape(upstreams: dict[str, str]) -> None:
    scripted = [{"chunk_delay_ms": 300}]
    httpx.post(f"{upstreams['chat']}/__emulator__/scripts", json=scripted).raise_for_status()
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": HI}], "stream": True}
    headers = {"authorization": f"Bearer {CLIENT_KEY}"}
    with (
        lip(upstreams) as url,
        httpx.stream("POST", f"{url}/v1/chat/completions", json=body, headers=headers) as reply,
    ):
        assert reply.status_code == 200
        text = scrape(url)
        reply.read()
    assert value(text, "lip_streams_in_flight", protocol="openai_chat") == 1
    assert value(text, "lip_requests_in_flight", protocol="openai_chat") == 1
    assert value(text, "lip_http_requests_in_flight") == 2  # the stream and the scrape


def test_a_model_the_config_does_not_name_is_other(upstreams: dict[str, str]) -> None:
    with lip(upstreams) as url:
        _chat(url, "chat:made-up-model-a1b2c3")
        text = scrape(url)
    assert "made-up-model-a1b2c3" not in text
    assert value(text, "lip_requests_total", backend="chat", model="other") == 1


def test_a_failover_counts_each_attempt_and_the_breaker_opens(upstreams: dict[str, str]) -> None:
    with lip(upstreams) as url:
        text = scrape(url)
        assert value(text, "lip_backend_breaker_open", backend="dead") == 0
        assert value(text, "lip_backend_breaker_state", backend="dead", state="closed") == 1
        _chat(url, "dead:gpt-4o-mini | chat:gpt-4o-mini")  # refused, then served
        _chat(url, "dead:gpt-4o-mini | chat:gpt-4o-mini")  # open: skipped
        text = scrape(url)
    attempts = {
        outcome: value(text, "lip_upstream_attempts_total", backend="dead", outcome=outcome)
        for outcome in ("failed_before_output", "skipped")
    }
    assert attempts == {"failed_before_output": 1, "skipped": 1}
    assert value(text, "lip_upstream_attempts_total", backend="chat", outcome="success") == 2
    assert value(text, "lip_requests_total", backend="chat", model="gpt-4o-mini") == 2
    assert value(text, "lip_backend_breaker_open", backend="dead") == 1
    assert value(text, "lip_backend_breaker_state", backend="dead", state="open") == 1
    assert value(text, "lip_backend_breaker_state", backend="dead", state="closed") == 0
    # Backends without a breaker have no breaker series.
    assert 'lip_backend_breaker_open{backend="chat"}' not in text


def test_an_unrouted_call_is_counted_without_backend_or_model(upstreams: dict[str, str]) -> None:
    with lip(upstreams) as url:
        reply = httpx.post(
            f"{url}/v1/chat/completions",
            json={"model": "gpt-4o-mini", "messages": []},
            headers={"authorization": "Bearer wrong-key-0000000000"},
        )
        assert reply.status_code == 401
        text = scrape(url)
    labels = {"protocol": "openai_chat", "backend": "none", "model": "unknown"}
    assert value(text, "lip_requests_total", **labels, status_class="4xx") == 1
    assert value(text, "lip_tokens_total") == 0


def test_require_secret_gates_the_scrape(upstreams: dict[str, str]) -> None:
    with lip(upstreams, "{enabled: true, require_secret: true}") as url:
        for headers in ({}, {"x-lip-diagnostics-secret": "not-the-secret-000000"}):
            reply = httpx.get(f"{url}/metrics", headers=headers)
            assert reply.status_code == 401
            assert reply.json()["error"]["type"] == "authentication_error"
        assert "lip_http_requests_total" in scrape(url)


def test_no_secret_or_key_is_in_the_exposition(upstreams: dict[str, str]) -> None:
    with lip(upstreams) as url:
        for _, model, _, call in CALLS:
            call(url, model)
        httpx.get(f"{url}/v1/models", headers={"authorization": f"Bearer {CLIENT_KEY}"})
        text = scrape(url)
    for secret in (CLIENT_KEY, UPSTREAM_KEY, SECRET, "127.0.0.1"):
        assert secret not in text


def test_metrics_off_means_no_route(upstreams: dict[str, str]) -> None:
    with lip(upstreams, "{enabled: false}") as url:
        assert httpx.get(f"{url}/metrics").status_code == 404


def test_require_secret_without_a_diagnostics_secret_is_refused() -> None:
    text = """
backends: [{id: stub, kind: localstub, models: [lip-stub]}]
observability: {metrics: {enabled: true, require_secret: true}}
"""
    with pytest.raises(ConfigError, match=r"require_secret needs diagnostics\.secret"):
        parse_config(text, env={})


def test_open_access_is_anonymous_and_two_apps_keep_their_own_counts() -> None:
    text = """
server: {host: 127.0.0.1}
backends: [{id: stub, kind: localstub, models: [lip-stub]}]
observability: {metrics: {enabled: true}}
"""
    config = parse_config(text, env={})
    with serve_lip(create_app(config)) as one, serve_lip(create_app(config)) as two:
        body = {"model": "lip-stub", "messages": [{"role": "user", "content": HI}]}
        httpx.post(f"{one}/v1/chat/completions", json=body).raise_for_status()
        first, second = scrape(one), scrape(two)
    assert value(first, "lip_requests_total", backend="stub", model="lip-stub") == 1
    assert value(second, "lip_requests_total") == 0
    assert value(first, "lip_tokens_total", client="anonymous") > 0
    assert 'client="ip:' not in first


def test_a_call_that_ended_is_not_in_flight_while_it_waits_for_the_counters() -> None:
    config = parse_config(
        "backends: [{id: stub, kind: localstub, models: [lip-stub]}]\n"
        "observability: {metrics: {enabled: true}}\n",
        env={},
    )
    observer = MetricsObserver(config)
    running = CallRecord(request_id="running", protocol="openai_chat")
    ended = CallRecord(request_id="ended", protocol="openai_chat", stream=True)
    observer.started(running)
    observer.started(ended)
    ended.ended = 0.1  # its reply is complete; the observer has not had it yet
    text = observer.exposition().decode()
    assert value(text, "lip_http_requests_in_flight") == 1
    assert value(text, "lip_requests_in_flight", protocol="openai_chat") == 1
    assert value(text, "lip_streams_in_flight", protocol="openai_chat") == 0


_MULTIPROCESS = """
import sys
from lip.config import parse_config
from lip.continuity import Attempt, CallRecord, Outcome
from lip.observe import MetricsObserver

config = parse_config(
    "backends: [{id: stub, kind: localstub, models: [lip-stub]}]\\n"
    "observability: {metrics: {enabled: true}}\\n",
    env={},
)
observer = MetricsObserver(config)
record = CallRecord(request_id=sys.argv[1], protocol="openai_chat", status=200, ended=0.1)
record.attempts.append(
    Attempt(number=1, backend_id="stub", model="lip-stub", upstream_model="lip-stub",
            first_output=0.05, outcome=Outcome.SUCCESS)
)
observer.started(record)
observer.ended(record)
sys.stdout.write(observer.exposition().decode())
"""


def test_workers_sharing_a_multiprocess_dir_scrape_each_others_counts(tmp_path: Any) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    outputs = [
        subprocess.run(
            [sys.executable, "-c", _MULTIPROCESS, f"{n:032x}"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in (1, 2)
    ]
    # The second process sees the first one's call too.
    assert value(outputs[0], "lip_requests_total", backend="stub") == 1
    assert value(outputs[1], "lip_requests_total", backend="stub") == 2
    assert value(outputs[1], "lip_http_requests_in_flight") == 0
    assert 'lip_http_requests_in_flight{pid="' in outputs[1]
