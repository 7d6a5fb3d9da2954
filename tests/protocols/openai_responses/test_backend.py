"""Call -> Responses request: a Responses client's request goes upstream as it
came; calls from other protocols become items, function tools and options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lip.canonical import (
    Call,
    InvalidRequestError,
    Message,
    Options,
    TextPart,
    Tool,
)
from lip.protocols.anthropic_messages.request import decode_request as decode_anthropic
from lip.protocols.openai_chat.request import decode_request as decode_chat
from lip.protocols.openai_responses import OpenAIResponsesCodec
from lip.protocols.openai_responses.backend import encode_request
from lip.protocols.openai_responses.request import decode_request
from tests.protocols.openai_responses.test_request import rich

ANTHROPIC_HEADERS = {"anthropic-version": "2023-06-01"}


def sent(call: Call, model: str = "gpt-5") -> dict[str, Any]:
    body: dict[str, Any] = json.loads(encode_request(call, model))
    return body


def relayed(body: dict[str, Any]) -> dict[str, Any]:
    return sent(decode_request(json.dumps(body).encode()).call, body["model"])


def test_a_responses_request_goes_upstream_as_it_came() -> None:
    original = rich()
    assert relayed(original) == original


@pytest.mark.parametrize(
    "body",
    [
        {"model": "m", "input": "hi", "stream": False},
        {"model": "m", "instructions": "Be brief.", "input": "hi", "stream": True},
        {
            "model": "m",
            "input": [{"type": "message", "role": "user", "content": "typed"}],
            "tools": [{"type": "function", "name": "f", "parameters": {"type": "object"}}],
            "tool_choice": {"type": "function", "name": "f"},
            "stream": False,
        },
        {
            "model": "m",
            "input": "x",
            "tool_choice": {
                "type": "allowed_tools",
                "mode": "required",
                "tools": [{"type": "web_search"}],
            },
            "tools": [{"type": "web_search"}],
            "text": {"format": {"type": "json_schema", "name": "any", "schema": {}}},
            "stream": False,
        },
        {
            "model": "m",
            "input": [
                {"type": "item_reference", "id": "msg_0"},
                {
                    "type": "reasoning",
                    "id": "rs_1",
                    "summary": [],
                    "content": [{"type": "reasoning_text", "text": "t"}],
                },
                {"type": "function_call_output", "call_id": "c", "output": ""},
            ],
            "reasoning": {"summary": "detailed"},
            "stream": False,
        },
    ],
    ids=["string", "instructions", "typed-strict-omitted", "allowed-tools", "items"],
)
def test_more_requests_go_upstream_as_they_came(body: dict[str, Any]) -> None:
    assert relayed(body) == body


def test_stream_is_always_said() -> None:
    assert relayed({"model": "m", "input": "hi"}) == {"model": "m", "input": "hi", "stream": False}


RECORDED = sorted((Path(__file__).resolve().parents[3] / "testdata" / "clients").glob("*/*.json"))


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_recorded_agent_request_goes_upstream_as_it_came(path: Path) -> None:
    recording = json.loads(path.read_text(encoding="utf-8"))
    if recording["protocol"] != "openai_responses":
        pytest.skip("a recording of another protocol")
    assert relayed(recording["body"]) == recording["body"]


CHAT: dict[str, Any] = {
    "model": "gpt-4o",
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "developer", "content": "Use metric."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Weather here?"},
                {
                    "type": "image_url",
                    "image_url": {"url": "https://example.com/a.png", "detail": "low"},
                },
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "reasoning_content": "chat-side thoughts",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "w", "arguments": '{"city":"Paris"}'},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "w", "arguments": '{"city":"Rome"}'},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "call_2", "content": "rain"},
        {"role": "assistant", "content": "Sunny, then rain."},
        {"role": "user", "content": "Thanks"},
    ],
    "tools": [
        {
            "type": "function",
            "function": {"name": "w", "description": "Weather", "parameters": {"type": "object"}},
        }
    ],
    "tool_choice": {"type": "function", "function": {"name": "w"}},
    "parallel_tool_calls": False,
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "x", "schema": {"type": "object"}, "strict": True},
    },
    "reasoning_effort": "low",
    "max_completion_tokens": 100,
    "temperature": 0.2,
    "seed": 7,
    "user": "u-1",
    "metadata": {"a": "b"},
}


def test_a_chat_conversation_becomes_responses_items() -> None:
    body = sent(decode_chat(json.dumps(CHAT).encode()).call)
    assert body["input"] == [
        {"role": "system", "content": [{"type": "input_text", "text": "Be brief."}]},
        {"role": "developer", "content": [{"type": "input_text", "text": "Use metric."}]},
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "Weather here?"},
                {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "low"},
            ],
        },
        # The chat-side reasoning is not a Responses item: left out.
        {
            "type": "function_call",
            "call_id": "call_1",
            "name": "w",
            "arguments": '{"city":"Paris"}',
        },
        {"type": "function_call", "call_id": "call_2", "name": "w", "arguments": '{"city":"Rome"}'},
        {"type": "function_call_output", "call_id": "call_1", "output": "sunny"},
        {"type": "function_call_output", "call_id": "call_2", "output": "rain"},
        {"role": "assistant", "content": "Sunny, then rain."},
        {"role": "user", "content": [{"type": "input_text", "text": "Thanks"}]},
    ]
    assert "instructions" not in body
    assert body["tools"] == [
        {
            "type": "function",
            "name": "w",
            "description": "Weather",
            "parameters": {"type": "object"},
            "strict": False,
        }
    ]
    assert body["tool_choice"] == {"type": "function", "name": "w"}
    assert body["text"] == {
        "format": {"type": "json_schema", "name": "x", "schema": {"type": "object"}, "strict": True}
    }
    assert body["reasoning"] == {"effort": "low"}
    assert (body["max_output_tokens"], body["temperature"], body["parallel_tool_calls"]) == (
        100,
        0.2,
        False,
    )
    assert (body["user"], body["metadata"], body["store"], body["stream"]) == (
        "u-1",
        {"a": "b"},
        False,
        False,
    )
    assert "seed" not in body  # no Responses field: a documented projection


ANTHROPIC: dict[str, Any] = {
    "model": "claude-x",
    "max_tokens": 256,
    "system": "Be brief.",
    "messages": [
        {"role": "user", "content": "Weather?"},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Look it up.", "signature": "sig-1"},
                {"type": "text", "text": "Checking."},
                {"type": "tool_use", "id": "toolu_1", "name": "w", "input": {"city": "Paris"}},
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"},
                {"type": "text", "text": "And tomorrow?"},
            ],
        },
    ],
    "tools": [{"name": "w", "description": "Weather", "input_schema": {"type": "object"}}],
    "stop_sequences": ["END"],
}


def test_an_anthropic_conversation_becomes_responses_items() -> None:
    call = decode_anthropic(json.dumps(ANTHROPIC).encode(), ANTHROPIC_HEADERS).call
    body = sent(call)
    assert body["input"] == [
        {"role": "system", "content": [{"type": "input_text", "text": "Be brief."}]},
        {"role": "user", "content": [{"type": "input_text", "text": "Weather?"}]},
        # The signed thinking is Anthropic's own: left out.
        {"role": "assistant", "content": "Checking."},
        {
            "type": "function_call",
            "call_id": "toolu_1",
            "name": "w",
            "arguments": '{"city":"Paris"}',
        },
        {"type": "function_call_output", "call_id": "toolu_1", "output": "sunny"},
        {"role": "user", "content": [{"type": "input_text", "text": "And tomorrow?"}]},
    ]
    assert (body["max_output_tokens"], body["store"]) == (256, False)
    assert "stop" not in json.dumps(body)  # Responses has no stop sequences


def test_hosted_tools_of_another_provider_never_reach_the_network() -> None:
    search = {"type": "web_search_20250305", "name": "web_search", "max_uses": 2}
    offered = {**ANTHROPIC, "tools": [*ANTHROPIC["tools"], search]}
    call = decode_anthropic(json.dumps(offered).encode(), ANTHROPIC_HEADERS).call
    assert [t["name"] for t in sent(call)["tools"]] == ["w"]  # offered only: left out
    forced = {**offered, "tool_choice": {"type": "tool", "name": "web_search"}}
    call = decode_anthropic(json.dumps(forced).encode(), ANTHROPIC_HEADERS).call
    with pytest.raises(
        InvalidRequestError, match="hosted by the anthropic_messages provider"
    ) as info:
        encode_request(call, "gpt-5")
    assert info.value.code == "unsupported_tool"


def test_hosted_tools_of_responses_go_only_to_responses() -> None:
    call = decode_request(json.dumps(rich()).encode()).call
    tools = sent(call)["tools"]
    assert {"type": "web_search"} in tools and any(t["type"] == "file_search" for t in tools)


def test_canonical_defaults_for_other_protocols() -> None:
    call = Call(
        id="c",
        protocol="openai_chat",
        model="m",
        messages=(Message(role="user", parts=(TextPart(text="x"),)),),
        tools=(Tool(name="t"), Tool(name="s", parameters={"type": "object"}, strict=True)),
        options=Options(reasoning_effort="medium"),
    )
    body = sent(call)
    assert body["tools"] == [
        {"type": "function", "name": "t", "parameters": {"type": "object"}, "strict": False},
        {"type": "function", "name": "s", "parameters": {"type": "object"}, "strict": True},
    ]
    assert body["reasoning"] == {"effort": "medium"} and body["store"] is False


def test_the_codec() -> None:
    codec = OpenAIResponsesCodec()
    assert codec.path("gpt-5", stream=True) == codec.path("gpt-5", stream=False) == "/responses"
    assert codec.auth_headers("sk-1") == {"authorization": "Bearer sk-1"}
    assert codec.count_path("gpt-5") == "/responses/input_tokens"
    call = decode_request(json.dumps(rich()).encode()).call
    counted = json.loads(codec.encode_count_request(call, "gpt-5"))
    assert set(counted) == {
        "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls",
        "reasoning", "text", "truncation",
    }  # fmt: skip
    assert counted["input"] == rich()["input"]
    assert codec.decode_count(b'{"input_tokens": 7}') == 7
