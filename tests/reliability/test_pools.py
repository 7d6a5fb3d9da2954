"""Each backend has its own connection pool: one whose connections are all held
by long streams answers `overloaded` after its pool wait, and never delays
another backend."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from lip.config import parse_config
from lip.server import create_app
from refbackends.openai_chat import create_app as create_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip


def _endless_upstream() -> Starlette:
    async def completions(request: Request) -> Response:
        async def frames() -> AsyncIterator[bytes]:
            chunk = {
                "id": "chatcmpl-1",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": "m",
                "choices": [{"index": 0, "delta": {"content": "."}, "finish_reason": None}],
            }
            for _ in range(600):
                yield f"data: {json.dumps(chunk)}\n\n".encode()
                await asyncio.sleep(0.05)

        return StreamingResponse(frames(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


@pytest.fixture(scope="module")
def lip() -> Iterator[str]:
    with serve_in_thread(_endless_upstream()) as busy, serve_in_thread(create_emulator()) as calm:
        config = parse_config(
            f"""
backends:
  - {{id: busy, kind: openai-compatible, base_url: '{busy}/v1', models: [slow],
      max_connections: 2, timeout: {{pool: 0.5}}}}
  - {{id: calm, kind: openai-compatible, base_url: '{calm}/v1', models: [fast]}}
""",
            env={},
        )
        with serve_lip(create_app(config)) as url:
            yield url


def test_a_saturated_backend_is_overloaded_and_others_are_untouched(lip: str) -> None:
    body = {"stream": True, "messages": [{"role": "user", "content": "x"}]}
    with httpx.Client(timeout=30) as one, httpx.Client(timeout=30) as two:
        streams = [
            client.stream("POST", f"{lip}/v1/chat/completions", json={**body, "model": "slow"})
            for client in (one, two)
        ]
        readers = []  # kept alive: a dropped line iterator closes its response
        for held in streams:
            reply = held.__enter__()
            assert reply.status_code == 200
            readers.append(reply.iter_lines())
            next(readers[-1])
        try:
            third = httpx.post(
                f"{lip}/v1/chat/completions",
                json={"model": "slow", "messages": body["messages"]},
                timeout=30,
            )
            assert third.status_code == 503
            assert third.json()["error"] == {
                "message": "upstream 'busy' has all 2 connections busy",
                "type": "server_error",
                "param": None,
                "code": "overloaded",
            }
            other = httpx.post(
                f"{lip}/v1/chat/completions",
                json={"model": "fast", "messages": body["messages"]},
                timeout=30,
            )
            assert other.status_code == 200
            assert other.json()["choices"][0]["message"]["content"] == "Echo: x"
        finally:
            for held in streams:
                held.__exit__(None, None, None)
