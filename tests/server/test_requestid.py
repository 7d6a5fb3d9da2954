"""Every HTTP response carries ``x-lip-request-id``, one fresh id per request,
and the protocol endpoints answer with the same id in their own header."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from lip.canonical import InvalidRequestError
from lip.config import load_config
from lip.plugins import Plugins
from lip.protocols.base import ModelEntry, ProtocolPlugin, WireReply
from lip.protocols.openai_chat import OpenAIChatCodec, OpenAIChatFrontend
from lip.server import create_app
from lip.server.app import connection_error_page
from lip.server.requestid import SCOPE_KEY, RequestIdMiddleware, request_id_of

pytestmark = pytest.mark.anyio

ID = re.compile(r"^[0-9a-f]{32}$")
CHAT = {"model": "lip-stub", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(load_config()))
    async with httpx.AsyncClient(transport=transport, base_url="http://lip") as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/v1/chat/completions", CHAT, 200),
        ("POST", "/v1/chat/completions", {**CHAT, "stream": True}, 200),
        ("POST", "/v1/chat/completions", {"messages": "no"}, 400),
        ("POST", "/v1/messages", {"model": "lip-stub", "max_tokens": 9, "messages": []}, 400),
        ("GET", "/v1/models", None, 200),
        ("GET", "/v1/models/lip-stub", None, 200),
        ("GET", "/v1/models/nope", None, 404),
        ("GET", "/healthz", None, 200),
        ("GET", "/readyz", None, 503),  # no lifespan under ASGITransport: still starting
        ("GET", "/openapi.json", None, 200),
        ("GET", "/no/such/path", None, 404),
        ("DELETE", "/v1/chat/completions", None, 405),
        ("GET", "/diagnostics/requests/" + "0" * 32, None, 404),  # disabled: unknown path
    ],
)
async def test_every_response_carries_a_request_id(
    client: httpx.AsyncClient, method: str, path: str, body: object, status: int
) -> None:
    reply = await client.request(method, path, json=body)
    assert reply.status_code == status
    assert ID.match(reply.headers["x-lip-request-id"])
    assert len(reply.headers.get_list("x-lip-request-id")) == 1


async def test_each_request_gets_its_own_id(client: httpx.AsyncClient) -> None:
    seen = {(await client.get("/healthz")).headers["x-lip-request-id"] for _ in range(5)}
    assert len(seen) == 5


@pytest.mark.parametrize("stream", [False, True])
async def test_the_endpoints_answer_with_the_same_id(
    client: httpx.AsyncClient, stream: bool
) -> None:
    chat = await client.post("/v1/chat/completions", json={**CHAT, "stream": stream})
    assert chat.headers["x-request-id"] == chat.headers["x-lip-request-id"]
    bad = await client.post("/v1/chat/completions", json={"messages": 1})
    assert bad.headers["x-request-id"] == bad.headers["x-lip-request-id"]
    models = await client.get("/v1/models")
    assert models.headers["x-request-id"] == models.headers["x-lip-request-id"]
    anthropic = await client.post(
        "/v1/messages",
        json={"model": "lip-stub", "max_tokens": 9, "messages": [{"role": "user", "content": "x"}]},
    )
    assert anthropic.status_code == 200
    ids = {anthropic.headers[h] for h in ("x-lip-request-id", "x-request-id", "request-id")}
    assert len(ids) == 1
    counted = await client.post(
        "/v1/messages/count_tokens",
        json={"model": "lip-stub", "messages": [{"role": "user", "content": "x"}]},
    )
    assert counted.headers["x-request-id"] == counted.headers["x-lip-request-id"]


async def test_resource_routes_answer_with_the_same_id(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/responses", json={"model": "lip-stub", "input": "hi"})
    assert created.status_code == 200
    stored = f"/v1/responses/{created.json()['id']}"
    for method, path, status in [
        ("GET", stored, 200),
        ("GET", f"{stored}/input_items", 200),
        ("DELETE", stored, 200),
        ("GET", stored, 404),  # an error reply too
    ]:
        reply = await client.request(method, path)
        assert reply.status_code == status, (method, path)
        assert ID.match(reply.headers["x-lip-request-id"])
        assert reply.headers["x-request-id"] == reply.headers["x-lip-request-id"]


def test_the_connection_layers_own_replies_carry_an_id() -> None:
    page = connection_error_page(Plugins.builtin().frontends())
    raw = page(431, InvalidRequestError("headers too large"), "/v1/chat/completions")
    head = raw.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")
    ids = [line.split(": ", 1)[1] for line in head if line.startswith("x-lip-request-id: ")]
    assert len(ids) == 1 and ID.match(ids[0])


class Crashing(OpenAIChatFrontend):
    """A bug that escapes an endpoint: Starlette's own bare 500 answers it."""

    def encode_models(self, models: list[ModelEntry]) -> WireReply:
        raise RuntimeError("bug")


async def test_even_an_unhandled_bug_carries_the_id() -> None:
    plugin = ProtocolPlugin(name="openai_chat", frontend=Crashing(), codec=OpenAIChatCodec())
    app = create_app(
        load_config(), plugins=Plugins(protocols=(plugin,), kinds=Plugins.builtin().kinds)
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://lip") as client:
        reply = await client.get("/v1/models")
    assert reply.status_code == 500
    assert ID.match(reply.headers["x-lip-request-id"])


async def test_the_middleware_stores_the_id_and_extends_any_header_iterable() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(request_id_of(scope))
        headers = ((b"content-type", b"text/plain"),)  # a tuple, not a list: ASGI allows it
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    await RequestIdMiddleware(app)(scope, receive, send)
    assert scope[SCOPE_KEY] == seen[0]
    assert sent[0]["headers"] == [
        (b"content-type", b"text/plain"),
        (b"x-lip-request-id", seen[0].encode()),
    ]


async def test_other_scopes_pass_through_untouched() -> None:
    scopes: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scopes.append(scope)

    async def noop(*args: object) -> None:
        raise AssertionError("not called")

    await RequestIdMiddleware(app)({"type": "lifespan"}, noop, noop)  # type: ignore[arg-type]
    assert scopes == [{"type": "lifespan"}]


def test_an_endpoint_run_without_the_middleware_still_gets_an_id() -> None:
    scope: Scope = {"type": "http"}
    first = request_id_of(scope)
    assert ID.match(first) and request_id_of(scope) == first
