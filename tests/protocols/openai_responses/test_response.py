"""Canonical results -> the Response object: items and their ids, reasoning
and encrypted content, statuses, usage, echoed request fields, storage."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from lip.canonical import (
    FinishReason,
    ProviderState,
    ReasoningPart,
    RefusalPart,
    Response,
    TextPart,
    ToolCallPart,
    Usage,
)
from lip.protocols.base import ClientRequest
from lip.protocols.openai_responses import conversation
from lip.protocols.openai_responses.carry import PROTOCOL
from lip.protocols.openai_responses.request import decode_request
from lip.protocols.openai_responses.response import encode_response
from lip.server.state import MemoryStore
from lip_wire.openai.response import Response as WireResponse

REASONING = ReasoningPart(
    text="full",
    summary=("first", "second"),
    state=ProviderState(origin=PROTOCOL, item_id="rs_up", encrypted="enc"),
)


def request_for(body: dict[str, Any], ident: str = "abc", **kwargs: Any) -> ClientRequest:
    request = decode_request(json.dumps({"model": "m", "input": "hi", **body}).encode(), **kwargs)
    return dataclasses.replace(request, call=dataclasses.replace(request.call, id=ident))


def result(*output: Any, finish: FinishReason = FinishReason.STOP, **fields: Any) -> Response:
    return Response(
        id="up-1", model="gpt-x", created=1700000000, output=output, finish_reason=finish, **fields
    )


def encoded(response: Response, request: ClientRequest) -> dict[str, Any]:
    reply = encode_response(response, request)
    assert reply.status == 200
    WireResponse.model_validate_json(reply.body)
    body: dict[str, Any] = json.loads(reply.body)
    return body


def test_output_items_and_their_ids() -> None:
    request = request_for({"include": ["reasoning.encrypted_content"]})
    call = ToolCallPart(id="call_1", name="get_weather", arguments='{"city":"Paris"}')
    upstream_call = ToolCallPart(
        id="call_2", name="f", arguments="{}", state=ProviderState(origin=PROTOCOL, item_id="fc_up")
    )
    body = encoded(
        result(
            REASONING,
            TextPart(text="Hello"),
            RefusalPart(text="not that"),
            call,
            upstream_call,
            TextPart(text="Bye"),
            finish=FinishReason.TOOL_CALLS,
        ),
        request,
    )
    assert (body["id"], body["object"], body["status"], body["model"]) == (
        "resp_abc",
        "response",
        "completed",
        "gpt-x",
    )
    assert body["created_at"] == 1700000000 and isinstance(body["completed_at"], int)
    reasoning, message, called, upstream, last = body["output"]
    assert reasoning == {
        "id": "rs_up",  # the upstream's own id: it goes back to it by that id
        "type": "reasoning",
        "summary": [
            {"type": "summary_text", "text": "first"},
            {"type": "summary_text", "text": "second"},
        ],
        "content": [{"type": "reasoning_text", "text": "full"}],
        "encrypted_content": "enc",
        "status": "completed",
    }
    assert message == {
        "id": "msg_abc0001",
        "type": "message",
        "status": "completed",
        "role": "assistant",
        "content": [
            {"type": "output_text", "text": "Hello", "annotations": [], "logprobs": []},
            {"type": "refusal", "refusal": "not that"},
        ],
    }
    assert called == {
        "id": "fc_abc0002",
        "type": "function_call",
        "status": "completed",
        "arguments": '{"city":"Paris"}',
        "call_id": "call_1",
        "name": "get_weather",
    }
    assert upstream["id"] == "fc_up" and upstream["call_id"] == "call_2"
    assert last["id"] == "msg_abc0004"


def test_encrypted_reasoning_only_when_asked_and_only_of_responses_origin() -> None:
    body = encoded(result(REASONING, TextPart(text="x")), request_for({}))
    assert "encrypted_content" not in body["output"][0]
    foreign = ReasoningPart(
        text="t", state=ProviderState(origin="anthropic_messages", signature="sig", encrypted="e")
    )
    asked = request_for({"include": ["reasoning.encrypted_content"]})
    item = encoded(result(foreign, TextPart(text="x")), asked)["output"][0]
    assert item["id"] == "rs_abc0000" and "encrypted_content" not in item


@pytest.mark.parametrize(
    ("finish", "status", "details"),
    [
        (FinishReason.STOP, "completed", None),
        (FinishReason.TOOL_CALLS, "completed", None),
        (FinishReason.LENGTH, "incomplete", {"reason": "max_output_tokens"}),
        (FinishReason.CONTENT_FILTER, "incomplete", {"reason": "content_filter"}),
    ],
)
def test_status_and_incomplete_details(
    finish: FinishReason, status: str, details: dict[str, str] | None
) -> None:
    body = encoded(result(TextPart(text="x"), finish=finish), request_for({}))
    assert (body["status"], body["incomplete_details"]) == (status, details)
    assert (body["completed_at"] is not None) == (status == "completed")


def test_usage() -> None:
    usage = Usage(input_tokens=10, output_tokens=5, cached_input_tokens=4, reasoning_tokens=2)
    body = encoded(result(TextPart(text="x"), usage=usage), request_for({}))
    got = body["usage"]
    assert (got["input_tokens"], got["output_tokens"], got["total_tokens"]) == (10, 5, 15)
    assert got["input_tokens_details"]["cached_tokens"] == 4
    assert got["output_tokens_details"] == {"reasoning_tokens": 2}
    assert encoded(result(TextPart(text="x")), request_for({}))["usage"] is None


def test_the_request_is_echoed() -> None:
    tool = {"type": "function", "name": "f", "parameters": {"type": "object"}, "strict": True}
    fields = {
        "instructions": "Be brief.",
        "tools": [tool],
        "tool_choice": "required",
        "temperature": 0.3,
        "max_output_tokens": 99,
        "metadata": {"k": "v"},
        "text": {"format": {"type": "json_object"}},
        "reasoning": {"effort": "low"},
        "store": False,
        "prompt_cache_key": "p",
        "truncation": "auto",
        "future_field": 1,
    }
    body = encoded(result(TextPart(text="{}")), request_for(fields))
    echoed = {k: v for k, v in fields.items() if k != "future_field"}
    assert {k: body[k] for k in echoed} == echoed
    assert "future_field" not in body
    defaults = encoded(result(TextPart(text="x")), request_for({}))
    assert (defaults["tool_choice"], defaults["tools"], defaults["parallel_tool_calls"]) == (
        "auto",
        [],
        True,
    )
    assert defaults["text"] == {"format": {"type": "text"}} and defaults["instructions"] is None


def test_reply_fields_of_a_responses_upstream_are_carried() -> None:
    response = result(TextPart(text="x"), extensions={PROTOCOL: {"service_tier": "flex"}})
    assert encoded(response, request_for({}))["service_tier"] == "flex"


def test_a_namespaced_call_comes_back_by_its_own_name() -> None:
    namespace = {
        "type": "namespace",
        "name": "crm",
        "description": "CRM",
        "tools": [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
    }
    request = request_for({"tools": [namespace]})
    (flat,) = request.call.tools
    called = ToolCallPart(id="call_1", name=flat.name, arguments="{}")
    (item,) = encoded(result(called, finish=FinishReason.TOOL_CALLS), request)["output"]
    assert (item["namespace"], item["name"]) == ("crm", "lookup")


def test_a_finished_response_is_stored_unless_store_is_false() -> None:
    store = MemoryStore(max_entries=8, max_bytes=1 << 20, ttl=60)
    body = encoded(result(TextPart(text="kept")), request_for({}, store=store))
    assert conversation.retrieve(store, "resp_abc") == body
    assert conversation.history(store, "resp_abc")[-1] == body["output"][0]
    encoded(result(TextPart(text="not kept")), request_for({"store": False}, "def", store=store))
    assert conversation.load(store, "resp_def") is None
