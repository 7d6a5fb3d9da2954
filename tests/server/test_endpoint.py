"""The protocol endpoint answers in the client's protocol even when LIP has a bug."""

from __future__ import annotations

import httpx
import pytest

from lip.canonical import Call, Response
from lip.config import load_config
from lip.protocols.base import WireReply
from lip.protocols.openai_chat import OpenAIChatFrontend
from lip.server import create_app


class Broken(OpenAIChatFrontend):
    def __init__(self, where: str) -> None:
        self.where = where

    def decode_request(self, body: bytes, headers: object) -> Call:  # type: ignore[override]
        if self.where == "decode":
            raise KeyError("bug")
        return super().decode_request(body, {})

    def encode_response(self, response: Response, call: Call) -> WireReply:
        if self.where == "encode":
            raise ValueError("bug")
        return super().encode_response(response, call)


@pytest.mark.anyio
@pytest.mark.parametrize("where", ["decode", "encode"])
async def test_bugs_become_protocol_shaped_500s(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lip.server.app as app_module

    monkeypatch.setattr(app_module, "OpenAIChatFrontend", lambda: Broken(where))
    app = create_app(load_config())
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
