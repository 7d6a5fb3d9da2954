"""OpenAI Chat request -> Call -> OpenAI Chat request is lossless."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lip.canonical import (
    CacheHint,
    Call,
    FilePart,
    ImagePart,
    InvalidRequestError,
    Message,
    Part,
    ProviderState,
    ReasoningPart,
    ResponseFormatKind,
    TextPart,
    ToolCallPart,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.openai_chat.backend import encode_request
from lip.protocols.openai_chat.request import ChatReplyShape
from lip.protocols.openai_chat.request import decode_request as decode


def decode_request(body: bytes) -> Call:
    return decode(body).call


TESTDATA = Path(__file__).parents[3] / "testdata" / "openai_chat" / "requests"

# Every canonical field, plus fields only OpenAI has and one unknown future field.
RICH = json.loads((TESTDATA / "rich.json").read_text(encoding="utf-8"))


def test_decodes_every_canonical_field() -> None:
    call = decode_request(json.dumps(RICH).encode())
    roles = [m.role for m in call.messages]
    assert roles == ["developer", "system", "user", "assistant", "tool", "assistant", "user"]
    user = call.messages[2]
    assert user.name == "ann"
    assert user.parts[0] == TextPart(text="look", cache=CacheHint())
    assert user.parts[1] == ImagePart(data="iVBORw0K", media_type="image/png", detail="low")
    assert user.parts[2].extensions == {
        "openai_chat": {"image_url": {"a_future_image_field": "hd"}}
    }
    assert user.parts[3] == FilePart(data="JVBERi0", media_type="application/pdf", filename="a.pdf")
    assert user.extensions["openai_chat"]["a_future_message_field"] == {"x": 1}
    reasoning, tool_call = call.messages[3].parts
    assert reasoning == ReasoningPart(
        text="user wants f", state=ProviderState(origin="openai_chat")
    )
    assert isinstance(tool_call, ToolCallPart) and tool_call.arguments == '{"x": 1}'
    assert tool_call.extensions == {
        "openai_chat": {"extra_content": {"google": {"thought_signature": "c2lnbmF0dXJl"}}}
    }
    assert call.messages[4].parts == (
        ToolResultPart(call_id="call_1", content=(TextPart(text="42"),)),
    )
    assert call.messages[5].parts == (TextPart(text="done", cache=CacheHint(ttl="1h")),)
    assert call.tools[0].cache == CacheHint()
    assert call.tool_choice is not None and call.tool_choice.mode is ToolChoiceMode.NAMED
    assert call.options.max_output_tokens == 50 and call.options.stop == ("END", "STOP")
    fmt = call.options.response_format
    assert (
        fmt is not None
        and fmt.kind is ResponseFormatKind.JSON_SCHEMA
        and fmt.schema == {"type": "object"}
    )
    assert call.extension("openai_chat") == {
        "logprobs": True,
        "top_logprobs": 2,
        "service_tier": "flex",
        "logit_bias": {"50256": -100},
        "a_future_vendor_field": {"nested": [1, 2]},
    }


@pytest.mark.parametrize("stream", [False, True])
def test_round_trip_is_lossless(stream: bool) -> None:
    original = {**RICH, "stream": stream}
    call = decode_request(json.dumps(original).encode())
    sent = json.loads(encode_request(call, "gpt-4o-mini"))
    expected = json.loads(json.dumps(original))
    if stream:
        expected["stream_options"] = {"include_usage": True}  # usage is always requested upstream
    else:
        expected.pop("stream")
    assert sent == expected


def test_round_trip_keeps_field_order_of_messages() -> None:
    call = decode_request(json.dumps(RICH).encode())
    sent = json.loads(encode_request(call, "gpt-4o-mini"))
    assert [list(m) for m in sent["messages"]] == [list(m) for m in RICH["messages"]]


def test_stream_options_shape_the_reply_not_the_call() -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    request = decode(json.dumps(body).encode())
    assert request.shape == ChatReplyShape(include_usage=True)
    assert "stream_options" not in request.call.extension("openai_chat")


def test_max_tokens_name_is_preserved() -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": "x"}], "max_tokens": 9}
    sent = json.loads(encode_request(decode_request(json.dumps(body).encode()), "m"))
    assert sent["max_tokens"] == 9 and "max_completion_tokens" not in sent


@pytest.mark.parametrize(
    "patch, param",
    [
        ({"n": 2}, "n"),
        ({"functions": [{"name": "f"}]}, "functions"),
        ({"tools": [{"type": "custom", "custom": {"name": "c"}}]}, "tools[0].type"),
    ],
)
def test_unsupported_features_are_rejected_not_dropped(
    patch: dict[str, object], param: str
) -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": "x"}], **patch}
    with pytest.raises(InvalidRequestError) as info:
        decode_request(json.dumps(body).encode())
    assert info.value.param == param


@pytest.mark.parametrize(
    "file",
    [{"file_data": "", "file_id": ""}, {"file_data": "", "file_id": "file-1"}, {"file_id": ""}],
)
def test_empty_file_sources_are_still_sources(file: dict[str, str]) -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": [{"type": "file", "file": file}]}],
    }
    (message,) = decode_request(json.dumps(body).encode()).messages
    (part,) = message.parts
    assert (part.data, part.file_id) == (file.get("file_data"), file.get("file_id"))  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("patch", "param"),
    [
        ({"messages": [{"role": "user", "content": "x"}] * 3}, "messages"),
        (
            {"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}] * 3}]},
            "messages",
        ),
        ({"tools": [{"type": "function", "function": {"name": "f"}}] * 3}, "tools"),
    ],
)
def test_counts_over_the_limits_are_refused(patch: dict[str, object], param: str) -> None:
    from lip.canonical import Limits

    body = {"model": "m", "messages": [{"role": "user", "content": "x"}], **patch}
    limits = Limits(max_messages=2, max_parts=2, max_tools=2)
    with pytest.raises(InvalidRequestError) as info:
        decode(json.dumps(body).encode(), limits)
    assert (info.value.param, info.value.code) == (param, "array_above_max_length")
    decode(json.dumps(body).encode())  # within the defaults


@pytest.mark.parametrize(
    "part",
    [ReasoningPart(text="thinking"), ToolCallPart(id="c1", name="f", arguments="{}")],
)
def test_parts_chat_content_cannot_hold_are_a_clear_400_not_a_500(part: Part) -> None:
    # Another protocol may carry these in a user turn (a Gemini thought or
    # function call); Chat content has no place for them.
    call = Call(
        id="c",
        protocol="gemini",
        model="m",
        messages=(Message(role="user", parts=(TextPart(text="hi"), part)),),
    )
    with pytest.raises(InvalidRequestError) as info:
        encode_request(call, "gpt-4o-mini")
    assert info.value.code == "unsupported_value"
    assert "cannot carry" in info.value.message
