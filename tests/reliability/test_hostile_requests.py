"""Hostile request bodies over real sockets: a clear 400 in the client's own
shape, bounded work, and no upstream request for what LIP refuses itself."""

from __future__ import annotations

import json
import time

import httpx
import pytest

USER = [{"role": "user", "content": "x"}]


def _post(url: str, raw: bytes) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/chat/completions",
        content=raw,
        headers={"content-type": "application/json"},
        timeout=30,
    )


@pytest.mark.parametrize(
    ("field", "param", "code"),
    [
        ('"temperature": NaN', None, "invalid_json"),
        ('"temperature": Infinity', None, "invalid_json"),
        ('"top_p": 1e400', None, "invalid_json"),
        ('"max_tokens": -5', "max_tokens", "integer_below_min_value"),
        ('"max_completion_tokens": 0', "max_completion_tokens", "integer_below_min_value"),
        ('"temperature": 3', "temperature", "decimal_above_max_value"),
        ('"presence_penalty": -2.5', "presence_penalty", "decimal_below_min_value"),
    ],
)
def test_numbers_no_upstream_could_take_are_refused_before_network(
    lip_url: str, emulator: httpx.Client, field: str, param: str | None, code: str
) -> None:
    raw = '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}], ' + field + "}"
    reply = _post(lip_url, raw.encode())
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", param, code)
    assert emulator.get("/requests").json()["data"] == []


@pytest.mark.parametrize(
    "model",
    [" | ".join(["gpt-4o-mini"] * 1000), "m" * 240_000],
)
def test_a_client_cannot_choose_unbounded_failover(
    lip_url: str, emulator: httpx.Client, model: str
) -> None:
    reply = _post(lip_url, json.dumps({"model": model, "messages": USER}).encode())
    assert reply.status_code in (400, 413)
    assert "error" in reply.json()
    assert emulator.get("/requests").json()["data"] == []


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "array", "minItems": 10_000_000},
        {
            "type": "array",
            "minItems": 200,
            "items": {
                "type": "array",
                "minItems": 200,
                "items": {"type": "array", "minItems": 200},
            },
        },
        {
            "type": "object",
            "properties": {"s": {"type": "string", "minLength": 50_000_000}},
            "required": ["s"],
        },
    ],
)
@pytest.mark.parametrize("where", ["tool", "response_format"])
def test_the_stub_does_bounded_work_for_any_schema(
    stub_url: str, schema: dict[str, object], where: str
) -> None:
    body: dict[str, object] = {"model": "lip-stub", "messages": USER}
    if where == "tool":
        body["tools"] = [{"type": "function", "function": {"name": "f", "parameters": schema}}]
    else:
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "o", "schema": schema},
        }
    reply = _post(stub_url, json.dumps(body).encode())
    assert reply.status_code == 200
    assert len(reply.content) < 2_000_000


def test_no_redirect_is_built_from_the_host_header(stub_url: str) -> None:
    reply = httpx.post(
        f"{stub_url}/v1/chat/completions/",
        json={"model": "lip-stub", "messages": USER},
        headers={"host": "evil.example"},
        timeout=10,
    )
    assert reply.status_code == 404
    assert "location" not in reply.headers
    assert reply.json()["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize(
    ("what", "param"),
    [
        (
            {
                "messages": [
                    {"role": "user", "content": [{"type": "text", "text": "abcd"}] * 300_000}
                ]
            },
            "messages",
        ),
        ({"messages": [{"role": "user", "content": "x"}] * 200_000}, "messages"),
        (
            {
                "messages": USER,
                "tools": [{"type": "function", "function": {"name": "f"}}] * 50_000,
            },
            "tools",
        ),
    ],
    ids=["300k-parts", "200k-messages", "50k-tools"],
)
def test_a_huge_count_of_small_things_is_refused_before_the_work(
    stub_url: str, what: dict[str, object], param: str
) -> None:
    raw = json.dumps({"model": "lip-stub", **what}).encode()
    assert 2_000_000 < len(raw) < 10 * 1024 * 1024  # under the body limit
    start = time.monotonic()
    reply = _post(stub_url, raw)
    elapsed = time.monotonic() - start
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert (error["param"], error["code"]) == (param, "array_above_max_length")
    assert "at most" in error["message"]
    # Counted, not validated and translated: the 300k parts alone took about 5 s
    # of one core before the limit.
    assert elapsed < 3.0


def test_a_huge_count_of_parts_is_refused_before_the_work_for_anthropic_clients(
    stub_url: str,
) -> None:
    parts = [{"type": "text", "text": "abcd"}] * 300_000
    body = {"model": "lip-stub", "max_tokens": 5, "messages": [{"role": "user", "content": parts}]}
    raw = json.dumps(body).encode()
    start = time.monotonic()
    reply = httpx.post(
        f"{stub_url}/v1/messages",
        content=raw,
        headers={"content-type": "application/json", "anthropic-version": "2023-06-01"},
        timeout=30,
    )
    elapsed = time.monotonic() - start
    assert reply.status_code == 400
    error = reply.json()
    assert error["type"] == "error" and "at most" in error["error"]["message"]
    assert elapsed < 3.0  # counted, not validated and translated
