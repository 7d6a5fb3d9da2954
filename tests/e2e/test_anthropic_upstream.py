"""Every client to an Anthropic upstream (the emulator), over real sockets:
the OpenAI SDK gets Chat replies from Claude-shaped ones, the Anthropic SDK
gets its own back with thinking signatures intact, the client's
``anthropic-version`` goes upstream, and count_tokens is the upstream's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anthropic
import httpx
import openai
import pytest

from lip.config import parse_config
from lip.server import create_app
from refbackends.anthropic_messages import create_app as create_anthropic
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

KEY = "sk-ant-upstream-secret-0001"
MODEL = "claude-sonnet-5"
WEATHER: dict[str, Any] = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    with serve_in_thread(create_anthropic(api_key=KEY)) as url:
        yield url


@pytest.fixture(scope="module")
def lip(upstream: str) -> Iterator[str]:
    config = parse_config(
        f"backends: [{{id: claude, kind: anthropic, base_url: '{upstream}/v1', api_key: {KEY},"
        f" models: ['{MODEL}']}}]",
        env={},
    )
    with serve_lip(create_app(config)) as url:
        yield url


@pytest.fixture
def control(upstream: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{upstream}/__emulator__", timeout=5) as client:
        client.delete("/scripts")
        client.delete("/requests")
        yield client


_CLIENTS: dict[tuple[str, str], openai.OpenAI | anthropic.Anthropic] = {}


def _oa(base: str) -> openai.OpenAI:
    key = ("openai", base)
    if key not in _CLIENTS:
        _CLIENTS[key] = openai.OpenAI(
            base_url=f"{base}/v1", api_key="client-key", max_retries=0, timeout=10
        )
    made = _CLIENTS[key]
    assert isinstance(made, openai.OpenAI)
    return made


def _an(base: str) -> anthropic.Anthropic:
    key = ("anthropic", base)
    if key not in _CLIENTS:
        _CLIENTS[key] = anthropic.Anthropic(
            base_url=base, api_key="client-key", max_retries=0, timeout=10
        )
    made = _CLIENTS[key]
    assert isinstance(made, anthropic.Anthropic)
    return made


@pytest.fixture(scope="module", autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    for sdk_client in _CLIENTS.values():
        sdk_client.close()
    _CLIENTS.clear()


def test_openai_client_text_unary_and_streamed(lip: str, control: httpx.Client) -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hello there"},
    ]
    reply = _oa(lip).chat.completions.create(model=MODEL, messages=messages)  # type: ignore[arg-type]
    text = reply.choices[0].message.content
    assert text and reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None and reply.usage.prompt_tokens > 0
    chunks = list(
        _oa(lip).chat.completions.create(
            model=MODEL,
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},  # type: ignore[arg-type]
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == text
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    sent = control.get("/requests").json()["data"][-1]
    assert sent["body"]["system"] == "Be brief." and sent["body"]["max_tokens"] == 4096
    assert sent["headers"]["anthropic-version"] == "2023-06-01"
    assert KEY not in str(sent)  # the log masks keys; LIP sent it as x-api-key
    assert "x-api-key" in sent["headers"]


def test_openai_client_tool_call_streams_complete_arguments(lip: str) -> None:
    tools = [
        {
            "type": "function",
            "function": {"name": "get_weather", "parameters": WEATHER["input_schema"]},
        }
    ]
    chunks = list(
        _oa(lip).chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "Weather in Paris?"}],
            tools=tools,  # type: ignore[arg-type]
            stream=True,
        )
    )
    calls = [tc for c in chunks if c.choices for tc in (c.choices[0].delta.tool_calls or ())]
    arguments = "".join(tc.function.arguments or "" for tc in calls if tc.function)
    assert calls[0].id and calls[0].function and calls[0].function.name == "get_weather"
    assert arguments.startswith("{") and "city" in arguments
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


@pytest.mark.parametrize(
    ("status", "exc_type", "lip_status"),
    [(429, openai.RateLimitError, 429), (529, openai.InternalServerError, 503)],
)
def test_upstream_errors_reach_an_openai_client_in_its_shape(
    lip: str, control: httpx.Client, status: int, exc_type: type[Exception], lip_status: int
) -> None:
    control.post("/scripts", json=[{"status": status, "retry_after": 2}])
    with pytest.raises(exc_type) as info:
        _oa(lip).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "x"}])
    assert isinstance(info.value, openai.APIStatusError) and info.value.status_code == lip_status


def test_thinking_signatures_round_trip_for_an_anthropic_client(
    lip: str, control: httpx.Client
) -> None:
    ask = [{"role": "user", "content": "Think, then answer."}]
    thinking = {"type": "enabled", "budget_tokens": 1024}
    with _an(lip).messages.stream(
        model=MODEL, max_tokens=2048, thinking=thinking, messages=ask
    ) as s:  # type: ignore[arg-type]
        first = s.get_final_message()
    block = first.content[0]
    assert block.type == "thinking" and block.signature  # streamed signature_delta arrived
    history = [
        *ask,
        {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]},
        {"role": "user", "content": "Go on."},
    ]
    _an(lip).messages.create(model=MODEL, max_tokens=2048, thinking=thinking, messages=history)  # type: ignore[arg-type]
    sent = control.get("/requests").json()["data"][-1]["body"]
    replayed = sent["messages"][1]["content"][0]
    assert replayed == {
        "type": "thinking",
        "thinking": block.thinking,
        "signature": block.signature,
    }


def test_the_clients_version_and_beta_go_upstream(lip: str, control: httpx.Client) -> None:
    reply = httpx.post(
        f"{lip}/v1/messages?beta=true",
        json={"model": MODEL, "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]},
        headers={
            "anthropic-version": "2025-01-01",
            "anthropic-beta": "context-management-2025-06-27",
        },
    )
    assert reply.status_code == 200
    headers = control.get("/requests").json()["data"][-1]["headers"]
    assert headers["anthropic-version"] == "2025-01-01"
    assert headers["anthropic-beta"] == "context-management-2025-06-27"


def test_count_tokens_is_the_upstreams(lip: str, upstream: str) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "count these words please"}]}
    through = httpx.post(
        f"{lip}/v1/messages/count_tokens", json=body, headers={"anthropic-version": "2023-06-01"}
    )
    direct = httpx.post(
        f"{upstream}/v1/messages/count_tokens",
        json=body,
        headers={"anthropic-version": "2023-06-01", "x-api-key": KEY},
    )
    assert through.status_code == direct.status_code == 200
    assert through.json() == direct.json()
    assert through.headers["x-lip-token-count"] == "upstream"
