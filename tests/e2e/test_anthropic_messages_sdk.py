"""The official Anthropic Python SDK through LIP, over real sockets, against
the local stub and an OpenAI Chat upstream (the emulator): text, streams,
a full tool round trip, usage, errors in Anthropic's shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anthropic
import httpx
import pytest

WEATHER: dict[str, Any] = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}
HI = [{"role": "user", "content": "hello there"}]


_CLIENTS: dict[str, anthropic.Anthropic] = {}


def client(base: str) -> anthropic.Anthropic:
    """One SDK client per server, closed when the module is done."""
    if base not in _CLIENTS:
        _CLIENTS[base] = anthropic.Anthropic(
            base_url=base, api_key="client-key", max_retries=0, timeout=10
        )
    return _CLIENTS[base]


@pytest.fixture(scope="module", autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    for sdk_client in _CLIENTS.values():
        sdk_client.close()
    _CLIENTS.clear()


@pytest.fixture(params=["stub", "openai_chat"])
def target(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(LIP URL, model) for each backend kind."""
    if request.param == "stub":
        yield request.getfixturevalue("stub_url"), "lip-stub"
    else:
        yield request.getfixturevalue("lip_url"), "gpt-4o-mini"


def test_text_unary_and_streamed(target: tuple[str, str]) -> None:
    base, model = target
    reply = client(base).messages.create(model=model, max_tokens=64, messages=HI)
    assert reply.type == "message" and reply.role == "assistant"
    assert reply.stop_reason == "end_turn"
    (block,) = reply.content
    assert block.type == "text" and "hello there" in block.text
    assert reply.usage.input_tokens > 0 and reply.usage.output_tokens > 0
    with client(base).messages.stream(model=model, max_tokens=64, messages=HI) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_message()
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    assert [b.type for b in final.content] == ["text"]
    assert final.content[0].text == block.text  # type: ignore[union-attr]
    assert final.stop_reason == "end_turn"
    assert final.usage.input_tokens > 0 and final.usage.output_tokens > 0


def test_a_full_tool_round_trip(target: tuple[str, str]) -> None:
    base, model = target
    ask = [{"role": "user", "content": "What is the weather in Paris? Use get_weather."}]
    with client(base).messages.stream(
        model=model, max_tokens=64, tools=[WEATHER], messages=ask
    ) as s:
        first = s.get_final_message()
    assert first.stop_reason == "tool_use"
    (use,) = [b for b in first.content if b.type == "tool_use"]
    assert use.name == "get_weather" and use.input and "city" in use.input  # never {}
    history = [
        *ask,
        {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "sunny, 24 C"}],
        },
    ]
    final = client(base).messages.create(
        model=model, max_tokens=64, tools=[WEATHER], messages=history
    )
    assert final.stop_reason == "end_turn"
    assert final.content[0].type == "text" and final.content[0].text


def test_bad_input_is_anthropics_400(stub_url: str) -> None:
    with pytest.raises(anthropic.BadRequestError) as info:
        client(stub_url).messages.create(model="lip-stub", max_tokens=64, messages=[])
    assert info.value.status_code == 400
    assert info.value.body == {
        "type": "error",
        "error": {
            "type": "invalid_request_error",
            "message": "messages: List should have at least 1 item",
        },
    }


def test_missing_max_tokens_names_the_field(stub_url: str) -> None:
    reply = httpx.post(
        f"{stub_url}/v1/messages",
        json={"model": "lip-stub", "messages": HI},
        headers={"anthropic-version": "2023-06-01"},
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["message"] == "max_tokens: Field required"


@pytest.mark.parametrize(
    ("status", "exc_type", "lip_status"),
    [
        (429, anthropic.RateLimitError, 429),
        (503, anthropic.InternalServerError, 529),
        (500, anthropic.InternalServerError, 502),
    ],
)
@pytest.mark.parametrize("stream", [False, True])
def test_upstream_errors_before_output_in_anthropics_shape(
    lip_url: str,
    emulator: httpx.Client,
    status: int,
    exc_type: type[Exception],
    lip_status: int,
    stream: bool,
) -> None:
    emulator.post("/scripts", json=[{"status": status, "retry_after": 3}])
    with pytest.raises(exc_type) as info:
        if stream:
            with client(lip_url).messages.stream(
                model="gpt-4o-mini", max_tokens=64, messages=HI
            ) as s:
                s.get_final_message()
        else:
            client(lip_url).messages.create(model="gpt-4o-mini", max_tokens=64, messages=HI)
    error = info.value
    assert isinstance(error, anthropic.APIStatusError)
    assert error.status_code == lip_status
    assert error.body["type"] == "error"  # type: ignore[index]
    if status == 429:
        assert error.response.headers["retry-after"] == "3"


def test_models_by_the_shared_path_rule(stub_url: str) -> None:
    listed = client(stub_url).models.list()
    assert [m.id for m in listed.data] == ["lip-stub"] and listed.data[0].type == "model"
    assert client(stub_url).models.retrieve("lip-stub").id == "lip-stub"
    openai_shape = httpx.get(f"{stub_url}/v1/models").json()
    assert openai_shape["object"] == "list"  # no Anthropic headers: OpenAI's shape


def test_unknown_path_under_messages_is_anthropics_404(stub_url: str) -> None:
    reply = httpx.post(f"{stub_url}/v1/messages/nope", json={})
    assert reply.status_code == 404
    assert reply.json()["type"] == "error" and reply.json()["error"]["type"] == "not_found_error"


def test_a_system_turn_after_the_first_user_turn_reaches_an_openai_upstream(
    lip_url: str, emulator: httpx.Client
) -> None:
    messages = [
        {"role": "user", "content": "hello"},
        {"role": "system", "content": "Answer briefly."},
        {"role": "user", "content": "again"},
    ]
    client(lip_url).messages.create(
        model="gpt-4o-mini",
        max_tokens=64,
        system="You are LIP.",
        messages=messages,  # type: ignore[arg-type]
    )
    sent = emulator.get("/requests").json()["data"][-1]["body"]
    assert [m["role"] for m in sent["messages"]] == ["system", "user", "system", "user"]
    assert sent["max_completion_tokens"] == 64


def test_count_tokens_is_an_estimate_where_the_upstream_cannot_count(
    target: tuple[str, str],
) -> None:
    base, model = target
    short = client(base).messages.count_tokens(model=model, messages=HI)
    longer = client(base).messages.count_tokens(
        model=model, messages=[{"role": "user", "content": "hello there " * 200}], tools=[WEATHER]
    )
    assert 0 < short.input_tokens < longer.input_tokens
    raw = httpx.post(
        f"{base}/v1/messages/count_tokens",
        json={"model": model, "messages": HI},
        headers={"anthropic-version": "2023-06-01"},
    )
    assert raw.headers["x-lip-token-count"] == "estimate"


def test_count_tokens_refuses_fields_it_does_not_take(stub_url: str) -> None:
    raw = httpx.post(
        f"{stub_url}/v1/messages/count_tokens",
        json={"model": "lip-stub", "max_tokens": 5, "messages": HI},
        headers={"anthropic-version": "2023-06-01"},
    )
    assert raw.status_code == 400
    assert raw.json()["error"]["message"] == "max_tokens: Extra inputs are not permitted"


def test_the_request_id_is_where_the_sdk_reads_it(stub_url: str) -> None:
    raw = client(stub_url).messages.with_raw_response.create(
        model="lip-stub", max_tokens=16, messages=HI
    )
    assert raw.request_id and raw.request_id == raw.headers["x-request-id"]
    with pytest.raises(anthropic.BadRequestError) as info:
        client(stub_url).messages.create(model="lip-stub", max_tokens=16, messages=[])
    assert info.value.request_id


def test_anthropic_only_fields_are_not_sent_elsewhere_and_said_once(
    lip_url: str, emulator: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    body = {
        "model": "gpt-4o-mini",
        "max_tokens": 16,
        "messages": HI,
        "context_management": {"edits": []},
    }
    headers = {"anthropic-version": "2023-06-01"}
    with caplog.at_level("WARNING", logger="lip.backends"):
        for _ in range(2):
            assert (
                httpx.post(f"{lip_url}/v1/messages", json=body, headers=headers).status_code == 200
            )
    sent = emulator.get("/requests").json()["data"][-1]["body"]
    assert "context_management" not in sent
    said = [r.getMessage() for r in caplog.records if "context_management" in r.getMessage()]
    assert len(said) == 1  # once per backend and field set, not per request
