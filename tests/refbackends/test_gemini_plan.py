"""A :class:`refbackends.plan.Plan` rendered on the Gemini wire: parts per
block, one chunk per piece, whole function calls, thought signatures (on
the thought and on the first call, minted so they round-trip), usage,
finish reasons and failures, unary and streamed (both framings). Every
body and chunk is checked against the generated wire model
(``gemini_wire``). Fixtures live in ``conftest.py``."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from google import genai
from google.genai import errors, types

from tests.refbackends.gemini_wire import (
    MODEL,
    array_chunks,
    body,
    check_error,
    cut_stream,
    fold,
    parts,
    post,
    queue,
    sse_chunks,
    stream,
    unary,
)

REASONED: Any = {
    "blocks": [
        {"reasoning": ["Six times ", "eight is 48."], "signature": "sig-parity-2"},
        {"tool_call": {"id": "call_1", "name": "calc", "arguments": ['{"a": ', "6, ", '"b": 8}']}},
        {"tool_call": {"id": "call_2", "name": "calc", "arguments": ['{"a": 1}']}},
    ],
    "usage": {"input": 30, "output": 12, "cached": 5, "reasoning": 10},
    "finish": "tool_calls",
}
SIGNATURE = base64.b64encode(b"sig-parity-2").decode()


def planned(
    http: httpx.Client, plan: object, payload: object = None, **options: Any
) -> dict[str, Any]:
    queue(http, {"plan": plan})
    return unary(http, payload or body(), **options)


def planned_stream(
    http: httpx.Client, plan: object, payload: object = None
) -> list[dict[str, Any]]:
    queue(http, {"plan": plan})
    return stream(http, payload or body())


def test_text_pieces_are_chunks_and_join_when_unary(ghttp: httpx.Client) -> None:
    plan = {"blocks": [{"text": ["Hel", "lo", " wörld"]}]}
    chunks = planned_stream(ghttp, plan)
    assert [parts(chunk) for chunk in chunks] == [
        [{"text": "Hel"}],
        [{"text": "lo"}],
        [{"text": " wörld"}],
    ]
    assert parts(planned(ghttp, plan)) == [{"text": "Hello wörld"}]


def test_reasoning_and_calls_unary(ghttp: httpx.Client) -> None:
    reply = planned(ghttp, REASONED)
    assert parts(reply) == [
        {"text": "Six times eight is 48.", "thought": True, "thoughtSignature": SIGNATURE},
        {
            "functionCall": {"name": "calc", "args": {"a": 6, "b": 8}, "id": "call_1"},
            "thoughtSignature": SIGNATURE,
        },
        {"functionCall": {"name": "calc", "args": {"a": 1}, "id": "call_2"}},
    ]
    assert reply["candidates"][0]["finishReason"] == "STOP"
    assert reply["usageMetadata"] == {
        "promptTokenCount": 30,
        "candidatesTokenCount": 2,
        "totalTokenCount": 42,
        "cachedContentTokenCount": 5,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 30}],
        "thoughtsTokenCount": 10,
    }


def test_reasoning_and_calls_streamed(ghttp: httpx.Client) -> None:
    chunks = planned_stream(ghttp, REASONED)
    assert [parts(chunk) for chunk in chunks] == [
        [{"text": "Six times ", "thought": True}],
        [{"text": "eight is 48.", "thought": True, "thoughtSignature": SIGNATURE}],
        [
            {
                "functionCall": {"name": "calc", "args": {"a": 6, "b": 8}, "id": "call_1"},
                "thoughtSignature": SIGNATURE,
            }
        ],
        [{"functionCall": {"name": "calc", "args": {"a": 1}, "id": "call_2"}}],
    ]
    assert all(chunk["usageMetadata"]["totalTokenCount"] == 42 for chunk in chunks)
    queue(ghttp, {"plan": REASONED})
    assert fold(chunks) == unary(ghttp, body())


def test_the_sdk_reads_the_plan_signature_as_bytes(
    gclient: genai.Client, ghttp: httpx.Client
) -> None:
    queue(ghttp, {"plan": REASONED})
    reply = gclient.models.generate_content(model=MODEL, contents="6 x 8?")
    content = reply.candidates[0].content if reply.candidates else None
    assert content is not None and content.parts is not None
    assert [part.thought_signature for part in content.parts] == [
        b"sig-parity-2",
        b"sig-parity-2",
        None,
    ]
    assert [call.id for call in reply.function_calls or []] == ["call_1", "call_2"]


def test_plan_signatures_are_minted(ghttp: httpx.Client) -> None:
    earlier = {
        "blocks": [
            {"reasoning": ["Six times seven is 42."], "signature": "sig-parity-earlier"},
            {"text": ["42"]},
        ]
    }
    sent = base64.b64encode(b"sig-parity-earlier").decode()

    def history(signature: str) -> dict[str, object]:
        model_turn = {
            "role": "model",
            "parts": [
                {"text": "Six times seven is 42.", "thought": True, "thoughtSignature": signature},
                {"text": "42"},
            ],
        }
        return {
            "contents": [
                {"role": "user", "parts": [{"text": "6 x 7?"}]},
                model_turn,
                {"role": "user", "parts": [{"text": "6 x 8?"}]},
            ]
        }

    refused = check_error(post(ghttp, history(sent)), 400, "INVALID_ARGUMENT")
    assert refused["message"] == "Corrupted thought signature."
    planned(ghttp, earlier)
    assert post(ghttp, history(sent)).status_code == 200
    assert post(ghttp, history(sent.rstrip("="))).status_code == 200  # padding is optional


@pytest.mark.parametrize(
    ("finish", "reason"),
    [
        ("stop", "STOP"),
        ("tool_calls", "STOP"),
        ("refusal", "STOP"),
        ("length", "MAX_TOKENS"),
        ("content_filter", "SAFETY"),
    ],
)
def test_finish_reasons(ghttp: httpx.Client, finish: str, reason: str) -> None:
    plan = {"blocks": [{"refusal": ["I can't", " help."]}], "finish": finish}
    reply = planned(ghttp, plan)
    assert reply["candidates"][0]["finishReason"] == reason
    assert parts(reply) == [{"text": "I can't help."}]
    assert planned_stream(ghttp, plan)[-1]["candidates"][0]["finishReason"] == reason


def test_empty_plan_and_empty_block(ghttp: httpx.Client) -> None:
    assert planned(ghttp, {"blocks": []})["candidates"][0]["content"] == {"role": "model"}
    (chunk,) = planned_stream(ghttp, {"blocks": [{"text": []}]})
    assert parts(chunk) == [{"text": ""}]


def test_default_usage_counts_the_plan(ghttp: httpx.Client) -> None:
    plan = {"blocks": [{"reasoning": ["a b c"]}, {"text": ["one two"]}]}
    usage = planned(ghttp, plan)["usageMetadata"]
    assert (usage["candidatesTokenCount"], usage["thoughtsTokenCount"]) == (2, 3)
    assert usage["promptTokenCount"] == 3


def test_arguments_that_are_not_an_object_are_refused(ghttp: httpx.Client) -> None:
    queue(
        ghttp,
        {"plan": {"blocks": [{"tool_call": {"id": "c", "name": "f", "arguments": ['{"a": ']}}]}},
    )
    error = check_error(post(ghttp, body()), 400, "INVALID_ARGUMENT")
    assert error["message"].startswith("Invalid emulator script: plan block 0 calls f")


# --- failures --------------------------------------------------------------------------------

FAILING: Any = {
    "blocks": [{"text": ["Hel", "lo"]}, {"text": ["never sent"]}],
    "failure": {"after_blocks": 1, "kind": "rate_limited"},
}


def test_error_failure_in_sse(ghttp: httpx.Client) -> None:
    queue(ghttp, {"plan": FAILING})
    response = post(ghttp, body(), method="streamGenerateContent", query="alt=sse")
    assert response.status_code == 200
    *chunks, error = sse_chunks(response.text)
    assert [parts(chunk) for chunk in chunks] == [[{"text": "Hel"}], [{"text": "lo"}]]
    assert error["error"]["code"] == 429 and error["error"]["status"] == "RESOURCE_EXHAUSTED"


def test_error_failure_in_a_json_array(ghttp: httpx.Client) -> None:
    queue(ghttp, {"plan": {**FAILING, "failure": {"after_blocks": 0, "kind": "overloaded"}}})
    (error,) = array_chunks(post(ghttp, body(), method="streamGenerateContent").text)
    assert error == {
        "error": {
            "code": 503,
            "message": "The model is overloaded. Please try again later.",
            "status": "UNAVAILABLE",
        }
    }


def test_error_failure_through_the_sdk(gclient: genai.Client, ghttp: httpx.Client) -> None:
    queue(ghttp, {"plan": FAILING})
    received: list[str | None] = []
    with pytest.raises(errors.ClientError) as caught:
        for chunk in gclient.models.generate_content_stream(model=MODEL, contents="x"):
            received.append(chunk.text)
    assert received == ["Hel", "lo"]
    assert (caught.value.code, caught.value.status) == (429, "RESOURCE_EXHAUSTED")


def test_cut_failure(ghttp: httpx.Client) -> None:
    queue(ghttp, {"plan": {**FAILING, "failure": {"after_blocks": 1, "mode": "cut"}}})
    text, message = cut_stream(
        ghttp, f"/v1beta/models/{MODEL}:streamGenerateContent?alt=sse", body()
    )
    assert [parts(chunk) for chunk in sse_chunks(text)] == [[{"text": "Hel"}], [{"text": "lo"}]]
    assert "peer closed connection" in message
    queue(
        ghttp, {"plan": {**FAILING, "failure": {"after_blocks": 1, "mode": "cut"}}, "cut_after": 1}
    )
    text, _ = cut_stream(ghttp, f"/v1beta/models/{MODEL}:streamGenerateContent?alt=sse", body())
    assert len(sse_chunks(text)) == 1  # the earlier cut wins


def test_unary_failure_is_a_500(ghttp: httpx.Client) -> None:
    queue(ghttp, {"plan": FAILING})
    check_error(post(ghttp, body()), 500, "INTERNAL")


def test_plans_through_both_api_versions(gclient: genai.Client, ghttp: httpx.Client) -> None:
    queue(ghttp, {"plan": {"blocks": [{"text": ["a", "b"]}], "finish": "length"}})
    chunks = list(gclient.models.generate_content_stream(model="anthropic:claude-x", contents="x"))
    assert [chunk.text for chunk in chunks] == ["a", "b"]
    last = chunks[-1].candidates[0] if chunks[-1].candidates else None
    assert last is not None and last.finish_reason == types.FinishReason.MAX_TOKENS
