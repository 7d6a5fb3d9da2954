"""Scripting the Gemini emulator: status scripts (and what the SDK makes of
them), scenarios, forced replies, timing, cuts, the script queue and the
request log, over a real loopback socket. Every body and chunk is checked
against the generated wire model (``gemini_wire``). Fixtures live in
``conftest.py``."""

from __future__ import annotations

import json
import time

import httpx
import httpx2
import pytest
from google import genai
from google.genai import errors, types

from tests.refbackends.gemini_wire import (
    PLAIN,
    WEATHER,
    body,
    check_error,
    cut_stream,
    logged,
    parts,
    post,
    queue,
    sse_chunks,
    stream,
    unary,
)

# --- scripted statuses ----------------------------------------------------------------------

STATUSES: list[tuple[int, type[errors.APIError], str]] = [
    (400, errors.ClientError, "INVALID_ARGUMENT"),
    (401, errors.ClientError, "UNAUTHENTICATED"),
    (403, errors.ClientError, "PERMISSION_DENIED"),
    (404, errors.ClientError, "NOT_FOUND"),
    (429, errors.ClientError, "RESOURCE_EXHAUSTED"),
    (500, errors.ServerError, "INTERNAL"),
    (503, errors.ServerError, "UNAVAILABLE"),
    (504, errors.ServerError, "DEADLINE_EXCEEDED"),
]


@pytest.mark.parametrize(("status", "exc_type", "name"), STATUSES)
def test_status_scripts_raise_the_sdk_error(
    gclient: genai.Client, status: int, exc_type: type[errors.APIError], name: str
) -> None:
    config = types.GenerateContentConfig(
        http_options=types.HttpOptions(headers={"x-emulator-status": str(status)})
    )
    with pytest.raises(exc_type) as caught:
        gclient.models.generate_content(model=PLAIN, contents="x", config=config)
    error = caught.value
    assert (error.code, error.status) == (status, name)
    assert error.message


def test_rate_limit_carries_retry_info(gclient: genai.Client, ghttp: httpx.Client) -> None:
    queue(ghttp, {"status": 429})
    with pytest.raises(errors.ClientError) as caught:
        gclient.models.generate_content(model=PLAIN, contents="x")
    details = caught.value.details["error"]["details"]
    assert {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"} in details
    assert caught.value.response.headers["retry-after"] == "7"
    assert "Please retry in 7s." in (caught.value.message or "")


def test_scripted_retry_after_sets_both(ghttp: httpx.Client) -> None:
    queue(ghttp, {"status": 429, "retry_after": 3})
    response = post(ghttp, body())
    error = check_error(response, 429, "RESOURCE_EXHAUSTED")
    assert error["details"][-1] == {
        "@type": "type.googleapis.com/google.rpc.RetryInfo",
        "retryDelay": "3s",
    }
    assert response.headers["retry-after"] == "3"


def test_unlisted_statuses(ghttp: httpx.Client) -> None:
    queue(ghttp, {"status": 529}, {"status": 418}, {"status": 201})
    check_error(post(ghttp, body()), 529, "UNKNOWN")
    check_error(post(ghttp, body()), 418, "FAILED_PRECONDITION")
    success = post(ghttp, body(), model=PLAIN)
    assert success.status_code == 201 and parts(success.json()) == [
        {"text": "Echo: hello there world"}
    ]


def test_status_scripts_apply_to_streams(ghttp: httpx.Client) -> None:
    queue(ghttp, {"status": 503})
    response = post(ghttp, body(), method="streamGenerateContent", query="alt=sse")
    assert check_error(response, 503, "UNAVAILABLE")["message"] == (
        "The model is overloaded. Please try again later."
    )


# --- scenarios and forced replies ----------------------------------------------------------


def test_finish_scenarios(gclient: genai.Client, ghttp: httpx.Client) -> None:
    queue(ghttp, {"scenario": "length"}, {"scenario": "content_filter"})
    length = gclient.models.generate_content(model=PLAIN, contents="one two three")
    assert length.text == "Echo: one"
    assert length.candidates and length.candidates[0].finish_reason == types.FinishReason.MAX_TOKENS
    blocked = unary(ghttp, body(), model=PLAIN)
    candidate = blocked["candidates"][0]
    assert candidate["finishReason"] == "SAFETY"
    assert {
        "category": "HARM_CATEGORY_DANGEROUS_CONTENT",
        "probability": "HIGH",
        "blocked": True,
    } in candidate["safetyRatings"]


def test_tool_call_scenarios(ghttp: httpx.Client) -> None:
    tools = [{"functionDeclarations": [WEATHER, {"name": "get_time"}]}]
    queue(ghttp, {"scenario": "parallel_tool_calls"}, {"scenario": "tool_call"})
    two = unary(ghttp, body(tools=tools), model=PLAIN)
    assert [part["functionCall"]["name"] for part in parts(two)] == ["get_weather", "get_time"]
    fallback = unary(ghttp, body(), model=PLAIN)
    assert parts(fallback) == [
        {"functionCall": {"name": "get_weather", "args": {"location": "Paris"}}}
    ]


def test_forced_calls_and_text(ghttp: httpx.Client) -> None:
    calls = [{"name": "lookup", "arguments": {"q": "x"}}]
    queue(ghttp, {"tool_calls": calls, "text": "Let me check."}, {"text": "Forced words"})
    assert parts(unary(ghttp, body(), model=PLAIN)) == [
        {"text": "Let me check."},
        {"functionCall": {"name": "lookup", "args": {"q": "x"}}},
    ]
    assert parts(unary(ghttp, body(), model=PLAIN)) == [{"text": "Forced words"}]
    queue(ghttp, {"tool_calls": [{"name": "lookup", "arguments": "[1]"}]})
    error = check_error(post(ghttp, body()), 400, "INVALID_ARGUMENT")
    assert error["message"].startswith("Invalid emulator script: lookup arguments")


def test_empty_refusal_unicode_and_long(ghttp: httpx.Client) -> None:
    queue(ghttp, {"scenario": "empty"}, {"scenario": "refusal"}, {"scenario": "unicode"})
    empty = unary(ghttp, body(), model=PLAIN)
    assert empty["candidates"][0]["content"] == {"role": "model"}
    assert parts(unary(ghttp, body(), model=PLAIN))[0]["text"].startswith("I'm sorry")
    assert "你好" in parts(unary(ghttp, body(), model=PLAIN))[0]["text"]
    queue(ghttp, {"scenario": "long"})
    assert len(stream(ghttp, body(), model=PLAIN)) == 360


def test_default_limits_stops_and_json(ghttp: httpx.Client) -> None:
    capped = unary(ghttp, body(generationConfig={"maxOutputTokens": 2}), model=PLAIN)
    assert parts(capped) == [{"text": "Echo: hello"}]
    assert capped["candidates"][0]["finishReason"] == "MAX_TOKENS"
    stopped = unary(ghttp, body(generationConfig={"stopSequences": ["there"]}), model=PLAIN)
    assert parts(stopped) == [{"text": "Echo: hello "}]
    assert stopped["candidates"][0]["finishReason"] == "STOP"
    schema = {"type": "OBJECT", "properties": {"n": {"type": "INTEGER"}}, "required": ["n"]}
    config = {"responseMimeType": "application/json", "responseSchema": schema}
    (document,) = parts(unary(ghttp, body(generationConfig=config), model=PLAIN))
    assert isinstance(json.loads(document["text"])["n"], int)


def test_stream_error_scenario_raises_in_the_sdk(
    gclient: genai.Client, ghttp: httpx.Client
) -> None:
    queue(ghttp, {"scenario": "stream_error"})
    received: list[str | None] = []
    with pytest.raises(errors.ServerError) as caught:
        for chunk in gclient.models.generate_content_stream(model=PLAIN, contents="a b c d e f"):
            received.append(chunk.text)
    assert received == ["Echo:", " a", " b"]  # half the words, then the error
    assert (caught.value.code, caught.value.status) == (500, "INTERNAL")


# --- timing and cuts -----------------------------------------------------------------------


def test_delay_and_chunk_delay(ghttp: httpx.Client) -> None:
    queue(ghttp, {"delay_ms": 150}, {"chunk_delay_ms": 40})
    start = time.monotonic()
    post(ghttp, body())
    assert time.monotonic() - start >= 0.15
    start = time.monotonic()
    assert len(stream(ghttp, body(), model=PLAIN)) == 4
    assert time.monotonic() - start >= 0.12


def test_cut_mid_stream(ghttp: httpx.Client) -> None:
    queue(ghttp, {"cut_after": 2})
    text, message = cut_stream(
        ghttp, f"/v1beta/models/{PLAIN}:streamGenerateContent?alt=sse", body()
    )
    assert [parts(chunk)[0]["text"] for chunk in sse_chunks(text)] == ["Echo:", " hello"]
    assert "peer closed connection" in message
    queue(ghttp, {"cut_after": 1})
    text, _ = cut_stream(ghttp, f"/v1/models/{PLAIN}:streamGenerateContent", body())
    assert text.startswith("[{") and not text.endswith("]")


def test_cut_mid_stream_through_the_sdk(gclient: genai.Client, ghttp: httpx.Client) -> None:
    queue(ghttp, {"cut_after": 2})
    received: list[str | None] = []
    # The SDK's transport is httpx2, httpx's fork.
    with pytest.raises(httpx2.RemoteProtocolError):
        for chunk in gclient.models.generate_content_stream(model=PLAIN, contents="a b c"):
            received.append(chunk.text)
    assert received == ["Echo:", " a"]


def test_cut_unary_body(ghttp: httpx.Client) -> None:
    queue(ghttp, {"cut_after": 10})
    with pytest.raises(httpx.RemoteProtocolError):
        post(ghttp, body())


# --- the queue, headers and the log --------------------------------------------------------


def test_headers_win_over_the_queue(ghttp: httpx.Client) -> None:
    queue(ghttp, {"text": "queued"})
    headed = unary(ghttp, body(), model=PLAIN, **{"x-emulator-text": "from headers"})
    assert parts(headed) == [{"text": "from headers"}]
    assert parts(unary(ghttp, body(), model=PLAIN)) == [{"text": "queued"}]
    entries = logged(ghttp)
    assert [entry["script_source"] for entry in entries] == ["headers", "queue"]
    assert entries[1]["script"] == {"text": "queued"}


def test_bad_script_header(ghttp: httpx.Client) -> None:
    error = check_error(post(ghttp, body(), **{"x-emulator-bogus": "1"}), 400, "INVALID_ARGUMENT")
    assert error["message"] == "Invalid emulator script: unknown emulator header x-emulator-bogus"


def test_scripts_apply_to_generate_requests_only(ghttp: httpx.Client) -> None:
    queue(ghttp, {"status": 500})
    assert post(ghttp, body(), method="countTokens").status_code == 200
    assert ghttp.get("/v1beta/models").status_code == 200
    check_error(post(ghttp, body()), 500, "INTERNAL")


def test_log_masks_the_key_header(ghttp: httpx.Client) -> None:
    post(ghttp, body(), **{"x-goog-api-key": "AIzaSyEmulatorKey0123456789"})
    (entry,) = logged(ghttp)
    assert entry["headers"]["x-goog-api-key"] == "AIz***6789"
    assert entry["body"] == body()
