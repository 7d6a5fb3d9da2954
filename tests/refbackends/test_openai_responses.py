"""The OpenAI Responses emulator's default behaviour, streams, tool and
reasoning round trips and stored state, over a real loopback socket with
the official ``openai`` SDK (and raw httpx where the SDK would hide the
wire). Every body and event is checked against the generated wire models
(``responses_wire``). Fixtures live in ``conftest.py``."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from tests.refbackends.responses_wire import (
    MODEL,
    TIME_TOOL,
    WEATHER_TOOL,
    body,
    check_error,
    fold,
    post,
    received,
    stream,
    unary,
)

REASONING: Any = {"effort": "low", "summary": "auto"}
ENCRYPTED: Any = ["reasoning.encrypted_content"]

# --- default replies ----------------------------------------------------------------------


def test_unary_text_has_the_api_shape(rhttp: httpx.Client) -> None:
    reply = unary(rhttp, body(instructions="Be brief.", metadata={"k": "v"}))
    assert reply["object"] == "response" and reply["status"] == "completed"
    assert len(reply["id"]) == len("resp_") + 48
    (message,) = reply["output"]
    assert message["id"].startswith("msg_")
    assert message == {
        "id": message["id"],
        "type": "message",
        "status": "completed",
        "content": [
            {
                "type": "output_text",
                "annotations": [],
                "logprobs": [],
                "text": "Echo: hello there world",
            }
        ],
        "role": "assistant",
    }
    assert reply["usage"] == {
        "input_tokens": 5,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": 4,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 9,
    }
    echoed = {key: reply[key] for key in ("instructions", "metadata", "model", "store", "tools")}
    assert echoed == {
        "instructions": "Be brief.",
        "metadata": {"k": "v"},
        "model": MODEL,
        "store": True,
        "tools": [],
    }
    assert (reply["tool_choice"], reply["temperature"], reply["truncation"]) == (
        "auto",
        1.0,
        "disabled",
    )
    assert reply["text"] == {"format": {"type": "text"}, "verbosity": "medium"}
    assert reply["error"] is None and reply["incomplete_details"] is None


def test_same_request_same_body(rhttp: httpx.Client) -> None:
    assert post(rhttp, body()).content == post(rhttp, body()).content


def test_sdk_stream_events_in_order(rclient: openai.OpenAI) -> None:
    events = list(rclient.responses.create(model=MODEL, input="hello there world", stream=True))
    assert [event.type for event in events] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        *["response.output_text.delta"] * 4,
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [event.sequence_number for event in events] == list(range(len(events)))
    pieces = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert pieces == ["Echo:", " hello", " there", " world"]
    assert events[-1].type == "response.completed"
    assert events[-1].response.output_text == "Echo: hello there world"


def test_stream_helper_final_response_equals_unary(rclient: openai.OpenAI) -> None:
    unary_reply = rclient.responses.create(model=MODEL, input="hi you")
    with rclient.responses.stream(model=MODEL, input="hi you") as events:
        texts = [e.delta for e in events if e.type == "response.output_text.delta"]
        final = events.get_final_response()
    assert "".join(texts) == final.output_text == "Echo: hi you"
    assert final.id == unary_reply.id
    # The helper's parsed output adds ``parsed`` fields; the rest is the unary reply.
    assert final.model_dump(exclude={"output"}) == unary_reply.model_dump(exclude={"output"})
    assert [item.id for item in final.output] == [item.id for item in unary_reply.output]


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"tools": [WEATHER_TOOL]},
        {"reasoning": REASONING, "include": ENCRYPTED},
        {"max_output_tokens": 16, "input": "word " * 30},
    ],
    ids=["text", "tool_call", "reasoning", "incomplete"],
)
def test_stream_folds_to_the_unary_reply(rhttp: httpx.Client, extra: dict[str, Any]) -> None:
    payload = body(**extra)
    assert fold(stream(rhttp, payload)) == unary(rhttp, payload)


def test_obfuscation_pads_deltas_unless_turned_off(rhttp: httpx.Client) -> None:
    padded = stream(rhttp, body())
    assert all("obfuscation" in e for e in padded if e["type"].endswith(".delta"))
    assert not any("obfuscation" in e for e in padded if not e["type"].endswith(".delta"))
    plain = stream(rhttp, body(stream_options={"include_obfuscation": False}))
    assert not any("obfuscation" in e for e in plain)


def test_max_output_tokens_makes_the_response_incomplete(rclient: openai.OpenAI) -> None:
    words = " ".join(f"w{k}" for k in range(30))
    reply = rclient.responses.create(model=MODEL, input=words, max_output_tokens=16)
    assert reply.status == "incomplete"
    assert reply.incomplete_details is not None
    assert reply.incomplete_details.reason == "max_output_tokens"
    assert reply.output[0].status == "incomplete"
    assert len(reply.output_text.split()) == 16
    events = list(
        rclient.responses.create(model=MODEL, input=words, max_output_tokens=16, stream=True)
    )
    assert events[-1].type == "response.incomplete"
    with (
        rclient.responses.stream(model=MODEL, input=words, max_output_tokens=16) as helper,
        pytest.raises(RuntimeError, match=r"response\.completed"),
    ):
        helper.get_final_response()


def test_json_formats_answer_json(rclient: openai.OpenAI) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    text: Any = {"format": {"type": "json_schema", "name": "out", "schema": schema}}
    reply = rclient.responses.create(model=MODEL, input="count", text=text)
    assert isinstance(json.loads(reply.output_text)["n"], int)
    as_object: Any = {"format": {"type": "json_object"}}
    reply = rclient.responses.create(model=MODEL, input="answer in JSON", text=as_object)
    assert json.loads(reply.output_text) == {"echo": "answer in JSON"}


# --- tools ---------------------------------------------------------------------------------


def test_tool_call_then_function_call_output(rclient: openai.OpenAI, rhttp: httpx.Client) -> None:
    tools: Any = [WEATHER_TOOL, TIME_TOOL]
    first = rclient.responses.create(model=MODEL, input="weather?", tools=tools)
    (call,) = first.output
    assert call.type == "function_call"
    assert call.id is not None and call.id.startswith("fc_")
    assert call.call_id.startswith("call_") and call.name == "get_weather"
    assert set(json.loads(call.arguments)) == {"city", "days", "unit"}
    history: Any = [
        {"role": "user", "content": "weather?"},
        call.model_dump(exclude_none=True),
        {"type": "function_call_output", "call_id": call.call_id, "output": "sunny, 21C"},
    ]
    second = rclient.responses.create(model=MODEL, input=history, tools=tools, store=False)
    assert second.output_text == "Tool results: sunny, 21C"
    assert received(rhttp)[-1]["input"][1]["id"] == call.id  # sent back unchanged


def test_tool_choice_names_the_function_or_turns_calls_off(rclient: openai.OpenAI) -> None:
    tools: Any = [WEATHER_TOOL, TIME_TOOL]
    named = rclient.responses.create(
        model=MODEL,
        input="time?",
        tools=tools,
        tool_choice={"type": "function", "name": "get_time"},
    )
    assert [(item.type, getattr(item, "name", None)) for item in named.output] == [
        ("function_call", "get_time")
    ]
    off = rclient.responses.create(model=MODEL, input="time?", tools=tools, tool_choice="none")
    assert off.output_text == "Echo: time?"


# --- reasoning -----------------------------------------------------------------------------


def test_encrypted_reasoning_round_trips_and_forgeries_are_refused(
    rclient: openai.OpenAI, rhttp: httpx.Client
) -> None:
    first = rclient.responses.create(
        model="o4-mini", input="think", reasoning=REASONING, include=ENCRYPTED, store=False
    )
    reasoning, message = first.output
    assert reasoning.type == "reasoning" and reasoning.id.startswith("rs_")
    assert [part.text for part in reasoning.summary] == ["Thinking about: think"]
    assert reasoning.encrypted_content is not None
    assert reasoning.encrypted_content.startswith("gAAAAA")
    assert first.usage is not None and first.usage.output_tokens_details.reasoning_tokens == 3
    sent_back = reasoning.model_dump(exclude_none=True)
    history: Any = [{"role": "user", "content": "think"}, sent_back, message.model_dump()]
    again = rclient.responses.create(
        model="o4-mini", input=[*history, {"role": "user", "content": "more"}], store=False
    )
    assert again.output_text == "Echo: more"
    assert received(rhttp)[-1]["input"][1] == sent_back
    # Without its id, as Codex CLI sends it back.
    no_id = {k: v for k, v in sent_back.items() if k != "id"}
    post(rhttp, body(input=[{"role": "user", "content": "x"}, no_id])).raise_for_status()
    forged = {**sent_back, "encrypted_content": "gAAAAABforged-reasoning-state=="}
    error = check_error(
        post(rhttp, body(input=[{"role": "user", "content": "x"}, forged])),
        400,
        "invalid_encrypted_content",
    )
    assert error["message"] == "The encrypted content gAAA...te== could not be verified."


def test_reasoning_without_include_or_store_cannot_be_sent_back(
    rclient: openai.OpenAI, rhttp: httpx.Client
) -> None:
    reply = rclient.responses.create(
        model="o4-mini", input="think", reasoning={"effort": "high"}, store=False
    )
    reasoning = reply.output[0]
    assert reasoning.type == "reasoning"
    assert reasoning.summary == [] and reasoning.encrypted_content is None
    error = check_error(
        post(rhttp, body(input=[reasoning.model_dump(exclude_none=True)])), 404, None
    )
    assert error["message"].startswith(f"Item with id '{reasoning.id}' not found.")
    stored = rclient.responses.create(model="o4-mini", input="think", reasoning=REASONING)
    by_id = stored.output[0].model_dump(exclude_none=True)
    assert post(rhttp, body(input=[by_id])).status_code == 200


# --- stored responses ---------------------------------------------------------------------


def test_previous_response_id_continues_three_turns(
    rclient: openai.OpenAI, rhttp: httpx.Client
) -> None:
    first = rclient.responses.create(model=MODEL, input="one")
    second = rclient.responses.create(model=MODEL, input="two", previous_response_id=first.id)
    third = rclient.responses.create(model=MODEL, input="three", previous_response_id=second.id)
    assert [r.output_text for r in (first, second, third)] == [
        "Echo: one",
        "Echo: two",
        "Echo: three",
    ]
    assert third.previous_response_id == second.id
    counts = [r.usage.input_tokens for r in (first, second, third) if r.usage is not None]
    assert counts == [1, 1 + 2 + 1, 1 + 2 + 1 + 2 + 1]
    assert [b["input"] for b in received(rhttp)] == ["one", "two", "three"]
    listed = rclient.responses.input_items.list(third.id, order="asc")
    texts = [
        (item.type, getattr(item, "role", None), item.content[0].text)  # type: ignore[union-attr]
        for item in listed.data
    ]
    assert texts == [
        ("message", "user", "one"),
        ("message", "assistant", "Echo: one"),
        ("message", "user", "two"),
        ("message", "assistant", "Echo: two"),
        ("message", "user", "three"),
    ]


def test_function_call_output_answers_the_previous_responses_call(
    rclient: openai.OpenAI, rhttp: httpx.Client
) -> None:
    tools: Any = [WEATHER_TOOL]
    first = rclient.responses.create(model=MODEL, input="weather?", tools=tools)
    call_id = first.output[0].call_id  # type: ignore[union-attr]
    answer: Any = [{"type": "function_call_output", "call_id": call_id, "output": "rain"}]
    second = rclient.responses.create(
        model=MODEL, input=answer, tools=tools, previous_response_id=first.id
    )
    assert second.output_text == "Tool results: rain"
    unanswered = post(rhttp, body(input="and now?", previous_response_id=first.id))
    error = check_error(unanswered, 400, None)
    assert error == {
        "message": f"No tool output found for function call {call_id}.",
        "type": "invalid_request_error",
        "param": "input",
        "code": None,
    }


def test_retrieve_list_and_delete(rclient: openai.OpenAI, rhttp: httpx.Client) -> None:
    created = unary(
        rhttp, body(input=[{"role": "user", "content": "a"}, {"role": "user", "content": "b"}])
    )
    path = f"/v1/responses/{created['id']}"
    assert rhttp.get(path).json() == created
    page = rhttp.get(f"{path}/input_items").json()
    assert page["object"] == "list" and page["has_more"] is False
    assert [item["content"][0]["text"] for item in page["data"]] == ["b", "a"]  # newest first
    assert (page["first_id"], page["last_id"]) == (page["data"][0]["id"], page["data"][1]["id"])
    first = rhttp.get(f"{path}/input_items", params={"order": "asc", "limit": 1}).json()
    assert [item["content"][0]["text"] for item in first["data"]] == ["a"] and first["has_more"]
    rest = rhttp.get(
        f"{path}/input_items", params={"order": "asc", "after": first["last_id"]}
    ).json()
    assert [item["content"][0]["text"] for item in rest["data"]] == ["b"]
    deleted = rhttp.delete(path)
    assert deleted.json() == {"id": created["id"], "object": "response", "deleted": True}
    with pytest.raises(openai.NotFoundError):
        rclient.responses.retrieve(created["id"])


@pytest.mark.parametrize(
    ("method", "suffix"), [("GET", ""), ("DELETE", ""), ("GET", "/input_items")]
)
def test_unknown_response_is_a_404(rhttp: httpx.Client, method: str, suffix: str) -> None:
    response = rhttp.request(method, f"/v1/responses/resp_missing{suffix}")
    error = check_error(response, 404, None)
    assert error["message"] == "Response with id 'resp_missing' not found."
    assert (error["type"], error["param"]) == ("invalid_request_error", None)


def test_unknown_previous_response_id(rhttp: httpx.Client) -> None:
    response = post(rhttp, body(previous_response_id="resp_missing"))
    error = check_error(response, 400, "previous_response_not_found")
    assert error["message"] == "Previous response with id 'resp_missing' not found."
    assert error["param"] == "previous_response_id"


def test_store_false_is_not_kept(rclient: openai.OpenAI, rhttp: httpx.Client) -> None:
    reply = rclient.responses.create(model=MODEL, input="forget me", store=False)
    assert reply.model_dump()["store"] is False
    check_error(rhttp.get(f"/v1/responses/{reply.id}"), 404, None)
    check_error(
        post(rhttp, body(previous_response_id=reply.id)), 400, "previous_response_not_found"
    )


def test_input_tokens_count_what_a_reply_reports(rclient: openai.OpenAI) -> None:
    reply = rclient.responses.create(model=MODEL, input="one two three", instructions="be kind")
    counted = rclient.responses.input_tokens.count(
        model=MODEL, input="one two three", instructions="be kind"
    )
    assert counted.object == "response.input_tokens"
    assert reply.usage is not None and counted.input_tokens == reply.usage.input_tokens == 5
    with pytest.raises(openai.BadRequestError, match="Unknown parameter: 'stream'"):
        rclient.responses.input_tokens.count(model=MODEL, input="x", extra_body={"stream": True})


# --- models, auth, paths -------------------------------------------------------------------


def test_models_are_listed(rclient: openai.OpenAI) -> None:
    assert "gpt-4.1" in [model.id for model in rclient.models.list()]
    assert rclient.models.retrieve("o4-mini").id == "o4-mini"


def test_api_key_is_required_when_configured(responses_secured_url: str, secured_key: str) -> None:
    with httpx.Client(base_url=responses_secured_url, timeout=5) as http:
        missing = http.post("/v1/responses", json=body())
        assert check_error(missing, 401, None)["message"].startswith(
            "You didn't provide an API key"
        )
        wrong = http.post("/v1/responses", json=body(), headers={"authorization": "Bearer sk-nope"})
        check_error(wrong, 401, "invalid_api_key")
        check_error(http.get("/v1/responses/resp_x"), 401, None)
        good = {"authorization": f"Bearer {secured_key}"}
        assert http.post("/v1/responses", json=body(), headers=good).status_code == 200


def test_unknown_path_and_method(rhttp: httpx.Client) -> None:
    missing = check_error(rhttp.get("/v1/nothing"), 404, None)
    assert missing["message"] == "Invalid URL (GET /v1/nothing)"
    check_error(rhttp.put("/v1/responses"), 405, None)
