"""Helpers for the Gemini emulator's tests: raw requests, SSE and JSON-array
stream parsing, folding a stream, and checks that every body and chunk the
emulator sends validates against the generated wire models
(``lip_wire.gemini.generate_content_response``, and
``lip_wire.gemini.error_response`` for errors) with no field they do not
name: on the way out (:class:`WireCheckedApp`, for every client) and as the
tests read them."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as Message_

from lip_wire.gemini.error_response import ErrorResponse
from lip_wire.gemini.generate_content_response import GenerateContentResponse
from tests.refbackends.wire import queue as queue  # re-exported for the tests

MODEL = "gemini-2.5-flash"
PLAIN = "gemini-2.0-flash-001"  # unlisted: served, thinks only when asked
WEATHER: Any = {
    "name": "get_weather",
    "description": "Current weather",
    "parameters": {
        "type": "OBJECT",
        "properties": {
            "city": {"type": "STRING"},
            "days": {"type": "INTEGER", "minimum": 1},
        },
        "required": ["city", "days"],
    },
}
TIME: Any = {"name": "get_time", "description": "Current time"}
_STATUS_NAMES = {
    "INVALID_ARGUMENT",
    "FAILED_PRECONDITION",
    "UNAUTHENTICATED",
    "PERMISSION_DENIED",
    "NOT_FOUND",
    "ABORTED",
    "RESOURCE_EXHAUSTED",
    "CANCELLED",
    "INTERNAL",
    "UNKNOWN",
    "UNIMPLEMENTED",
    "UNAVAILABLE",
    "DEADLINE_EXCEEDED",
}

Chunk = dict[str, Any]


def body(text: str = "hello there world", **overrides: object) -> dict[str, object]:
    """A valid request body with one user turn and ``overrides``."""
    return {"contents": [{"role": "user", "parts": [{"text": text}]}], **overrides}


def url(model: str = MODEL, method: str = "generateContent", version: str = "v1beta") -> str:
    return f"/{version}/models/{model}:{method}"


def post(
    http: httpx.Client,
    payload: object,
    *,
    model: str = MODEL,
    method: str = "generateContent",
    version: str = "v1beta",
    query: str = "",
    **headers: str,
) -> httpx.Response:
    """POST a model method with ``payload`` as JSON (bytes are sent as is)."""
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    target = url(model, method, version) + (f"?{query}" if query else "")
    return http.post(target, content=content, headers=headers)


def unary(http: httpx.Client, payload: object, **options: Any) -> Chunk:
    """A generateContent reply, checked against the wire model."""
    response = post(http, payload, **options)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    return check_response(response.json())


def stream(http: httpx.Client, payload: object, **options: Any) -> list[Chunk]:
    """A complete ``alt=sse`` stream's chunks, each checked."""
    response = post(http, payload, method="streamGenerateContent", query="alt=sse", **options)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return [check_response(chunk) for chunk in sse_chunks(response.text)]


def sse_chunks(text: str) -> list[Chunk]:
    """The ``data:`` payloads of an SSE body (frames end ``\\r\\n\\r\\n``)."""
    frames = text.split("\r\n\r\n")
    assert frames[-1] == "", "the body ends with a whole frame"
    chunks: list[Chunk] = []
    for frame in frames[:-1]:
        assert frame.startswith("data: ") and "\n" not in frame
        chunks.append(json.loads(frame.removeprefix("data: ")))
    return chunks


def array_chunks(text: str) -> list[Chunk]:
    """The elements of a streamed JSON array, after checking its framing."""
    assert text.startswith("[{") and text.endswith("\r\n]")
    elements: list[Chunk] = json.loads(text)
    assert text.count("\r\n,") == len(elements) - 1
    return elements


def check_response(payload: Chunk) -> Chunk:
    """``payload`` validated (strictly) as a ``GenerateContentResponse``,
    naming no field the wire model does not."""
    _no_extras(GenerateContentResponse.model_validate(payload, strict=True), "")
    (candidate,) = payload["candidates"]
    assert candidate["index"] == 0 and candidate["content"]["role"] == "model"
    assert list(payload) == ["candidates", "usageMetadata", "modelVersion", "responseId"]
    return payload


def check_error_body(payload: Any, status: int) -> dict[str, Any]:
    """Google's ``{"error": {"code", "message", "status", "details"?}}``,
    validated (strictly) as the wire model's ``ErrorResponse``."""
    _no_extras(ErrorResponse.model_validate(payload, strict=True), "")
    assert set(payload) == {"error"}
    error: dict[str, Any] = payload["error"]
    assert set(error) - {"details"} == {"code", "message", "status"}
    assert error["code"] == status and isinstance(error["message"], str)
    assert error["status"] in _STATUS_NAMES
    for detail in error.get("details", []):
        assert detail["@type"].startswith("type.googleapis.com/google.rpc.")
    return error


def check_error(response: httpx.Response, status: int, name: str) -> dict[str, Any]:
    """An error response: status, content type, Google's body; returns the error object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    error = check_error_body(response.json(), status)
    assert error["status"] == name
    return error


def violations(error: dict[str, Any]) -> list[dict[str, str]]:
    """The ``fieldViolations`` of a ``BadRequest`` detail."""
    (detail,) = error["details"]
    assert detail["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    found: list[dict[str, str]] = detail["fieldViolations"]
    assert error["message"] == "\n".join(v["description"] for v in found)
    return found


def parts(reply: Chunk) -> list[dict[str, Any]]:
    """The candidate's parts (none when the content has no ``parts``)."""
    found: list[dict[str, Any]] = reply["candidates"][0]["content"].get("parts", [])
    return found


def fold(chunks: list[Chunk]) -> Chunk:
    """A complete stream folded into the response it stands for: text of
    one kind joined until a signature closes the part."""
    assert all("finishReason" not in c["candidates"][0] for c in chunks[:-1])
    assert len({(c["responseId"], c["modelVersion"]) for c in chunks}) == 1
    folded: list[dict[str, Any]] = []
    for chunk in chunks:
        for part in parts(chunk):
            last = folded[-1] if folded else None
            if (
                last is not None
                and "text" in part
                and "text" in last
                and last.get("thought") == part.get("thought")
                and "thoughtSignature" not in last
            ):
                last["text"] += part["text"]
                last |= {k: v for k, v in part.items() if k == "thoughtSignature"}
            else:
                folded.append(dict(part))
    final = json.loads(json.dumps(chunks[-1]))
    if folded:
        final["candidates"][0]["content"]["parts"] = folded
    return check_response(final)


def logged(http: httpx.Client) -> list[dict[str, Any]]:
    """The API requests the emulator logged, oldest first."""
    entries: list[dict[str, Any]] = http.get("/__emulator__/requests").json()["data"]
    return [entry for entry in entries if not entry["path"].startswith("/__emulator__")]


def cut_stream(http: httpx.Client, target: str, payload: object) -> tuple[str, str]:
    """The body of a stream the emulator cuts, and the transport error's message."""
    chunks: list[bytes] = []
    with (
        http.stream("POST", target, json=payload) as response,
        pytest.raises(httpx.RemoteProtocolError) as caught,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            chunks.append(chunk)
    return b"".join(chunks).decode(), str(caught.value)


def _no_extras(model: BaseModel, path: str) -> None:
    assert not model.model_extra, (
        f"{path or 'response'} has fields the wire model lacks: {model.model_extra}"
    )
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for k, item in enumerate(items):
            if isinstance(item, BaseModel):
                _no_extras(item, f"{path}.{name}[{k}]")


class WireCheckedApp:
    """Wraps the emulator app: every model-method reply it sends (responses,
    every complete SSE frame, JSON-array elements, error bodies) is checked
    as it goes out, whoever the client is (the SDK included). Problems are
    collected in :attr:`failures`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.failures: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or "/models/" not in path or ":" not in path:
            await self.app(scope, receive, send)
            return
        seen: dict[str, Any] = {"status": 0, "media": "", "finished": False}
        chunks: list[bytes] = []

        async def watch(message: Message_) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                seen["media"] = dict(message.get("headers", [])).get(b"content-type", b"").decode()
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
        path = scope["path"]
        try:
            text = payload.decode()
            if seen["status"] >= 400:
                if seen["finished"]:
                    check_error_body(json.loads(text), seen["status"])
            elif path.endswith(":countTokens"):
                assert set(json.loads(text)) == {"totalTokens", "promptTokensDetails"}
            elif seen["media"].startswith("text/event-stream"):
                *frames, _rest = text.split("\r\n\r\n")  # complete frames only
                for frame in frames:
                    _check_element(json.loads(frame.removeprefix("data: ")))
            elif ":streamGenerateContent" in path and text:
                closed = text if seen["finished"] else f"{text}]"
                for element in json.loads(closed):
                    _check_element(element)
            elif seen["finished"]:
                check_response(json.loads(text))
        except Exception as exc:  # reported by the test that caused it
            self.failures.append(f"{scope['method']} {path} ({seen['status']}): {exc!r}")


def _check_element(element: Chunk) -> None:
    if "error" in element:
        check_error_body(element, element["error"]["code"])
    else:
        check_response(element)
