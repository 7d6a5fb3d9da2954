"""What a client driver saw, field by field from the SDK's parsed objects, and
how it is held against a scenario's expectation.

Drivers in every language report this same JSON shape (the JavaScript ones
print it), so one comparison serves them all.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from parity.scenario import Expect

__all__ = ["Observation", "ObservedCall", "ObservedError", "ObservedUsage", "mismatches"]


class _Seen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ObservedCall(_Seen):
    id: str | None = None
    name: str
    arguments: str


class ObservedUsage(_Seen):
    input: int | None = None
    output: int | None = None
    total: int | None = None
    cached: int | None = None
    reasoning: int | None = None


class ObservedError(_Seen):
    status: int | None = None
    type: str | None = None
    code: str | None = None
    in_stream: bool = False


class Observation(_Seen):
    status: int | None = None
    id: str | None = None
    model: str | None = None
    text: str | None = None
    reasoning: str | None = None
    refusal: str | None = None
    tool_calls: tuple[ObservedCall, ...] = ()
    finish: str | None = None
    usage: ObservedUsage | None = None
    error: ObservedError | None = None
    chunks: int | None = None


class _Face(NamedTuple):
    """How one frontend protocol shows a canonical error kind to its SDKs
    (``type`` None: the protocol's error has no type there)."""

    status: int | None
    type: str | None
    code: str | None = None


# Per frontend protocol, each canonical error kind as its SDKs see it: the
# HTTP status of an error reply, the error type and (OpenAI) code. Written
# from the vendors' documentation, never from LIP's own tables, so a wrong
# mapping in LIP fails here.
# https://platform.openai.com/docs/guides/error-codes (Chat and Responses alike)
_OPENAI = {
    "invalid_request": _Face(400, "invalid_request_error"),
    "not_found": _Face(404, "invalid_request_error"),
    "request_too_large": _Face(413, "invalid_request_error"),
    "rate_limited": _Face(429, "requests", "rate_limit_exceeded"),
    "overloaded": _Face(503, "server_error", "overloaded"),
    "timeout": _Face(504, "server_error", "timeout"),
    "upstream_error": _Face(502, "server_error", "upstream_error"),
    "internal": _Face(500, "server_error"),
}
_ERRORS: dict[str, dict[str, _Face]] = {
    "openai_chat": _OPENAI,
    "openai_responses": _OPENAI,
    # https://docs.anthropic.com/en/api/errors
    "anthropic_messages": {
        "invalid_request": _Face(400, "invalid_request_error"),
        "not_found": _Face(404, "not_found_error"),
        "request_too_large": _Face(413, "request_too_large"),
        "rate_limited": _Face(429, "rate_limit_error"),
        "overloaded": _Face(529, "overloaded_error"),
        "timeout": _Face(504, "timeout_error"),
        "upstream_error": _Face(502, "api_error"),
        "internal": _Face(500, "api_error"),
    },
    # https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes: the
    # HTTP status and the google.rpc status name (the error's ``status``,
    # which drivers report as its type). Google maps no rpc status to 413 or
    # 502 (https://google.aip.dev/193), so those carry a status alone.
    "gemini": {
        "invalid_request": _Face(400, "INVALID_ARGUMENT"),
        "not_found": _Face(404, "NOT_FOUND"),
        "request_too_large": _Face(413, None),
        "rate_limited": _Face(429, "RESOURCE_EXHAUSTED"),
        "overloaded": _Face(503, "UNAVAILABLE"),
        "timeout": _Face(504, "DEADLINE_EXCEEDED"),
        "upstream_error": _Face(502, None),
        "internal": _Face(500, "INTERNAL"),
    },
}

# Per frontend protocol whose in-stream errors differ from its error replies,
# each kind as a failure after the stream started shows it. A Responses
# stream fails with an ``error`` event and ``response.failed``, which carry a
# code and no type; the codes are ResponseError's.
# https://platform.openai.com/docs/api-reference/responses-streaming/response/failed
_STREAM_ERRORS: dict[str, dict[str, _Face]] = {
    "openai_responses": {
        "invalid_request": _Face(None, None, "invalid_prompt"),
        "not_found": _Face(None, None, "server_error"),
        "request_too_large": _Face(None, None, "server_error"),
        "rate_limited": _Face(None, None, "rate_limit_exceeded"),
        "overloaded": _Face(None, None, "server_error"),
        "timeout": _Face(None, None, "server_error"),
        "upstream_error": _Face(None, None, "server_error"),
        "internal": _Face(None, None, "server_error"),
    },
}

# Per frontend protocol, a scenario's finish (OpenAI Chat's names, the
# neutral vocabulary of scenarios) as the protocol's own finish values.
_FINISHES: dict[str, dict[str, tuple[str, ...]]] = {
    "openai_chat": {
        "stop": ("stop",),
        "length": ("length",),
        "tool_calls": ("tool_calls",),
        "content_filter": ("content_filter",),
    },
    # https://docs.anthropic.com/en/api/handling-stop-reasons: a natural end
    # and a stop sequence are both Chat's "stop"; a filtered reply is a refusal.
    "anthropic_messages": {
        "stop": ("end_turn", "stop_sequence"),
        "length": ("max_tokens",),
        "tool_calls": ("tool_use",),
        "content_filter": ("refusal",),
    },
    # https://platform.openai.com/docs/api-reference/responses/object: a
    # response completes (with function_call items when it called tools) or
    # is incomplete with a reason; drivers report "incomplete:<reason>".
    "openai_responses": {
        "stop": ("completed",),
        "length": ("incomplete:max_output_tokens",),
        "tool_calls": ("completed",),
        "content_filter": ("incomplete:content_filter",),
    },
    # https://ai.google.dev/api/generate-content#FinishReason: a candidate
    # ends STOP (with functionCall parts when it called functions), or
    # MAX_TOKENS, or SAFETY when the filter stopped it.
    "gemini": {
        "stop": ("STOP",),
        "length": ("MAX_TOKENS",),
        "tool_calls": ("STOP",),
        "content_filter": ("SAFETY",),
    },
}


def _as_seen_by(protocol: str, expect: Expect) -> Expect:
    """``expect`` in what ``protocol`` can show: Anthropic has no refusal
    field, so a refusal is its text with stop reason ``refusal``; Gemini has
    none either, and a refusal is its text."""
    if protocol == "anthropic_messages" and expect.refusal is not None:
        return expect.model_copy(
            update={"text": expect.refusal, "refusal": None, "finish": "content_filter"}
        )
    if protocol == "gemini" and expect.refusal is not None:
        return expect.model_copy(update={"text": expect.refusal, "refusal": None})
    return expect


def mismatches(seen: Observation, expect: Expect, protocol: str = "openai_chat") -> list[str]:
    """Every way ``seen``, by a client of frontend ``protocol``, differs from
    ``expect``: empty when it holds."""
    if protocol not in _ERRORS:
        raise KeyError(f"no expectations for protocol {protocol!r}")
    expect = _as_seen_by(protocol, expect)
    problems: list[str] = []

    def check(field: str, got: object, want: object) -> None:
        if got != want:
            problems.append(f"{field}: expected {want!r}, got {got!r}")

    if expect.error is not None:
        error = seen.error
        if error is None:
            problems.append(f"error: expected {expect.error!r}, got none")
        else:
            faces = _ERRORS[protocol]
            if expect.error.in_stream:
                faces = _STREAM_ERRORS.get(protocol, faces)
            face = faces[expect.error.kind] if expect.error.kind else None
            if expect.error.status is not None:
                # An error reply: with a kind, the protocol's status for it.
                want_status = face.status if face is not None else expect.error.status
                check("error.status", error.status, want_status)
            if face is not None:
                if face.type is not None:
                    check("error.type", error.type, face.type)
                if face.code is not None:
                    check("error.code", error.code, face.code)
            check("error.in_stream", error.in_stream, expect.error.in_stream)
    elif seen.error is not None:
        problems.append(f"error: expected none, got {seen.error!r}")
    if expect.text is not None:
        check("text", seen.text, expect.text)
    if expect.text_startswith is not None and not (seen.text or "").startswith(
        expect.text_startswith
    ):
        problems.append(
            f"text: expected to start with {expect.text_startswith!r}, got {seen.text!r}"
        )
    if expect.json_text:
        try:
            json.loads(seen.text or "")
        except ValueError:
            problems.append(f"text: expected JSON, got {seen.text!r}")
    if expect.reasoning is not None:
        check("reasoning", seen.reasoning, expect.reasoning)
    if expect.refusal is not None:
        check("refusal", seen.refusal, expect.refusal)
    if expect.tool_calls is not None:
        got_calls: list[tuple[str, object]] = []
        for call in seen.tool_calls:
            try:
                arguments = json.loads(call.arguments)
            except ValueError:
                arguments = call.arguments
            got_calls.append((call.name, arguments))
        check("tool_calls", got_calls, [(c.name, c.arguments) for c in expect.tool_calls])
        for got_call, want_call in zip(seen.tool_calls, expect.tool_calls, strict=False):
            if want_call.id is not None:
                check(f"tool_calls[{want_call.name}].id", got_call.id, want_call.id)
    if expect.finish is not None:
        allowed = _FINISHES[protocol][expect.finish]
        if seen.finish not in allowed:
            want = allowed[0] if len(allowed) == 1 else " or ".join(allowed)
            problems.append(f"finish: expected {want!r}, got {seen.finish!r}")
    if expect.usage is not None:
        usage = seen.usage or ObservedUsage()
        for name in ("input", "output", "cached", "reasoning"):
            want_value = getattr(expect.usage, name)
            if want_value is not None:
                check(f"usage.{name}", getattr(usage, name), want_value)
    return problems
