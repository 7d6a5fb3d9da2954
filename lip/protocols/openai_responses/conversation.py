"""Stored responses: what ``previous_response_id`` and the retrieve routes read.

Each response LIP produces for a Responses client (unless the request said
``store: false``) is kept in the server's state store under its id, as
JSON: the Response object the client got, the input items of the whole
conversation up to it (earlier turns included), and the request's own input
items. The next turn is rebuilt from the stored items whatever backend
serves it (:func:`history`); ``GET``/``DELETE /v1/responses/{id}`` and
``/input_items`` read and remove them.
"""

from __future__ import annotations

import json
from typing import Any

from lip.canonical import InvalidRequestError, NotFoundError
from lip.protocols.base import StateStore

__all__ = ["delete", "history", "input_items", "load", "save"]

_PREFIX = "openai_responses:"


def _key(response_id: str) -> str:
    return _PREFIX + response_id


def save(store: StateStore, response: dict[str, Any], context: list[Any], own: list[Any]) -> None:
    """Keep ``response`` (the object sent to the client) with its input items."""
    record = {"response": response, "context": context, "input": own}
    store.put(_key(str(response["id"])), json.dumps(record, separators=(",", ":")).encode())


def load(store: StateStore | None, response_id: str) -> dict[str, Any] | None:
    raw = store.get(_key(response_id)) if store is not None else None
    if raw is None:
        return None
    record: dict[str, Any] = json.loads(raw)
    return record


def _missing(response_id: str, param: str | None = None) -> NotFoundError:
    return NotFoundError(f"Response with id '{response_id}' not found.", param=param)


def history(store: StateStore | None, previous: str) -> list[dict[str, Any]]:
    """The items a turn continuing ``previous`` starts with: its conversation's
    input items, then its output."""
    record = load(store, previous)
    if record is None:
        if not previous.startswith("resp_"):
            raise InvalidRequestError(
                f"Invalid 'previous_response_id': '{previous}'. Expected an ID that begins"
                " with 'resp'.",
                param="previous_response_id",
                code="invalid_value",
            )
        # The API's own answer: a 400, not a 404.
        raise InvalidRequestError(
            f"Previous response with id '{previous}' not found.",
            param="previous_response_id",
            code="previous_response_not_found",
        )
    output = [item for item in record["response"].get("output", ()) if isinstance(item, dict)]
    return [*record["context"], *output]


def retrieve(store: StateStore | None, response_id: str) -> dict[str, Any]:
    record = load(store, response_id)
    if record is None:
        raise _missing(response_id)
    response: dict[str, Any] = record["response"]
    return response


def _listed(item: dict[str, Any], response_id: str, number: int) -> dict[str, Any]:
    """An input item as the API lists it: typed, with an id, content as parts."""
    if item.get("type", "message") != "message":
        return item
    content = item.get("content")
    if isinstance(content, str):
        kind = "output_text" if item.get("role") == "assistant" else "input_text"
        content = [{"type": kind, "text": content}]
    suffix = response_id.removeprefix("resp_")
    return {
        "id": item.get("id") or f"msg_{suffix}{number:04x}",
        "type": "message",
        "role": item.get("role"),
        "content": content,
        "status": item.get("status") or "completed",
    }


def delete(store: StateStore | None, response_id: str) -> dict[str, Any]:
    if store is None or not store.delete(_key(response_id)):
        raise _missing(response_id)
    return {"id": response_id, "object": "response", "deleted": True}


def input_items(
    store: StateStore | None, response_id: str, *, order: str = "desc", limit: int = 20
) -> dict[str, Any]:
    """The request's own input items as the API lists them (newest first by default)."""
    record = load(store, response_id)
    if record is None:
        raise _missing(response_id)
    items = [_listed(item, response_id, n) for n, item in enumerate(record["input"])]
    if order == "desc":
        items.reverse()
    page = items[: max(1, min(limit, 100))]
    return {
        "object": "list",
        "data": page,
        "first_id": page[0].get("id") if page else None,
        "last_id": page[-1].get("id") if page else None,
        "has_more": len(items) > len(page),
    }
