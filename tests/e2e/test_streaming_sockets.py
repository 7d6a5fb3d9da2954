"""Streaming over real sockets: odd chunk boundaries, client disconnects."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import AsyncIterator, Iterator

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from lip.config import parse_config
from lip.server import create_app
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import lip_config_for, sdk, serve_lip


def _chunk(delta: dict[str, object], finish: str | None = None) -> dict[str, object]:
    return {
        "id": "chatcmpl-raw",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "raw",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


TEXT = "h\u00e9llo \u4e16\u754c \U0001f600 done"
FRAMES = (
    [_chunk({"role": "assistant", "content": ""})]
    + [
        _chunk({"content": piece})
        for piece in ["h\u00e9llo ", "\u4e16\u754c ", "\U0001f600 ", "done"]
    ]
    + [_chunk({}, "stop")]
)
WIRE = (
    b"".join(f"data: {json.dumps(f, ensure_ascii=False)}\r\n\r\n".encode() for f in FRAMES)
    + b"data: [DONE]\r\n\r\n"
)


class SlowUpstream:
    """A raw upstream that writes WIRE in chosen pieces, or dribbles forever."""

    def __init__(self) -> None:
        self.cuts: list[int] = []
        self.cancelled = threading.Event()
        self.started = threading.Event()
        self.seen = [threading.Event() for _ in range(5)]
        self.held_back: list[int] = []

    def app(self) -> Starlette:
        async def completions(request: Request) -> Response:
            body = await request.json()
            if not body.get("stream") and body["model"] != "dribble":
                message = {"role": "assistant", "content": TEXT, "refusal": None}
                return JSONResponse(
                    {
                        "id": "chatcmpl-raw",
                        "object": "chat.completion",
                        "created": 1,
                        "model": "raw",
                        "choices": [
                            {
                                "index": 0,
                                "message": message,
                                "finish_reason": "stop",
                                "logprobs": None,
                            }
                        ],
                    }
                )

            async def pieces() -> AsyncIterator[bytes]:
                if body["model"] == "dribble":
                    self.started.set()
                    try:
                        yield f"data: {json.dumps(FRAMES[0])}\n\n".encode()
                        for i in range(600):
                            await anyio.sleep(0.05)
                            yield f"data: {json.dumps(_chunk({'content': f'{i} '}))}\n\n".encode()
                    except BaseException:
                        self.cancelled.set()
                        raise
                    return
                if body["model"] == "lockstep":
                    # Five tokens; each waits until the client has seen the one
                    # before it. A gateway that buffers never shows it, and the
                    # upstream records the token as held back.
                    yield f"data: {json.dumps(FRAMES[0])}\n\n".encode()
                    for i in range(5):
                        yield f"data: {json.dumps(_chunk({'content': f'{i} '}))}\n\n".encode()
                        seen = await anyio.to_thread.run_sync(self.seen[i].wait, 10)
                        if not seen:
                            self.held_back.append(i)
                    yield f"data: {json.dumps(_chunk({}, 'stop'))}\n\ndata: [DONE]\n\n".encode()
                    return
                points = [0, *sorted(self.cuts), len(WIRE)]
                for a, b in itertools.pairwise(points):
                    yield WIRE[a:b]
                    await anyio.sleep(0.01)

            return StreamingResponse(pieces(), media_type="text/event-stream")

        return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


@pytest.fixture(scope="module")
def upstream() -> SlowUpstream:
    return SlowUpstream()


@pytest.fixture(scope="module")
def lip(upstream: SlowUpstream) -> Iterator[str]:
    with serve_in_thread(upstream.app()) as up_url:
        config = parse_config(lip_config_for(up_url), env={})
        with serve_lip(create_app(config)) as url:
            yield url


def _split_points() -> list[list[int]]:
    emoji = WIRE.index("\U0001f600".encode())
    cjk = WIRE.index("\u4e16".encode())
    crlf = WIRE.index(b"\r\n\r\n")
    data = WIRE.index(b"data:", 10)
    return [
        [],
        [emoji + 1, emoji + 2, emoji + 3],  # inside a 4-byte UTF-8 character
        [cjk + 1, crlf + 1, crlf + 3],  # inside CJK and between CR and LF
        [data + 2, data + 5],  # inside "data:"
        list(range(1, len(WIRE), 7)),  # many small pieces
    ]


@pytest.mark.parametrize("cuts", _split_points())
def test_upstream_chunk_boundaries_do_not_matter(
    lip: str, upstream: SlowUpstream, cuts: list[int]
) -> None:
    upstream.cuts = cuts
    chunks = list(
        sdk(lip).chat.completions.create(
            model="raw", messages=[{"role": "user", "content": "x"}], stream=True
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == TEXT
    unary = sdk(lip).chat.completions.create(
        model="raw", messages=[{"role": "user", "content": "x"}]
    )
    assert unary.choices[0].message.content == TEXT


def test_tokens_are_relayed_as_they_arrive(lip: str, upstream: SlowUpstream) -> None:
    """No buffering anywhere on the path: the upstream sends each token only
    after the client has received the previous one."""
    body = {"model": "lockstep", "stream": True, "messages": [{"role": "user", "content": "x"}]}
    received: list[str] = []
    with (
        httpx.Client(timeout=30) as client,
        client.stream("POST", f"{lip}/v1/chat/completions", json=body) as response,
    ):
        for line in response.iter_lines():
            if '"content":"' in line and '"content":""' not in line:
                token = json.loads(line.removeprefix("data: "))["choices"][0]["delta"]["content"]
                received.append(token)
                upstream.seen[int(token)].set()
    assert received == [f"{i} " for i in range(5)]
    assert upstream.held_back == []


def test_client_disconnect_cancels_upstream_at_once(lip: str, upstream: SlowUpstream) -> None:
    upstream.cancelled.clear()
    body = {"model": "dribble", "stream": True, "messages": [{"role": "user", "content": "x"}]}
    with (
        httpx.Client(timeout=10) as client,
        client.stream("POST", f"{lip}/v1/chat/completions", json=body) as response,
    ):
        assert response.status_code == 200
        lines = response.iter_lines()
        assert next(lines).startswith("data: ")
    # The dribble would go on for 30 s; its cancellation is what ends it.
    assert upstream.cancelled.wait(10), "upstream request was not cancelled"


def test_unary_client_disconnect_cancels_upstream(lip: str, upstream: SlowUpstream) -> None:
    upstream.cancelled.clear()
    upstream.started.clear()
    body = {"model": "dribble", "messages": [{"role": "user", "content": "x"}]}
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{lip}/v1/chat/completions", json=body, timeout=httpx.Timeout(10, read=0.5))
    assert upstream.started.is_set()
    assert upstream.cancelled.wait(5), "upstream request was not cancelled"


def test_gzip_encoded_upstream_replies_are_decoded() -> None:
    """LIP asks upstreams for gzip; compressed unary and streamed replies must decode."""
    import zlib

    from starlette.middleware.gzip import GZipMiddleware

    def gzip_stream() -> StreamingResponse:
        packer = zlib.compressobj(wbits=31)  # gzip container

        async def pieces() -> AsyncIterator[bytes]:
            for frame in WIRE.split(b"\r\n\r\n"):
                if frame:
                    yield packer.compress(frame + b"\r\n\r\n") + packer.flush(zlib.Z_SYNC_FLUSH)
                    await anyio.sleep(0.005)
            yield packer.flush()

        headers = {"content-encoding": "gzip"}
        return StreamingResponse(pieces(), media_type="text/event-stream", headers=headers)

    unary_app = GZipMiddleware(SlowUpstream().app(), minimum_size=1)  # compresses JSON only

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            body = b""
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
            replay = [{"type": "http.request", "body": body, "more_body": False}]

            async def again() -> Message:
                return replay.pop() if replay else await receive()

            if json.loads(body).get("stream"):
                await gzip_stream()(scope, again, send)
                return
            await unary_app(scope, again, send)

    with serve_in_thread(app) as up_url:
        raw = httpx.post(f"{up_url}/v1/chat/completions", json={"model": "raw", "messages": []})
        assert raw.headers["content-encoding"] == "gzip"
        raw = httpx.post(
            f"{up_url}/v1/chat/completions", json={"model": "raw", "stream": True, "messages": []}
        )
        assert raw.headers["content-encoding"] == "gzip"
        config = parse_config(lip_config_for(up_url), env={})
        with serve_lip(create_app(config)) as url:
            unary = sdk(url).chat.completions.create(
                model="raw", messages=[{"role": "user", "content": "x"}]
            )
            assert unary.choices[0].message.content == TEXT
            chunks = list(
                sdk(url).chat.completions.create(
                    model="raw", messages=[{"role": "user", "content": "x"}], stream=True
                )
            )
            assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == TEXT


@pytest.mark.parametrize("stream", [False, True])
def test_oversize_upstream_replies_are_cut_off(stream: bool) -> None:
    """An upstream that sends more than the response limit gets a 502, not unbounded memory."""

    async def endless(request: Request) -> Response:
        async def pieces() -> AsyncIterator[bytes]:
            if stream:
                yield f"data: {json.dumps(FRAMES[0])}\n\n".encode()
                yield b'data: {"choices": "'  # an event that never ends
            for _ in range(2000):
                yield b"x" * 4096
                await anyio.sleep(0)

        return StreamingResponse(
            pieces(), media_type="text/event-stream" if stream else "application/json"
        )

    app = Starlette(routes=[Route("/v1/chat/completions", endless, methods=["POST"])])
    with serve_in_thread(app) as up_url:
        config = parse_config(lip_config_for(up_url, max_response_bytes=1_000_000), env={})
        with serve_lip(create_app(config)) as url:
            reply = httpx.post(
                f"{url}/v1/chat/completions",
                json={
                    "model": "big",
                    "stream": stream,
                    "messages": [{"role": "user", "content": "x"}],
                },
                timeout=20,
            )
    assert reply.status_code == 502
    assert "size limit" in reply.json()["error"]["message"]
