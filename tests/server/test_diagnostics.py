"""``GET /diagnostics/requests/{id}`` over a real loopback server: a call's
lineage record by its ``x-lip-request-id``, behind the diagnostics secret;
not served at all unless enabled; the secret never shows anywhere."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from lip.config import Config, ConfigError, load_config, parse_config
from lip.continuity import MemoryLineage, SQLiteLineage
from lip.server import Runtime, create_app, server_options
from refbackends.openai_chat import create_app as create_emulator
from refbackends.serving import serve_in_thread

SECRET = "diag-Secret-0123456789abcdef"
CHAT = {"model": "lip-stub", "messages": [{"role": "user", "content": "hello there"}]}
ANY_ID = "0" * 32


def config_with(diagnostics: str = "") -> Config:
    return parse_config(
        f"""
backends:
  - {{id: stub, kind: localstub, models: [lip-stub]}}
routing: {{default_route: "stub:lip-stub"}}
diagnostics:
  enabled: true
  secret: {SECRET}
{diagnostics}
""",
        env={},
    )


@contextmanager
def serving(config: Config) -> Iterator[httpx.Client]:
    """LIP on a loopback socket (the connection layer ``lip serve`` uses)."""
    app = create_app(config)
    with (
        serve_in_thread(app, lifespan="on", options=server_options(app)) as url,
        httpx.Client(base_url=url, timeout=10) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def lip() -> Iterator[httpx.Client]:
    with serving(config_with()) as client:
        yield client


def lookup(client: httpx.Client, request_id: str, secret: str = SECRET) -> httpx.Response:
    """The record, waiting briefly: it is kept once the exchange has fully
    ended, which may be just after the client has read the last byte."""
    deadline = time.monotonic() + 5
    while True:
        reply = client.get(
            f"/diagnostics/requests/{request_id}", headers={"x-lip-diagnostics-secret": secret}
        )
        if reply.status_code != 404 or time.monotonic() > deadline:
            return reply
        time.sleep(0.02)


def check_attempts(record: dict[str, object], outcome: str) -> None:
    """Attempts are the executor's to fill; when present, the last one is the answer's."""
    attempts = record["attempts"]
    assert isinstance(attempts, list)
    if attempts:
        assert attempts[-1]["backend"] == "stub"
        assert attempts[-1]["outcome"] == outcome


def test_a_call_is_looked_up_by_its_request_id(lip: httpx.Client) -> None:
    chat = lip.post("/v1/chat/completions", json=CHAT)
    assert chat.status_code == 200
    request_id = chat.headers["x-lip-request-id"]
    reply = lookup(lip, request_id)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["cache-control"] == "no-store"
    record = reply.json()
    assert record["request_id"] == request_id
    assert record["protocol"] == "openai_chat"
    assert record["stream"] is False
    assert record["outcome"] == "success" and record["error_kind"] is None
    assert record["first_output"] is not None
    assert record["ended"] >= record["first_output"] >= 0
    check_attempts(record, "success")


def test_a_streamed_call_is_recorded(lip: httpx.Client) -> None:
    body = {"model": "lip-stub", "max_tokens": 16, "stream": True}
    body["messages"] = [{"role": "user", "content": "hi"}]
    with lip.stream("POST", "/v1/messages", json=body) as stream:
        assert stream.status_code == 200
        request_id = stream.headers["x-lip-request-id"]
        assert stream.headers["request-id"] == request_id
        stream.read()
    record = lookup(lip, request_id).json()
    assert record["protocol"] == "anthropic_messages"
    assert record["stream"] is True
    assert record["outcome"] == "success"
    check_attempts(record, "success")


def test_a_failed_call_is_recorded_as_an_error(lip: httpx.Client) -> None:
    chat = lip.post("/v1/chat/completions", json={**CHAT, "model": "nobody:nothing"})
    assert chat.status_code >= 400
    record = lookup(lip, chat.headers["x-lip-request-id"]).json()
    assert record["outcome"] == "error"
    assert record["error_kind"]


def test_a_request_rejected_before_routing_leaves_no_record(lip: httpx.Client) -> None:
    bad = lip.post("/v1/chat/completions", json={"messages": "not a list"})
    assert bad.status_code == 400
    # Settle after a call that is recorded: the rejected one would be by then.
    lookup(lip, lip.post("/v1/chat/completions", json=CHAT).headers["x-lip-request-id"])
    reply = lip.get(
        f"/diagnostics/requests/{bad.headers['x-lip-request-id']}",
        headers={"x-lip-diagnostics-secret": SECRET},
    )
    assert reply.status_code == 404


def test_an_unknown_id_is_a_json_404(lip: httpx.Client) -> None:
    reply = lip.get(f"/diagnostics/requests/{ANY_ID}", headers={"x-lip-diagnostics-secret": SECRET})
    assert reply.status_code == 404
    assert reply.json()["error"]["type"] == "not_found_error"
    assert reply.headers["x-lip-request-id"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-lip-diagnostics-secret": ""},
        {"x-lip-diagnostics-secret": "wrong-secret-0123456789"},
        {"x-lip-diagnostics-secret": SECRET.lower()},
        {"x-lip-diagnostics-secret": SECRET + "x"},
        {"x-lip-diagnostics-secret": SECRET[:-1]},
        {"authorization": f"Bearer {SECRET}"},
    ],
)
def test_a_missing_or_wrong_secret_is_401_with_no_hint_which(
    lip: httpx.Client, headers: dict[str, str]
) -> None:
    request_id = lip.post("/v1/chat/completions", json=CHAT).headers["x-lip-request-id"]
    assert lookup(lip, request_id).status_code == 200  # it is there
    for wanted in (request_id, ANY_ID):  # known or not: the same answer
        reply = lip.get(f"/diagnostics/requests/{wanted}", headers=headers)
        assert reply.status_code == 401
        assert reply.json() == {
            "error": {
                "type": "authentication_error",
                "message": "a valid x-lip-diagnostics-secret header is required",
            }
        }


def test_the_secret_never_shows(lip: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    replies: list[httpx.Response] = []
    with caplog.at_level(logging.DEBUG):
        chat = lip.post("/v1/chat/completions", json=CHAT)
        replies += [chat, lookup(lip, chat.headers["x-lip-request-id"])]
        replies.append(lip.get(f"/diagnostics/requests/{ANY_ID}"))
        replies.append(
            lip.get(
                f"/diagnostics/requests/{ANY_ID}",
                headers={"x-lip-diagnostics-secret": SECRET + "-wrong"},
            )
        )
        replies.append(lip.post("/v1/chat/completions", json={**CHAT, "model": "nobody:x"}))
        logging.getLogger("lip.server").warning("echo %s", SECRET)  # LIP's log filter
    for reply in replies:
        assert SECRET not in reply.text
        assert all(SECRET not in value for value in reply.headers.values())
    assert SECRET not in caplog.text


@pytest.mark.parametrize(
    ("script", "outcome", "kind"),
    [
        ({"stall_after": 3}, "cancelled", None),  # the client leaves mid-stream
        ({"cut_after": 3}, "error", "upstream_error"),  # an in-stream error after output
    ],
)
def test_a_stream_that_does_not_finish_is_recorded_as_such(
    script: dict[str, int], outcome: str, kind: str | None
) -> None:
    upstream_key = "sk-upstream-000000000000"
    with serve_in_thread(create_emulator(api_key=upstream_key)) as upstream:
        httpx.post(f"{upstream}/__emulator__/scripts", json=script).raise_for_status()
        config = parse_config(
            f"""
backends:
  - {{id: emu, kind: openai-compatible, base_url: '{upstream}/v1', api_key: {upstream_key},
     models: ['*']}}
diagnostics: {{enabled: true, secret: {SECRET}}}
""",
            env={},
        )
        body = {**CHAT, "model": "gpt-4o-mini", "stream": True}
        body["messages"] = [{"role": "user", "content": "one two three four five six"}]
        with serving(config) as client:
            with client.stream("POST", "/v1/chat/completions", json=body) as stream:
                request_id = stream.headers["x-lip-request-id"]
                if outcome == "cancelled":
                    next(stream.iter_bytes())  # output has started; then the client leaves
                else:
                    assert b"error" in stream.read()
            record = lookup(client, request_id).json()
    assert record["stream"] is True and record["first_output"] is not None
    assert (record["outcome"], record["error_kind"]) == (outcome, kind)
    attempts = record["attempts"]
    if attempts:
        assert attempts[-1]["backend"] == "emu"
        assert attempts[-1]["outcome"] == (
            "cancelled" if outcome == "cancelled" else "surfaced_failure"
        )


def test_not_served_when_disabled() -> None:
    with serving(load_config()) as client:
        for headers in ({}, {"x-lip-diagnostics-secret": SECRET}):
            reply = client.get(f"/diagnostics/requests/{ANY_ID}", headers=headers)
            unknown = client.get(f"/nothing/here/{ANY_ID}", headers=headers)
            assert reply.status_code == unknown.status_code == 404
            assert reply.json().keys() == unknown.json().keys()
            assert "Unknown request URL" in reply.text


def test_sqlite_lineage_is_shared_and_kept_after_shutdown(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    config = config_with(f"  lineage: {{path: '{path}', max_entries: 50}}")

    async def read(request_id: str) -> dict[str, object] | None:
        other = SQLiteLineage(path, max_entries=50, ttl=60)  # as another worker would
        try:
            record = await other.get(request_id)
            return None if record is None else record.to_json()
        finally:
            await other.aclose()

    with serving(config) as client:
        request_id = client.post("/v1/chat/completions", json=CHAT).headers["x-lip-request-id"]
        assert lookup(client, request_id).json()["outcome"] == "success"
        deadline = time.monotonic() + 5
        while (shared := asyncio.run(read(request_id))) is None:
            assert time.monotonic() < deadline, "never written to the file"
            time.sleep(0.02)
        assert shared["outcome"] == "success"
    kept = asyncio.run(read(request_id))
    assert kept is not None and kept["request_id"] == request_id


# --- config and runtime -------------------------------------------------------


BASE = "backends: [{id: s, kind: localstub}]\n"


@pytest.mark.parametrize(
    ("diagnostics", "problem"),
    [
        ("{enabled: true}", "required when diagnostics are enabled"),
        ("{enabled: true, secret: short-Secret-1}", "at least 16 characters"),
        ("{enabled: false, secret: short-Secret-1}", "at least 16 characters"),
        ("{enabled: true, secret: aaaaaaaaaaaaaaaaaaaaaaaa}", "too weak"),
        ("{enabled: true, secret: '1212121212121212'}", "too weak"),
        ("{enabled: true, secret: " + SECRET + ", lineage: {max_entries: 0}}", "greater than"),
        ("{enabled: true, secret: " + SECRET + ", lineage: {ttl: 0}}", "greater than"),
    ],
)
def test_config_is_checked(diagnostics: str, problem: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(BASE + f"diagnostics: {diagnostics}\n", env={})
    assert problem in str(raised.value)
    assert "diagnostics." in str(raised.value)
    assert "short-Secret-1" not in str(raised.value)


def test_lineage_is_kept_only_when_enabled(tmp_path: Path) -> None:
    assert Runtime(parse_config(BASE, env={}), env={}).lineage is None
    memory = Runtime(config_with(), env={})
    assert isinstance(memory.lineage, MemoryLineage)
    assert memory.scrubber(f"said {SECRET}") == "said [redacted]"
    path = tmp_path / "l.db"
    on_disk = Runtime(config_with(f"  lineage: {{path: '{path}'}}"), env={})
    assert isinstance(on_disk.lineage, SQLiteLineage)
    asyncio.run(on_disk.aclose())


UPSTREAM_SECRET = "sk-inventory-Upstream-0123456789"
HEADER_SECRET = "hdr-inventory-Token-0123456789"


def test_inventory_needs_the_secret(lip: httpx.Client) -> None:
    assert lip.get("/diagnostics/inventory").status_code == 401
    wrong = lip.get("/diagnostics/inventory", headers={"x-lip-diagnostics-secret": "x" * 28})
    assert wrong.status_code == 401


def test_inventory_shows_what_is_served_and_no_secret() -> None:
    from lip.backends.keys import fingerprint

    config = parse_config(
        f"""
backends:
  - {{id: up, kind: openai-compatible, base_url: "http://user:pw-Secret-123@127.0.0.1:9/v1",
      api_key: {UPSTREAM_SECRET}, models: [m1], headers: {{authorization: "Bearer {HEADER_SECRET}"}},
      proxy: "http://u:proxy-Secret-123@127.0.0.1:3128"}}
  - {{id: stub, kind: localstub, models: [lip-stub], model_map: {{cheap: lip-stub}}}}
routing:
  default_route: "stub:lip-stub"
  model_aliases: [{{match: "x-(.*)", replace: 'up:\\1'}}, {{match: "fast", replace: "stub:lip-stub"}}]
diagnostics: {{enabled: true, secret: {SECRET}}}
""",
        env={},
    )
    with serving(config) as client:
        reply = client.get("/diagnostics/inventory", headers={"x-lip-diagnostics-secret": SECRET})
    assert reply.status_code == 200 and reply.headers["cache-control"] == "no-store"
    for secret in (UPSTREAM_SECRET, HEADER_SECRET, "pw-Secret-123", "proxy-Secret-123", SECRET):
        assert secret not in reply.text
    doc = reply.json()
    chat = next(p for p in doc["protocols"] if p["name"] == "openai_chat")
    assert {"method": "POST", "path": "/v1/chat/completions", "operation": "generate"} in (
        chat["routes"]
    )
    kind = next(k for k in doc["kinds"] if k["name"] == "anthropic")
    assert kind["apis"] == [
        {"api": "messages", "protocol": "anthropic_messages", "available": True}
    ]
    up = doc["backends"][0]
    assert up["id"] == "up" and up["models"] == ["m1"]
    [upstream] = up["upstreams"]
    assert upstream["keys"] == [fingerprint(UPSTREAM_SECRET)]
    assert upstream["base_url"] == "http://127.0.0.1:9/v1" and upstream["proxy"] == "configured"
    assert upstream["header_names"] == ["authorization"] and upstream["protocol"] == "openai_chat"
    assert doc["backends"][1]["model_map"] == {"cheap": "lip-stub"}
    assert doc["default_route"]["outline"] == ["leg backend=stub model=lip-stub upstream=lip-stub"]
    assert doc["aliases"][0]["plan"] is None  # uses the match's groups
    assert doc["aliases"][1]["plan"]["selector"] == "stub:lip-stub"
    assert doc["models"] == {"m1": "up", "lip-stub": "stub", "cheap": "stub"}
