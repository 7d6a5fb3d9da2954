"""OpenAI Chat request -> Call -> OpenAI Chat request is lossless."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lip.canonical import (
    FilePart,
    ImagePart,
    InvalidRequestError,
    ResponseFormatKind,
    TextPart,
    ToolCallPart,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.openai_chat.backend import encode_request
from lip.protocols.openai_chat.request import decode_request

TESTDATA = Path(__file__).parents[3] / "testdata" / "openai_chat" / "requests"

# Every canonical field, plus fields only OpenAI has and one unknown future field.
RICH = json.loads((TESTDATA / "rich.json").read_text(encoding="utf-8"))


def test_decodes_every_canonical_field() -> None:
    call = decode_request(json.dumps(RICH).encode())
    roles = [m.role for m in call.messages]
    assert roles == ["developer", "system", "user", "assistant", "tool"]
    user = call.messages[2]
    assert user.name == "ann"
    assert user.parts[1] == ImagePart(data="iVBORw0K", media_type="image/png", detail="low")
    assert user.parts[2] == ImagePart(url="https://example.com/cat.jpg")
    assert user.parts[3] == FilePart(data="JVBERi0", media_type="application/pdf", filename="a.pdf")
    assert call.messages[3].parts == (ToolCallPart(id="call_1", name="f", arguments='{"x": 1}'),)
    assert call.messages[4].parts == (
        ToolResultPart(call_id="call_1", content=(TextPart(text="42"),)),
    )
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
    # A text-only content array is sent as the equivalent plain string.
    expected["messages"][1]["content"] = "rules"
    if stream:
        expected["stream_options"] = {"include_usage": True}  # usage is always requested upstream
    else:
        expected.pop("stream")
    assert sent == expected


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
