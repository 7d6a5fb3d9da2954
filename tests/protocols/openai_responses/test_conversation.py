"""Stored responses: what previous_response_id and the retrieve routes read,
through the store's bounds and expiry."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from lip.canonical import (
    FinishReason,
    InvalidRequestError,
    NotFoundError,
    Response,
    TextPart,
)
from lip.protocols.base import RequestContext
from lip.protocols.openai_responses import OpenAIResponsesFrontend, conversation
from lip.protocols.openai_responses.request import decode_request
from lip.protocols.openai_responses.response import encode_response
from lip.server.state import MemoryStore

ANSWER: dict[str, Any] = {
    "id": "msg_out",
    "type": "message",
    "role": "assistant",
    "status": "completed",
    "content": [{"type": "output_text", "text": "Paris.", "annotations": []}],
}
INPUT: list[dict[str, Any]] = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": [{"type": "input_text", "text": "Capital?"}]},
    {"type": "message", "id": "msg_given", "role": "assistant", "content": "France?"},
    {"type": "function_call_output", "call_id": "call_1", "output": "ok"},
    {"role": "user", "content": "Yes."},
]


def _store(**bounds: Any) -> MemoryStore:
    return MemoryStore(**{"max_entries": 16, "max_bytes": 1 << 20, "ttl": 60.0, **bounds})


def _saved(store: MemoryStore, ident: str = "resp_1") -> dict[str, Any]:
    response = {"id": ident, "object": "response", "output": [ANSWER, "junk"]}
    earlier = [{"role": "user", "content": "Before."}]
    conversation.save(store, response, [*earlier, *INPUT], INPUT)
    return response


def test_save_then_history_and_retrieve() -> None:
    store = _store()
    response = _saved(store)
    assert conversation.retrieve(store, "resp_1") == response
    history = conversation.history(store, "resp_1")
    assert history == [{"role": "user", "content": "Before."}, *INPUT, ANSWER]  # junk left out


def test_delete_and_what_is_gone() -> None:
    store = _store()
    _saved(store)
    assert conversation.delete(store, "resp_1") == {
        "id": "resp_1",
        "object": "response",
        "deleted": True,
    }
    for read in (conversation.retrieve, conversation.delete, conversation.input_items):
        with pytest.raises(NotFoundError, match=r"Response with id 'resp_1' not found\."):
            read(store, "resp_1")
    with pytest.raises(InvalidRequestError, match="Previous response with id 'resp_1' not found"):
        conversation.history(store, "resp_1")
    with pytest.raises(NotFoundError):
        conversation.retrieve(None, "resp_1")


def test_input_items_are_listed_the_apis_way() -> None:
    store = _store()
    _saved(store)
    listed = conversation.input_items(store, "resp_1", order="asc")
    data = listed["data"]
    assert [item.get("id") for item in data] == [
        "msg_10000",
        "msg_10001",
        "msg_given",
        None,
        "msg_10004",
    ]
    assert data[0] == {
        "id": "msg_10000",
        "type": "message",
        "role": "system",
        "content": [{"type": "input_text", "text": "Be brief."}],
        "status": "completed",
    }
    assert data[2]["content"] == [{"type": "output_text", "text": "France?"}]
    assert data[3] == INPUT[3]  # not a message: as it came
    assert (listed["object"], listed["first_id"], listed["last_id"], listed["has_more"]) == (
        "list",
        "msg_10000",
        "msg_10004",
        False,
    )
    newest_first = conversation.input_items(store, "resp_1")
    assert newest_first["data"] == list(reversed(data))


@pytest.mark.parametrize(
    ("limit", "count", "more"), [(2, 2, True), (5, 5, False), (0, 1, True), (500, 5, False)]
)
def test_input_items_pages_are_limited(limit: int, count: int, more: bool) -> None:
    store = _store()
    _saved(store)
    listed = conversation.input_items(store, "resp_1", order="asc", limit=limit)
    assert (len(listed["data"]), listed["has_more"]) == (count, more)
    assert listed["first_id"] == "msg_10000"


def test_the_store_bounds_hold_for_conversations() -> None:
    store = _store(max_entries=2)
    for n in range(3):
        _saved(store, f"resp_{n}")
    with pytest.raises(InvalidRequestError, match="not found"):
        conversation.history(store, "resp_0")  # the oldest went first
    assert conversation.retrieve(store, "resp_2")["id"] == "resp_2"


def test_expired_conversations_are_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("lip.server.state.time.monotonic", lambda: now[0])
    store = _store(ttl=5.0)
    _saved(store)
    now[0] += 4.0
    assert conversation.retrieve(store, "resp_1")["id"] == "resp_1"
    now[0] += 2.0
    with pytest.raises(NotFoundError):
        conversation.retrieve(store, "resp_1")


def _turn(store: MemoryStore, body: dict[str, Any], ident: str, text: str) -> dict[str, Any]:
    request = decode_request(json.dumps(body).encode(), store=store)
    request = dataclasses.replace(request, call=dataclasses.replace(request.call, id=ident))
    result = Response(
        id="up",
        model="m",
        created=1,
        output=(TextPart(text=text),),
        finish_reason=FinishReason.STOP,
    )
    reply: dict[str, Any] = json.loads(encode_response(result, request).body)
    return reply


def test_a_conversation_across_three_turns() -> None:
    store = _store()
    first = _turn(store, {"model": "m", "input": "one", "instructions": "Be brief."}, "a", "1")
    second = _turn(
        store, {"model": "m", "input": "two", "previous_response_id": first["id"]}, "b", "2"
    )
    third_request = decode_request(
        json.dumps({"model": "m", "input": "three", "previous_response_id": second["id"]}).encode(),
        store=store,
    )
    texts = [
        (m.role, "".join(p.text for p in m.parts if isinstance(p, TextPart)))
        for m in third_request.call.messages
    ]
    # The first turn's instructions are not carried over (the API does the same).
    assert texts == [
        ("user", "one"),
        ("assistant", "1"),
        ("user", "two"),
        ("assistant", "2"),
        ("user", "three"),
    ]
    listed = conversation.input_items(store, second["id"])
    assert [item["content"][0]["text"] for item in listed["data"]] == ["two"]


def test_store_false_keeps_nothing() -> None:
    store = _store()
    reply = _turn(store, {"model": "m", "input": "secret", "store": False}, "c", "x")
    assert len(store) == 0
    with pytest.raises(NotFoundError):
        conversation.retrieve(store, reply["id"])


def _context(method: str, path: str, store: MemoryStore, **query: str) -> RequestContext:
    ident = path.split("/")[3]
    return RequestContext(
        method=method,
        path=path,
        path_params={"response_id": ident},
        query=query,
        headers={},
        store=store,
    )


def test_the_stored_response_routes() -> None:
    store = _store()
    response = _saved(store)
    frontend = OpenAIResponsesFrontend()
    got = frontend.resource(_context("GET", "/v1/responses/resp_1", store))
    assert (got.status, json.loads(got.body)) == (200, response)
    listed = frontend.resource(
        _context("GET", "/v1/responses/resp_1/input_items", store, order="asc", limit="2")
    )
    assert [i["id"] for i in json.loads(listed.body)["data"]] == ["msg_10000", "msg_10001"]
    for query in ({"order": "sideways"}, {"limit": "many"}):
        with pytest.raises(InvalidRequestError):
            frontend.resource(_context("GET", "/v1/responses/resp_1/input_items", store, **query))
    deleted = frontend.resource(_context("DELETE", "/v1/responses/resp_1", store))
    assert json.loads(deleted.body)["deleted"] is True
    with pytest.raises(NotFoundError):
        frontend.resource(_context("GET", "/v1/responses/resp_1", store))
