"""Routing under failure, over real sockets: what the official OpenAI SDK sees
through LIP and what LIP's attempt lineage (``GET /diagnostics/requests/{id}``)
recorded, for every failure mode the emulators inject: 429, 500, connection
refused, slow first byte, a cut mid-stream, a stalled stream; races, client
disconnects, circuit breakers, bulkheads and key pools."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import openai
import pytest

from lip.config import parse_config
from lip.server import create_app
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.gemini import create_app as gemini_emulator
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.openai_responses import create_app as responses_emulator
from refbackends.serving import refused_url, serve_in_thread
from tests.e2e.conftest import serve_lip
from tests.refbackends.wire import wait_for_request

SECRET = "diagnostics-secret-0123456789"
HI = [{"role": "user", "content": "one two three four five six"}]
Record = dict[str, Any]

# Each upstream protocol's backend entry (kind, api, path under the emulator).
KINDS = {
    "chat": ("openai-compatible", "chat", "/v1"),
    "anthropic": ("anthropic", "messages", "/v1"),
    "responses": ("openai-compatible", "responses", "/v1"),
    "gemini": ("gemini", "generate_content", "/v1beta"),
}


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    """Two OpenAI Chat emulators (``a``, ``b``), one of each other protocol,
    and a port that refuses connections (``dead``)."""
    with (
        serve_in_thread(chat_emulator()) as a,
        serve_in_thread(chat_emulator()) as b,
        serve_in_thread(anthropic_emulator()) as anthropic,
        serve_in_thread(responses_emulator()) as responses,
        serve_in_thread(gemini_emulator()) as gemini,
        refused_url() as dead,
    ):
        yield {
            "a": a,
            "b": b,
            "anthropic": anthropic,
            "responses": responses,
            "gemini": gemini,
            "dead": dead,
        }


@pytest.fixture(autouse=True)
def clean(upstreams: dict[str, str]) -> None:
    for name, url in upstreams.items():
        if name != "dead":
            httpx.delete(f"{url}/__emulator__/scripts").raise_for_status()
            httpx.delete(f"{url}/__emulator__/requests").raise_for_status()


def backend(name: str, url: str, protocol: str = "chat", extra: str = "") -> str:
    kind, api, path = KINDS[protocol]
    key = "" if "api_keys" in extra else ", api_key: sk-upstream-0123456789"
    return f"  - {{id: {name}, kind: {kind}, api: {api}, base_url: '{url}{path}'{key}{extra}}}\n"


@contextmanager
def lip(
    upstreams: dict[str, str], extra: dict[str, str] | None = None, protocols: str = ""
) -> Iterator[str]:
    """LIP with backends ``a``, ``b`` (Chat emulators), ``dead`` (refused) and
    one per other protocol; ``extra`` adds YAML to a backend's entry."""
    extra = extra or {}
    entries = "".join(
        backend(name, upstreams[name], "chat", extra.get(name, "")) for name in ("a", "b", "dead")
    )
    for protocol in ("anthropic", "responses", "gemini"):
        entries += backend(protocol, upstreams[protocol], protocol, extra.get(protocol, ""))
    config = parse_config(
        f"server: {{host: 127.0.0.1}}\n"
        f"diagnostics: {{enabled: true, secret: {SECRET}}}\n"
        f"backends:\n{entries}",
        env={},
    )
    with serve_lip(create_app(config)) as url:
        yield url


def script(url: str, *scripts: object) -> None:
    httpx.post(f"{url}/__emulator__/scripts", json=list(scripts)).raise_for_status()


def logged(url: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = httpx.get(f"{url}/__emulator__/requests").json()["data"]
    return data


def seen(url: str, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The newest request the emulator at ``url`` logged that matches ``predicate``."""
    with httpx.Client(base_url=url) as control:
        return wait_for_request(control, predicate)


def lineage(lip_url: str, request_id: str) -> Record:
    """The call's record; it is stored just after the reply's last byte."""
    for _ in range(200):
        reply = httpx.get(
            f"{lip_url}/diagnostics/requests/{request_id}",
            headers={"x-lip-diagnostics-secret": SECRET},
        )
        if reply.status_code == 200:
            record: Record = reply.json()
            if record["outcome"] is not None:
                return record
        time.sleep(0.02)
    raise AssertionError(f"no lineage for {request_id}")


def attempts(record: Record) -> list[tuple[str, str]]:
    return [(a["backend"], a["outcome"]) for a in record["attempts"]]


def sdk(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="client-key", max_retries=0, timeout=30)


def ask(url: str, model: str) -> tuple[str, str]:
    """A unary call: (reply text, request id)."""
    with sdk(url) as client:
        raw = client.chat.completions.with_raw_response.create(model=model, messages=HI)  # type: ignore[arg-type]
        return raw.parse().choices[0].message.content or "", raw.headers["x-lip-request-id"]


def failing(url: str, model: str, error: type[openai.APIError]) -> tuple[openai.APIError, str]:
    with sdk(url) as client, pytest.raises(error) as info:
        client.chat.completions.create(model=model, messages=HI)  # type: ignore[arg-type]
    failure = info.value
    assert isinstance(failure, openai.APIStatusError)
    return failure, failure.response.headers["x-lip-request-id"]


# -- failures before output: the next candidate answers ----------------------


@pytest.mark.parametrize("protocol", list(KINDS))
@pytest.mark.parametrize("status", [429, 500])
def test_an_upstream_error_before_output_moves_on(
    upstreams: dict[str, str], protocol: str, status: int
) -> None:
    first = "a" if protocol == "chat" else protocol
    script(upstreams[first], {"status": status, "retry_after": 7})
    with lip(upstreams) as url:
        text, request_id = ask(url, f"{first}:m1 | b:m2")
        record = lineage(url, request_id)
    assert text.startswith("Echo: one two")
    assert attempts(record) == [(first, "failed_before_output"), ("b", "success")]
    kind = "rate_limited" if status == 429 else "upstream_error"
    assert record["attempts"][0]["error_kind"] == kind
    assert record["outcome"] == "success"


def test_the_last_candidates_error_reaches_the_client_with_its_retry_hint(
    upstreams: dict[str, str],
) -> None:
    script(upstreams["a"], {"status": 500})
    script(upstreams["b"], {"status": 429, "retry_after": 9})
    with lip(upstreams) as url:
        error, request_id = failing(url, "a:m | b:m", openai.RateLimitError)
        record = lineage(url, request_id)
    assert error.response.headers["retry-after"] == "9"
    assert attempts(record) == [("a", "failed_before_output"), ("b", "failed_before_output")]
    assert record["outcome"] == "error" and record["error_kind"] == "rate_limited"


def test_a_refused_connection_moves_on(upstreams: dict[str, str]) -> None:
    with lip(upstreams) as url:
        text, request_id = ask(url, "dead:m | b:m")
        record = lineage(url, request_id)
    assert text.startswith("Echo:")
    assert attempts(record) == [("dead", "failed_before_output"), ("b", "success")]


def test_a_leg_budget_cancels_a_slow_first_byte_and_the_next_leg_answers(
    upstreams: dict[str, str],
) -> None:
    script(upstreams["a"], {"delay_ms": 20_000})
    with lip(upstreams) as url:
        text, request_id = ask(url, "[ttft_timeout=0.3]a:m | b:m")
        record = lineage(url, request_id)
    assert text.startswith("Echo:")
    assert attempts(record) == [("a", "failed_before_output"), ("b", "success")]
    assert record["attempts"][0]["error_kind"] == "timeout"
    # The emulator saw LIP give up on the slow leg (its connection closed).
    seen(upstreams["a"], lambda e: e["disconnected_at"] is not None)


def test_the_call_budget_answers_a_timeout(upstreams: dict[str, str]) -> None:
    script(upstreams["a"], {"delay_ms": 20_000})
    with lip(upstreams) as url:
        error, request_id = failing(url, "{ttft_timeout=0.3} a:m | b:m", openai.APIStatusError)
        record = lineage(url, request_id)
    assert error.status_code == 504
    assert attempts(record) == [("a", "failed_before_output")]  # b never started
    assert logged(upstreams["b"]) == []


# -- failures after output: surfaced in the stream, never retried ------------


def stream_text(url: str, model: str) -> tuple[str, str, Exception | None]:
    """Stream a call: (text received, request id, the error that ended it)."""
    received, failure = "", None
    with (
        sdk(url) as client,
        client.chat.completions.with_streaming_response.create(
            model=model,
            messages=HI,  # type: ignore[arg-type]
            stream=True,
        ) as response,
    ):
        request_id = response.headers["x-lip-request-id"]
        try:
            for chunk in response.parse():
                if chunk.choices and chunk.choices[0].delta.content:
                    received += chunk.choices[0].delta.content
        except openai.APIError as exc:
            failure = exc
    return received, request_id, failure


# Frames each emulator sends before its second text delta.
CUT_AFTER = {"chat": 3, "anthropic": 5, "responses": 6, "gemini": 2}


@pytest.mark.parametrize("protocol", list(KINDS))
def test_a_cut_after_output_is_surfaced_not_retried(
    upstreams: dict[str, str], protocol: str
) -> None:
    first = "a" if protocol == "chat" else protocol
    script(upstreams[first], {"cut_after": CUT_AFTER[protocol]})
    with lip(upstreams) as url:
        received, request_id, failure = stream_text(url, f"{first}:m | b:m")
        record = lineage(url, request_id)
    assert received and failure is not None
    assert attempts(record) == [(first, "surfaced_failure")]
    assert record["outcome"] == "error"
    assert logged(upstreams["b"]) == []  # once output started, nothing is retried


def test_a_stalled_stream_ends_with_an_error_and_no_budget_retries_it(
    upstreams: dict[str, str],
) -> None:
    script(upstreams["a"], {"stall_after": 3})
    with lip(upstreams, {"a": ", timeout: {read: 0.5}"}) as url:
        received, request_id, failure = stream_text(url, "[ttft_timeout=0.2]a:m | b:m")
        record = lineage(url, request_id)
    assert received and failure is not None
    assert attempts(record) == [("a", "surfaced_failure")]
    assert record["attempts"][0]["error_kind"] == "timeout"
    assert logged(upstreams["b"]) == []


# -- races and disconnects ----------------------------------------------------


def test_a_race_returns_the_fast_output_and_closes_the_slow_upstream(
    upstreams: dict[str, str],
) -> None:
    script(upstreams["a"], {"delay_ms": 20_000})
    with lip(upstreams) as url:
        text, request_id = ask(url, "a:slow ! b:fast")
        record = lineage(url, request_id)
        closed = seen(upstreams["a"], lambda e: e["disconnected_at"] is not None)
    assert text.startswith("Echo:")
    assert sorted(attempts(record)) == [("a", "lost_race"), ("b", "success")]
    winner = next(a for a in record["attempts"] if a["backend"] == "b")
    won_at = winner["started"] + winner["first_output"]
    lag = closed["disconnected_at"] - won_at
    print(f"slow upstream closed {lag * 1000:.1f} ms after the win")
    assert lag < 2.0  # ~ms on a quiet machine; generous for a loaded one


def test_a_client_that_leaves_mid_stream_closes_the_upstream(upstreams: dict[str, str]) -> None:
    script(upstreams["a"], {"chunk_delay_ms": 400})
    with lip(upstreams) as url:
        with (
            sdk(url) as client,
            client.chat.completions.with_streaming_response.create(
                model="a:m",
                messages=HI,  # type: ignore[arg-type]
                stream=True,
            ) as response,
        ):
            request_id = response.headers["x-lip-request-id"]
            next(iter(response.parse()))
        left_at = time.time()
        closed = seen(upstreams["a"], lambda e: e["disconnected_at"] is not None)
        record = lineage(url, request_id)
    lag = closed["disconnected_at"] - left_at
    print(f"upstream closed {lag * 1000:.1f} ms after the client left")
    assert lag < 2.0
    assert attempts(record) == [("a", "cancelled")] and record["outcome"] == "cancelled"


# -- health: breakers and bulkheads -------------------------------------------


def test_a_breaker_opens_skips_half_opens_and_closes(upstreams: dict[str, str]) -> None:
    script(upstreams["a"], {"status": 500}, {"status": 500})
    breaker = ", breaker: {failures: 2, open_for: 0.5}"
    with lip(upstreams, {"a": breaker}) as url:
        for _ in range(2):
            _, request_id = ask(url, "a:m | b:m")
            assert attempts(lineage(url, request_id))[0] == ("a", "failed_before_output")
        _, request_id = ask(url, "a:m | b:m")  # open: a is skipped, not called
        assert attempts(lineage(url, request_id)) == [("a", "skipped"), ("b", "success")]
        assert len(logged(upstreams["a"])) == 2
        error, request_id = failing(url, "a:m", openai.InternalServerError)
        assert error.status_code == 503 and "circuit breaker" in error.message
        assert attempts(lineage(url, request_id)) == [("a", "skipped")]
        time.sleep(0.6)  # half-open: the next call is a probe, and it succeeds
        _, request_id = ask(url, "a:m | b:m")
        assert attempts(lineage(url, request_id)) == [("a", "success")]
        _, request_id = ask(url, "a:m | b:m")  # closed again
        assert attempts(lineage(url, request_id)) == [("a", "success")]


def test_a_full_bulkhead_answers_503_and_the_next_candidate_serves(
    upstreams: dict[str, str],
) -> None:
    script(upstreams["a"], {"delay_ms": 1500})
    with lip(upstreams, {"a": ", concurrency: {limit: 1, queue: 0}"}) as url:
        busy = threading.Thread(target=ask, args=(url, "a:m"))
        busy.start()
        seen(upstreams["a"], lambda e: True)
        error, request_id = failing(url, "a:m", openai.InternalServerError)
        assert error.status_code == 503
        assert attempts(lineage(url, request_id)) == [("a", "skipped")]
        _, request_id = ask(url, "a:m | b:m")
        assert attempts(lineage(url, request_id)) == [("a", "skipped"), ("b", "success")]
        busy.join()


def test_a_rate_limited_key_is_retried_on_the_pools_next_key(upstreams: dict[str, str]) -> None:
    keys = ", api_keys: [sk-first-key-0123AAAA, sk-second-key-0123BBBB]"
    script(upstreams["a"], {"status": 429, "retry_after": 30})
    with lip(upstreams, {"a": keys}) as url:
        text, request_id = ask(url, "a:m")
        record = lineage(url, request_id)
        for _ in range(3):  # the cooling key is left out of the rotation
            ask(url, "a:m")
    assert text.startswith("Echo:")
    first, second = record["attempts"]
    assert (first["outcome"], second["outcome"]) == ("failed_before_output", "success")
    assert first["key_fingerprint"] != second["key_fingerprint"]
    sent = [e["headers"]["authorization"] for e in logged(upstreams["a"])]
    assert sent[0] != sent[1] and set(sent[2:]) == {sent[1]}
