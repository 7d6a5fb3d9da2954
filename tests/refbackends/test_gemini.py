"""The Gemini emulator's default behaviour, streams, function-call and
thought-signature round trips, models, token counts and auth, over a real
loopback socket with the official ``google-genai`` SDK (both API versions)
and raw httpx where the SDK would hide the wire. Every body and chunk is
checked against the generated wire model (``gemini_wire``). Fixtures live
in ``conftest.py``."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from google import genai
from google.genai import errors, types

from tests.refbackends.gemini_wire import (
    MODEL,
    PLAIN,
    WEATHER,
    array_chunks,
    body,
    check_error,
    fold,
    logged,
    parts,
    post,
    stream,
    unary,
)

NO_AFC = types.AutomaticFunctionCallingConfig(disable=True)
WEATHER_TOOL = types.Tool(function_declarations=[types.FunctionDeclaration(**WEATHER)])

# --- text -------------------------------------------------------------------------------------


def test_unary_text_through_the_sdk(gclient: genai.Client, ghttp: httpx.Client) -> None:
    reply = gclient.models.generate_content(model=PLAIN, contents="hello there world")
    assert reply.text == "Echo: hello there world"
    candidate = reply.candidates[0] if reply.candidates else None
    assert candidate is not None and candidate.finish_reason == types.FinishReason.STOP
    assert reply.model_version == PLAIN and reply.response_id
    usage = reply.usage_metadata
    assert usage is not None
    assert (usage.prompt_token_count, usage.candidates_token_count) == (3, 4)
    assert (usage.total_token_count, usage.thoughts_token_count) == (7, None)
    version = gclient._api_client._http_options.api_version
    assert [entry["path"] for entry in logged(ghttp)] == [
        f"/{version}/models/{PLAIN}:generateContent"
    ]


def test_streamed_text_is_one_chunk_per_word(gclient: genai.Client) -> None:
    chunks = list(gclient.models.generate_content_stream(model=PLAIN, contents="hello there world"))
    assert [chunk.text for chunk in chunks] == ["Echo:", " hello", " there", " world"]
    finishes = [c.candidates[0].finish_reason if c.candidates else None for c in chunks]
    assert finishes == [None, None, None, types.FinishReason.STOP]
    assert all(c.usage_metadata and c.usage_metadata.total_token_count == 7 for c in chunks)


def test_stream_folds_to_the_unary_reply(ghttp: httpx.Client) -> None:
    payload = body(generationConfig={"thinkingConfig": {"includeThoughts": True}})
    assert fold(stream(ghttp, payload)) == unary(ghttp, payload)
    assert post(ghttp, payload).content == post(ghttp, payload).content


def test_sse_frames_are_compact_data_lines_with_crlf(ghttp: httpx.Client) -> None:
    response = post(ghttp, body(), model=PLAIN, method="streamGenerateContent", query="alt=sse")
    assert response.text.startswith('data: {"candidates":[{"content":{"parts":[{"text":"Echo:"}]')
    assert response.text.count("\r\n\r\n") == 4 and response.text.endswith("\r\n\r\n")


def test_stream_without_alt_sse_is_a_json_array(ghttp: httpx.Client) -> None:
    response = post(ghttp, body(), model=PLAIN, method="streamGenerateContent")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    elements = array_chunks(response.text)
    sse = stream(ghttp, body(), model=PLAIN)
    assert elements == sse


def test_json_array_arrives_piecewise(ghttp: httpx.Client) -> None:
    path = f"/v1beta/models/{PLAIN}:streamGenerateContent"
    with ghttp.stream("POST", path, json=body()) as response:
        pieces = [piece.decode() for piece in response.iter_raw()]
    assert pieces[0].startswith("[{") and all(p.startswith("\r\n,{") for p in pieces[1:])
    assert pieces[-1].endswith("\r\n]")


# --- model names, versions ---------------------------------------------------------------


@pytest.mark.parametrize("version", ["v1beta", "v1"])
def test_raw_colons_in_the_model_name(ghttp: httpx.Client, version: str) -> None:
    for method in ("generateContent", "streamGenerateContent"):
        reply = post(ghttp, body(), model="anthropic:claude-x", method=method, version=version)
        assert reply.status_code == 200, reply.text
        assert '"modelVersion": "anthropic:claude-x"' in reply.text
    counted = post(ghttp, body(), model="anthropic:claude-x", method="countTokens")
    assert counted.json()["totalTokens"] == 3


def test_sdk_with_a_colon_model(gclient: genai.Client) -> None:
    reply = gclient.models.generate_content(model="openai:gpt-x", contents="hi")
    assert (reply.text, reply.model_version) == ("Echo: hi", "openai:gpt-x")


def test_unknown_method_and_path_are_not_found(ghttp: httpx.Client) -> None:
    check_error(post(ghttp, body(), method="fooBar"), 404, "NOT_FOUND")
    check_error(ghttp.post("/v1beta/models/gemini-2.5-flash", json=body()), 404, "NOT_FOUND")
    check_error(ghttp.get("/v2/models"), 404, "NOT_FOUND")
    embedding = check_error(post(ghttp, body(), model="gemini-embedding-001"), 404, "NOT_FOUND")
    assert embedding["message"].startswith(
        "models/gemini-embedding-001 is not found for API version v1beta, or is not supported "
        "for generateContent."
    )


def test_models_list_and_get(gclient: genai.Client) -> None:
    listed = list(gclient.models.list())
    names = [model.name for model in listed]
    assert names[:2] == ["models/gemini-2.5-flash", "models/gemini-2.5-flash-lite"]
    flash = gclient.models.get(model="gemini-2.5-flash")
    assert flash.display_name == "Gemini 2.5 Flash" and flash.thinking is True
    assert (flash.input_token_limit, flash.output_token_limit) == (1_048_576, 65_536)
    assert flash.supported_actions and "generateContent" in flash.supported_actions
    with pytest.raises(errors.ClientError) as caught:
        gclient.models.get(model="no-such-model")
    assert caught.value.code == 404 and caught.value.status == "NOT_FOUND"


def test_models_pages(ghttp: httpx.Client) -> None:
    first = ghttp.get("/v1beta/models", params={"pageSize": 4}).json()
    assert len(first["models"]) == 4 and first["nextPageToken"]
    rest = ghttp.get("/v1beta/models", params={"pageToken": first["nextPageToken"]}).json()
    assert "nextPageToken" not in rest
    whole = ghttp.get("/v1/models").json()["models"]
    assert first["models"] + rest["models"] == whole
    assert set(whole[0]) >= {
        "name",
        "displayName",
        "supportedGenerationMethods",
        "inputTokenLimit",
        "outputTokenLimit",
    }
    check_error(ghttp.get("/v1beta/models", params={"pageSize": "x"}), 400, "INVALID_ARGUMENT")


# --- token counts --------------------------------------------------------------------------


def test_count_tokens_matches_the_prompt_count(gclient: genai.Client, ghttp: httpx.Client) -> None:
    counted = gclient.models.count_tokens(model=MODEL, contents="one two three four")
    reply = unary(ghttp, body("one two three four"))
    assert counted.total_tokens == reply["usageMetadata"]["promptTokenCount"] == 4


def test_count_tokens_of_a_whole_request(ghttp: httpx.Client) -> None:
    inner = body("a b c", systemInstruction={"parts": [{"text": "be brief"}]})
    whole = post(
        ghttp,
        {"generateContentRequest": {"model": f"models/{MODEL}", **inner}},
        method="countTokens",
    )
    assert whole.json() == {
        "totalTokens": 5,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 5}],
    }
    both = post(
        ghttp,
        {"contents": inner["contents"], "generateContentRequest": inner},
        method="countTokens",
    )
    check_error(both, 400, "INVALID_ARGUMENT")


# --- function calls -----------------------------------------------------------------------


def test_function_call_then_result_round_trip(gclient: genai.Client) -> None:
    config = types.GenerateContentConfig(tools=[WEATHER_TOOL], automatic_function_calling=NO_AFC)
    first = gclient.models.generate_content(
        model=PLAIN, contents="weather in Paris?", config=config
    )
    (call,) = first.function_calls or []
    assert (call.name, call.args) == ("get_weather", {"city": "city", "days": 1})
    assert first.candidates and first.candidates[0].finish_reason == types.FinishReason.STOP
    model_turn = first.candidates[0].content
    assert model_turn is not None
    history = [
        types.Content(role="user", parts=[types.Part(text="weather in Paris?")]),
        model_turn,
        types.Content(
            role="user",
            parts=[types.Part.from_function_response(name="get_weather", response={"temp": 21})],
        ),
    ]
    second = gclient.models.generate_content(model=PLAIN, contents=history, config=config)
    assert second.text == 'Tool results: {"temp":21}'


def test_mode_any_calls_even_after_results_and_none_never(ghttp: httpx.Client) -> None:
    tools = [{"functionDeclarations": [WEATHER]}]
    results: Any = [
        {"role": "user", "parts": [{"text": "go"}]},
        {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {}}}]},
        {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {}}}]},
    ]
    any_mode = {"functionCallingConfig": {"mode": "ANY"}}
    called = unary(
        ghttp, {"contents": results, "tools": tools, "toolConfig": any_mode}, model=PLAIN
    )
    assert "functionCall" in parts(called)[0]
    none_mode = {"functionCallingConfig": {"mode": "none"}}
    text = unary(ghttp, body(tools=tools, toolConfig=none_mode), model=PLAIN)
    assert parts(text) == [{"text": "Echo: hello there world"}]


def test_streamed_function_call_is_one_whole_chunk(ghttp: httpx.Client) -> None:
    chunks = stream(ghttp, body(tools=[{"functionDeclarations": [WEATHER]}]), model=PLAIN)
    (chunk,) = chunks
    assert parts(chunk) == [
        {"functionCall": {"name": "get_weather", "args": {"city": "city", "days": 1}}}
    ]


# --- thoughts and their signatures -------------------------------------------------------------


def test_thoughts_shown_with_include_thoughts(gclient: genai.Client) -> None:
    config = types.GenerateContentConfig(
        thinking_config=types.ThinkingConfig(include_thoughts=True, thinking_budget=1024)
    )
    reply = gclient.models.generate_content(model=MODEL, contents="what is 6x7", config=config)
    content = reply.candidates[0].content if reply.candidates else None
    assert content is not None and content.parts is not None
    thought, answer = content.parts
    assert (thought.thought, thought.text) == (True, "Thinking about: what is 6x7")
    assert thought.thought_signature and thought.thought_signature.startswith(b"emulator-thought:")
    assert answer.text == "Echo: what is 6x7" and answer.thought_signature is None
    assert reply.usage_metadata and reply.usage_metadata.thoughts_token_count == 5


def test_hidden_thoughts_sign_the_first_call(ghttp: httpx.Client) -> None:
    reply = unary(ghttp, body(tools=[{"functionDeclarations": [WEATHER, {"name": "b"}]}]))
    (call,) = parts(reply)
    assert set(call) == {"functionCall", "thoughtSignature"}
    assert reply["usageMetadata"]["thoughtsTokenCount"] == 5
    off = body(generationConfig={"thinkingConfig": {"thinking_budget": 0}})
    assert "thoughtsTokenCount" not in unary(ghttp, off)["usageMetadata"]


def test_signatures_round_trip_and_forgeries_are_refused(gclient: genai.Client) -> None:
    config = types.GenerateContentConfig(tools=[WEATHER_TOOL], automatic_function_calling=NO_AFC)
    first = gclient.models.generate_content(model=MODEL, contents="weather?", config=config)
    model_turn = first.candidates[0].content if first.candidates else None
    assert model_turn is not None and model_turn.parts is not None
    signature = model_turn.parts[0].thought_signature
    assert signature is not None

    def follow_up(turn: types.Content) -> types.GenerateContentResponse:
        result = types.Part.from_function_response(name="get_weather", response={"t": 1})
        contents = [
            types.Content(role="user", parts=[types.Part(text="weather?")]),
            turn,
            types.Content(role="user", parts=[result]),
        ]
        return gclient.models.generate_content(model=MODEL, contents=contents, config=config)

    assert follow_up(model_turn).text == 'Tool results: {"t":1}'
    forged = model_turn.model_copy(deep=True)
    assert forged.parts is not None
    forged.parts[0].thought_signature = signature[:-1] + b"!"
    with pytest.raises(errors.ClientError) as caught:
        follow_up(forged)
    assert (caught.value.code, caught.value.message) == (400, "Corrupted thought signature.")


def test_signature_alphabets_and_dummies(ghttp: httpx.Client) -> None:
    reply = unary(ghttp, body(tools=[{"functionDeclarations": [WEATHER]}]))
    call = parts(reply)[0]
    raw = base64.b64decode(call["thoughtSignature"])
    for sent in (
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "skip_thought_signature_validator",
    ):
        contents: Any = [
            {"role": "user", "parts": [{"text": "weather?"}]},
            {"role": "model", "parts": [{**call, "thoughtSignature": sent}]},
            {
                "role": "user",
                "parts": [{"functionResponse": {"name": "get_weather", "response": {}}}],
            },
        ]
        assert post(ghttp, {"contents": contents}).status_code == 200


def test_gemini_3_wants_signed_calls_in_the_current_turn(ghttp: httpx.Client) -> None:
    model = "gemini-3-pro-preview"
    unsigned: Any = [
        {"role": "user", "parts": [{"text": "weather?"}]},
        {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {}}}]},
        {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {}}}]},
    ]
    error = check_error(post(ghttp, {"contents": unsigned}, model=model), 400, "INVALID_ARGUMENT")
    assert error["message"].startswith("Function call is missing a thought_signature")
    later_turn = [
        {"role": "model", "parts": [{"text": "ok"}]},
        {"role": "user", "parts": [{"text": "hi"}]},
    ]
    earlier = [*unsigned, *later_turn]
    assert post(ghttp, {"contents": earlier}, model=model).status_code == 200


# --- auth ------------------------------------------------------------------------------------


def test_configured_key_is_required(gemini_secured_url: str, secured_key: str) -> None:
    with httpx.Client(base_url=gemini_secured_url, timeout=5) as http:
        missing = check_error(post(http, body()), 403, "PERMISSION_DENIED")
        assert "unregistered callers" in missing["message"]
        wrong = check_error(
            post(http, body(), **{"x-goog-api-key": "nope"}), 400, "INVALID_ARGUMENT"
        )
        assert wrong["details"][0]["reason"] == "API_KEY_INVALID"
        assert post(http, body(), **{"x-goog-api-key": secured_key}).status_code == 200
        assert post(http, body(), query=f"key={secured_key}").status_code == 200
        check_error(http.get("/v1beta/models"), 403, "PERMISSION_DENIED")
        logged_query = http.get("/__emulator__/requests").json()["data"][-2]["query"]
        assert logged_query == "key=sk-%2A%2A%2Aabcd"
    sdk = genai.Client(api_key="wrong", http_options={"base_url": gemini_secured_url})
    with pytest.raises(errors.ClientError) as caught:
        sdk.models.generate_content(model=MODEL, contents="hi")
    assert (caught.value.code, caught.value.status) == (400, "INVALID_ARGUMENT")
