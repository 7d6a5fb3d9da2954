"""A :class:`refbackends.plan.Plan` as a :class:`.reply.Reply` on
Anthropic's terms.

A script's plan replaces the input-derived reply (the request is still
validated). Each plan block becomes one content block, its pieces the
block's deltas exactly as the plan splits them:

- ``text`` -> a ``text`` block (``text_delta`` per piece);
- ``reasoning`` -> a ``thinking`` block (``thinking_delta`` per piece, then
  one ``signature_delta`` when the block has a signature; a unary block
  without one carries ``"signature": ""``);
- ``refusal`` -> a ``text`` block, and the stop reason becomes ``refusal``;
- ``tool_call`` -> a ``tool_use`` block (the plan's id and name,
  ``input_json_delta`` per argument fragment; unary ``input`` is the joined
  fragments parsed).

Finish: ``stop`` -> ``end_turn``, ``length`` -> ``max_tokens``,
``tool_calls`` -> ``tool_use``, ``content_filter`` and ``refusal`` ->
``refusal``. Usage: the plan's (``input`` minus ``cached`` as
``input_tokens``, ``cached`` as ``cache_read_input_tokens``, ``reasoning``
as ``output_tokens_details.thinking_tokens``), else the emulator's own
count. A failure stops the stream after ``after_blocks`` whole blocks.
"""

from __future__ import annotations

from typing import assert_never

from refbackends.anthropic_messages.reply import Reply, ReplyBlock, ReplyUsage, StreamFailure
from refbackends.anthropic_messages.scenarios import output_tokens
from refbackends.anthropic_messages.validation import MessagesRequest
from refbackends.plan import Plan, PlanBlock

__all__ = ["planned_reply", "stop_reason"]


def stop_reason(plan: Plan) -> str:
    """The plan's finish as Anthropic's ``stop_reason`` (a refusal block
    makes it ``refusal`` whatever the finish)."""
    if any(block.refusal is not None for block in plan.blocks):
        return "refusal"
    match plan.finish:
        case "stop":
            return "end_turn"
        case "length":
            return "max_tokens"
        case "tool_calls":
            return "tool_use"
        case "content_filter" | "refusal":
            return "refusal"
        case _:
            assert_never(plan.finish)


def planned_reply(request: MessagesRequest, plan: Plan) -> Reply:
    """The :class:`Reply` that renders ``plan``."""
    blocks = tuple(_block(block) for block in plan.blocks)
    failure = None
    if plan.failure is not None:
        failure = StreamFailure(
            after_blocks=plan.failure.after_blocks, mode=plan.failure.mode, kind=plan.failure.kind
        )
    return Reply(blocks, stop_reason(plan), _usage(request, plan, blocks), None, failure)


def _block(block: PlanBlock) -> ReplyBlock:
    if block.text is not None:
        return ReplyBlock("text", block.text)
    if block.refusal is not None:
        return ReplyBlock("text", block.refusal)
    if block.reasoning is not None:
        return ReplyBlock("thinking", block.reasoning, signature=block.signature)
    if block.tool_call is not None:
        call = block.tool_call
        return ReplyBlock("tool_use", call.arguments, id=call.id, name=call.name)
    raise AssertionError("a plan block without a kind")  # PlanBlock's validator forbids it


def _usage(request: MessagesRequest, plan: Plan, blocks: tuple[ReplyBlock, ...]) -> ReplyUsage:
    usage = plan.usage
    if usage is None:
        return ReplyUsage(request.input_tokens, output_tokens(blocks))
    cached = usage.cached or 0
    return ReplyUsage(
        input=usage.input - cached,
        output=usage.output,
        cache_read=cached,
        thinking=usage.reasoning,
    )
