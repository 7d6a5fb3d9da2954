"""Careless and hostile upstreams, over real sockets: what the client and the
logs see is LIP's own, in the client's protocol, with no credential in it."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from lip.config import parse_config
from lip.server import create_app
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

CANARY = "sk-canary-upstream-7f3a9c1e55"
HEADER_CANARY = "org-canary-header-99887766"


def _echoing_upstream() -> Starlette:
    """Answers per model: 400 echoing the key, or a stream whose error echoes it."""

    async def completions(request: Request) -> Response:
        body = await request.json()
        key = request.headers.get("authorization", "")
        if body["model"] == "echo-400":
            message = f"Incorrect API key provided: {key}. Org {request.headers.get('x-org-token')}"
            error = {
                "message": message,
                "type": "invalid_request_error",
                "param": None,
                "code": "invalid_api_key",
            }
            return JSONResponse({"error": error}, status_code=400)

        async def frames() -> AsyncIterator[bytes]:
            chunk = {
                "id": "chatcmpl-1",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": "m",
                "choices": [
                    {
                        "index": 0,
                        "delta": {"role": "assistant", "content": "hi"},
                        "finish_reason": None,
                    }
                ],
            }
            yield f"data: {json.dumps(chunk)}\n\n".encode()
            error = {
                "message": f"key {key} revoked",
                "type": "server_error",
                "param": None,
                "code": None,
            }
            yield f"data: {json.dumps({'error': error})}\n\n".encode()

        return StreamingResponse(frames(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


@pytest.fixture(scope="module")
def lip() -> Iterator[str]:
    with serve_in_thread(_echoing_upstream()) as upstream:
        config = parse_config(
            f"backends: [{{id: u, kind: openai-compatible, base_url: '{upstream}/v1', "
            f"api_key: {CANARY}, headers: {{X-Org-Token: {HEADER_CANARY}}}, models: ['*']}}]",
            env={},
        )
        with serve_lip(create_app(config)) as url:
            yield url


@pytest.mark.parametrize("model", ["echo-400", "stream-error"])
@pytest.mark.parametrize("stream", [False, True])
def test_echoed_credentials_reach_neither_client_nor_log(
    lip: str, caplog: pytest.LogCaptureFixture, model: str, stream: bool
) -> None:
    caplog.set_level(logging.DEBUG)
    reply = httpx.post(
        f"{lip}/v1/chat/completions",
        json={"model": model, "stream": stream, "messages": [{"role": "user", "content": "x"}]},
        timeout=10,
    )
    if model == "echo-400":
        assert reply.status_code == 400
        assert "Incorrect API key provided: [redacted]" in reply.json()["error"]["message"]
    seen = [reply.text, str(reply.headers)]
    seen += [r.getMessage() for r in caplog.records] + [r.exc_text or "" for r in caplog.records]
    for text in seen:
        assert CANARY not in text and HEADER_CANARY not in text


def _garbage_upstream() -> Iterator[int]:
    """A TCP server that answers every request with bytes that are not HTTP."""
    ready = threading.Event()
    port: list[int] = []
    stop = threading.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.write(f"SSH-2.0-OpenSSH_9.0 {CANARY}\r\n\r\n".encode())
        await writer.drain()
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port.append(server.sockets[0].getsockname()[1])
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        server.close()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    ready.wait(5)
    yield port[0]
    stop.set()
    thread.join(5)


@pytest.mark.parametrize("stream", [False, True])
def test_an_upstream_that_does_not_speak_http_is_a_502_with_one_log_line(
    caplog: pytest.LogCaptureFixture, stream: bool
) -> None:
    caplog.set_level(logging.DEBUG)
    for port in _garbage_upstream():
        config = parse_config(
            f"backends: [{{id: g, kind: openai-compatible, base_url: 'http://127.0.0.1:{port}/v1', "
            f"api_key: {CANARY}, models: ['*']}}]",
            env={},
        )
        with serve_lip(create_app(config)) as url:
            reply = httpx.post(
                f"{url}/v1/chat/completions",
                json={
                    "model": "m",
                    "stream": stream,
                    "messages": [{"role": "user", "content": "x"}],
                },
                timeout=10,
            )
    assert reply.status_code == 502
    assert reply.json()["error"]["message"] == "upstream 'g' sent a reply that is not valid HTTP"
    assert not [r for r in caplog.records if r.exc_info or r.exc_text]  # no traceback
    assert all(CANARY not in r.getMessage() for r in caplog.records)
