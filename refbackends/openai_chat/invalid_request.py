"""The API's 400s for invalid Chat Completions requests.

:func:`wire_error` is the one mapping from a :class:`pydantic.ValidationError`
of the generated wire model to the error the API sends, worded like the
API's: ``Invalid type for 'temperature': expected a decimal, but got a string
instead.``, ``Missing required parameter: 'messages[0].role'.``, ``Invalid
value: 'robot'. Supported values are: ...``. The constructors below it serve
the semantic checks the wire model cannot express.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from refbackends.locations import child, read_location
from refbackends.openai_chat.errors import OpenAIError

__all__ = [
    "UNPARSEABLE",
    "bad_length",
    "invalid_value",
    "out_of_range",
    "wire_error",
]

UNPARSEABLE = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
    "your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
    "valid JSON. If you have trouble figuring out how to fix this, please contact us through our "
    "help center at help.openai.com.)"
)

# pydantic's type errors -> what the API says it expected.
_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a decimal",
    "bool_type": "a boolean",
    "list_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}
_TAG_ERRORS = frozenset({"union_tag_invalid", "union_tag_not_found", "literal_error"})
# The keys the wire model's tagged unions switch on.
_DISCRIMINATORS = ("type", "role")
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class _Problem:
    """One pydantic error, placed in the request body."""

    error: ErrorDetails
    param: str  # ``messages[0].content``; "" for the body itself
    depth: int  # how far into the body the input got
    union_at: tuple[int | str, ...] | None  # location where a plain union branched


def wire_error(exc: ValidationError, body: object) -> OpenAIError:
    """The API's 400 for the first problem pydantic found in ``body`` (the
    parsed request)."""
    problems = [_place(error, body) for error in exc.errors(include_url=False)]
    first = problems[0]
    if first.error["type"] == "json_invalid":
        return OpenAIError(400, UNPARSEABLE)
    # A plain union (``str | list[part]``) reports one error per member: the
    # member the input got furthest into is the one the client meant.
    rivals = [p for p in problems if first.union_at is not None and p.union_at == first.union_at]
    best = max(rivals or [first], key=lambda p: (p.depth, p.error["type"] in _TAG_ERRORS))
    error, param = best.error, best.param
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind in _EXPECTED:
        # Every member's type at the same place: "one of a string or an array".
        kinds = [p.error["type"] for p in rivals or [best] if p.param == param]
        expected = list(dict.fromkeys(_EXPECTED[k] for k in kinds if k in _EXPECTED))
        phrase = expected[0] if len(expected) == 1 else f"one of {' or '.join(expected)}"
        return _invalid_type(param, phrase, error["input"])
    if kind in ("missing", "union_tag_not_found"):
        return _missing(param)
    if kind == "union_tag_invalid":
        return invalid_value(param, ctx.get("tag"), _QUOTED.findall(str(ctx.get("expected_tags"))))
    if kind == "literal_error":
        return invalid_value(param, error["input"], _QUOTED.findall(str(ctx.get("expected"))))
    message = error["msg"].rstrip(".")
    return OpenAIError(
        400,
        f"Invalid value for '{param}': {message[:1].lower()}{message[1:]}.",
        param=param or None,
        code="invalid_value",
    )


def _place(error: ErrorDetails, body: object) -> _Problem:
    """Walk the error's location through ``body``, dropping the union
    markers pydantic puts in it (a tag such as ``user``, or a member such as
    ``str`` or ``list[...]``), so the ``param`` names the client's field."""
    loc = error["loc"]
    # A marker can also be a key of its object (a tag names its payload,
    # {"type": "function", "function": {...}}; a stray key can share a
    # member's name, {"str": ...}), so a location can read more than one
    # way; the right reading is the one that reaches the value pydantic
    # reports as the input.
    steps = read_location(body, error, _is_tag)
    node, param, depth = body, "", 0
    union_at: tuple[int | str, ...] | None = None
    for i, (item, step) in enumerate(zip(loc, steps, strict=True)):
        if isinstance(item, int):
            param += f"[{item}]"
        elif step:
            param = f"{param}.{item}" if param else item
        else:
            if union_at is None and not _is_tag(node, item):
                union_at = loc[:i]
            continue
        node = child(node, item)
        depth += 1
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        # The complaint is about the discriminator inside the object.
        discriminator = str(error.get("ctx", {}).get("discriminator", "type")).strip("'")
        param = f"{param}.{discriminator}" if param else discriminator
        depth += 1
    return _Problem(error, param, depth, union_at)


def _is_tag(node: object, item: int | str) -> bool:
    return isinstance(node, dict) and any(node.get(key) == item for key in _DISCRIMINATORS)


# JSON types as the API names them; bool before int (bool is an int).
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a decimal"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)


def _type_phrase(value: object) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "null")


def _invalid_type(param: str, expected: str, value: object) -> OpenAIError:
    """``Invalid type for 'x': expected ..., but got ... instead.`` (``param``
    "" for the body itself)."""
    where = f"'{param}'" if param else "body"
    return OpenAIError(
        400,
        f"Invalid type for {where}: expected {expected}, but got {_type_phrase(value)} instead.",
        param=param or None,
        code="invalid_type",
    )


def _missing(param: str) -> OpenAIError:
    """``Missing required parameter: 'x'.``"""
    return OpenAIError(
        400,
        f"Missing required parameter: '{param}'.",
        param=param,
        code="missing_required_parameter",
    )


def invalid_value(param: str, value: object, supported: Sequence[str]) -> OpenAIError:
    """``Invalid value: 'x'. Supported values are: 'a', 'b', and 'c'.``"""
    quoted = [f"'{item}'" for item in supported]
    listed = (
        " and ".join(quoted) if len(quoted) < 3 else ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    )
    return OpenAIError(
        400,
        f"Invalid value: '{value}'. Supported values are: {listed}.",
        param=param,
        code="invalid_value",
    )


def out_of_range(
    param: str, value: float, low: float | None, high: float | None, kind: str
) -> OpenAIError | None:
    """``Invalid 'x': decimal above maximum value. ...`` when ``value`` is
    outside [``low``, ``high``] (``kind`` is "decimal" or "integer")."""
    if high is not None and value > high:
        side, code, bound = "above maximum", "above_max", f"<= {high}"
    elif low is not None and value < low:
        side, code, bound = "below minimum", "below_min", f">= {low}"
    else:
        return None
    return OpenAIError(
        400,
        f"Invalid '{param}': {kind} {side} value. Expected a value {bound}, but got {value} instead.",
        param=param,
        code=f"{kind}_{code}_value",
    )


def bad_length(param: str, length: int, low: int | None, high: int | None) -> OpenAIError | None:
    """``Invalid 'x': empty array. ...`` below ``low`` (which is 1: the API
    words no other minimum) or ``array too long`` above ``high``."""
    if low is not None and length < low:
        problem, code = "empty array", "empty_array"
        expected, got = f"minimum length {low}", "an empty array"
    elif high is not None and length > high:
        problem, code = "array too long", "array_above_max_length"
        expected, got = f"maximum length {high}", f"an array with length {length}"
    else:
        return None
    return OpenAIError(
        400,
        f"Invalid '{param}': {problem}. Expected an array with {expected}, but got {got} instead.",
        param=param,
        code=code,
    )
