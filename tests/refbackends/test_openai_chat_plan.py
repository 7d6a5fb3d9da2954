"""Rendering a scripted :class:`refbackends.plan.Plan` on the OpenAI Chat
wire: raw frames to the delta, unary joins, usage and finish mapping,
failures, plan validation, and the official SDK parsing all of it, over a
real loopback socket. Fixtures live in ``conftest.py``."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import openai
import pytest

USER: Any = [{"role": "user", "content": "hello there world"}]

REASONING = {"reasoning": ["Let me ", "think."], "signature": "sig-opaque"}
TEXT = {"text": ["Hel", "lo, ", "wör", "ld 🌍"]}
REFUSAL = {"refusal": ["I can't ", "help."]}
CALL_A = {
    "tool_call": {"id": "call_a", "name": "get_weather", "arguments": ['{"ci', 'ty":', '"Paris"}']}
}
CALL_B = {"tool_call": {"id": "call_b", "name": "get_time", "arguments": []}}
USAGE = {"input": 120, "output": 45, "cached": 100, "reasoning": 30}

EVERY_KIND = {"blocks": [REASONING, TEXT, CALL_A, CALL_B], "finish": "tool_calls", "usage": USAGE}


def queue(http: httpx.Client, *scripts: object) -> None:
    http.post("/__emulator__/scripts", json=list(scripts)).raise_for_status()


def stream_frames(http: httpx.Client, **extra: object) -> list[str]:
    """The ``data:`` payloads of a streamed reply, in order."""
    body = {"model": "gpt-4o", "messages": USER, "stream": True, **extra}
    response = http.post("/v1/chat/completions", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    return [frame.removeprefix("data: ") for frame in response.text.split("\n\n") if frame]


def chunks_of(frames: list[str]) -> list[dict[str, Any]]:
    return [json.loads(frame) for frame in frames if frame != "[DONE]"]


def deltas_of(frames: list[str]) -> list[dict[str, Any]]:
    return [chunk["choices"][0]["delta"] for chunk in chunks_of(frames) if chunk["choices"]]


def unary(http: httpx.Client, **extra: object) -> httpx.Response:
    return http.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": USER, **extra})


# --- streamed: one delta per piece ---------------------------------------------


def test_every_block_kind_streams_one_delta_per_piece_in_order(http: httpx.Client) -> None:
    queue(http, {"plan": EVERY_KIND})
    frames = stream_frames(http)
    assert frames[-1] == "[DONE]"
    assert deltas_of(frames) == [
        {"role": "assistant", "content": "", "refusal": None},
        {"reasoning_content": "Let me "},
        {"reasoning_content": "think."},
        {"content": "Hel"},
        {"content": "lo, "},
        {"content": "wör"},
        {"content": "ld 🌍"},
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_a",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
            ]
        },
        {"tool_calls": [{"index": 0, "function": {"arguments": '{"ci'}}]},
        {"tool_calls": [{"index": 0, "function": {"arguments": 'ty":'}}]},
        {"tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]},
        {
            "tool_calls": [
                {
                    "index": 1,
                    "id": "call_b",
                    "type": "function",
                    "function": {"name": "get_time", "arguments": ""},
                }
            ]
        },
        {},
    ]
    chunks = chunks_of(frames)
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    # The usual per-chunk fields survive; no usage chunk without include_usage.
    assert {c["id"] for c in chunks} == {chunks[0]["id"]}
    for chunk in chunks:
        assert chunk["object"] == "chat.completion.chunk"
        assert chunk["model"] == "gpt-4o"
        assert {"created", "service_tier", "system_fingerprint", "obfuscation"} <= set(chunk)
        assert "usage" not in chunk
    assert "sig-opaque" not in "".join(frames)


def test_refusal_stream_and_role_chunk(http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [REFUSAL], "finish": "refusal"}})
    frames = stream_frames(http)
    assert deltas_of(frames) == [
        {"role": "assistant", "content": None, "refusal": ""},
        {"refusal": "I can't "},
        {"refusal": "help."},
        {},
    ]
    assert chunks_of(frames)[-1]["choices"][0]["finish_reason"] == "stop"


def test_tool_call_only_role_chunk_has_null_content(http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [CALL_B], "finish": "tool_calls"}})
    deltas = deltas_of(stream_frames(http))
    assert deltas[0] == {"role": "assistant", "content": None, "refusal": None}
    assert deltas[1]["tool_calls"][0]["id"] == "call_b"
    assert len(deltas) == 3


def test_include_usage_adds_null_usage_and_a_usage_chunk(http: httpx.Client) -> None:
    queue(http, {"plan": EVERY_KIND})
    frames = stream_frames(http, stream_options={"include_usage": True})
    chunks = chunks_of(frames)
    assert all(chunk["usage"] is None for chunk in chunks[:-1])
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {
        "prompt_tokens": 120,
        "completion_tokens": 45,
        "total_tokens": 165,
        "prompt_tokens_details": {"cached_tokens": 100, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 30,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }
    assert chunks[-2]["choices"][0]["finish_reason"] == "tool_calls"
    assert frames[-1] == "[DONE]"


def test_n_choices_each_answer_the_plan(http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [TEXT]}})
    chunks = chunks_of(stream_frames(http, n=2))
    for index in (0, 1):
        mine = [c["choices"][0] for c in chunks if c["choices"][0]["index"] == index]
        assert "".join(choice["delta"].get("content") or "" for choice in mine) == "Hello, wörld 🌍"
        assert mine[-1]["finish_reason"] == "stop"


def test_chunk_delay_and_delay_still_apply(http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [TEXT]}, "chunk_delay_ms": 30, "delay_ms": 50})
    started = time.monotonic()
    frames = stream_frames(http)
    # 7 frames (role, 4 pieces, finish, [DONE]): 50 ms + 6 gaps of 30 ms.
    assert len(frames) == 7
    assert time.monotonic() - started >= 0.05 + 6 * 0.03 - 0.02


# --- unary: joined -----------------------------------------------------------------


def test_unary_joins_every_kind(http: httpx.Client) -> None:
    queue(http, {"plan": EVERY_KIND})
    body = unary(http).json()
    assert body["object"] == "chat.completion"
    choice = body["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"] == {
        "role": "assistant",
        "content": "Hello, wörld 🌍",
        "refusal": None,
        "reasoning_content": "Let me think.",
        "tool_calls": [
            {
                "id": "call_a",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
            },
            {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": ""}},
        ],
        "annotations": [],
    }
    assert body["usage"]["prompt_tokens"] == 120
    assert body["usage"]["prompt_tokens_details"]["cached_tokens"] == 100
    assert body["usage"]["completion_tokens_details"]["reasoning_tokens"] == 30


@pytest.mark.parametrize(
    ("blocks", "content", "refusal"),
    [
        ([], "", None),
        ([REASONING], "", None),
        ([CALL_A], None, None),
        ([REFUSAL], None, "I can't help."),
        ([TEXT, REFUSAL], "Hello, wörld 🌍", "I can't help."),
        ([{"text": []}, CALL_A], "", None),
    ],
)
def test_unary_content_is_null_only_for_calls_or_refusals(
    http: httpx.Client, blocks: list[object], content: str | None, refusal: str | None
) -> None:
    queue(http, {"plan": {"blocks": blocks}}, {"plan": {"blocks": blocks}})
    message = unary(http).json()["choices"][0]["message"]
    assert (message["content"], message["refusal"]) == (content, refusal)
    assert ("reasoning_content" in message) == (REASONING in blocks)
    # The role chunk announces the same content/refusal the unary reply has.
    role = deltas_of(stream_frames(http))[0]
    assert role["content"] == (None if content is None else "")
    assert role["refusal"] == (None if refusal is None else "")


@pytest.mark.parametrize(
    ("finish", "wire"),
    [
        ("stop", "stop"),
        ("length", "length"),
        ("tool_calls", "tool_calls"),
        ("content_filter", "content_filter"),
        ("refusal", "stop"),
    ],
)
def test_finish_mapping(http: httpx.Client, finish: str, wire: str) -> None:
    plan = {"blocks": [TEXT], "finish": finish}
    queue(http, {"plan": plan}, {"plan": plan})
    assert unary(http).json()["choices"][0]["finish_reason"] == wire
    assert chunks_of(stream_frames(http))[-1]["choices"][0]["finish_reason"] == wire


def test_usage_without_plan_usage_is_counted(http: httpx.Client) -> None:
    plan = {"blocks": [REASONING, {"text": ["one two ", "three"]}]}
    queue(http, {"plan": plan})
    usage = unary(http).json()["usage"]
    # 3 prompt words; 3 text words + 3 reasoning words.
    assert (usage["prompt_tokens"], usage["completion_tokens"], usage["total_tokens"]) == (3, 6, 9)
    assert usage["prompt_tokens_details"]["cached_tokens"] == 0
    assert usage["completion_tokens_details"]["reasoning_tokens"] == 3


def test_usage_optional_parts_default_to_zero(http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [TEXT], "usage": {"input": 5, "output": 6}}})
    usage = unary(http).json()["usage"]
    assert (usage["prompt_tokens"], usage["completion_tokens"], usage["total_tokens"]) == (5, 6, 11)
    assert usage["prompt_tokens_details"]["cached_tokens"] == 0
    assert usage["completion_tokens_details"]["reasoning_tokens"] == 0


def test_request_is_still_validated(http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [TEXT]}})
    response = http.post("/v1/chat/completions", json={"model": "m", "messages": []})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_plan_with_an_error_status_answers_that_status(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    queue(http, {"plan": {"blocks": [TEXT]}, "status": 429, "retry_after": 3})
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="m", messages=USER)
    assert caught.value.response.headers["retry-after"] == "3"


# --- failures ------------------------------------------------------------------------

ERRORS = [
    (
        "rate_limited",
        {
            "message": "Rate limit reached for requests",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        },
    ),
    (
        "overloaded",
        {
            "message": "The server is overloaded",
            "type": "server_error",
            "param": None,
            "code": "server_overloaded",
        },
    ),
    (
        "server_error",
        {
            "message": "The server had an error while processing your request. Sorry about that!",
            "type": "server_error",
            "param": None,
            "code": None,
        },
    ),
]


@pytest.mark.parametrize(("kind", "error"), ERRORS)
def test_failure_error_after_whole_blocks(http: httpx.Client, kind: str, error: object) -> None:
    failure = {"after_blocks": 2, "mode": "error", "kind": kind}
    queue(http, {"plan": {**EVERY_KIND, "failure": failure}})
    frames = stream_frames(http, stream_options={"include_usage": True})
    assert json.loads(frames[-1]) == {"error": error}
    deltas = deltas_of(frames[:-1])
    assert len(deltas) == 1 + 2 + 4  # role, 2 reasoning, 4 text pieces
    assert deltas[-1] == {"content": "ld 🌍"}
    assert "[DONE]" not in frames
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks_of(frames[:-1]))


@pytest.mark.parametrize(("kind", "error"), ERRORS)
def test_sdk_raises_the_in_stream_error(
    client: openai.OpenAI, http: httpx.Client, kind: str, error: dict[str, object]
) -> None:
    failure = {"after_blocks": 1, "kind": kind}
    queue(http, {"plan": {"blocks": [TEXT, REFUSAL], "failure": failure}})
    seen: list[str] = []
    with pytest.raises(openai.APIError) as caught:
        for chunk in client.chat.completions.create(model="m", messages=USER, stream=True):
            seen.append(chunk.choices[0].delta.content or "")
    assert "".join(seen) == "Hello, wörld 🌍"
    assert (caught.value.message, caught.value.type, caught.value.code) == (
        error["message"],
        error["type"],
        error["code"],
    )


def test_failure_before_any_block_sends_only_the_role_chunk(http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [TEXT], "failure": {"after_blocks": 0}}})
    frames = stream_frames(http)
    assert len(frames) == 2
    assert deltas_of(frames[:1]) == [{"role": "assistant", "content": "", "refusal": None}]
    assert json.loads(frames[1])["error"]["type"] == "server_error"


@pytest.mark.parametrize("after", [0, 2, 3, 4])
def test_failure_cut_drops_the_connection_after_whole_blocks(
    http: httpx.Client, after: int
) -> None:
    failure = {"after_blocks": after, "mode": "cut"}
    queue(http, {"plan": {**EVERY_KIND, "failure": failure}})
    received: list[bytes] = []
    body = {"model": "m", "messages": USER, "stream": True}
    with http.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            for chunk in response.iter_bytes():
                received.append(chunk)
    frames = [f.removeprefix("data: ") for f in b"".join(received).decode().split("\n\n") if f]
    expected = 1 + [0, 2, 6, 10, 11][after]  # role chunk + the pieces of `after` blocks
    assert len(frames) == expected
    assert all("error" not in json.loads(frame) for frame in frames)
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks_of(frames))


def test_script_cut_after_still_applies_and_the_earlier_cut_wins(http: httpx.Client) -> None:
    failure = {"after_blocks": 2, "mode": "cut"}
    queue(http, {"plan": {**EVERY_KIND, "failure": failure}, "cut_after": 2})
    body = {"model": "m", "messages": USER, "stream": True}
    received: list[bytes] = []
    with (
        http.stream("POST", "/v1/chat/completions", json=body) as response,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        for chunk in response.iter_bytes():
            received.append(chunk)
    assert b"".join(received).count(b"data: ") == 2


def test_sdk_sees_a_cut_as_a_connection_error(client: openai.OpenAI, http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [TEXT, TEXT], "failure": {"after_blocks": 1, "mode": "cut"}}})
    seen: list[str] = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in client.chat.completions.create(model="m", messages=USER, stream=True):
            seen.append(chunk.choices[0].delta.content or "")
    assert "".join(seen) == "Hello, wörld 🌍"


@pytest.mark.parametrize("mode", ["error", "cut"])
def test_unary_with_a_failure_is_a_500(
    client: openai.OpenAI, http: httpx.Client, mode: str
) -> None:
    queue(http, {"plan": {"blocks": [TEXT], "failure": {"after_blocks": 1, "mode": mode}}})
    with pytest.raises(openai.InternalServerError) as caught:
        client.chat.completions.create(model="m", messages=USER)
    assert caught.value.status_code == 500
    assert caught.value.type == "server_error"


# --- plan validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "needle"),
    [
        ({"plan": {"blocks": [{"text": ["a"], "reasoning": ["b"]}]}}, "exactly one of"),
        ({"plan": {"blocks": [{"text": [], "refusal": ["b"]}]}}, "exactly one of"),
        ({"plan": {"blocks": [{}]}}, "exactly one of"),
        ({"plan": {"blocks": [{"text": ["a"], "signature": "s"}]}}, "signature"),
        ({"plan": {"blocks": [TEXT], "failure": {"after_blocks": 2}}}, "past the last block"),
        ({"plan": {"blocks": [TEXT]}, "text": "x"}, "cannot be combined with text"),
        ({"plan": {"blocks": [TEXT]}, "scenario": "long"}, "cannot be combined with scenario"),
        ({"plan": {"blocks": [TEXT]}, "tool_calls": [{"name": "f"}]}, "combined with tool_calls"),
        ({"plan": {"finish": "done"}}, "plan.finish"),
        ({"plan": {"usage": {"input": 1, "output": 1, "cached": 2}}}, "usage.cached"),
        ({"plan": {"usage": {"input": 1, "output": 1, "reasoning": 2}}}, "usage.reasoning"),
        ({"plan": {"failure": {"after_blocks": 0, "mode": "hang"}}}, "plan.failure.mode"),
        ({"plan": {"blocks": [{"tool_call": {"id": "", "name": "f"}}]}}, "tool_call.id"),
        ({"plan": {"colour": "red"}}, "plan.colour"),
    ],
)
def test_invalid_plans_are_control_plane_errors(
    http: httpx.Client, script: object, needle: str
) -> None:
    response = http.post("/__emulator__/scripts", json=[{"plan": {"blocks": [TEXT]}}, script])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "emulator_error"
    assert error["message"].startswith("invalid script [1]: ")
    assert needle in error["message"]
    assert http.get("/__emulator__/scripts").json() == {"pending": []}


def test_plan_header(http: httpx.Client) -> None:
    plan = json.dumps({"blocks": [{"text": ["from ", "header"]}], "finish": "length"})
    response = http.post(
        "/v1/chat/completions",
        json={"model": "m", "messages": USER},
        headers={"x-emulator-plan": plan},
    )
    choice = response.json()["choices"][0]
    assert (choice["message"]["content"], choice["finish_reason"]) == ("from header", "length")
    for bad, needle in [
        ("{not json", "must be a JSON object"),
        ('{"blocks": [{}]}', "exactly one"),
    ]:
        response = http.post(
            "/v1/chat/completions",
            json={"model": "m", "messages": USER},
            headers={"x-emulator-plan": bad},
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "emulator_script_error"
        assert needle in response.json()["error"]["message"]


def test_pending_plans_are_listed_and_logged(http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [TEXT]}, "chunk_delay_ms": 1})
    assert http.get("/__emulator__/scripts").json() == {
        "pending": [{"plan": {"blocks": [{"text": list(TEXT["text"])}]}, "chunk_delay_ms": 1}]
    }
    unary(http)
    logged = http.get("/__emulator__/requests").json()["data"][0]
    assert logged["script"]["plan"]["blocks"] == [{"text": list(TEXT["text"])}]


# --- the official SDK ------------------------------------------------------------


def test_sdk_parses_the_unary_reply(client: openai.OpenAI, http: httpx.Client) -> None:
    queue(http, {"plan": EVERY_KIND})
    completion = client.chat.completions.create(model="m", messages=USER)
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "Hello, wörld 🌍"
    assert (choice.message.model_extra or {})["reasoning_content"] == "Let me think."
    calls = choice.message.tool_calls or []
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == [  # type: ignore[union-attr]
        ("call_a", "get_weather", '{"city":"Paris"}'),
        ("call_b", "get_time", ""),
    ]
    usage = completion.usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (120, 45, 165)
    assert usage.prompt_tokens_details is not None
    assert usage.prompt_tokens_details.cached_tokens == 100
    assert usage.completion_tokens_details is not None
    assert usage.completion_tokens_details.reasoning_tokens == 30


def test_sdk_parses_raw_stream_deltas(client: openai.OpenAI, http: httpx.Client) -> None:
    queue(http, {"plan": EVERY_KIND})
    chunks = list(
        client.chat.completions.create(
            model="m", messages=USER, stream=True, stream_options={"include_usage": True}
        )
    )
    deltas = [chunk.choices[0].delta for chunk in chunks if chunk.choices]
    assert deltas[0].role == "assistant"
    reasoning = [(d.model_extra or {}).get("reasoning_content") for d in deltas]
    assert [piece for piece in reasoning if piece] == ["Let me ", "think."]
    assert [d.content for d in deltas if d.content] == ["Hel", "lo, ", "wör", "ld 🌍"]
    fragments = [
        (call.index, call.id, call.function.name if call.function else None)
        for d in deltas
        for call in d.tool_calls or []
    ]
    assert fragments == [
        (0, "call_a", "get_weather"),
        (0, None, None),
        (0, None, None),
        (0, None, None),
        (1, "call_b", "get_time"),
    ]
    assert chunks[-2].choices[0].finish_reason == "tool_calls"
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 165


def test_sdk_stream_helper_folds_to_the_unary_reply(
    client: openai.OpenAI, http: httpx.Client
) -> None:
    queue(http, {"plan": EVERY_KIND}, {"plan": EVERY_KIND})
    expected = client.chat.completions.create(model="m", messages=USER).choices[0]
    with client.chat.completions.stream(
        model="m", messages=USER, stream_options={"include_usage": True}
    ) as stream:
        final = stream.get_final_completion()
    choice = final.choices[0]
    assert choice.finish_reason == expected.finish_reason == "tool_calls"
    assert choice.message.content == expected.message.content
    assert choice.message.refusal is None
    assert (choice.message.model_extra or {})["reasoning_content"] == "Let me think."
    calls = [(c.id, c.function.name, c.function.arguments) for c in choice.message.tool_calls or []]
    assert calls == [
        (c.id, c.function.name, c.function.arguments)  # type: ignore[union-attr]
        for c in expected.message.tool_calls or []
    ]
    assert final.usage is not None and final.usage.completion_tokens_details is not None
    assert final.usage.completion_tokens_details.reasoning_tokens == 30


def test_sdk_stream_helper_folds_a_refusal(client: openai.OpenAI, http: httpx.Client) -> None:
    queue(http, {"plan": {"blocks": [REFUSAL], "finish": "refusal"}})
    with client.chat.completions.stream(model="m", messages=USER) as stream:
        final = stream.get_final_completion()
    message = final.choices[0].message
    assert (message.content, message.refusal) == (None, "I can't help.")
    assert final.choices[0].finish_reason == "stop"
    assert "reasoning_content" not in (message.model_extra or {})
