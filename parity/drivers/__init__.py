"""Official vendor SDKs as parity clients: one module per frontend protocol and language."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from parity.observation import Observation, ObservedError
from parity.recorded import OPTIONS
from parity.scenario import Mode

__all__ = ["client_options", "read", "sdk_kwargs"]


def client_options(params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The request body without its per-request options, and the client
    constructor's ``default_headers`` / ``default_query`` from them."""
    options = params.get(OPTIONS)
    if not options:
        return params, {}
    body = {k: v for k, v in params.items() if k != OPTIONS}
    return body, {"default_headers": options["headers"], "default_query": options["query"]}


def sdk_kwargs(method: Callable[..., Any], params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as keywords of an SDK method: arguments it does not name (a
    recorded client's beta arguments) go in ``extra_body``, as a client
    sending them would."""
    named = inspect.signature(method).parameters
    extra = {k: v for k, v in params.items() if k not in named}
    if not extra:
        return params
    return {**{k: v for k, v in params.items() if k in named}, "extra_body": extra}


def read(
    mode: Mode,
    *,
    unary: Callable[[], Observation],
    stream: Callable[[], Observation],
    helper: Callable[[], Observation],
    error: Callable[[Exception, bool], ObservedError],
) -> Observation:
    """Read one reply the way ``mode`` says; a unary call that raises is the
    error the SDK reported (the stream readers report their own)."""
    if mode == "stream":
        return stream()
    if mode == "stream_helper":
        return helper()
    try:
        return unary()
    except Exception as exc:
        seen = error(exc, False)
        return Observation(status=seen.status, error=seen)
