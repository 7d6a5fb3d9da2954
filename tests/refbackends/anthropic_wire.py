"""Helpers for the Anthropic Messages emulator's tests: raw requests, SSE
parsing, and checks that every body and stream event the emulator sends
validates against the generated wire models (``lip_wire.anthropic``): on
the way out (:class:`WireCheckedApp`, for every client) and as the tests
read them, with the API's event grammar on top."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as Message_

from lip_wire.anthropic.error_response import ErrorResponse
from lip_wire.anthropic.message import Message
from lip_wire.anthropic.message_stream_event import MessageStreamEvent
from tests.refbackends.wire import Event, post_json, sse_events
from tests.refbackends.wire import queue as queue  # re-exported for the tests

USER: Any = [{"role": "user", "content": "hello there world"}]
MODEL = "claude-opus-4-5"
WEATHER_TOOL: Any = {
    "name": "get_weather",
    "description": "Current weather",
    "input_schema": {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "days": {"type": "integer", "minimum": 1},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["city", "days", "unit"],
    },
}
TIME_TOOL: Any = {"name": "get_time", "input_schema": {"type": "object"}}


def body(**overrides: object) -> dict[str, object]:
    """A valid request body with ``overrides``."""
    return {"model": MODEL, "max_tokens": 256, "messages": USER, **overrides}


def post(http: httpx.Client, payload: object, **headers: str) -> httpx.Response:
    """POST /v1/messages with ``payload`` as JSON (bytes are sent as is)."""
    return post_json(http, "/v1/messages", payload, headers)


def unary(http: httpx.Client, payload: object, **headers: str) -> dict[str, Any]:
    """A unary reply, checked against the wire model."""
    response = post(http, payload, **headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["request-id"].startswith("req_")
    return check_message(response.json())


def stream(http: httpx.Client, payload: dict[str, object], **headers: str) -> list[Event]:
    """A complete streamed reply's events, each checked against the wire
    model and the stream grammar."""
    response = post(http, {**payload, "stream": True}, **headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    return check_events(sse_events(response.text))


def check_message(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` validated (strictly) as a ``Message``."""
    Message.model_validate(payload, strict=True)
    assert payload["id"].startswith("msg_")
    assert list(payload)[:4] == ["id", "type", "role", "model"]
    return payload


def check_error(response: httpx.Response, status: int, error_type: str) -> str:
    """An error response: status, the API's body (validated), its request
    id repeated from the header. Returns the message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    payload = response.json()
    ErrorResponse.model_validate(payload, strict=True)
    assert set(payload) == {"type", "error", "request_id"}
    assert payload["request_id"] == response.headers["request-id"]
    assert payload["error"]["type"] == error_type
    message: str = payload["error"]["message"]
    return message


def check_events(events: list[Event], *, complete: bool = True) -> list[Event]:
    """Every event validated as a ``MessageStreamEvent``, and the API's
    order: message_start, ping, blocks (start, deltas, stop, indexes in
    sequence), then message_delta and message_stop (or an error)."""
    for event in events:
        MessageStreamEvent.model_validate(event, strict=True)
    kinds = [event["type"] for event in events]
    assert kinds[:2] == ["message_start", "ping"]
    assert events[0]["message"]["content"] == []
    open_index: int | None = None
    next_index = 0
    for event in events[2:]:
        kind = event["type"]
        if kind == "content_block_start":
            assert open_index is None and event["index"] == next_index
            open_index = event["index"]
        elif kind == "content_block_delta":
            assert event["index"] == open_index
        elif kind == "content_block_stop":
            assert event["index"] == open_index
            open_index, next_index = None, next_index + 1
        else:
            assert kind in ("message_delta", "message_stop", "error")
    if complete:
        assert kinds[-2:] == ["message_delta", "message_stop"]
        assert kinds.count("message_delta") == 1 and open_index is None
        assert "usage" in events[-2]
    return events


def fold(events: list[Event]) -> dict[str, Any]:
    """A complete stream folded into the unary message it stands for."""
    message = json.loads(json.dumps(events[0]["message"]))
    partial: dict[int, str] = {}
    for event in events:
        kind = event["type"]
        if kind == "content_block_start":
            message["content"].append(dict(event["content_block"]))
        elif kind == "content_block_delta":
            block, delta = message["content"][event["index"]], event["delta"]
            match delta["type"]:
                case "text_delta":
                    block["text"] += delta["text"]
                case "thinking_delta":
                    block["thinking"] += delta["thinking"]
                case "signature_delta":
                    block["signature"] = delta["signature"]
                case "input_json_delta":
                    partial[event["index"]] = (
                        partial.get(event["index"], "") + delta["partial_json"]
                    )
        elif kind == "content_block_stop" and event["index"] in partial:
            message["content"][event["index"]]["input"] = json.loads(partial[event["index"]])
        elif kind == "message_delta":
            message.update(event["delta"])
            if "stop_details" not in event["delta"]:
                message["stop_details"] = None
            message["usage"].update(event["usage"])
    return check_message(message)


def raw_stream(http: httpx.Client, **headers: str) -> tuple[list[bytes], str]:
    """The chunks of a stream the emulator cuts, and the message of the
    transport error the cut raises."""
    received: list[bytes] = []
    payload = {**body(), "stream": True}
    with (
        http.stream("POST", "/v1/messages", json=payload, headers=headers) as response,
        pytest.raises(httpx.RemoteProtocolError) as caught,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            received.append(chunk)
    return received, str(caught.value)


def deltas(events: list[Event]) -> list[dict[str, Any]]:
    """The ``delta`` of every content_block_delta, in order."""
    return [event["delta"] for event in events if event["type"] == "content_block_delta"]


class WireCheckedApp:
    """Wraps the emulator app: every ``/v1/messages`` reply it sends (unary
    message, every complete stream frame, every error body) is validated
    against the generated wire models as it goes out, whoever the client
    is (the SDK included). Problems are collected in :attr:`failures`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.failures: list[str] = []
        self.checked = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/messages"):
            await self.app(scope, receive, send)
            return
        seen: dict[str, Any] = {"status": 0, "media": "", "finished": False}
        chunks: list[bytes] = []

        async def watch(message: Message_) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                headers = dict(message.get("headers", []))
                seen["media"] = headers.get(b"content-type", b"").decode()
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    # Checked before the client can see the end of the response.
                    seen["finished"] = True
                    self._check(scope["path"], seen, b"".join(chunks))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if not seen["finished"]:  # a cut: checked before the connection drops
                self._check(scope["path"], seen, b"".join(chunks))

    def _check(self, path: str, seen: dict[str, Any], payload: bytes) -> None:
        try:
            if seen["media"].startswith("text/event-stream"):
                *frames, _rest = payload.decode().split("\n\n")  # complete frames only
                for frame in frames:
                    data = frame.split("\n", 1)[1].removeprefix("data: ")
                    MessageStreamEvent.model_validate_json(data, strict=True)
            elif not seen["finished"]:
                return  # a unary body cut on purpose
            elif seen["status"] >= 400:
                ErrorResponse.model_validate_json(payload, strict=True)
            elif path == "/v1/messages":
                Message.model_validate_json(payload, strict=True)
            self.checked += 1
        except Exception as exc:  # reported by the test that caused it
            self.failures.append(f"{path} ({seen['status']}): {exc}")
