"""The official google-genai Python SDK through LIP, over real sockets, on both
API versions it can use, against every backend kind (the local stub, an OpenAI
Chat upstream and an Anthropic upstream, both emulators): text unary and
streamed, a function-call round trip, model listing, token counts, errors in
Google's shape."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from google import genai
from google.genai import errors, types

from lip.config import parse_config
from lip.server import create_app
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

UPSTREAM_KEY = "sk-upstream-gemini-0000"
WEATHER = types.Tool(
    function_declarations=[
        types.FunctionDeclaration(
            name="get_weather",
            description="Weather for a city",
            parameters=types.Schema(
                type=types.Type.OBJECT,
                properties={"city": types.Schema(type=types.Type.STRING)},
                required=["city"],
            ),
        )
    ]
)
NO_AUTO = types.AutomaticFunctionCallingConfig(disable=True)


@pytest.fixture(scope="module")
def lip_url(emulator_url: str) -> Iterator[str]:
    with serve_in_thread(anthropic_emulator(api_key=UPSTREAM_KEY)) as anthropic_url:
        config = f"""
backends:
  - {{id: chat, kind: openai-compatible, base_url: '{emulator_url}/v1',
      api_key: sk-upstream-secret-1234, models: [gpt-4o-mini]}}
  - {{id: anthropic, kind: anthropic, base_url: '{anthropic_url}/v1', api_key: {UPSTREAM_KEY},
      models: [claude-sonnet-5]}}
  - {{id: stub, kind: localstub, models: [lip-stub]}}
"""
        with serve_lip(create_app(parse_config(config, env={}))) as url:
            yield url


@pytest.fixture(params=["v1beta", "v1"])
def client(lip_url: str, request: pytest.FixtureRequest) -> genai.Client:
    options = types.HttpOptions(base_url=lip_url, api_version=request.param, timeout=10_000)
    return genai.Client(api_key="client-key", http_options=options)


@pytest.fixture(params=["lip-stub", "gpt-4o-mini", "claude-sonnet-5"])
def model(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_text_unary_and_streamed(client: genai.Client, model: str) -> None:
    config = types.GenerateContentConfig(system_instruction="Be brief.")
    reply = client.models.generate_content(model=model, contents="hello there", config=config)
    assert reply.text is not None and "hello there" in reply.text
    (candidate,) = reply.candidates or []
    assert candidate.finish_reason == types.FinishReason.STOP
    assert reply.usage_metadata is not None and (reply.usage_metadata.prompt_token_count or 0) > 0
    chunks = list(client.models.generate_content_stream(model=model, contents="hello there"))
    assert len(chunks) > 1
    assert "".join(c.text or "" for c in chunks) == reply.text
    assert (
        chunks[-1].candidates and chunks[-1].candidates[0].finish_reason == types.FinishReason.STOP
    )
    assert chunks[-1].usage_metadata is not None


def test_a_function_call_round_trip(client: genai.Client, model: str) -> None:
    ask = "Weather in Paris? use get_weather"
    config = types.GenerateContentConfig(tools=[WEATHER], automatic_function_calling=NO_AUTO)
    first = client.models.generate_content(model=model, contents=ask, config=config)
    (call,) = first.function_calls or []
    assert call.name == "get_weather" and call.args and "city" in call.args
    assert first.candidates and first.candidates[0].content is not None
    history = [
        types.Content(role="user", parts=[types.Part(text=ask)]),
        first.candidates[0].content,
        types.Content(
            role="user",
            parts=[
                types.Part(
                    function_response=types.FunctionResponse(
                        name=call.name, id=call.id, response={"result": "sunny"}
                    )
                )
            ],
        ),
    ]
    final = client.models.generate_content(model=model, contents=history, config=config)
    assert final.text is not None and "sunny" in final.text


def test_models_and_token_counts(client: genai.Client) -> None:
    names = {m.name for m in client.models.list()}
    assert {"models/lip-stub", "models/gpt-4o-mini"} <= names
    counted = client.models.count_tokens(model="gpt-4o-mini", contents="hello world")
    assert (counted.total_tokens or 0) > 0


def test_errors_in_googles_shape(lip_url: str) -> None:
    options = types.HttpOptions(base_url=lip_url, api_version="v1beta", timeout=10_000)
    client = genai.Client(api_key="client-key", http_options=options)
    with pytest.raises(errors.ClientError) as info:
        client.models.generate_content(model="no-such-model", contents="hi")
    assert info.value.code == 404 and info.value.status == "NOT_FOUND"
    bad = httpx.post(
        f"{lip_url}/v1beta/models/lip-stub:generateContent",
        json={"contents": [{"role": "user", "parts": [{"text": 7}]}]},
        headers={"x-goog-api-key": "k"},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_a_route_selector_with_colons_in_the_model_segment(lip_url: str) -> None:
    reply = httpx.post(
        f"{lip_url}/v1beta/models/stub:lip-stub:generateContent",
        json={"contents": [{"role": "user", "parts": [{"text": "hi"}]}]},
        headers={"x-goog-api-key": "k"},
    )
    assert reply.status_code == 200
    assert reply.json()["candidates"][0]["content"]["parts"][0]["text"] == "You said: hi"


def test_the_json_array_stream_without_alt_sse(lip_url: str) -> None:
    reply = httpx.post(
        f"{lip_url}/v1beta/models/lip-stub:streamGenerateContent",
        json={"contents": [{"role": "user", "parts": [{"text": "one two"}]}]},
        headers={"x-goog-api-key": "k"},
    )
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/json")
    chunks = reply.json()
    assert isinstance(chunks, list) and len(chunks) > 1
    text = "".join(
        p.get("text", "") for c in chunks for p in c["candidates"][0]["content"]["parts"]
    )
    assert text == "You said: one two"
