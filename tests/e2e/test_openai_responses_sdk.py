"""The official OpenAI Python SDK's Responses API through LIP, over real sockets,
against every backend kind (the local stub, an OpenAI Chat upstream and an
Anthropic upstream, both emulators): text unary and streamed, the SDK's stream
helper, a tool round trip, conversations by ``previous_response_id``, the
stored-response routes, errors in OpenAI's shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from lip.config import parse_config
from lip.server import create_app
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

UPSTREAM_KEY = "sk-upstream-responses-0000"
WEATHER: dict[str, Any] = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
    "strict": False,
}


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


@pytest.fixture(scope="module")
def client(lip_url: str) -> Iterator[openai.OpenAI]:
    sdk = openai.OpenAI(base_url=f"{lip_url}/v1", api_key="client-key", max_retries=0, timeout=10)
    yield sdk
    sdk.close()


@pytest.fixture(params=["lip-stub", "gpt-4o-mini", "claude-sonnet-5"])
def model(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_text_unary_streamed_and_by_the_helper(client: openai.OpenAI, model: str) -> None:
    reply = client.responses.create(model=model, input="hello there", instructions="Be brief.")
    assert reply.id.startswith("resp_") and reply.object == "response"
    assert reply.status == "completed" and reply.instructions == "Be brief."
    (message,) = reply.output
    assert message.type == "message" and message.id.startswith("msg_")
    assert "hello there" in reply.output_text
    assert reply.usage is not None and reply.usage.input_tokens > 0
    assert reply.usage.output_tokens > 0

    events = list(client.responses.create(model=model, input="hello there", stream=True))
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed"
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    added = next(e for e in events if e.type == "response.output_item.added")
    assert deltas and {d.item_id for d in deltas} == {added.item.id}
    completed = events[-1].response  # type: ignore[union-attr]
    assert "".join(d.delta for d in deltas) == completed.output_text == reply.output_text

    with client.responses.stream(model=model, input="hello there") as stream:
        final = stream.get_final_response()
    assert final.output_text == reply.output_text and final.status == "completed"


def test_a_tool_round_trip_by_previous_response_id(client: openai.OpenAI, model: str) -> None:
    asked = client.responses.create(
        model=model, input="Weather in Paris? use get_weather", tools=[WEATHER]
    )
    (call,) = [item for item in asked.output if item.type == "function_call"]
    assert call.id.startswith("fc_") and call.name == "get_weather"
    assert "city" in call.arguments  # never {}
    answered = client.responses.create(
        model=model,
        previous_response_id=asked.id,
        tools=[WEATHER],
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "sunny"}],
    )
    assert answered.status == "completed" and "sunny" in answered.output_text
    assert answered.previous_response_id == asked.id


def test_a_three_turn_conversation_and_the_stored_response_routes(
    client: openai.OpenAI, model: str
) -> None:
    first = client.responses.create(model=model, input="one")
    second = client.responses.create(model=model, input="two", previous_response_id=first.id)
    third = client.responses.create(model=model, input="three", previous_response_id=second.id)
    assert "three" in third.output_text
    assert client.responses.retrieve(third.id).output_text == third.output_text
    listed = client.responses.input_items.list(third.id)
    assert [item.type for item in listed.data] == ["message"]
    client.responses.delete(third.id)
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(third.id)
    with pytest.raises(openai.BadRequestError) as gone:
        client.responses.create(model=model, input="four", previous_response_id=third.id)
    assert gone.value.code == "previous_response_not_found"


def test_store_false_keeps_nothing(client: openai.OpenAI) -> None:
    reply = client.responses.create(model="lip-stub", input="secret", store=False)
    with pytest.raises(openai.NotFoundError) as info:
        client.responses.retrieve(reply.id)
    assert info.value.status_code == 404


def test_bad_input_and_hosted_tools_are_openai_400s(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        client.responses.create(model="lip-stub", input=[{"role": "user", "content": 7}])  # type: ignore[list-item]
    assert info.value.status_code == 400
    # A hosted tool offered to a backend that cannot run it is left out; forced, a 400.
    offered = client.responses.create(
        model="gpt-4o-mini", input="search", tools=[{"type": "web_search"}]
    )
    assert offered.status == "completed"
    with pytest.raises(openai.BadRequestError) as hosted:
        client.responses.create(
            model="gpt-4o-mini",
            input="search",
            tools=[{"type": "web_search"}],
            tool_choice="required",
        )
    assert hosted.value.code == "unsupported_tool"


def test_a_conversation_survives_a_restart_with_the_sqlite_store(
    tmp_path: Path, emulator_url: str
) -> None:
    config = f"""
server: {{state: {{path: '{tmp_path / "state.db"}'}}}}
backends:
  - {{id: chat, kind: openai-compatible, base_url: '{emulator_url}/v1',
      api_key: sk-upstream-secret-1234, models: [gpt-4o-mini]}}
"""
    ids = []
    for turn in ("one", "two", "three"):  # a fresh LIP process state each turn
        with serve_lip(create_app(parse_config(config, env={}))) as url:
            sdk = openai.OpenAI(base_url=f"{url}/v1", api_key="k", max_retries=0, timeout=10)
            reply = sdk.responses.create(
                model="gpt-4o-mini", input=turn, previous_response_id=ids[-1] if ids else None
            )
            sdk.close()
        ids.append(reply.id)
        assert turn in reply.output_text
    # The upstream saw the whole conversation on the third turn.
    last = httpx.get(f"{emulator_url}/__emulator__/requests?limit=1").json()["data"][-1]
    said = [(m["role"], m["content"]) for m in last["body"]["messages"]]
    assert (
        said[0] == ("user", "one") and said[2] == ("user", "two") and said[4] == ("user", "three")
    )
    assert [role for role, _ in said] == ["user", "assistant", "user", "assistant", "user"]
    with serve_lip(create_app(parse_config(config, env={}))) as url:
        sdk = openai.OpenAI(base_url=f"{url}/v1", api_key="k", max_retries=0, timeout=10)
        listed = sdk.responses.input_items.list(ids[-1])
        assert sdk.responses.retrieve(ids[-1]).previous_response_id == ids[1]
        sdk.close()
    assert [item.type for item in listed.data] == ["message"]
