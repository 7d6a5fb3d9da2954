"""Call -> Anthropic request: an Anthropic client's request goes upstream as it
came; calls from other protocols are placed the way the API wants them."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from lip.canonical import (
    AudioPart,
    Call,
    FilePart,
    InvalidRequestError,
    Message,
    Options,
    ProviderState,
    ReasoningPart,
    ResponseFormat,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolCallPart,
    ToolChoice,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.anthropic_messages.backend import AnthropicMessagesCodec, encode_request
from lip.protocols.anthropic_messages.request import decode_request
from lip.protocols.openai_chat.backend import encode_request as encode_chat
from lip.protocols.openai_chat.request import decode_request as decode_chat
from tests.protocols.anthropic_messages.test_request import HEADERS, _rich


def _encoded(call: Call, model: str = "claude-x") -> dict[str, Any]:
    return json.loads(encode_request(call, model))


def test_an_anthropic_request_goes_upstream_as_it_came() -> None:
    original = _rich()
    call = decode_request(json.dumps(original).encode(), HEADERS).call
    sent = _encoded(call, original["model"])
    assert sent == original


RECORDED = sorted((Path(__file__).resolve().parents[3] / "testdata" / "clients").glob("*/*.json"))


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_recorded_agent_request_goes_upstream_as_it_came(path: Path) -> None:
    # Claude Code's beta arguments, per-turn output_config on a later system
    # turn, cache_control marks and deferred tools: all carried.
    recording = json.loads(path.read_text(encoding="utf-8"))
    if recording["protocol"] != "anthropic_messages":
        pytest.skip("a recording of another protocol")
    original = recording["body"]
    call = decode_request(json.dumps(original).encode(), recording["headers"]).call
    assert _encoded(call, original["model"]) == original


SERVER_TOOL_HISTORY: dict[str, Any] = {
    "model": "claude-x",
    "max_tokens": 256,
    "messages": [
        {"role": "user", "content": "Search for LIP."},
        {
            "role": "assistant",
            "content": [
                {
                    "type": "server_tool_use",
                    "id": "srvtoolu_01",
                    "name": "web_search",
                    "input": {"query": "LIP gateway"},
                },
                {
                    "type": "web_search_tool_result",
                    "tool_use_id": "srvtoolu_01",
                    "content": [
                        {
                            "type": "web_search_result",
                            "url": "https://example.com/lip",
                            "title": "LIP",
                            "encrypted_content": "EqgfCioIARgBIiQ",
                        }
                    ],
                },
                {"type": "text", "text": "LIP is a gateway."},
            ],
        },
        {"role": "user", "content": "Thanks. And this?"},
    ],
}
USER_ONLY_BLOCKS = [
    {"type": "image", "source": {"type": "file", "file_id": "file_011CNha8iCJcU1wXNR6q4V8w"}},
    {
        "type": "search_result",
        "source": "https://example.com/doc",
        "title": "Doc",
        "content": [{"type": "text", "text": "The body."}],
    },
]


def test_blocks_with_no_canonical_meaning_go_back_to_anthropic_as_they_came() -> None:
    body = json.loads(json.dumps(SERVER_TOOL_HISTORY))
    body["messages"][2]["content"] = [*USER_ONLY_BLOCKS, {"type": "text", "text": "And this?"}]
    call = decode_request(json.dumps(body).encode(), HEADERS).call
    assert _encoded(call) == body


def test_server_tool_history_is_left_out_for_other_protocols() -> None:
    call = decode_request(json.dumps(SERVER_TOOL_HISTORY).encode(), HEADERS).call
    sent = json.loads(encode_chat(call, "gpt-x"))
    assert sent["messages"][1] == {"role": "assistant", "content": "LIP is a gateway."}


@pytest.mark.parametrize("block", USER_ONLY_BLOCKS, ids=lambda b: str(b["type"]))
def test_input_blocks_with_no_form_elsewhere_are_a_400_before_network(
    block: dict[str, Any],
) -> None:
    body = {**SERVER_TOOL_HISTORY, "messages": [{"role": "user", "content": [block]}]}
    call = decode_request(json.dumps(body).encode(), HEADERS).call
    with pytest.raises(InvalidRequestError, match=f"'{block['type']}'.*anthropic_messages"):
        encode_chat(call, "gpt-x")


def test_headers_of_the_client_are_passed_on() -> None:
    call = decode_request(json.dumps(_rich()).encode(), HEADERS).call
    assert AnthropicMessagesCodec().call_headers(call) == HEADERS
    plain = Call(id="c", protocol="openai_chat", model="m", messages=())
    assert AnthropicMessagesCodec().call_headers(plain) == {"anthropic-version": "2023-06-01"}


def test_an_openai_conversation_is_placed_the_anthropic_way() -> None:
    body = {
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
            {"role": "user", "content": "Thanks"},
        ],
        "parallel_tool_calls": False,
        "response_format": {"type": "json_object"},
        "seed": 7,
        "max_tokens": 100,
    }
    call = decode_chat(json.dumps(body).encode()).call
    sent = _encoded(call)
    assert sent["system"] == "Be brief."
    assert sent["max_tokens"] == 100
    assert [m["role"] for m in sent["messages"]] == ["user", "assistant", "user"]
    assert sent["messages"][1]["content"] == [
        {"type": "tool_use", "id": "call_1", "name": "w", "input": {"city": "Paris"}},
        {"type": "tool_use", "id": "call_2", "name": "w", "input": {"city": "Rome"}},
    ]
    # Both results, then the user's words, in the one user turn that answers the calls.
    assert sent["messages"][2]["content"] == [
        {"type": "tool_result", "tool_use_id": "call_1", "content": "sunny"},
        {"type": "tool_result", "tool_use_id": "call_2", "content": "rain"},
        {"type": "text", "text": "Thanks"},
    ]
    assert sent["output_config"] == {
        "format": {"type": "json_schema", "schema": {"type": "object"}}
    }
    assert "seed" not in sent  # no Anthropic field: a documented projection


def test_max_tokens_has_a_default_and_parallel_calls_off_is_said_on_tool_choice() -> None:
    call = Call(
        id="c",
        protocol="openai_chat",
        model="m",
        messages=(Message(role="user", parts=(TextPart(text="x"),)),),
        tools=(Tool(name="t", parameters={"type": "object"}),),
        options=Options(parallel_tool_calls=False, reasoning_effort="medium"),
    )
    sent = _encoded(call)
    assert sent["max_tokens"] == 4096
    assert sent["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}
    assert sent["thinking"] == {"type": "adaptive"} and sent["output_config"] == {
        "effort": "medium"
    }


def test_reasoning_is_replayed_only_with_an_anthropic_signature() -> None:
    foreign = ReasoningPart(text="openai thoughts", state=ProviderState(origin="openai_chat"))
    unsigned = ReasoningPart(text="no signature", state=ProviderState(origin="anthropic_messages"))
    signed = ReasoningPart(
        text="mine", state=ProviderState(origin="anthropic_messages", signature="s")
    )
    call = Call(
        id="c",
        protocol="openai_chat",
        model="m",
        messages=(
            Message(role="user", parts=(TextPart(text="x"),)),
            Message(role="assistant", parts=(foreign, unsigned, signed, TextPart(text="answer"))),
        ),
    )
    assert _encoded(call)["messages"][1]["content"] == [
        {"type": "thinking", "thinking": "mine", "signature": "s"},
        {"type": "text", "text": "answer"},
    ]


@pytest.mark.parametrize(
    "parts",
    [
        (AudioPart(data="AAA", format="wav"),),
        (ToolCallPart(id="c1", name="t", arguments="[1, 2]"),),
        (FilePart(data="UEsDBA==", media_type="application/zip", filename="a.zip"),),
        (FilePart(data="not base64!", media_type="text/plain"),),
    ],
)
def test_what_anthropic_cannot_take_is_refused_before_network(parts: tuple[Any, ...]) -> None:
    role = "assistant" if isinstance(parts[0], ToolCallPart) else "user"
    call = Call(
        id="c", protocol="openai_chat", model="m", messages=(Message(role=role, parts=parts),)
    )
    with pytest.raises(InvalidRequestError):
        encode_request(call, "m")


def test_a_server_tool_goes_only_to_anthropic() -> None:
    call = decode_request(json.dumps(_rich()).encode(), HEADERS).call
    assert _encoded(call)["tools"][1] == {
        "type": "web_search_20250305",
        "name": "web_search",
        "max_uses": 2,
    }
    # Offered only: another backend leaves it out (the model answers without it).
    offered = json.loads(encode_chat(call, "gpt-4o"))
    assert [t["function"]["name"] for t in offered["tools"]] == [call.tools[0].name]
    # Forced: a 400 before the network.
    forced = dataclasses.replace(
        call, tool_choice=ToolChoice(mode=ToolChoiceMode.NAMED, name="web_search")
    )
    with pytest.raises(
        InvalidRequestError, match="hosted by the anthropic_messages provider"
    ) as info:
        encode_chat(forced, "gpt-4o")
    assert info.value.param == "tools[1]"


def test_empty_text_is_not_sent_and_tool_results_go_first_as_blocks() -> None:
    result = ToolResultPart(
        call_id="c1", content=(TextPart(text="a"), TextPart(text="b")), is_error=True
    )
    call = Call(
        id="c",
        protocol="openai_chat",
        model="m",
        messages=(
            Message(role="user", parts=(TextPart(text=""), TextPart(text="hi"))),
            Message(role="tool", parts=(result,)),
        ),
        options=Options(response_format=ResponseFormat(kind=ResponseFormatKind.TEXT)),
    )
    sent = _encoded(call)
    assert sent["messages"] == [
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "c1",
                    "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
                    "is_error": True,
                },
                {"type": "text", "text": "hi"},
            ],
        }
    ]
    assert "output_config" not in sent


def test_inline_documents_go_as_pdf_or_as_decoded_text() -> None:
    text = base64.b64encode(b"plain words").decode()
    call = Call(
        id="c",
        protocol="openai_chat",
        model="m",
        messages=(
            Message(
                role="user",
                parts=(
                    FilePart(data="JVBERi0=", media_type="application/pdf"),
                    FilePart(data=text, media_type="text/plain; charset=utf-8"),
                ),
            ),
        ),
    )
    pdf, plain = _encoded(call)["messages"][0]["content"]
    assert pdf["source"] == {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="}
    assert plain["source"] == {"type": "text", "media_type": "text/plain", "data": "plain words"}
