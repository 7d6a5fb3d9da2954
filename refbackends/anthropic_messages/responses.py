"""Sending what the emulator answers: the headers the API puts on every
response, error bodies, and a script's timing, ``Retry-After`` and cut
applied to any body (through :class:`refbackends.streaming.ScriptedResponse`).
"""

from __future__ import annotations

from refbackends.anthropic_messages.errors import AnthropicError, error_body
from refbackends.content import stable_hex, stable_id
from refbackends.control import EmulatorState
from refbackends.scripting import Script
from refbackends.streaming import ScriptedResponse, scripted_response

__all__ = ["JSON_MEDIA", "SSE_MEDIA", "base_headers", "error_response", "send"]

JSON_MEDIA = "application/json"
SSE_MEDIA = "text/event-stream"
# A fixed reset time (2023-11-14T22:13:20Z + 1 minute): responses are reproducible.
_RESET = "2023-11-14T22:14:20Z"


def base_headers(state: EmulatorState, raw: bytes) -> dict[str, str]:
    """Headers the API sends on every response. The request id is unique
    per request and reproducible for a given request sequence."""
    number = state.next_request_number()
    organization = stable_hex(["organization"], 32)
    return {
        "request-id": f"req_011C{stable_id([str(number), raw], 20)}",
        "anthropic-organization-id": (
            f"{organization[:8]}-{organization[8:12]}-{organization[12:16]}-"
            f"{organization[16:20]}-{organization[20:]}"
        ),
        "anthropic-ratelimit-requests-limit": "4000",
        "anthropic-ratelimit-requests-remaining": "3999",
        "anthropic-ratelimit-requests-reset": _RESET,
        "anthropic-ratelimit-input-tokens-limit": "2000000",
        "anthropic-ratelimit-input-tokens-remaining": "2000000",
        "anthropic-ratelimit-input-tokens-reset": _RESET,
        "anthropic-ratelimit-output-tokens-limit": "400000",
        "anthropic-ratelimit-output-tokens-remaining": "400000",
        "anthropic-ratelimit-output-tokens-reset": _RESET,
    }


def error_response(
    error: AnthropicError, headers: dict[str, str], script: Script | None = None
) -> ScriptedResponse:
    """``error`` with the request's id in its body, the script's timing and cut."""
    return send(
        [error_body(error, headers["request-id"])],
        {**headers, **error.headers},
        script,
        status=error.status,
        media_type=JSON_MEDIA,
        unary=True,
    )


def send(
    frames: list[bytes],
    headers: dict[str, str],
    script: Script | None,
    *,
    status: int,
    media_type: str,
    unary: bool,
) -> ScriptedResponse:
    """The script's timing, ``Retry-After`` and cut applied (refbackends.streaming)."""
    return scripted_response(
        frames, headers, script, status=status, media_type=media_type, unary=unary
    )
