"""The protocol endpoints answer in the client's protocol even when LIP has a bug."""

from __future__ import annotations

import httpx
import pytest

from lip.canonical import Response
from lip.config import load_config
from lip.plugins import Plugins
from lip.protocols.base import ClientRequest, ProtocolPlugin, RequestContext, WireReply
from lip.protocols.openai_chat import OpenAIChatCodec, OpenAIChatFrontend
from lip.server import create_app


class Broken(OpenAIChatFrontend):
    name = "broken_chat"

    def __init__(self, where: str) -> None:
        self.where = where

    def decode_request(self, context: RequestContext) -> ClientRequest:
        if self.where == "decode":
            raise KeyError("bug")
        return super().decode_request(context)

    def encode_response(self, response: Response, request: ClientRequest) -> WireReply:
        if self.where == "encode":
            raise ValueError("bug")
        return super().encode_response(response, request)


def _plugins(where: str) -> Plugins:
    broken = ProtocolPlugin(name="openai_chat", frontend=Broken(where), codec=OpenAIChatCodec())
    return Plugins(protocols=(broken,), kinds=Plugins.builtin().kinds)


@pytest.mark.anyio
@pytest.mark.parametrize("where", ["decode", "encode"])
async def test_bugs_become_protocol_shaped_500s(where: str) -> None:
    app = create_app(load_config(), plugins=_plugins(where))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lip") as client:
        reply = await client.post(
            "/v1/chat/completions",
            json={"model": "lip-stub", "messages": [{"role": "user", "content": "x"}]},
        )
    assert reply.status_code == 500
    assert reply.json()["error"] == {
        "message": "internal error",
        "type": "server_error",
        "param": None,
        "code": None,
    }
