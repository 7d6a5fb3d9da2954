"""The OpenAI API's value rules a schema does not carry, checked before any network.

https://platform.openai.com/docs/api-reference/chat/create (each parameter's
range); errors are worded the way the API words them.
"""

from __future__ import annotations

from lip.canonical import InvalidRequestError
from lip_wire.openai import chat_completion_request as w

__all__ = ["check_values"]

# parameter -> (minimum, maximum, "decimal" | "integer")
_RANGES: dict[str, tuple[float | None, float | None, str]] = {
    "temperature": (0, 2, "decimal"),
    "top_p": (0, 1, "decimal"),
    "presence_penalty": (-2, 2, "decimal"),
    "frequency_penalty": (-2, 2, "decimal"),
    "max_tokens": (1, None, "integer"),
    "max_completion_tokens": (1, None, "integer"),
    "top_logprobs": (0, 20, "integer"),
}


def check_values(request: w.ChatCompletionRequest) -> None:
    """Raise the API's 400 for the first parameter outside its range."""
    for param, (low, high, kind) in _RANGES.items():
        value = getattr(request, param, None)
        if value is None or isinstance(value, bool):
            continue
        if high is not None and value > high:
            side, code, bound = "above maximum", "above_max", f"<= {high}"
        elif low is not None and value < low:
            side, code, bound = "below minimum", "below_min", f">= {low}"
        else:
            continue
        raise InvalidRequestError(
            f"Invalid '{param}': {kind} {side} value. Expected a value {bound}, "
            f"but got {value} instead.",
            param=param,
            code=f"{kind}_{code}_value",
        )
