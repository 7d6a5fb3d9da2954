"""Structured access logs (:mod:`lip.observe.accesslog`): one ``lip.access``
line per request, through LIP on a loopback socket in front of the OpenAI
Chat emulator; the text format; and canaries that must never be logged."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from lip.canonical import Usage
from lip.config import parse_config
from lip.config.observability import AccessLogConfig
from lip.continuity import Attempt, CallOutcome, CallRecord, Outcome
from lip.observe.accesslog import AccessLogObserver, access_fields, format_json, format_text
from lip.secrets import Scrubber
from lip.server import create_app
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.serving import refused_url, serve_in_thread
from tests.e2e.conftest import serve_lip

CLIENT_KEY = "canary-client-key-7d21f0a9c4e6"
UPSTREAM_KEY = "canary-upstream-key-3b8e5c1f7a02"
DIAGNOSTICS_SECRET = "canary-diagnostics-secret-91c4e7b20d5f"
CANARIES = (CLIENT_KEY, UPSTREAM_KEY, DIAGNOSTICS_SECRET)
HI: list[ChatCompletionMessageParam] = [{"role": "user", "content": "one two three four five"}]
FIELDS = [
    "ts",
    "request_id",
    "method",
    "path",
    "protocol",
    "client",
    "selector",
    "backend",
    "model",
    "attempts",
    "failovers",
    "status",
    "outcome",
    "error_kind",
    "input_tokens",
    "output_tokens",
    "cached_tokens",
    "ttfb_ms",
    "ttft_ms",
    "duration_ms",
    "stream",
]


def config(emulator: str, dead: str, log_format: str) -> str:
    return f"""
server: {{host: 127.0.0.1}}
diagnostics: {{enabled: true, secret: {DIAGNOSTICS_SECRET}}}
observability:
  access_log: {{enabled: true, format: {log_format}}}
access:
  mode: keys
  keys:
    - {{id: owner, key: {CLIENT_KEY}}}
backends:
  - {{id: emu, kind: openai-compatible, base_url: '{emulator}/v1', api_key: {UPSTREAM_KEY},
      models: [gpt-4o-mini]}}
  - {{id: dead, kind: openai-compatible, base_url: '{dead}/v1', api_key: {UPSTREAM_KEY}}}
"""


@contextmanager
def lip(log_format: str) -> Iterator[str]:
    with (
        serve_in_thread(chat_emulator(api_key=UPSTREAM_KEY)) as emulator,
        refused_url() as dead,
    ):
        app = create_app(parse_config(config(emulator, dead, log_format), env={}))
        with serve_lip(app) as url:
            yield url


@pytest.fixture(scope="module")
def json_url() -> Iterator[str]:
    with lip("json") as url:
        yield url


@pytest.fixture(scope="module")
def text_url() -> Iterator[str]:
    with lip("text") as url:
        yield url


@pytest.fixture
def access(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="lip.access")
    return caplog


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The observer's lines (``lip.access`` also carries access control's own records)."""
    return [
        r.getMessage() for r in caplog.records if r.name == "lip.access" and r.module == "accesslog"
    ]


def line_of(caplog: pytest.LogCaptureFixture, request_id: str) -> str:
    """The request's one line; it is logged just after the reply's last byte."""
    for _ in range(250):
        found = [line for line in access_lines(caplog) if request_id in line]
        if found:
            time.sleep(0.05)  # a second line would be a bug: give it time to show
            found = [line for line in access_lines(caplog) if request_id in line]
            assert len(found) == 1, found
            return found[0]
        time.sleep(0.02)
    raise AssertionError(f"no access line for {request_id}")


def sdk(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=CLIENT_KEY, max_retries=0, timeout=10)


_PAIR = re.compile(r'([a-z_]+)=("(?:[^"\\]|\\.)*"|\S+)(?: |$)')


def parse_text(line: str) -> dict[str, object]:
    """The inverse of the text format: quoted values are JSON strings, bare
    ones JSON scalars when they read as one, strings otherwise."""
    parsed: dict[str, object] = {}
    end = 0
    for match in _PAIR.finditer(line):
        assert match.start() == end, line[end:]
        end = match.end()
        key, raw = match[1], match[2]
        if raw.startswith('"'):
            parsed[key] = json.loads(raw)
        else:
            try:
                parsed[key] = json.loads(raw)
            except ValueError:
                parsed[key] = raw
    assert end == len(line)
    return parsed


# -- what one line says --------------------------------------------------------


def test_a_generate_call_logs_one_json_line(
    json_url: str, access: pytest.LogCaptureFixture
) -> None:
    with sdk(json_url) as client:
        raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=HI)
    reply, request_id = raw.parse(), raw.headers["x-lip-request-id"]
    line = json.loads(line_of(access, request_id))
    assert list(line) == FIELDS
    assert line["request_id"] == request_id
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])
    assert reply.usage is not None
    assert (line["input_tokens"], line["output_tokens"]) == (
        reply.usage.prompt_tokens,
        reply.usage.completion_tokens,
    )
    details = reply.usage.prompt_tokens_details
    assert line["cached_tokens"] == (details.cached_tokens if details else None)
    assert line | {"ts": None, "ttfb_ms": None, "ttft_ms": None, "duration_ms": None} == {
        "ts": None,
        "request_id": request_id,
        "method": "POST",
        "path": "/v1/chat/completions",
        "protocol": "openai_chat",
        "client": "owner",
        "selector": "gpt-4o-mini",
        "backend": "emu",
        "model": "gpt-4o-mini",
        "attempts": 1,
        "failovers": 0,
        "status": 200,
        "outcome": "success",
        "error_kind": None,
        "input_tokens": line["input_tokens"],
        "output_tokens": line["output_tokens"],
        "cached_tokens": line["cached_tokens"],
        "ttfb_ms": None,
        "ttft_ms": None,
        "duration_ms": None,
        "stream": False,
    }
    assert 0 <= line["ttft_ms"] <= line["ttfb_ms"] <= line["duration_ms"]


def test_a_streamed_call_logs_its_usage_and_stream(
    json_url: str, access: pytest.LogCaptureFixture
) -> None:
    with sdk(json_url) as client:
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini",
            messages=HI,
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(raw.parse())
    usage = chunks[-1].usage
    assert usage is not None
    line = json.loads(line_of(access, raw.headers["x-lip-request-id"]))
    assert line["stream"] is True and line["status"] == 200 and line["backend"] == "emu"
    assert (line["input_tokens"], line["output_tokens"]) == (
        usage.prompt_tokens,
        usage.completion_tokens,
    )
    # A stream's status line goes out once its first output is ready (the
    # commit point): the first output is noted just before the first byte.
    assert line["ttft_ms"] <= line["ttfb_ms"] <= line["duration_ms"]


def test_a_failover_logs_two_attempts_one_failed(
    json_url: str, access: pytest.LogCaptureFixture
) -> None:
    selector = "dead:gpt-4o-mini | emu:gpt-4o-mini"
    with sdk(json_url) as client:
        raw = client.chat.completions.with_raw_response.create(model=selector, messages=HI)
    line = json.loads(line_of(access, raw.headers["x-lip-request-id"]))
    assert (line["attempts"], line["failovers"]) == (2, 1)
    assert (line["selector"], line["backend"], line["status"]) == (selector, "emu", 200)
    assert line["outcome"] == "success"


def test_an_invalid_body_logs_its_400_without_a_backend(
    json_url: str, access: pytest.LogCaptureFixture
) -> None:
    reply = httpx.post(
        f"{json_url}/v1/chat/completions",
        headers={"authorization": f"Bearer {CLIENT_KEY}"},
        json={"model": "gpt-4o-mini", "messages": "not a list"},
    )
    assert reply.status_code == 400
    line = json.loads(line_of(access, reply.headers["x-lip-request-id"]))
    assert (line["status"], line["outcome"], line["backend"], line["model"]) == (
        400,
        "error",
        None,
        None,
    )
    assert (line["attempts"], line["failovers"], line["input_tokens"]) == (0, 0, None)


def test_every_route_a_key_calls_logs_the_key_as_its_client(
    json_url: str, access: pytest.LogCaptureFixture
) -> None:
    auth = {"authorization": f"Bearer {CLIENT_KEY}"}
    replies = [
        httpx.get(f"{json_url}/v1/models", headers=auth),
        httpx.get(f"{json_url}/v1/models/gpt-4o-mini", headers=auth),
        httpx.get(f"{json_url}/v1/responses/resp_unknown", headers=auth),
    ]
    for reply in replies:
        line = json.loads(line_of(access, reply.headers["x-lip-request-id"]))
        assert (line["client"], line["status"]) == ("owner", reply.status_code)


def test_health_probes_are_skipped(json_url: str, access: pytest.LogCaptureFixture) -> None:
    probes = [httpx.get(f"{json_url}{path}") for path in ("/healthz", "/readyz")]
    after = httpx.get(f"{json_url}/v1/models", headers={"authorization": f"Bearer {CLIENT_KEY}"})
    line_of(access, after.headers["x-lip-request-id"])
    logged = "\n".join(access_lines(access))
    for probe in probes:
        assert probe.headers["x-lip-request-id"] not in logged
    assert '"path":"/healthz"' not in logged and '"path":"/readyz"' not in logged


# -- the text format -----------------------------------------------------------


def test_text_lines_parse_back_to_the_json_values(
    text_url: str, access: pytest.LogCaptureFixture
) -> None:
    with sdk(text_url) as client:
        raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=HI)
    usage = raw.parse().usage
    assert usage is not None
    line = parse_text(line_of(access, raw.headers["x-lip-request-id"]))
    assert list(line) == [f for f in FIELDS if f != "error_kind"]  # null: left out
    assert line["request_id"] == raw.headers["x-lip-request-id"]
    assert (line["status"], line["backend"], line["model"], line["stream"]) == (
        200,
        "emu",
        "gpt-4o-mini",
        False,
    )
    assert (line["input_tokens"], line["output_tokens"]) == (
        usage.prompt_tokens,
        usage.completion_tokens,
    )


def test_the_text_format_quotes_what_would_not_read_back() -> None:
    record = CallRecord(
        request_id="0123456789",  # reads as a number: quoted
        method="POST",
        path='/v1/odd path/"quoted"=x\nnext',
        client="ip:127.0.0.1",
        selector="[ttft_timeout=0.3]a:m | b:m",
        protocol="openai_chat",
        trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
        status=502,
        first_byte=0.0123,
        ended=1.5,
        outcome=CallOutcome.ERROR,
        error_kind="true",
        usage=Usage(input_tokens=3),
        stream=True,
        attempts=[
            Attempt(number=1, backend_id="a", model="m", upstream_model="m"),
            Attempt(number=2, backend_id="b", model="m", upstream_model="m2"),
        ],
    )
    record.attempts[0].outcome = Outcome.FAILED_BEFORE_OUTPUT
    record.attempts[1].outcome = Outcome.SURFACED
    record.attempts[1].first_output = 0.2
    fields = access_fields(record, Scrubber())
    as_json = json.loads(format_json(fields))
    text = format_text(fields)
    assert "\n" not in text
    assert parse_text(text) == {k: v for k, v in as_json.items() if v is not None}
    assert list(as_json)[:3] == ["ts", "request_id", "trace_id"]
    assert (as_json["backend"], as_json["model"], as_json["failovers"]) == ("b", "m2", 1)
    assert (as_json["ttfb_ms"], as_json["duration_ms"]) == (12.3, 1500.0)


def test_skip_paths_and_a_quiet_logger_log_nothing(caplog: pytest.LogCaptureFixture) -> None:
    observer = AccessLogObserver(AccessLogConfig(skip_paths=("/x",)))
    caplog.set_level(logging.INFO, logger="lip.access")
    observer.ended(CallRecord(request_id="a", method="GET", path="/x", status=200))
    observer.ended(CallRecord(request_id="b", method="GET", path="/y", status=200))
    caplog.set_level(logging.WARNING, logger="lip.access")
    observer.ended(CallRecord(request_id="c", method="GET", path="/y", status=200))
    assert [json.loads(line)["request_id"] for line in access_lines(caplog)] == ["b"]


def test_a_batch_logs_its_lines_in_order_and_a_bad_record_only_loses_its_own(
    caplog: pytest.LogCaptureFixture,
) -> None:
    observer = AccessLogObserver(AccessLogConfig(skip_paths=("/x",)))
    caplog.set_level(logging.INFO, logger="lip.access")
    broken = CallRecord(request_id="broken", method="GET", path="/y", status=200)
    broken.started = "not a time"  # type: ignore[assignment]
    observer.ended_batch(
        [
            CallRecord(request_id="a", method="GET", path="/y", status=200),
            CallRecord(request_id="skipped", method="GET", path="/x", status=200),
            broken,
            CallRecord(request_id="b", method="POST", path="/y", status=404),
        ]
    )
    assert [json.loads(line)["request_id"] for line in access_lines(caplog)] == ["a", "b"]
    failed = [r for r in caplog.records if r.name == "lip.observe"]
    assert [r.getMessage() for r in failed] == ["observer AccessLogObserver failed"]


def test_lines_still_waiting_for_their_batch_are_written_when_the_server_stops(
    access: pytest.LogCaptureFixture,
) -> None:
    text = """
server: {host: 127.0.0.1}
backends: [{id: stub, kind: localstub, models: [lip-stub]}]
observability: {access_log: {enabled: true}, flush_interval: 60}
"""
    body = {"model": "lip-stub", "messages": HI}
    with serve_lip(create_app(parse_config(text, env={}))) as url:
        reply = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=10)
        reply.raise_for_status()
        request_id = reply.headers["x-lip-request-id"]
        time.sleep(0.2)
        assert not [line for line in access_lines(access) if request_id in line]
    assert json.loads(line_of(access, request_id))["status"] == 200


# -- canaries ------------------------------------------------------------------


def test_no_key_or_secret_reaches_an_access_line(
    json_url: str, access: pytest.LogCaptureFixture
) -> None:
    """Good and bad requests carrying every canary in headers, query and path;
    the default scrubber alone redacts what is shaped like a key."""
    request_ids: list[str] = []
    body = {"model": "gpt-4o-mini", "messages": HI}
    query = {"key": CLIENT_KEY, "api_key": UPSTREAM_KEY, "secret": DIAGNOSTICS_SECRET}
    with httpx.Client(base_url=json_url, timeout=10) as client:
        for headers in (
            {"authorization": f"Bearer {CLIENT_KEY}"},
            {"x-api-key": CLIENT_KEY, "x-goog-api-key": UPSTREAM_KEY},
            {"authorization": f"Bearer {UPSTREAM_KEY}"},
            {"authorization": f"Bearer {DIAGNOSTICS_SECRET}"},
            {
                "authorization": f"Bearer {CLIENT_KEY}",
                "x-lip-diagnostics-secret": DIAGNOSTICS_SECRET,
            },
        ):
            replies = [
                client.post("/v1/chat/completions", headers=headers, json=body, params=query),
                client.post(
                    "/v1/chat/completions",
                    headers=headers,
                    json={"model": UPSTREAM_KEY, "messages": HI},
                ),
                client.post(
                    "/v1/chat/completions",
                    headers=headers,
                    json={"model": f"emu:{CLIENT_KEY} | emu:gpt-4o-mini", "messages": HI},
                ),
                client.get(f"/v1/models/{CLIENT_KEY}", headers=headers, params=query),
                client.get(f"/diagnostics/requests/{DIAGNOSTICS_SECRET}", headers=headers),
                client.get(f"/{UPSTREAM_KEY}", headers=headers, params=query),
            ]
            request_ids += [r.headers["x-lip-request-id"] for r in replies]
    lines = [line_of(access, request_id) for request_id in request_ids]
    statuses = {json.loads(line)["status"] for line in lines}
    assert {200, 401, 404} <= statuses
    leaked = [line for line in access_lines(access) for c in CANARIES if c in line]
    assert leaked == []
    assert any("[redacted]" in line for line in lines)

    plain = AccessLogObserver(AccessLogConfig())
    shaped = CallRecord(request_id="x", path="/v1/models/sk-abcdefghijklmnop", client="ip:1.2.3.4")
    access.clear()
    plain.ended(shaped)
    assert "sk-abcdefghijklmnop" not in access_lines(access)[0]


def test_lip_serve_prints_access_lines_bare_on_stdout() -> None:
    from lip.server.serving import log_config as _log_config

    config = _log_config("warning")
    logger = config["loggers"]["lip.access"]  # type: ignore[index]
    handler = config["handlers"][logger["handlers"][0]]  # type: ignore[index]
    assert (logger["level"], logger["propagate"]) == ("INFO", False)
    assert handler["stream"] == "ext://sys.stdout"
    assert config["formatters"][handler["formatter"]] == {"format": "%(message)s"}  # type: ignore[index]
