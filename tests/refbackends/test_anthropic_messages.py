"""The Anthropic Messages emulator's default behaviour, headers and keys,
count_tokens and models, over a real loopback socket with the official
``anthropic`` SDK (and raw httpx where the SDK would hide the wire);
validation is in ``test_anthropic_messages_validation.py``. Every body and
stream event is checked against the generated wire models
(``anthropic_wire``). Fixtures live in ``conftest.py``."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import httpx
import pytest

from tests.refbackends.anthropic_wire import (
    MODEL,
    TIME_TOOL,
    USER,
    WEATHER_TOOL,
    WireCheckedApp,
    body,
    check_error,
    check_events,
    check_message,
    deltas,
    fold,
    post,
    sse_events,
    stream,
    unary,
)

THINKING: Any = {"type": "enabled", "budget_tokens": 1024}


# --- default replies ----------------------------------------------------------


def test_unary_text_has_the_api_shape(aclient: anthropic.Anthropic) -> None:
    raw = aclient.messages.with_raw_response.create(model=MODEL, max_tokens=64, messages=USER)
    assert raw.headers["request-id"].startswith("req_")
    assert raw.headers["content-type"] == "application/json"
    payload = check_message(json.loads(raw.http_response.text))
    assert payload == {
        "id": payload["id"],
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": [{"type": "text", "text": "Echo: hello there world"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "stop_details": None,
        "usage": {
            "input_tokens": 3,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
            "output_tokens": 4,
            "service_tier": "standard",
        },
    }
    message = raw.parse()
    assert message.id.startswith("msg_01")
    assert message.content[0].type == "text" and message.content[0].text.startswith("Echo:")


def test_same_request_same_body_and_ids(ahttp: httpx.Client) -> None:
    first, second = post(ahttp, body()), post(ahttp, body())
    assert first.content == second.content
    assert first.headers["request-id"] != second.headers["request-id"]


def test_stream_wire_framing_folds_to_unary(ahttp: httpx.Client) -> None:
    events = stream(ahttp, body())
    assert [event["type"] for event in events] == [
        "message_start",
        "ping",
        "content_block_start",
        *["content_block_delta"] * 4,
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    start = events[0]["message"]
    assert (start["stop_reason"], start["usage"]["input_tokens"]) == (None, 3)
    assert start["usage"]["output_tokens"] == 1
    assert events[2]["content_block"] == {"type": "text", "text": ""}
    assert deltas(events) == [
        {"type": "text_delta", "text": piece} for piece in ["Echo:", " hello", " there", " world"]
    ]
    assert events[-2] == {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": 4},
    }
    assert fold(events) == unary(ahttp, body())


def test_sdk_stream_helper_folds_to_the_unary_reply(aclient: anthropic.Anthropic) -> None:
    expected = aclient.messages.create(model=MODEL, max_tokens=64, messages=USER)
    with aclient.messages.stream(model=MODEL, max_tokens=64, messages=USER) as events:
        pieces = list(events.text_stream)
        final = events.get_final_message()
    assert pieces == ["Echo:", " hello", " there", " world"]
    assert final.to_dict() == expected.to_dict()


def test_tool_call_has_schema_valid_input(aclient: anthropic.Anthropic) -> None:
    message = aclient.messages.create(
        model=MODEL, max_tokens=64, messages=USER, tools=[WEATHER_TOOL, TIME_TOOL]
    )
    assert message.stop_reason == "tool_use"
    (call,) = message.content
    assert call.type == "tool_use"
    assert call.id.startswith("toolu_01")
    assert (call.name, call.input) == (
        "get_weather",
        {"city": "city", "days": 1, "unit": "celsius"},
    )


def test_streamed_tool_input_arrives_in_fragments(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    payload = body(tools=[WEATHER_TOOL])
    expected = unary(ahttp, payload)
    events = stream(ahttp, payload)
    assert events[2]["content_block"] == {**expected["content"][0], "input": {}}
    fragments = [d["partial_json"] for d in deltas(events)]
    assert len(fragments) > 5
    assert json.loads("".join(fragments)) == expected["content"][0]["input"]
    assert fold(events) == expected
    with aclient.messages.stream(**payload) as sdk_stream:  # type: ignore[arg-type]
        final = sdk_stream.get_final_message()
    assert final.to_dict() == expected


def test_tool_choice_named_and_none(aclient: anthropic.Anthropic) -> None:
    named = aclient.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=USER,
        tools=[WEATHER_TOOL, TIME_TOOL],
        tool_choice={"type": "tool", "name": "get_time"},
    )
    assert [(b.type, getattr(b, "name", None)) for b in named.content] == [("tool_use", "get_time")]
    none = aclient.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=USER,
        tools=[WEATHER_TOOL],
        tool_choice={"type": "none"},
    )
    assert none.stop_reason == "end_turn"


def test_tool_results_turn_replies_text(aclient: anthropic.Anthropic) -> None:
    messages: Any = [
        *USER,
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_time", "input": {}}],
        },
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "12:00"}],
        },
    ]
    message = aclient.messages.create(
        model=MODEL, max_tokens=64, messages=messages, tools=[TIME_TOOL]
    )
    assert message.content[0].type == "text"
    assert message.content[0].text == "Tool results: 12:00"


def test_thinking_comes_first_with_a_signature(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    payload = body(thinking=THINKING, max_tokens=2048)
    expected = unary(ahttp, payload)
    thinking, text = expected["content"]
    assert (
        thinking["type"] == "thinking"
        and thinking["thinking"] == "Thinking about: hello there world"
    )
    assert thinking["signature"]
    assert text == {"type": "text", "text": "Echo: hello there world"}
    events = stream(ahttp, payload)
    assert events[2]["content_block"] == {"type": "thinking", "thinking": "", "signature": ""}
    first_block = [e for e in events if e.get("index") == 0]
    assert first_block[-2]["delta"] == {
        "type": "signature_delta",
        "signature": thinking["signature"],
    }
    assert first_block[-1]["type"] == "content_block_stop"
    assert fold(events) == expected
    with aclient.messages.stream(**payload) as sdk_stream:  # type: ignore[arg-type]
        final = sdk_stream.get_final_message()
    assert final.to_dict() == expected
    omitted = unary(ahttp, body(thinking={**THINKING, "display": "omitted"}, max_tokens=2048))
    assert omitted["content"][0]["thinking"] == "" and omitted["content"][0]["signature"]


def test_thinking_sent_back_with_its_signature_is_accepted(aclient: anthropic.Anthropic) -> None:
    first = aclient.messages.create(model=MODEL, max_tokens=2048, messages=USER, thinking=THINKING)
    history: Any = [*USER, {"role": "assistant", "content": [b.to_dict() for b in first.content]}]
    history.append({"role": "user", "content": "and again"})
    again = aclient.messages.create(
        model=MODEL, max_tokens=2048, messages=history, thinking=THINKING
    )
    assert again.content[-1].type == "text" and again.content[-1].text == "Echo: and again"


def test_max_tokens_and_stop_sequences(aclient: anthropic.Anthropic) -> None:
    cut = aclient.messages.create(model=MODEL, max_tokens=2, messages=USER)
    assert cut.stop_reason == "max_tokens"
    assert cut.content[0].type == "text" and cut.content[0].text == "Echo: hello"
    stopped = aclient.messages.create(
        model=MODEL, max_tokens=64, messages=USER, stop_sequences=["nope", " world"]
    )
    assert (stopped.stop_reason, stopped.stop_sequence) == ("stop_sequence", " world")
    assert stopped.content[0].type == "text" and stopped.content[0].text == "Echo: hello there"


def test_consecutive_user_messages_and_system_are_accepted(aclient: anthropic.Anthropic) -> None:
    messages: Any = [
        {"role": "user", "content": "one"},
        {"role": "user", "content": [{"type": "text", "text": "two"}]},
    ]
    message = aclient.messages.create(
        model=MODEL, max_tokens=64, messages=messages, system=[{"type": "text", "text": "Be kind."}]
    )
    assert message.content[0].type == "text" and message.content[0].text == "Echo: two"


# --- count_tokens, beta --------------------------------------------------------


def test_count_tokens_matches_the_reply_usage(aclient: anthropic.Anthropic) -> None:
    kwargs: Any = {"model": MODEL, "messages": USER, "tools": [WEATHER_TOOL], "system": "Be brief."}
    counted = aclient.messages.count_tokens(**kwargs)
    message = aclient.messages.create(max_tokens=64, **kwargs)
    assert counted.input_tokens == message.usage.input_tokens > 3 + 2


def test_count_tokens_wire_and_errors(ahttp: httpx.Client) -> None:
    response = ahttp.post("/v1/messages/count_tokens", json={"model": MODEL, "messages": USER})
    assert response.json() == {"input_tokens": 3}
    assert response.headers["request-id"].startswith("req_")
    with_max = ahttp.post("/v1/messages/count_tokens", json=body())
    assert check_error(with_max, 400, "invalid_request_error") == (
        "max_tokens: Extra inputs are not permitted"
    )
    empty = ahttp.post("/v1/messages/count_tokens", json={"model": MODEL, "messages": []})
    assert check_error(empty, 400, "invalid_request_error") == (
        "messages: at least one message is required"
    )


def test_beta_requests_carry_beta_arguments(
    aclient: anthropic.Anthropic, ahttp: httpx.Client
) -> None:
    extra = body(context_management={"edits": []})
    rejected = post(ahttp, extra)
    assert check_error(rejected, 400, "invalid_request_error") == (
        "context_management: Extra inputs are not permitted"
    )
    accepted = ahttp.post("/v1/messages?beta=true", json=extra)
    assert check_message(accepted.json())["content"][0]["text"] == "Echo: hello there world"
    # The API goes by the anthropic-beta header; ?beta=true is the SDK's marker.
    flagged = ahttp.post(
        "/v1/messages", json=extra, headers={"anthropic-beta": "context-management-2025-06-27"}
    )
    assert check_message(flagged.json())["content"][0]["text"] == "Echo: hello there world"
    beta = aclient.beta.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert beta.content[0].type == "text" and beta.content[0].text == "Echo: hello there world"
    logged = ahttp.get("/__emulator__/requests").json()["data"]
    assert [(entry["path"], entry["query"]) for entry in logged[1:]] == [
        ("/v1/messages", "beta=true"),
        ("/v1/messages", ""),
        ("/v1/messages", ""),
    ]


# --- headers: version and keys -----------------------------------------------------


def test_anthropic_version_is_required(anthropic_url: str) -> None:
    with httpx.Client(base_url=anthropic_url, timeout=5) as raw:
        missing = raw.post("/v1/messages", json=body())
        assert check_error(missing, 400, "invalid_request_error") == (
            "anthropic-version: header is required"
        )
        bad = raw.get("/v1/models", headers={"anthropic-version": "latest"})
        assert check_error(bad, 400, "invalid_request_error") == (
            'anthropic-version: "latest" is not a valid version'
        )


def test_api_key_is_enforced_without_echoing_it(
    anthropic_secured_url: str, secured_key: str
) -> None:
    wrong_key = "sk-ant-wrong-key-abcdefghijklmnop-9876"
    with (
        anthropic.Anthropic(
            base_url=anthropic_secured_url, api_key=wrong_key, max_retries=0
        ) as wrong,
        pytest.raises(anthropic.AuthenticationError) as caught,
    ):
        wrong.messages.create(model=MODEL, max_tokens=64, messages=USER)
    assert caught.value.type == "authentication_error"
    assert caught.value.api_message == "invalid x-api-key"
    assert wrong_key not in caught.value.response.text
    headers = {"anthropic-version": "2023-06-01"}
    with httpx.Client(base_url=anthropic_secured_url, headers=headers, timeout=5) as raw:
        missing = raw.post("/v1/messages", json=body())
        assert check_error(missing, 401, "authentication_error") == "x-api-key header is required"
        wrong_header = raw.post("/v1/messages", json=body(), headers={"x-api-key": wrong_key})
        assert check_error(wrong_header, 401, "authentication_error") == "invalid x-api-key"
        right_header = raw.post("/v1/messages", json=body(), headers={"x-api-key": secured_key})
        assert check_message(right_header.json())["content"]
        logged = raw.get("/__emulator__/requests").json()["data"]
        assert all(wrong_key not in json.dumps(entry) for entry in logged)
        assert logged[-2]["headers"]["x-api-key"] == "sk-***9876"
    with anthropic.Anthropic(
        base_url=anthropic_secured_url, api_key=secured_key, max_retries=0
    ) as right:
        assert right.messages.create(model=MODEL, max_tokens=64, messages=USER).content
        assert right.models.list().data
    with anthropic.Anthropic(
        base_url=anthropic_secured_url, api_key=None, auth_token=secured_key, max_retries=0
    ) as bearer:
        assert bearer.messages.count_tokens(model=MODEL, messages=USER).input_tokens == 3


# --- models, health, unknown routes ---------------------------------------------------


def test_models_list_and_retrieve(aclient: anthropic.Anthropic, ahttp: httpx.Client) -> None:
    page = ahttp.get("/v1/models").json()
    assert set(page) == {"data", "has_more", "first_id", "last_id"}
    assert page["has_more"] is False
    assert page["first_id"] == page["data"][0]["id"] and page["last_id"] == page["data"][-1]["id"]
    first = page["data"][0]
    assert {"type", "id", "display_name", "created_at"} <= set(first)
    assert first["type"] == "model"
    listed = [model.id for model in aclient.models.list(limit=3)]  # auto-paginates
    assert listed == [model["id"] for model in page["data"]]
    second = ahttp.get("/v1/models", params={"limit": 2, "after_id": listed[1]}).json()
    assert [m["id"] for m in second["data"]] == listed[2:4] and second["has_more"] is True
    assert aclient.models.retrieve("claude-opus-4-5").id == "claude-opus-4-5-20251101"
    assert aclient.models.retrieve(listed[0]).display_name == first["display_name"]
    with pytest.raises(anthropic.NotFoundError) as caught:
        aclient.models.retrieve("claude-none")
    assert caught.value.api_message == "model: claude-none"
    bad = ahttp.get("/v1/models", params={"limit": 0})
    assert check_error(bad, 400, "invalid_request_error").startswith("limit:")


def test_health_and_unknown_routes(ahttp: httpx.Client) -> None:
    assert ahttp.get("/healthz").json() == {"status": "ok"}
    assert check_error(ahttp.post("/v1/nothing"), 404, "not_found_error") == "Not Found"
    assert check_error(ahttp.get("/v1/messages"), 405, "invalid_request_error")


def test_every_default_stream_event_is_valid(ahttp: httpx.Client) -> None:
    """Every shape the default replies take, through the wire models."""
    for payload in (
        body(tools=[WEATHER_TOOL, TIME_TOOL]),
        body(thinking=THINKING, max_tokens=2048, tools=[TIME_TOOL]),
        body(stop_sequences=["there"]),
        body(max_tokens=1),
    ):
        response = post(ahttp, {**payload, "stream": True})
        events = check_events(sse_events(response.text))
        assert fold(events) == unary(ahttp, payload)


def test_replies_are_checked_on_the_way_out(
    aclient: anthropic.Anthropic, anthropic_app: WireCheckedApp
) -> None:
    before = anthropic_app.checked
    with aclient.messages.stream(model=MODEL, max_tokens=64, messages=USER) as events:
        events.get_final_message()
    with pytest.raises(anthropic.BadRequestError):
        aclient.messages.create(model=MODEL, max_tokens=0, messages=USER)
    assert anthropic_app.checked == before + 2
