"""Helpers for the OpenAI Responses emulator's tests: raw requests, SSE
parsing, folding a stream, and checks that every body and stream event the
emulator sends validates against the generated wire models
(``lip_wire.openai``): on the way out (:class:`WireCheckedApp`, for every
client) and as the tests read them, with the API's event grammar on top."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as Message_

from lip_wire.openai.error import ErrorResponse
from lip_wire.openai.response import Response
from lip_wire.openai.response_stream_event import ResponseStreamEvent
from tests.refbackends.wire import Event, post_json, sse_events
from tests.refbackends.wire import queue as queue  # re-exported for the tests

MODEL = "gpt-4.1"
WEATHER_TOOL: Any = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather",
    "parameters": {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "days": {"type": "integer", "minimum": 1},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["city", "days", "unit"],
    },
    "strict": True,
}
TIME_TOOL: Any = {"type": "function", "name": "get_time", "parameters": None, "strict": False}


def body(**overrides: object) -> dict[str, object]:
    """A valid request body with ``overrides``."""
    return {"model": MODEL, "input": "hello there world", **overrides}


def post(http: httpx.Client, payload: object, **headers: str) -> httpx.Response:
    """POST /v1/responses with ``payload`` as JSON (bytes are sent as is)."""
    return post_json(http, "/v1/responses", payload, headers)


def unary(http: httpx.Client, payload: object, **headers: str) -> dict[str, Any]:
    """A unary reply, checked against the wire model."""
    response = post(http, payload, **headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"].startswith("req_")
    return check_response(response.json())


def stream(http: httpx.Client, payload: dict[str, object], **headers: str) -> list[Event]:
    """A complete streamed reply's events, each checked against the wire
    model and the stream grammar."""
    response = post(http, {**payload, "stream": True}, **headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    return check_events(sse_events(response.text))


def check_response(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` validated (strictly) as a Response object."""
    Response.model_validate(payload, strict=True)
    assert payload["id"].startswith("resp_")
    assert list(payload)[:4] == ["id", "object", "created_at", "status"]
    return payload


def check_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """An error response: status, OpenAI's body (validated); returns the error object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    payload = response.json()
    ErrorResponse.model_validate(payload, strict=True)
    error: dict[str, Any] = payload["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["code"] == code
    return error


def check_events(events: list[Event], *, complete: bool = True) -> list[Event]:
    """Every event validated as a ``ResponseStreamEvent``, numbered from 0,
    and the API's order: created, in_progress, items (added, their events,
    done, output indexes in sequence), then the terminal event."""
    for seq, event in enumerate(events):
        ResponseStreamEvent.model_validate(event, strict=True)
        assert event["sequence_number"] == seq
    kinds = [event["type"] for event in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert events[0]["response"]["output"] == [] and events[0]["response"]["usage"] is None
    ids = {event["response"]["id"] for event in events if "response" in event}
    assert len(ids) == 1
    open_index: int | None = None
    next_index = 0
    for event in events[2:]:
        kind = event["type"]
        if kind == "response.output_item.added":
            assert open_index is None and event["output_index"] == next_index
            open_index = event["output_index"]
        elif kind == "response.output_item.done":
            assert event["output_index"] == open_index
            open_index, next_index = None, next_index + 1
        elif "output_index" in event:
            assert event["output_index"] == open_index
        else:
            assert kind in ("response.completed", "response.incomplete", "response.failed")
    if complete:
        assert kinds[-1] in ("response.completed", "response.incomplete")
        assert open_index is None
        check_response(events[-1]["response"])
    return events


def fold(events: list[Event]) -> dict[str, Any]:
    """A complete stream folded into the Response object it stands for:
    the terminal event's response, its output rebuilt from the deltas."""
    output: list[dict[str, Any]] = []
    for event in events:
        kind = event["type"]
        if kind == "response.output_item.added":
            output.append(json.loads(json.dumps(event["item"])))
        elif kind == "response.content_part.added":
            output[-1]["content"].append(dict(event["part"]))
        elif kind == "response.output_text.delta":
            output[-1]["content"][event["content_index"]]["text"] += event["delta"]
        elif kind == "response.refusal.delta":
            output[-1]["content"][event["content_index"]]["refusal"] += event["delta"]
        elif kind == "response.reasoning_summary_part.added":
            output[-1]["summary"].append(dict(event["part"]))
        elif kind == "response.reasoning_summary_text.delta":
            output[-1]["summary"][event["summary_index"]]["text"] += event["delta"]
        elif kind == "response.function_call_arguments.delta":
            output[-1]["arguments"] += event["delta"]
        elif kind == "response.output_item.done":
            done = event["item"]
            # What the deltas cannot say: the final status and the opaque state.
            output[-1] |= {k: done[k] for k in ("status", "encrypted_content") if k in done}
            assert output[-1] == done
    final = dict(events[-1]["response"])
    assert final["output"] == output
    return check_response(final)


def deltas(events: list[Event]) -> list[tuple[str, str]]:
    """(event type, delta) of every delta event, in order."""
    return [(e["type"], e["delta"]) for e in events if e["type"].endswith(".delta")]


def received(http: httpx.Client) -> list[dict[str, Any]]:
    """The bodies of the API requests the emulator logged, oldest first."""
    log = http.get("/__emulator__/requests").json()["data"]
    return [entry["body"] for entry in log if entry["path"] == "/v1/responses"]


def raw_stream(http: httpx.Client, payload: dict[str, object]) -> tuple[list[Event], str]:
    """The complete events of a stream the emulator cuts, and the message
    of the transport error the cut raises."""
    chunks: list[bytes] = []
    with (
        http.stream("POST", "/v1/responses", json={**payload, "stream": True}) as response,
        pytest.raises(httpx.RemoteProtocolError) as caught,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            chunks.append(chunk)
    text = b"".join(chunks).decode()
    assert text.endswith("\n\n")
    return check_events(sse_events(text), complete=False), str(caught.value)


class WireCheckedApp:
    """Wraps the emulator app: every ``/v1/responses`` reply it sends
    (Response objects, every complete stream frame, every error body) is
    validated against the generated wire models as it goes out, whoever the
    client is (the SDK included). Problems are collected in :attr:`failures`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.failures: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/responses"):
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
                    seen["finished"] = True
                    self._check(scope, seen, b"".join(chunks))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if not seen["finished"]:  # a cut: checked before the connection drops
                self._check(scope, seen, b"".join(chunks))

    def _check(self, scope: Scope, seen: dict[str, Any], payload: bytes) -> None:
        path, method = scope["path"], scope["method"]
        try:
            if seen["media"].startswith("text/event-stream"):
                *frames, _rest = payload.decode().split("\n\n")  # complete frames only
                for frame in frames:
                    data = frame.split("\n", 1)[1].removeprefix("data: ")
                    ResponseStreamEvent.model_validate_json(data, strict=True)
            elif not seen["finished"]:
                return  # a unary body cut on purpose
            elif seen["status"] >= 400:
                ErrorResponse.model_validate_json(payload, strict=True)
            elif (method == "POST" and path == "/v1/responses") or (
                method == "GET" and path.count("/") == 3
            ):
                Response.model_validate_json(payload, strict=True)
        except Exception as exc:  # reported by the test that caused it
            self.failures.append(f"{method} {path} ({seen['status']}): {exc}")
