"""Canonical results -> OpenAI Responses replies: the Response object and its items.

https://platform.openai.com/docs/api-reference/responses/object
LIP mints the ids a Responses client sees (``resp_`` from the request id;
``msg_``, ``fc_``, ``rs_`` per output item), except item ids a Responses
upstream gave (its reasoning and call items go back to it by those ids).
Consecutive text and refusal blocks form one ``message`` item. Reasoning is
a ``reasoning`` item: summaries as ``summary``, full text as
``reasoning_text`` content, and ``encrypted_content`` only when the client
asked for it and a Responses upstream produced it. A finished response is
stored (:mod:`.conversation`) unless the request said ``store: false``.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic_core import to_json

from lip.canonical import (
    FinishReason,
    OutputPart,
    ReasoningPart,
    RefusalPart,
    Response,
    TextPart,
    ToolCallPart,
    Usage,
    state_for,
)
from lip.protocols import wire_checks
from lip.protocols.base import ClientRequest, WireReply
from lip.protocols.openai_responses import conversation
from lip.protocols.openai_responses.carry import PROTOCOL, own
from lip.protocols.openai_responses.request import ResponsesReplyShape
from lip_wire.openai import response as wire

__all__ = [
    "call_item",
    "encode_response",
    "item_id",
    "reasoning_item",
    "response_id",
    "response_object",
    "shape_of",
    "status_of",
    "usage_json",
]


def shape_of(request: ClientRequest) -> ResponsesReplyShape:
    shape = request.shape
    return shape if isinstance(shape, ResponsesReplyShape) else ResponsesReplyShape()


def response_id(request: ClientRequest) -> str:
    return f"resp_{request.call.id}"


def item_id(prefix: str, request: ClientRequest, index: int) -> str:
    """``msg_``/``fc_``/``rs_`` + the request id + the output index."""
    return f"{prefix}_{request.call.id}{index:04x}"


def usage_json(usage: Usage | None) -> dict[str, Any] | None:
    if usage is None:
        return None
    input_tokens, output_tokens = usage.input_tokens or 0, usage.output_tokens or 0
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {
            "cached_tokens": usage.cached_input_tokens or 0,
            "cache_write_tokens": usage.cache_creation_input_tokens or 0,
        },
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning_tokens or 0},
        "total_tokens": input_tokens + output_tokens,
    }


def status_of(finish: FinishReason | None) -> tuple[str, dict[str, Any] | None]:
    """The response's ``status`` and ``incomplete_details``."""
    if finish is FinishReason.LENGTH:
        return "incomplete", {"reason": "max_output_tokens"}
    if finish is FinishReason.CONTENT_FILTER:
        return "incomplete", {"reason": "content_filter"}
    return "completed", None


def response_object(
    request: ClientRequest,
    *,
    model: str,
    created: int,
    status: str,
    output: list[dict[str, Any]],
    usage: dict[str, Any] | None = None,
    incomplete: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A Response object; the request's echoed fields come from its reply shape."""
    body: dict[str, Any] = {
        "id": response_id(request),
        "object": "response",
        "created_at": created,
        "status": status,
        "background": False,
        "error": error,
        "incomplete_details": incomplete,
        **shape_of(request).echo,
        "model": model,
        "output": output,
        "usage": usage,
    }
    if status in ("completed", "incomplete", "failed"):
        body["completed_at"] = int(time.time()) if status == "completed" else None
    if extra:
        body.update(extra)
    return body


def reasoning_item(
    part: ReasoningPart, ident: str, request: ClientRequest, status: str = "completed"
) -> dict[str, Any]:
    state = state_for(part.state, PROTOCOL)
    body: dict[str, Any] = {
        "id": state.item_id if state is not None and state.item_id else ident,
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": s} for s in part.summary],
    }
    if part.text:
        body["content"] = [{"type": "reasoning_text", "text": part.text}]
    if state is not None and state.encrypted is not None and shape_of(request).encrypted:
        body["encrypted_content"] = state.encrypted
    body["status"] = status
    return body


def call_item(
    part: ToolCallPart,
    ident: str,
    request: ClientRequest,
    status: str = "completed",
    arguments: str | None = None,
) -> dict[str, Any]:
    """A ``function_call`` item; a call of a namespaced function by its own name
    and ``namespace``, whatever name the backend knew it by."""
    state = state_for(part.state, PROTOCOL)
    body: dict[str, Any] = {
        "id": state.item_id if state is not None and state.item_id else ident,
        "type": "function_call",
        "status": status,
        "arguments": part.arguments if arguments is None else arguments,
        "call_id": part.id,
        "name": part.name,
    }
    spaced = shape_of(request).namespaces.get(part.name)
    if spaced is not None:
        body["namespace"], body["name"] = spaced
    body.update({k: v for k, v in own(part.extensions).items() if not k.startswith("lip:")})
    return body


def content_part(part: TextPart | RefusalPart) -> dict[str, Any]:
    if isinstance(part, RefusalPart):
        return {"type": "refusal", "refusal": part.text}
    return {"type": "output_text", "text": part.text, "annotations": [], "logprobs": []}


def message_item(
    parts: list[TextPart | RefusalPart], ident: str, status: str = "completed"
) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "message",
        "status": status,
        "role": "assistant",
        "content": [content_part(p) for p in parts],
    }


def output_items(output: tuple[OutputPart, ...], request: ClientRequest) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    texts: list[TextPart | RefusalPart] = []

    def close() -> None:
        if texts:
            items.append(message_item(list(texts), item_id("msg", request, len(items))))
            texts.clear()

    for part in output:
        if isinstance(part, TextPart | RefusalPart):
            texts.append(part)
            continue
        close()
        if isinstance(part, ReasoningPart):
            items.append(reasoning_item(part, item_id("rs", request, len(items)), request))
        else:
            items.append(call_item(part, item_id("fc", request, len(items)), request))
    close()
    return items


def keep(request: ClientRequest, body: dict[str, Any]) -> None:
    """Store a finished response for ``previous_response_id`` and the retrieve routes."""
    shape = shape_of(request)
    if shape.store is not None:
        conversation.save(shape.store, body, shape.context, shape.input)


def encode_response(result: Response, request: ClientRequest) -> WireReply:
    status, incomplete = status_of(result.finish_reason)
    body = response_object(
        request,
        model=result.model,
        created=result.created,
        status=status,
        output=output_items(result.output, request),
        usage=usage_json(result.usage),
        incomplete=incomplete,
        extra=own(result.extensions),
    )
    wire_checks.check(wire.Response, body, "Response")
    keep(request, body)
    return WireReply(status=200, body=to_json(body))
