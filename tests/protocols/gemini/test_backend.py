"""Call -> Gemini request: a Gemini client's request goes upstream exactly as it
came; calls from other protocols are placed the way the API wants them."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from lip.canonical import (
    Call,
    ErrorKind,
    ImagePart,
    InvalidRequestError,
    Message,
    OpaquePart,
    Options,
    ProviderState,
    ReasoningPart,
    TextPart,
    Tool,
    ToolCallPart,
    ToolChoice,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.anthropic_messages.request import decode_request as decode_anthropic
from lip.protocols.gemini.backend import GeminiCodec, encode_request
from lip.protocols.gemini.carry import PROTOCOL
from lip.protocols.gemini.request import decode_request
from lip.protocols.openai_chat.backend import encode_request as encode_chat
from lip.protocols.openai_chat.request import decode_request as decode_chat
from tests.protocols.anthropic_messages.test_request import HEADERS as ANTHROPIC_HEADERS
from tests.protocols.anthropic_messages.test_request import _rich as anthropic_rich
from tests.protocols.gemini.test_request import rich


def _encoded(call: Call, model: str = "gemini-2.5-flash") -> dict[str, Any]:
    body: dict[str, Any] = json.loads(GeminiCodec().encode_request(call, model))
    return body


def _decoded(body: dict[str, Any]) -> Call:
    return decode_request(json.dumps(body).encode(), "gemini-2.5-flash", stream=False).call


def test_a_gemini_request_goes_upstream_as_it_came() -> None:
    original = rich()
    assert _encoded(_decoded(original)) == original


@pytest.mark.parametrize(
    "variant",
    [
        {"generationConfig": {}},  # the Python SDK always sends one
        {"generationConfig": {"topK": 3}},
        {"toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["f"]}}},
        {"toolConfig": {"retrievalConfig": {"languageCode": "en"}}},
        {"tools": [{"codeExecution": {}}, {"urlContext": {}}]},
        {"systemInstruction": {"parts": [{"text": "No role."}]}},
    ],
)
def test_smaller_gemini_requests_go_upstream_as_they_came(variant: dict[str, Any]) -> None:
    original = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "tools": [{"functionDeclarations": [{"name": "f"}]}],
        **variant,
    }
    assert _encoded(_decoded(original)) == original


CHAT: dict[str, Any] = {
    "model": "gpt-4o",
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather in Paris and Rome?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "weather", "arguments": '{"city":"Paris"}'},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "forecast", "arguments": '{"city":"Rome"}'},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "call_2", "content": '{"rain": true}'},
        {"role": "user", "content": "Thanks."},
        {"role": "user", "content": "And tomorrow?"},
    ],
    "tools": [
        {
            "type": "function",
            "function": {
                "name": "weather",
                "description": "Weather now",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                    "additionalProperties": False,
                },
            },
        },
        {
            "type": "function",
            "function": {
                "name": "forecast",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": ["string", "null"]}},
                },
            },
        },
    ],
    "tool_choice": {"type": "function", "function": {"name": "forecast"}},
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": {"type": "object"}},
    },
    "temperature": 0.3,
    "max_tokens": 100,
    "stop": ["END"],
    "seed": 7,
}


def test_an_openai_conversation_is_placed_the_gemini_way() -> None:
    sent = _encoded(decode_chat(json.dumps(CHAT).encode()).call)
    assert sent["systemInstruction"] == {"parts": [{"text": "Be brief."}]}
    assert sent["contents"] == [
        {"role": "user", "parts": [{"text": "Weather in Paris and Rome?"}]},
        {
            "role": "model",
            "parts": [
                # The first call signed with the API's dummy (Gemini 3 wants it).
                {
                    "functionCall": {"name": "weather", "args": {"city": "Paris"}},
                    "thoughtSignature": "skip_thought_signature_validator",
                },
                {"functionCall": {"name": "forecast", "args": {"city": "Rome"}}},
            ],
        },
        # Both responses in the one turn after the calls, named after their
        # calls, then the user's words; a later user turn stays its own.
        {
            "role": "user",
            "parts": [
                {"functionResponse": {"name": "weather", "response": {"result": "sunny"}}},
                {"functionResponse": {"name": "forecast", "response": {"rain": True}}},
                {"text": "Thanks."},
            ],
        },
        {"role": "user", "parts": [{"text": "And tomorrow?"}]},
    ]
    weather, forecast = sent["tools"][0]["functionDeclarations"]
    # additionalProperties has no Gemini schema form: sent as JSON Schema.
    assert weather == {
        "name": "weather",
        "description": "Weather now",
        "parametersJsonSchema": CHAT["tools"][0]["function"]["parameters"],
    }
    assert forecast == {
        "name": "forecast",
        "parameters": {
            "type": "OBJECT",
            "properties": {"city": {"type": "STRING", "nullable": True}},
        },
    }
    assert sent["toolConfig"] == {
        "functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["forecast"]}
    }
    assert sent["generationConfig"] == {
        "temperature": 0.3,
        "maxOutputTokens": 100,
        "seed": 7,
        "stopSequences": ["END"],
        "responseMimeType": "application/json",
        "responseJsonSchema": {"type": "object"},
    }


@pytest.mark.parametrize(
    ("choice", "config"),
    [
        (ToolChoice(mode=ToolChoiceMode.AUTO), {"mode": "AUTO"}),
        (ToolChoice(mode=ToolChoiceMode.NONE), {"mode": "NONE"}),
        (ToolChoice(mode=ToolChoiceMode.REQUIRED), {"mode": "ANY"}),
        (
            ToolChoice(mode=ToolChoiceMode.NAMED, name="t"),
            {"mode": "ANY", "allowedFunctionNames": ["t"]},
        ),
    ],
)
def test_tool_choice_is_function_calling_config(choice: ToolChoice, config: dict[str, Any]) -> None:
    call = Call(
        id="c",
        protocol="openai_chat",
        model="m",
        messages=(Message(role="user", parts=(TextPart(text="x"),)),),
        tools=(Tool(name="t"),),
        tool_choice=choice,
    )
    assert _encoded(call)["toolConfig"] == {"functionCallingConfig": config}
    assert "toolConfig" not in _encoded(dataclasses.replace(call, tools=()))


def test_an_anthropic_conversation_is_placed_the_gemini_way() -> None:
    call = decode_anthropic(json.dumps(anthropic_rich()).encode(), ANTHROPIC_HEADERS).call
    sent = _encoded(call)
    # Both system turns (the late one too) join the instruction.
    assert sent["systemInstruction"] == {
        "parts": [{"text": "Be brief."}, {"text": "Answer in French."}]
    }
    user, model, answer = sent["contents"]
    assert user["parts"][0] == {"text": "What is in these?"}
    assert user["parts"][-1] == {"text": "notes"}  # a text document is its text
    # Anthropic thinking (signed or redacted) has no Gemini form: left out;
    # the call is signed with the API's dummy instead.
    call = {"name": "get_weather", "args": {"city": "Paris"}}
    assert model == {
        "role": "model",
        "parts": [{"functionCall": call, "thoughtSignature": "skip_thought_signature_validator"}],
    }
    assert answer == {
        "role": "user",
        "parts": [
            {"functionResponse": {"name": "get_weather", "response": {"result": "sunny"}}},
            {"text": "And tomorrow?"},
        ],
    }
    # The hosted web search is only offered: left out for Gemini.
    assert [d["name"] for d in sent["tools"][0]["functionDeclarations"]] == ["get_weather"]
    assert len(sent["tools"]) == 1
    assert sent["generationConfig"]["thinkingConfig"] == {"thinkingBudget": 2048}
    assert sent["generationConfig"]["maxOutputTokens"] == 1024


def test_a_forced_hosted_tool_of_another_provider_is_a_400_before_network() -> None:
    call = decode_anthropic(json.dumps(anthropic_rich()).encode(), ANTHROPIC_HEADERS).call
    forced = dataclasses.replace(
        call, tool_choice=ToolChoice(mode=ToolChoiceMode.NAMED, name="web_search")
    )
    with pytest.raises(
        InvalidRequestError, match="hosted by the anthropic_messages provider"
    ) as info:
        encode_request(forced, "gemini-2.5-flash")
    assert info.value.kind is ErrorKind.INVALID_REQUEST and info.value.param == "tools[1]"


def test_a_gemini_hosted_tool_goes_only_to_gemini() -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "Search."}]}],
        "tools": [{"googleSearch": {}}],
    }
    call = _decoded(body)
    assert _encoded(call) == body
    assert "tools" not in json.loads(encode_chat(call, "gpt-4o"))
    forced = dataclasses.replace(call, tool_choice=ToolChoice(mode=ToolChoiceMode.REQUIRED))
    with pytest.raises(InvalidRequestError, match="hosted by the gemini provider"):
        encode_chat(forced, "gpt-4o")


def test_reasoning_is_replayed_only_with_gemini_state() -> None:
    foreign = ReasoningPart(
        text="anthropic thoughts", state=ProviderState(origin="anthropic_messages", signature="s")
    )
    unsigned = ReasoningPart(text="openai thoughts")
    mine = ReasoningPart(text="mine", state=ProviderState(origin=PROTOCOL, signature="g"))
    signed_call = ToolCallPart(
        id="c1", name="t", arguments="{}", state=ProviderState(origin=PROTOCOL, signature="h")
    )
    other_call = ToolCallPart(
        id="c2",
        name="t",
        arguments="",
        state=ProviderState(origin="anthropic_messages", signature="x"),
    )
    call = Call(
        id="c",
        protocol="anthropic_messages",
        model="m",
        messages=(
            Message(role="user", parts=(TextPart(text="x"),)),
            Message(
                role="assistant",
                parts=(foreign, unsigned, mine, TextPart(text="ok"), signed_call, other_call),
            ),
        ),
    )
    assert _encoded(call)["contents"][1]["parts"] == [
        {"text": "mine", "thought": True, "thoughtSignature": "g"},
        {"text": "ok"},
        {"functionCall": {"name": "t", "args": {}}, "thoughtSignature": "h"},
        {"functionCall": {"name": "t", "args": {}}},
    ]


def test_an_assistant_turn_of_only_foreign_reasoning_is_left_out() -> None:
    call = Call(
        id="c",
        protocol="openai_responses",
        model="m",
        messages=(
            Message(role="user", parts=(TextPart(text="a"),)),
            Message(role="assistant", parts=(ReasoningPart(text="hidden"),)),
            Message(role="user", parts=(TextPart(text="b"),)),
        ),
    )
    assert _encoded(call)["contents"] == [
        {"role": "user", "parts": [{"text": "a"}]},
        {"role": "user", "parts": [{"text": "b"}]},
    ]


@pytest.mark.parametrize(
    ("role", "part"),
    [
        ("assistant", ToolCallPart(id="c1", name="t", arguments="[1, 2]")),
        ("assistant", ToolCallPart(id="c1", name="t", arguments="{not json")),
        ("user", OpaquePart(origin="anthropic_messages", block={"type": "search_result"})),
    ],
)
def test_what_gemini_cannot_take_is_refused_before_network(role: str, part: Any) -> None:
    call = Call(
        id="c",
        protocol="openai_chat",
        model="m",
        messages=(Message(role=role, parts=(part,)),),  # type: ignore[arg-type]
    )
    with pytest.raises(InvalidRequestError):
        encode_request(call, "m")


def test_media_and_results_of_other_protocols() -> None:
    result = ToolResultPart(call_id="c9", content=(TextPart(text="boom"),), is_error=True)
    call = Call(
        id="c",
        protocol="openai_chat",
        model="m",
        messages=(
            Message(
                role="user",
                parts=(
                    ImagePart(url="https://example.com/a.png"),
                    ImagePart(data="AAAA"),
                    TextPart(text=""),
                ),
            ),
            Message(role="tool", parts=(result,)),
        ),
        options=Options(reasoning_budget_tokens=512),
    )
    sent = _encoded(call)
    assert sent["contents"] == [
        {
            "role": "user",
            "parts": [
                {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/a.png"}},
                {"inlineData": {"mimeType": "application/octet-stream", "data": "AAAA"}},
            ],
        },
        # An unknown call: no name to give; an error result says so.
        {
            "role": "user",
            "parts": [{"functionResponse": {"name": "", "response": {"error": "boom"}}}],
        },
    ]
    assert sent["generationConfig"] == {"thinkingConfig": {"thinkingBudget": 512}}


def test_the_codec_paths_headers_and_count_body() -> None:
    codec = GeminiCodec()
    assert codec.path("g", stream=False) == "/models/g:generateContent"
    assert codec.path("g", stream=True) == "/models/g:streamGenerateContent?alt=sse"
    assert codec.auth_headers("k") == {"x-goog-api-key": "k"}
    assert codec.count_path("g") == "/models/g:countTokens"
    call = _decoded(rich())
    counted = json.loads(codec.encode_count_request(call, "g"))
    assert counted == {"generateContentRequest": {"model": "models/g", **rich()}}
    assert codec.decode_count(b'{"totalTokens": 12}') == 12
