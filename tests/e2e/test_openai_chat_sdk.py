"""The official openai SDK against LIP over real sockets, both upstreams."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from tests.e2e.conftest import sdk, serve_lip

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(params=["stub", "emulator"])
def base(request: pytest.FixtureRequest, stub_url: str, lip_url: str) -> str:
    return stub_url if request.param == "stub" else lip_url


def _model(base: str, stub_url: str) -> str:
    return "lip-stub" if base == stub_url else "gpt-4o-mini"


def test_unary(base: str, stub_url: str) -> None:
    completion = sdk(base).chat.completions.create(
        model=_model(base, stub_url), messages=[{"role": "user", "content": "hello there"}]
    )
    message = completion.choices[0].message
    assert message.role == "assistant"
    assert "hello there" in (message.content or "")
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None and completion.usage.total_tokens > 0


def test_streaming_folds_to_unary(base: str, stub_url: str) -> None:
    kwargs = {
        "model": _model(base, stub_url),
        "messages": [{"role": "user", "content": "one two three four"}],
    }
    unary = sdk(base).chat.completions.create(**kwargs)  # type: ignore[call-overload]
    chunks = list(
        sdk(base).chat.completions.create(
            **kwargs, stream=True, stream_options={"include_usage": True}
        )  # type: ignore[call-overload]
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert len(chunks) > 4
    assert text == unary.choices[0].message.content
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == unary.usage.total_tokens  # type: ignore[union-attr]


def test_tool_call_unary_and_streamed(base: str, stub_url: str) -> None:
    client = sdk(base)
    kwargs = {
        "model": _model(base, stub_url),
        "messages": [{"role": "user", "content": "weather in Paris? use get_weather"}],
        "tools": [WEATHER],
    }
    unary = client.chat.completions.create(**kwargs)  # type: ignore[call-overload]
    (call,) = unary.choices[0].message.tool_calls or []
    assert call.function.name == "get_weather"
    assert "city" in json.loads(call.function.arguments)
    assert unary.choices[0].finish_reason == "tool_calls"

    with client.chat.completions.stream(**kwargs) as stream:  # type: ignore[arg-type]
        final = stream.get_final_completion()
    (streamed,) = final.choices[0].message.tool_calls or []
    assert streamed.function.name == "get_weather"
    assert json.loads(streamed.function.arguments) == json.loads(call.function.arguments)
    assert streamed.id.startswith("call_")

    followup = client.chat.completions.create(
        model=kwargs["model"],  # type: ignore[arg-type]
        tools=[WEATHER],  # type: ignore[list-item]
        messages=[
            {"role": "user", "content": "weather in Paris? use get_weather"},
            {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},  # type: ignore[list-item]
            {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
        ],
    )
    assert followup.choices[0].message.content
    assert followup.choices[0].finish_reason == "stop"


def test_models_endpoint(stub_url: str, lip_url: str) -> None:
    assert [m.id for m in sdk(stub_url).models.list()] == ["lip-stub"]
    assert {m.id for m in sdk(lip_url).models.list()} == {"gpt-4o-mini", "fast", "lip-stub"}


def test_model_retrieve(lip_url: str) -> None:
    assert sdk(lip_url).models.retrieve("fast").owned_by == "emu"
    with pytest.raises(openai.NotFoundError):
        sdk(lip_url).models.retrieve("nope")


def test_route_header_overrides_the_body_model(lip_url: str, emulator: httpx.Client) -> None:
    reply = sdk(lip_url).chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "which backend?"}],
        extra_headers={"X-LIP-Route": "stub:routed"},
    )
    assert reply.model == "routed"
    assert reply.choices[0].message.content == "You said: which backend?"
    assert emulator.get("/requests").json()["data"] == []  # the emulator never saw it


def test_health_and_readiness(stub_url: str) -> None:
    assert httpx.get(f"{stub_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{stub_url}/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_request_reaches_upstream_translated(lip_url: str, emulator: httpx.Client) -> None:
    sdk(lip_url).chat.completions.create(
        model="fast",
        messages=[{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
        max_tokens=7,
        temperature=0.2,
        stop=["END"],
        logprobs=True,
        extra_body={"prompt_cache_key": "k1"},
    )
    (logged,) = emulator.get("/requests").json()["data"]
    body = logged["body"]
    assert body["model"] == "gpt-4o-mini"
    assert body["max_tokens"] == 7 and "max_completion_tokens" not in body
    assert body["temperature"] == 0.2 and body["stop"] == ["END"]
    assert body["logprobs"] is True and body["prompt_cache_key"] == "k1"
    assert body["messages"][0] == {"role": "system", "content": "be brief"}
    assert "client-key" not in json.dumps(logged)
    assert logged["headers"]["authorization"].startswith("Bearer sk-")


@pytest.mark.anyio
async def test_concurrent_streams_do_not_cross(lip_url: str) -> None:
    """Many interleaved streams through one LIP: each gets exactly its own reply."""
    client = openai.AsyncOpenAI(base_url=f"{lip_url}/v1", api_key="k", max_retries=0, timeout=30)

    async def one(n: int) -> tuple[int, str]:
        stream = await client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": f"request number {n} " + "pad " * (n % 7)}],
            stream=True,
        )
        return n, "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    import asyncio

    try:
        results = await asyncio.gather(*(one(n) for n in range(48)))
    finally:
        await client.close()
    for n, text in results:
        assert text == " ".join(["Echo:", "request", "number", str(n), *["pad"] * (n % 7)])


@pytest.mark.parametrize("key_source", ["config", "environment"])
def test_openai_kind_with_key_from_config_or_environment(
    emulator_url: str, key_source: str
) -> None:
    from lip.config import parse_config
    from lip.server import create_app

    key_line = "    api_key: sk-upstream-secret-1234\n" if key_source == "config" else ""
    from lip.server import Runtime

    config = parse_config(
        f"backends:\n  - id: oa\n    kind: openai\n    base_url: {emulator_url}/v1\n{key_line}    models: ['*']\n",
        env={},
    )
    env = {"OPENAI_API_KEY": "sk-upstream-secret-1234"} if key_source == "environment" else {}
    runtime = Runtime(config, env=env)
    with serve_lip(create_app(config, runtime=runtime)) as url:
        reply = sdk(url).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
    assert reply.choices[0].message.content == "Echo: hi"


def test_wrong_upstream_key_is_a_gateway_error_not_the_clients(emulator_url: str) -> None:
    from lip.config import parse_config
    from lip.server import create_app

    config = parse_config(
        f"backends: [{{id: oa, kind: openai, base_url: '{emulator_url}/v1', api_key: sk-wrong-key-000000, models: ['*']}}]",
        env={},
    )
    with (
        serve_lip(create_app(config)) as url,
        pytest.raises(openai.APIStatusError) as info,
    ):
        sdk(url).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
    assert info.value.status_code == 502
    assert "sk-wrong" not in info.value.response.text
