"""Bad input and upstream failures reach the client in OpenAI's own error shape."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from tests.e2e.conftest import sdk, serve_lip

URL = "/v1/chat/completions"
OK = {"model": "lip-stub", "messages": [{"role": "user", "content": "hi"}]}


def _error(response: httpx.Response) -> dict[str, object]:
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict) and {"message", "type", "param", "code"} <= set(error)
    return error


@pytest.mark.parametrize(
    "content, param, code",
    [
        (b'{"model": "lip-stub", "messages": [', None, "invalid_json"),
        (b"[1, 2]", None, "invalid_type"),
        (json.dumps({"model": "lip-stub"}).encode(), "messages", "missing_required_parameter"),
        (json.dumps({"model": "lip-stub", "messages": []}).encode(), "messages", "empty_array"),
        (json.dumps({**OK, "temperature": "hot"}).encode(), "temperature", "invalid_value"),
        (json.dumps({**OK, "messages": "hi"}).encode(), "messages", "invalid_value"),
        (
            json.dumps({**OK, "messages": [{"role": "wizard", "content": "x"}]}).encode(),
            "messages[0]",
            "invalid_value",
        ),
        (
            json.dumps({**OK, "messages": [{"role": "user"}]}).encode(),
            "messages[0].content",
            "missing_required_parameter",
        ),
        (json.dumps({**OK, "stream": "yes"}).encode(), "stream", "invalid_value"),
        (
            json.dumps({**OK, "model": "[weight=0]lip-stub ^ stub:x"}).encode(),
            "model",
            "invalid_route_selector",
        ),
    ],
)
def test_invalid_requests_are_400(
    stub_url: str, content: bytes, param: str | None, code: str | None
) -> None:
    response = httpx.post(
        f"{stub_url}{URL}", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    error = _error(response)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param
    if code is not None:
        assert error["code"] == code


def test_explicit_backend_selector_is_served(lip_url: str) -> None:
    response = httpx.post(f"{lip_url}{URL}", json={**OK, "model": "stub:any-name"})
    assert response.status_code == 200
    assert response.json()["model"] == "any-name"


def test_model_no_backend_serves_is_404() -> None:
    from lip.config import parse_config
    from lip.server import create_app

    config = parse_config("backends: [{id: s, kind: localstub, models: [only-this]}]", env={})
    with serve_lip(create_app(config)) as url:
        response = httpx.post(f"{url}{URL}", json={**OK, "model": "gpt-9"})
    assert response.status_code == 404
    error = _error(response)
    assert error["code"] == "model_not_found" and error["param"] == "model"
    assert "gpt-9" in str(error["message"])


def test_oversize_body_is_413(lip_url: str) -> None:
    big = {**OK, "messages": [{"role": "user", "content": "x" * 70_000}]}
    response = httpx.post(f"{lip_url}{URL}", json=big)
    assert response.status_code == 413
    assert _error(response)["code"] == "request_too_large"


def test_oversize_chunked_body_is_413(lip_url: str) -> None:
    def chunks():  # no content-length: the limit is enforced while reading
        yield b'{"model": "lip-stub", "messages": [{"role": "user", "content": "'
        for _ in range(80):
            yield b"x" * 1024
        yield b'"}]}'

    response = httpx.post(f"{lip_url}{URL}", content=chunks())
    assert response.status_code == 413


def test_unknown_path_is_openai_404(stub_url: str) -> None:
    response = httpx.post(f"{stub_url}/v1/nope", json=OK)
    assert response.status_code == 404
    assert _error(response)["type"] == "invalid_request_error"


@pytest.mark.parametrize(
    "status, exc_type, lip_status",
    [
        (400, openai.BadRequestError, 400),
        (401, openai.InternalServerError, 502),
        (404, openai.NotFoundError, 404),
        (429, openai.RateLimitError, 429),
        (500, openai.InternalServerError, 502),
        (503, openai.InternalServerError, 503),
    ],
)
@pytest.mark.parametrize("stream", [False, True])
def test_upstream_errors_map_through_the_taxonomy(
    lip_url: str,
    emulator: httpx.Client,
    status: int,
    exc_type: type[Exception],
    lip_status: int,
    stream: bool,
) -> None:
    emulator.post("/scripts", json=[{"status": status, "retry_after": 3}])
    with pytest.raises(exc_type) as info:
        sdk(lip_url).chat.completions.create(
            model="gpt-4o-mini", messages=OK["messages"], stream=stream
        )  # type: ignore[call-overload]
    error = info.value
    assert isinstance(error, openai.APIStatusError)
    assert error.status_code == lip_status
    text = error.response.text
    assert "sk-upstream" not in text and "1234" not in text
    if status >= 500 or status == 401:
        # 5xx bodies never echo upstream text
        assert "emulat" not in text.lower()
    if status == 429:
        assert error.response.headers["retry-after"] == "3"


def test_upstream_cut_mid_stream_is_an_in_stream_error(
    lip_url: str, emulator: httpx.Client
) -> None:
    emulator.post("/scripts", json=[{"scenario": "long", "cut_after": 3}])
    stream = sdk(lip_url).chat.completions.create(
        model="gpt-4o-mini", messages=OK["messages"], stream=True
    )
    received: list[str] = []
    with pytest.raises(openai.APIError, match=r"closed the connection|ended before"):
        for chunk in stream:
            received.append(chunk.choices[0].delta.content or "")
    assert received  # output had committed before the cut


def test_upstream_unreachable_is_502(stub_url: str) -> None:
    import socket

    from lip.config import parse_config
    from lip.server import create_app
    from tests.e2e.conftest import lip_config_for

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    config = parse_config(lip_config_for(dead), env={})
    with serve_lip(create_app(config)) as url:
        response = httpx.post(f"{url}{URL}", json={**OK, "model": "gpt-4o-mini"})
    assert response.status_code == 502
    assert "could not connect" in str(_error(response)["message"])
    assert dead not in response.text


def test_upstream_error_event_mid_stream_reaches_the_client(
    lip_url: str, emulator: httpx.Client
) -> None:
    emulator.post("/scripts", json=[{"scenario": "stream_error"}])
    stream = sdk(lip_url).chat.completions.create(
        model="gpt-4o-mini", messages=OK["messages"], stream=True
    )
    received: list[str] = []
    with pytest.raises(openai.APIError, match="upstream failed mid-stream"):
        for chunk in stream:
            received.append(chunk.choices[0].delta.content or "")
    assert "".join(received)  # content before the error was delivered


@pytest.mark.parametrize("stream", [False, True])
def test_failover_to_the_next_leg_before_output(
    lip_url: str, emulator: httpx.Client, stream: bool
) -> None:
    emulator.post("/scripts", json=[{"status": 503}])
    reply = sdk(lip_url).chat.completions.create(  # type: ignore[call-overload]
        model="emu:gpt-4o-mini | stub:backup",
        messages=[{"role": "user", "content": "hi"}],
        stream=stream,
    )
    text = (
        "".join(c.choices[0].delta.content or "" for c in reply if c.choices)
        if stream
        else reply.choices[0].message.content
    )
    assert text == "You said: hi"  # the stub answered
    assert len(emulator.get("/requests").json()["data"]) == 1  # the emulator was tried first
