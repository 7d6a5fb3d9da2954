"""What a client driver saw, field by field from the SDK's parsed objects, and
how it is held against a scenario's expectation.

Drivers in every language report this same JSON shape (the JavaScript ones
print it), so one comparison serves them all.
"""

from __future__ import annotations

import json

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


# How each canonical error kind looks to an OpenAI SDK: (error.type, error.code).
_OPENAI_KINDS: dict[str, tuple[str, ...]] = {
    "invalid_request": ("invalid_request_error",),
    "not_found": ("invalid_request_error",),
    "request_too_large": ("invalid_request_error",),
    "rate_limited": ("requests", "rate_limit_exceeded"),
    "overloaded": ("server_error", "overloaded"),
    "timeout": ("server_error", "timeout"),
    "upstream_error": ("server_error", "upstream_error"),
    "internal": ("server_error",),
}


def mismatches(seen: Observation, expect: Expect) -> list[str]:
    """Every way ``seen`` differs from ``expect``: empty when it holds."""
    problems: list[str] = []

    def check(field: str, got: object, want: object) -> None:
        if got != want:
            problems.append(f"{field}: expected {want!r}, got {got!r}")

    if expect.error is not None:
        error = seen.error
        if error is None:
            problems.append(f"error: expected {expect.error!r}, got none")
        else:
            if expect.error.status is not None:
                check("error.status", error.status, expect.error.status)
            if expect.error.kind is not None:
                want = _OPENAI_KINDS[expect.error.kind]
                check("error.type", error.type, want[0])
                if len(want) > 1:
                    check("error.code", error.code, want[1])
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
        check("finish", seen.finish, expect.finish)
    if expect.usage is not None:
        usage = seen.usage or ObservedUsage()
        for name in ("input", "output", "cached", "reasoning"):
            want_value = getattr(expect.usage, name)
            if want_value is not None:
                check(f"usage.{name}", getattr(usage, name), want_value)
    return problems
