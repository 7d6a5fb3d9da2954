"""Checking single request parameters, with the API's error messages.

Each check raises a 400 :class:`OpenAIError` worded like the API's
(``Invalid type for 'temperature': expected a decimal, but got a string
instead.``, ``Missing required parameter: 'messages'.``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from refbackends.openai_chat.errors import OpenAIError

__all__ = [
    "boolean_param",
    "integer_param",
    "invalid_type",
    "invalid_value",
    "missing",
    "number_param",
    "string_param",
]


def number_param(body: Mapping[str, object], key: str, low: float, high: float) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid_type(key, "a decimal", value)
    _check_range(key, value, low, high, "decimal")
    return float(value)


def integer_param(
    body: Mapping[str, object], key: str, low: int | None, high: int | None
) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_type(key, "an integer", value)
    _check_range(key, value, low, high, "integer")
    return value


def _check_range(key: str, value: float, low: float | None, high: float | None, kind: str) -> None:
    if high is not None and value > high:
        raise OpenAIError(
            400,
            f"Invalid '{key}': {kind} above maximum value. Expected a value <= {high}, but got {value} instead.",
            param=key,
            code=f"{kind}_above_max_value",
        )
    if low is not None and value < low:
        raise OpenAIError(
            400,
            f"Invalid '{key}': {kind} below minimum value. Expected a value >= {low}, but got {value} instead.",
            param=key,
            code=f"{kind}_below_min_value",
        )


def boolean_param(body: Mapping[str, object], key: str, *, prefix: str = "") -> bool | None:
    value = body.get(key)
    if value is not None and not isinstance(value, bool):
        raise invalid_type(prefix + key, "a boolean", value)
    return value


def string_param(body: Mapping[str, object], key: str) -> None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise invalid_type(key, "a string", value)


def _type_phrase(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def invalid_type(path: str, expected: str, value: object, *, param: str | None = "") -> OpenAIError:
    where = "body" if param is None else f"'{path}'"
    return OpenAIError(
        400,
        f"Invalid type for {where}: expected {expected}, but got {_type_phrase(value)} instead.",
        param=path if param == "" else param,
        code="invalid_type",
    )


def missing(path: str) -> OpenAIError:
    return OpenAIError(
        400, f"Missing required parameter: '{path}'.", param=path, code="missing_required_parameter"
    )


def invalid_value(path: str, value: object, supported: Sequence[str]) -> OpenAIError:
    quoted = [f"'{item}'" for item in supported]
    listed = (
        " and ".join(quoted) if len(quoted) < 3 else ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    )
    return OpenAIError(
        400,
        f"Invalid value: '{value}'. Supported values are: {listed}.",
        param=path,
        code="invalid_value",
    )
