"""A :class:`refbackends.plan.Plan` as a :class:`.reply.Reply` on the
Responses API's terms.

A script's plan replaces the input-derived reply (the request is still
validated). Each plan block becomes one output item, its pieces the item's
deltas exactly as the plan splits them:

- ``text`` -> a ``message`` with one ``output_text`` part
  (``response.output_text.delta`` per piece);
- ``refusal`` -> a ``message`` with one ``refusal`` part
  (``response.refusal.delta`` per piece);
- ``reasoning`` -> a ``reasoning`` item, the pieces its summary text
  (``response.reasoning_summary_text.delta`` per piece; no summary part for
  a block without pieces); the block's ``signature`` is the item's
  ``encrypted_content``, sent only when the request includes
  ``reasoning.encrypted_content`` and accepted back verbatim;
- ``tool_call`` -> a ``function_call`` (the plan's id as ``call_id``,
  ``response.function_call_arguments.delta`` per fragment).

Finish: ``length`` ends the response ``incomplete`` with reason
``max_output_tokens``, ``content_filter`` with reason ``content_filter``;
the others complete it. Usage: the plan's (``cached`` as
``input_tokens_details.cached_tokens``, ``reasoning`` as
``output_tokens_details.reasoning_tokens``), else the emulator's own
count. A failure stops the stream after ``after_blocks`` whole items.
"""

from __future__ import annotations

from typing import Literal, assert_never

from refbackends.openai_responses.reply import Reply, ReplyItem, ReplyUsage, StreamFailure
from refbackends.openai_responses.scenarios import number_items, output_tokens
from refbackends.openai_responses.validation import ResponsesRequest
from refbackends.plan import Plan, PlanBlock

__all__ = ["incomplete_reason", "planned_reply"]


def incomplete_reason(plan: Plan) -> Literal["max_output_tokens", "content_filter"] | None:
    """Why a response answering ``plan`` is incomplete; None when it completes."""
    match plan.finish:
        case "length":
            return "max_output_tokens"
        case "content_filter":
            return "content_filter"
        case "stop" | "tool_calls" | "refusal":
            return None
        case _:
            assert_never(plan.finish)


def planned_reply(request: ResponsesRequest, plan: Plan) -> Reply:
    """The :class:`Reply` that renders ``plan``."""
    items = number_items(request, tuple(_item(block) for block in plan.blocks))
    failure = None
    if plan.failure is not None:
        failure = StreamFailure(
            after_items=plan.failure.after_blocks, mode=plan.failure.mode, kind=plan.failure.kind
        )
    return Reply(items, _usage(request, plan, items), incomplete_reason(plan), failure)


def _item(block: PlanBlock) -> ReplyItem:
    if block.text is not None:
        return ReplyItem("text", "", block.text)
    if block.refusal is not None:
        return ReplyItem("refusal", "", block.refusal)
    if block.reasoning is not None:
        return ReplyItem("reasoning", "", block.reasoning, encrypted_content=block.signature)
    if block.tool_call is not None:
        call = block.tool_call
        return ReplyItem("function_call", "", call.arguments, call_id=call.id, name=call.name)
    raise AssertionError("a plan block without a kind")  # PlanBlock's validator forbids it


def _usage(request: ResponsesRequest, plan: Plan, items: tuple[ReplyItem, ...]) -> ReplyUsage:
    usage = plan.usage
    if usage is None:
        reasoning = output_tokens(tuple(item for item in items if item.kind == "reasoning"))
        return ReplyUsage(request.input_tokens, output_tokens(items), reasoning=reasoning)
    return ReplyUsage(usage.input, usage.output, usage.cached or 0, usage.reasoning or 0)
