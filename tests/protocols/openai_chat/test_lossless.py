"""OpenAI Chat -> canonical -> OpenAI Chat loses nothing, requests and replies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lip.canonical import collect
from lip.protocols.openai_chat.backend import encode_request
from lip.protocols.openai_chat.request import decode_request
from lip.protocols.openai_chat.response import ChatStreamEncoder, encode_response
from lip.protocols.openai_chat.upstream import ChatStreamDecoder, decode_response
from lip.sse import SSEDecoder

TESTDATA = Path(__file__).parents[3] / "testdata" / "openai_chat"
REPLY = json.loads((TESTDATA / "replies" / "rich.json").read_text(encoding="utf-8"))


def _relay_unary(upstream: dict[str, Any]) -> dict[str, Any]:
    call = decode_request(b'{"model":"m","messages":[{"role":"user","content":"x"}]}')
    response = collect(decode_response(json.dumps(upstream).encode()))
    out: dict[str, Any] = json.loads(encode_response(response, call).body)
    return out


def test_rich_reply_relays_losslessly() -> None:
    """logprobs, annotations, reasoning_content, a tool call's extra_content,
    usage details, service_tier, system_fingerprint and an unknown field."""
    relayed = _relay_unary(REPLY)
    assert relayed == REPLY
    assert list(relayed) == list(REPLY)  # and in OpenAI's field order


def _chunks(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """The stream an OpenAI upstream sends for ``reply``, token by token."""
    choice, message = reply["choices"][0], reply["choices"][0]["message"]
    top = {k: reply[k] for k in ("id", "object", "created", "model")} | {
        "object": "chat.completion.chunk"
    }
    extra = {k: reply[k] for k in ("service_tier", "system_fingerprint", "a_future_reply_field")}

    def chunk(delta: dict[str, Any], **choice_fields: Any) -> dict[str, Any]:
        fields = {"logprobs": None, "finish_reason": None} | choice_fields
        return top | {"choices": [{"index": 0, "delta": delta} | fields]} | extra

    out = [chunk({"role": "assistant", "content": "", "refusal": None})]
    out += [chunk({"reasoning_content": p}) for p in ("check ", "the weather")]
    out.append(chunk({"content": "Paris"}, logprobs=choice["logprobs"]))
    out.append(chunk({"content": " is sunny."}))
    out.append(chunk({"annotations": message["annotations"]}))
    call = message["tool_calls"][0]
    out.append(
        chunk(
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": call["id"],
                        "type": "function",
                        "function": {"name": call["function"]["name"], "arguments": ""},
                        "extra_content": call["extra_content"],
                    }
                ]
            }
        )
    )
    out.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city":'}}]}))
    out.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]}))
    out.append(chunk({}, finish_reason="tool_calls"))
    out.append(top | {"choices": [], "usage": reply["usage"]} | extra)
    return out


def test_rich_stream_folds_to_the_rich_reply() -> None:
    wire = "".join(f"data: {json.dumps(c)}\n\n" for c in _chunks(REPLY)) + "data: [DONE]\n\n"
    sse, decoder = SSEDecoder(), ChatStreamDecoder()
    events = [e for f in sse.feed(wire.encode()) for e in decoder.feed(f)] + decoder.close()
    response = collect(events)
    request = decode_request(b'{"model":"m","messages":[{"role":"user","content":"x"}]}')
    assert json.loads(encode_response(response, request).body) == REPLY
    # and re-encoded as a stream, every chunk carries what the upstream's did
    encoder = ChatStreamEncoder(include_usage=True)
    relayed = b"".join(encoder.encode(e) for e in events) + encoder.close()
    frames = [json.loads(f.data) for f in SSEDecoder().feed(relayed) if f.data != "[DONE]"]
    assert all(f["system_fingerprint"] == "fp_rich" for f in frames)
    assert frames[-1]["usage"] == REPLY["usage"]
    logprobs = [f["choices"][0]["logprobs"] for f in frames if f["choices"]]
    assert [p for p in logprobs if p] == [REPLY["choices"][0]["logprobs"]]


# -- property: every representable request survives the round trip

_text = st.text(max_size=8)
_extra = st.dictionaries(
    st.sampled_from(["x_future", "y_future"]), st.integers() | st.text(max_size=3), max_size=1
)
_part = st.builds(
    lambda text, cache, extra: (
        {"type": "text", "text": text}
        | ({"cache_control": {"type": "ephemeral"}} if cache else {})
        | extra
    ),
    _text,
    st.booleans(),
    _extra,
)
_content = _text | st.lists(_part, min_size=1, max_size=3)
_user = st.builds(
    lambda role, content, extra: {"role": role, "content": content} | extra,
    st.sampled_from(["user", "system", "developer"]),
    _content,
    _extra,
)
_call = st.builds(
    lambda n, args, extra: (
        {
            "id": f"call_{n}",
            "type": "function",
            "function": {"name": f"f{n}", "arguments": args},
        }
        | extra
    ),
    st.integers(0, 9),
    _text,
    _extra,
)
_assistant = st.builds(
    lambda content, calls, reasoning: (
        {"role": "assistant", "content": content}
        | ({"tool_calls": calls} if calls else {})
        | ({"reasoning_content": reasoning} if reasoning is not None else {})
    ),
    _content,
    st.lists(_call, max_size=2),
    st.none() | _text,
)
_tool = st.builds(
    lambda n, content: {"role": "tool", "tool_call_id": f"call_{n}", "content": content},
    st.integers(0, 9),
    _content,
)
_request = st.builds(
    lambda messages, extra: {"model": "m", "messages": messages} | extra,
    st.lists(_user | _assistant | _tool, min_size=1, max_size=5),
    st.dictionaries(st.sampled_from(["service_tier", "z_future"]), _text, max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(_request)
def test_representable_requests_round_trip(original: dict[str, Any]) -> None:
    call = decode_request(json.dumps(original).encode()).call
    assert json.loads(encode_request(call, "m")) == original


# -- a choice's fields beyond the schema (vLLM sends stop_reason on every chunk)

_VLLM_TOP = {"id": "chatcmpl-v", "created": 1, "model": "m"}


def _vllm_chunk(delta: dict[str, Any], finish: str | None, stop: str | None) -> dict[str, Any]:
    choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
    return {
        **_VLLM_TOP,
        "object": "chat.completion.chunk",
        "choices": [choice | {"stop_reason": stop}],
    }


def test_a_choices_unknown_fields_relay_in_a_unary_reply() -> None:
    reply = {
        **_VLLM_TOP,
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "hi", "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
                "stop_reason": "</s>",
            }
        ],
    }
    assert _relay_unary(reply)["choices"][0]["stop_reason"] == "</s>"


def test_a_choices_unknown_fields_relay_in_a_stream_and_its_fold() -> None:
    chunks = [
        _vllm_chunk({"role": "assistant", "content": ""}, None, None),
        _vllm_chunk({"content": "hi"}, None, None),
        _vllm_chunk({}, "stop", "</s>"),
    ]
    wire = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    sse, decoder = SSEDecoder(), ChatStreamDecoder()
    events = [e for f in sse.feed(wire.encode()) for e in decoder.feed(f)] + decoder.close()
    encoder = ChatStreamEncoder(include_usage=False)
    relayed = b"".join(encoder.encode(e) for e in events) + encoder.close()
    frames = [json.loads(f.data) for f in SSEDecoder().feed(relayed) if f.data != "[DONE]"]
    stops = [f["choices"][0].get("stop_reason", "absent") for f in frames]
    assert stops[-2:] == [None, "</s>"]  # the text chunk, then the finishing one
    assert frames[-1]["choices"][0]["finish_reason"] == "stop"
    request = decode_request(b'{"model":"m","messages":[{"role":"user","content":"x"}]}')
    folded = json.loads(encode_response(collect(events), request).body)
    assert folded["choices"][0]["stop_reason"] == "</s>"
