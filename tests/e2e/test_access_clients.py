"""Client keys as the agent CLIs send them, over real sockets: each recorded
request of Claude Code, Codex and Gemini CLI (``testdata/clients/``) replayed
to LIP in ``keys`` mode with httpx (the recording's method, path, query,
headers and body), the client key added in the form that CLI uses (Claude
Code: ``x-api-key``; Codex: ``Authorization: Bearer``; Gemini CLI:
``x-goog-api-key``). A good key streams the answer from the recording's
protocol's emulator; an unknown key is a 401, a model outside the key's globs
a 403, the third request against ``rpm: 2`` a 429 with a retry hint, each in
the error shape of the CLI's protocol."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from lip.config import parse_config
from lip.server import create_app
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.gemini import create_app as gemini_emulator
from refbackends.openai_responses import create_app as responses_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

CLIENTS = Path(__file__).resolve().parents[2] / "testdata" / "clients"
UPSTREAM_KEY = "sk-upstream-access-clients-0000"
KEY_ALL = "cli-key-all-models-0123456789"
KEY_STUB_ONLY = "cli-key-stub-only-0123456789"
BAD_KEY = "cli-key-nobody-has-0123456789"
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


@dataclass(frozen=True)
class Recording:
    name: str
    client: str
    protocol: str
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: dict[str, Any]


def _load(path: Path) -> Recording:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Recording(
        name=f"{path.parent.name}/{path.name}",
        client=data["client"],
        protocol=data["protocol"],
        method=data["method"],
        path=data["path"],
        query=data["query"],
        headers=data["headers"],
        body=data["body"],
    )


RECORDINGS = [_load(p) for p in sorted(CLIENTS.glob("*/*.json"))]
BY_CLIENT: dict[str, list[Recording]] = {}
for _recording in RECORDINGS:
    BY_CLIENT.setdefault(_recording.client, []).append(_recording)

# How each CLI presents its key.
CREDENTIAL: dict[str, Callable[[str], dict[str, str]]] = {
    "claude-code": lambda key: {"x-api-key": key},
    "codex": lambda key: {"authorization": f"Bearer {key}"},
    "gemini-cli": lambda key: {"x-goog-api-key": key},
}
# Per protocol: what the error body says its type is, for 401, 403 and 429.
KINDS = {
    "anthropic_messages": ("authentication_error", "permission_error", "rate_limit_error"),
    "openai_responses": ("invalid_api_key", "model_not_allowed", "rpm_exceeded"),
    "gemini": ("UNAUTHENTICATED", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED"),
}


def limited_key(client: str) -> str:
    return f"cli-key-limited-{client}-0123456789"


def model_of(recording: Recording) -> str:
    """The model a recording asks for (Gemini names it in the path)."""
    if recording.protocol == "gemini":
        return recording.path.split("/models/", 1)[1].split(":", 1)[0]
    return str(recording.body["model"])


def test_the_recordings_are_the_ones_the_config_routes() -> None:
    assert set(BY_CLIENT) == set(CREDENTIAL)
    assert all(len(recordings) >= 2 for recordings in BY_CLIENT.values())
    assert {model_of(r) for r in RECORDINGS} == {
        "claude-opus-5-5",
        "gpt-5.5",
        "gemini-3.1-pro-preview",
    }


@pytest.fixture(scope="module")
def lip_url() -> Iterator[str]:
    with (
        serve_in_thread(anthropic_emulator(api_key=UPSTREAM_KEY)) as messages,
        serve_in_thread(responses_emulator(api_key=UPSTREAM_KEY)) as responses,
        serve_in_thread(gemini_emulator(api_key=UPSTREAM_KEY)) as gemini,
    ):
        limited = "".join(
            f"    - {{id: limited-{c}, key: {limited_key(c)}, limits: {{rpm: 2}}}}\n"
            for c in CREDENTIAL
        )
        config = f"""
backends:
  - {{id: anthropic, kind: anthropic, base_url: '{messages}/v1', api_key: {UPSTREAM_KEY},
      models: [claude-opus-5-5]}}
  - {{id: responses, kind: openai-compatible, api: responses, base_url: '{responses}/v1',
      api_key: {UPSTREAM_KEY}, models: [gpt-5.5]}}
  - {{id: gemini, kind: gemini, base_url: '{gemini}/v1beta', api_key: {UPSTREAM_KEY},
      models: [gemini-3.1-pro-preview]}}
  - {{id: stub, kind: localstub, models: [lip-stub]}}
access:
  mode: keys
  keys:
    - {{id: all, key: {KEY_ALL}}}
    - {{id: stub-only, key: {KEY_STUB_ONLY}, models: [lip-stub]}}
{limited}"""
        with serve_lip(create_app(parse_config(config, env={}))) as url:
            yield url


def replay(lip_url: str, recording: Recording, key: str) -> httpx.Response:
    headers = {**recording.headers, **CREDENTIAL[recording.client](key)}
    url = f"{lip_url}{recording.path}" + (f"?{recording.query}" if recording.query else "")
    return httpx.request(
        recording.method,
        url,
        headers=headers,
        content=json.dumps(recording.body).encode(),
        timeout=20,
    )


def stream_completed(recording: Recording, text: str) -> bool:
    """Whether an SSE body ends as a complete answer in the recording's protocol."""
    events = [
        {k: v.strip() for k, _, v in (line.partition(":") for line in block.splitlines())}
        for block in text.strip().split("\n\n")
    ]
    last = events[-1]
    match recording.protocol:
        case "anthropic_messages":
            return last.get("event") == "message_stop"
        case "openai_responses":
            return last.get("event") == "response.completed"
        case "gemini":  # no event names: the last chunk's candidate has finished
            chunk = json.loads(last["data"])
            return bool(chunk["candidates"][0].get("finishReason") == "STOP")
        case _:
            raise AssertionError(f"no stream shape for {recording.protocol}")


def error_of(recording: Recording, reply: httpx.Response) -> tuple[str, str]:
    """(type, message) of an error reply, checked to be in the protocol's shape."""
    body = reply.json()
    match recording.protocol:
        case "anthropic_messages":
            assert body["type"] == "error"
            return body["error"]["type"], body["error"]["message"]
        case "openai_responses":
            assert isinstance(body["error"]["type"], str)
            return body["error"]["code"], body["error"]["message"]
        case "gemini":
            assert body["error"]["code"] == reply.status_code
            return body["error"]["status"], body["error"]["message"]
        case _:
            raise AssertionError(f"no error shape for {recording.protocol}")


@pytest.mark.parametrize("recording", RECORDINGS, ids=[r.name for r in RECORDINGS])
def test_a_good_key_in_the_clis_form_is_served(lip_url: str, recording: Recording) -> None:
    reply = replay(lip_url, recording, KEY_ALL)
    assert reply.status_code == 200, reply.text[:500]
    assert reply.headers["content-type"].startswith("text/event-stream")
    assert stream_completed(recording, reply.text)


@pytest.mark.parametrize("client", sorted(CREDENTIAL))
def test_an_unknown_key_is_a_401_in_the_clis_protocol(lip_url: str, client: str) -> None:
    recording = BY_CLIENT[client][0]
    reply = replay(lip_url, recording, BAD_KEY)
    assert reply.status_code == 401
    assert error_of(recording, reply) == (
        KINDS[recording.protocol][0],
        "invalid or revoked client key",
    )
    assert BAD_KEY not in reply.text


@pytest.mark.parametrize("client", sorted(CREDENTIAL))
def test_a_model_outside_the_keys_globs_is_a_403_in_the_clis_protocol(
    lip_url: str, client: str
) -> None:
    recording = BY_CLIENT[client][0]
    reply = replay(lip_url, recording, KEY_STUB_ONLY)
    assert reply.status_code == 403
    kind, message = error_of(recording, reply)
    assert kind == KINDS[recording.protocol][1]
    assert message == f"the key 'stub-only' may not use model {model_of(recording)!r}"


@pytest.mark.parametrize("client", sorted(CREDENTIAL))
def test_the_third_request_against_rpm_2_is_a_429_with_a_retry_hint(
    lip_url: str, client: str
) -> None:
    first, second = BY_CLIENT[client][:2]
    key = limited_key(client)
    assert replay(lip_url, first, key).status_code == 200
    assert replay(lip_url, second, key).status_code == 200
    reply = replay(lip_url, first, key)
    assert reply.status_code == 429
    kind, message = error_of(first, reply)
    assert kind == KINDS[first.protocol][2]
    assert "2 requests per minute" in message
    retry_after = int(reply.headers["retry-after"])
    assert 0 < retry_after <= 60
    if first.protocol == "gemini":
        details = reply.json()["error"]["details"]
        delays = [d["retryDelay"] for d in details if d.get("@type") == RETRY_INFO]
        assert delays == [f"{retry_after}s"]
