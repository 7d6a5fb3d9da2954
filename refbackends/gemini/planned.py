"""A :class:`refbackends.plan.Plan` as a :class:`.reply.Reply` on the Gemini
API's terms.

A script's plan replaces the input-derived reply (the request is still
validated). Each plan block becomes one part of the candidate, its pieces
one stream chunk each, exactly as the plan splits them:

- ``text`` -> a ``{"text"}`` part;
- ``refusal`` -> a ``{"text"}`` part too: Gemini has no refusal part;
- ``reasoning`` -> a ``{"text", "thought": true}`` part, shown whatever
  the request's ``includeThoughts`` says (the plan decides what the
  upstream sends); the block's ``signature`` is the part's
  ``thoughtSignature``: its UTF-8 bytes, base64 on the wire, so a client
  decoding the bytes reads the plan's text. The first function call after
  it carries the same signature (:func:`.reply.sign_first_call`);
- ``tool_call`` -> a ``{"functionCall": {"name", "args", "id"}}`` part, the
  plan's id as ``id``, ``args`` parsed from the joined fragments (Gemini
  sends whole calls: a streamed call is one chunk). Fragments that do not
  join into a JSON object cannot be sent: the script is refused (400).

Finish: ``stop``, ``tool_calls`` and ``refusal`` -> ``STOP``; ``length``
-> ``MAX_TOKENS``; ``content_filter`` -> ``SAFETY``. Usage: the plan's
(``cached`` as ``cachedContentTokenCount``, ``reasoning`` as
``thoughtsTokenCount``, the rest of ``output`` as
``candidatesTokenCount``), else the emulator's own count. A failure stops
the stream after ``after_blocks`` whole parts.
"""

from __future__ import annotations

import json
from typing import assert_never

from refbackends.gemini.errors import GoogleError
from refbackends.gemini.reply import (
    Finish,
    Reply,
    ReplyPart,
    ReplyUsage,
    StreamFailure,
    sign_first_call,
)
from refbackends.gemini.scenarios import output_tokens
from refbackends.gemini.validation import GeminiRequest
from refbackends.plan import Plan, PlanBlock

__all__ = ["finish_of", "planned_reply"]


def finish_of(plan: Plan) -> Finish:
    """The candidate's ``finishReason`` for ``plan``."""
    match plan.finish:
        case "stop" | "tool_calls" | "refusal":
            return "STOP"
        case "length":
            return "MAX_TOKENS"
        case "content_filter":
            return "SAFETY"
        case _:
            assert_never(plan.finish)


def planned_reply(request: GeminiRequest, plan: Plan) -> Reply:
    """The :class:`Reply` that renders ``plan``, or a 400 for a tool call
    whose arguments are not a JSON object."""
    parts = sign_first_call(tuple(_part(k, block) for k, block in enumerate(plan.blocks)))
    failure = None
    if plan.failure is not None:
        failure = StreamFailure(
            after_parts=plan.failure.after_blocks, mode=plan.failure.mode, kind=plan.failure.kind
        )
    return Reply(parts, _usage(request, plan, parts), finish_of(plan), failure)


def _part(index: int, block: PlanBlock) -> ReplyPart:
    if block.text is not None:
        return ReplyPart("text", block.text)
    if block.refusal is not None:
        return ReplyPart("text", block.refusal)
    if block.reasoning is not None:
        signature = block.signature.encode("utf-8") if block.signature is not None else None
        return ReplyPart("thought", block.reasoning, signature=signature)
    if block.tool_call is not None:
        call = block.tool_call
        try:
            args = json.loads(call.joined or "{}")
        except ValueError:
            args = None
        if not isinstance(args, dict):
            raise GoogleError(
                400,
                f"Invalid emulator script: plan block {index} calls {call.name} with arguments "
                "that are not a JSON object; Gemini sends function call args as an object.",
                "INVALID_ARGUMENT",
            )
        return ReplyPart("function_call", name=call.name, args=args, call_id=call.id)
    raise AssertionError("a plan block without a kind")  # PlanBlock's validator forbids it


def _usage(request: GeminiRequest, plan: Plan, parts: tuple[ReplyPart, ...]) -> ReplyUsage:
    usage = plan.usage
    if usage is None:
        thoughts = output_tokens(tuple(part for part in parts if part.kind == "thought"))
        answer = output_tokens(tuple(part for part in parts if part.kind != "thought"))
        return ReplyUsage(request.input_tokens, answer, thoughts)
    reasoning = usage.reasoning or 0
    return ReplyUsage(usage.input, usage.output - reasoning, reasoning, usage.cached or 0)
