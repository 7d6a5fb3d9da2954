"""Every request's record reaches the observers: status, timings, client,
usage, attempts, and the W3C trace continued from the client to the upstream."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from lip.config import parse_config
from lip.continuity import CallObserver, CallRecord, Observers
from lip.server import Runtime, create_app
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
CHAT = {"model": "emu:gpt-4o-mini", "messages": [{"role": "user", "content": "one two three"}]}


class Recorder(CallObserver):
    traces = True

    def __init__(self) -> None:
        self.opened: list[CallRecord] = []
        self.closed: list[CallRecord] = []

    def started(self, record: CallRecord) -> None:
        self.opened.append(record)

    def ended(self, record: CallRecord) -> None:
        self.closed.append(record)


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    with serve_in_thread(chat_emulator()) as url:
        yield url


@pytest.fixture
def lip(emulator: str) -> Iterator[tuple[httpx.Client, Recorder]]:
    config = parse_config(
        f"backends: [{{id: emu, kind: openai-compatible, base_url: '{emulator}/v1',"
        " api_key: sk-upstream-0123456789}]",
        env={},
    )
    runtime = Runtime(config)
    recorder = Recorder()
    runtime.observers = Observers([recorder])
    with (
        serve_lip(create_app(config, runtime=runtime)) as url,
        httpx.Client(base_url=url) as client,
    ):
        httpx.delete(f"{emulator}/__emulator__/requests")
        yield client, recorder


def test_a_call_is_recorded_and_its_trace_continues_upstream(
    lip: tuple[httpx.Client, Recorder], emulator: str
) -> None:
    client, recorder = lip
    reply = client.post(
        "/v1/chat/completions", json=CHAT, headers={"traceparent": f"00-{TRACE}-{PARENT}-01"}
    )
    assert reply.status_code == 200
    assert reply.headers["x-lip-trace-id"] == TRACE
    (record,) = recorder.closed
    assert recorder.opened == [record]
    assert (record.protocol, record.status, record.method, record.path) == (
        "openai_chat",
        200,
        "POST",
        "/v1/chat/completions",
    )
    assert record.request_id == reply.headers["x-lip-request-id"]
    assert record.client == "ip:127.0.0.1"
    assert record.trace_id == TRACE and record.parent_span_id == PARENT
    assert record.span_id == record.request_id[:16]  # the server span's
    assert record.first_byte is not None and record.ended is not None
    assert record.first_byte <= record.ended
    usage = reply.json()["usage"]
    assert record.usage is not None
    assert record.usage.input_tokens == usage["prompt_tokens"]
    assert record.usage.output_tokens == usage["completion_tokens"]
    assert record.finish_reason == reply.json()["choices"][0]["finish_reason"] == "stop"
    (attempt,) = record.attempts
    assert attempt.span_id == record.request_id[16:] != record.span_id  # the first attempt's
    (sent,) = httpx.get(f"{emulator}/__emulator__/requests").json()["data"]
    assert sent["headers"]["traceparent"] == f"00-{TRACE}-{attempt.span_id}-01"


def test_a_trace_begins_when_the_client_sends_none_or_a_bad_one(
    lip: tuple[httpx.Client, Recorder],
) -> None:
    client, recorder = lip
    for headers in ({}, {"traceparent": f"00-{'0' * 32}-{PARENT}-01"}, {"traceparent": "junk"}):
        reply = client.post("/v1/chat/completions", json=CHAT, headers=headers)
        record = recorder.closed[-1]
        # A trace begun here takes the request's id (random all the same).
        assert record.trace_id == reply.headers["x-lip-trace-id"]
        assert record.trace_id == reply.headers["x-lip-request-id"] == record.request_id
        assert record.span_id == record.request_id[:16]
        assert record.trace_id != "0" * 32 and len(record.trace_id or "") == 32
        assert record.parent_span_id is None
    assert len({record.trace_id for record in recorder.closed}) == 3


def test_requests_refused_before_routing_and_other_routes_are_recorded_too(
    lip: tuple[httpx.Client, Recorder],
) -> None:
    client, recorder = lip
    assert client.post("/v1/chat/completions", content=b"{").status_code == 400
    refused = recorder.closed[-1]
    assert (refused.protocol, refused.status, refused.selector) == ("openai_chat", 400, None)
    assert refused.outcome is not None and refused.outcome.value == "error"
    assert client.get("/healthz").status_code == 200
    health = recorder.closed[-1]
    assert (health.protocol, health.status, health.path) == (None, 200, "/healthz")
    # Not a generate call: the middleware continues the client's trace itself.
    reply = client.get("/v1/models", headers={"traceparent": f"00-{TRACE}-{PARENT}-01"})
    listed = recorder.closed[-1]
    assert reply.headers["x-lip-trace-id"] == listed.trace_id == TRACE
    assert (listed.parent_span_id, listed.span_id) == (PARENT, listed.request_id[:16])
