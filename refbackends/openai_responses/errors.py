"""OpenAI Responses error bodies, as the real API sends them.

The body is OpenAI's ``{"error": {"message", "type", "param", "code"}}``,
shared with Chat Completions (:mod:`refbackends.openai_chat.errors`: the
error class, 401s, the statuses both APIs answer alike). This module adds
what is the Responses API's own:

- :func:`scripted_error`: the one table from a scripted HTTP status to the
  body (a 400 names ``input``, not ``messages``);
- :func:`response_not_found` (404 on ``GET``/``DELETE``/``input_items``),
  :func:`previous_response_not_found` (400 ``previous_response_not_found``),
  :func:`item_not_found` (404: a reasoning item sent back by id alone that
  was never stored) and :func:`unverified_encrypted_content` (400
  ``invalid_encrypted_content``);
- :func:`stream_failure`: the ``error`` object of a ``response.failed``
  event, which is how a stream that already started fails.
"""

from __future__ import annotations

from typing import Literal, assert_never

from lip.canonical.json import JSONObject
from refbackends.openai_chat.errors import OpenAIError, auth_error, error_body
from refbackends.openai_chat.errors import scripted_error as _shared_error

__all__ = [
    "OpenAIError",
    "auth_error",
    "error_body",
    "item_not_found",
    "previous_response_not_found",
    "response_not_found",
    "scripted_error",
    "stream_failure",
    "unverified_encrypted_content",
]

_SERVER_ERROR = (
    "An error occurred while processing your request. You can retry your request, or contact us "
    "through our help center at help.openai.com if the error persists."
)


def scripted_error(status: int, *, model: str, api_key: str | None) -> OpenAIError:
    """The real API's error for ``status`` (>= 400) on a request for ``model``."""
    if status == 400:
        return OpenAIError(
            400,
            "Your input exceeds the context window of this model. Please adjust your input and try "
            "again.",
            param="input",
            code="context_length_exceeded",
        )
    return _shared_error(status, model=model, api_key=api_key)


def response_not_found(response_id: str) -> OpenAIError:
    """404 for an id that was never stored, was deleted or was evicted."""
    return OpenAIError(404, f"Response with id '{response_id}' not found.")


def previous_response_not_found(response_id: str) -> OpenAIError:
    """400 for a ``previous_response_id`` the API does not hold."""
    return OpenAIError(
        400,
        f"Previous response with id '{response_id}' not found.",
        param="previous_response_id",
        code="previous_response_not_found",
    )


def item_not_found(item_id: str, index: int) -> OpenAIError:
    """404 for an item referenced by id only (no content of its own) that
    no stored response holds."""
    return OpenAIError(
        404,
        f"Item with id '{item_id}' not found. Items are not persisted when `store` is set to "
        "false. Try again with `store` set to true, or remove this item from your input.",
        param=f"input[{index}]",
    )


def unverified_encrypted_content(content: str) -> OpenAIError:
    """400 for an ``encrypted_content`` this API never minted (shown
    abbreviated, as the API does)."""
    shown = f"{content[:4]}...{content[-4:]}" if len(content) > 8 else content
    return OpenAIError(
        400,
        f"The encrypted content {shown} could not be verified.",
        code="invalid_encrypted_content",
    )


def stream_failure(
    kind: Literal["rate_limited", "overloaded", "server_error"], *, model: str
) -> JSONObject:
    """The ``response.error`` object of a ``response.failed`` event
    (``kind`` is a :class:`refbackends.plan.PlanFailure` kind)."""
    match kind:
        case "server_error":
            return {"code": "server_error", "message": _SERVER_ERROR}
        case "rate_limited":
            return {
                "code": "rate_limit_exceeded",
                "message": f"Rate limit reached for {model} in organization org-emulator on tokens "
                "per min (TPM): Limit 30000, Used 30000, Requested 120. Please try again in 240ms. "
                "Visit https://platform.openai.com/account/rate-limits to learn more.",
            }
        case "overloaded":
            return {
                "code": "server_is_overloaded",
                "message": "Our servers are currently overloaded. Please try again later.",
            }
        case _:
            assert_never(kind)
