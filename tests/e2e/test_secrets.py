"""Upstream and client keys never appear in logs or in what the client sees."""

from __future__ import annotations

import logging

import httpx
import pytest

UPSTREAM_KEY = "sk-upstream-secret-1234"


@pytest.mark.parametrize(
    "script",
    [
        {"status": 401},
        {"status": 500},
        {"status": 429, "retry_after": 1},
        {"scenario": "long", "cut_after": 2},
        {"scenario": "stream_error"},
    ],
)
@pytest.mark.parametrize("stream", [False, True])
def test_keys_stay_out_of_logs_and_errors(
    lip_url: str,
    emulator: httpx.Client,
    caplog: pytest.LogCaptureFixture,
    script: dict[str, object],
    stream: bool,
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator.post("/scripts", json=[script])
    client_key = "client-key-that-must-not-leak"
    seen: list[str] = []
    try:
        reply = httpx.post(
            f"{lip_url}/v1/chat/completions",
            json={
                "model": "gpt-4o-mini",
                "stream": stream,
                "messages": [{"role": "user", "content": "x"}],
            },
            headers={"authorization": f"Bearer {client_key}"},
            timeout=10,
        )
        seen += [reply.text, str(reply.headers)]
    except httpx.HTTPError as exc:  # a cut may end the client's read too
        seen.append(str(exc))
    seen += [record.getMessage() for record in caplog.records]
    seen += [record.exc_text or "" for record in caplog.records]
    for text in seen:
        assert UPSTREAM_KEY not in text and "secret-1234" not in text
        assert client_key not in text


def test_backend_config_repr_masks_keys() -> None:
    from lip.config import parse_config

    config = parse_config(
        f"backends: [{{id: a, kind: openai-compatible, base_url: 'http://x', api_key: {UPSTREAM_KEY}}}]",
        env={},
    )
    assert UPSTREAM_KEY not in repr(config) and UPSTREAM_KEY not in str(config.model_dump())
