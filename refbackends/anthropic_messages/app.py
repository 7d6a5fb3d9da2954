"""The Anthropic Messages emulator: a Starlette app built by :func:`create_app`.

Routes:

- ``POST /v1/messages`` (also ``?beta=true``): unary or ``stream: true`` SSE;
- ``POST /v1/messages/count_tokens``: ``{"input_tokens": N}``, the same
  deterministic estimate a reply's ``usage.input_tokens`` reports;
- ``GET /v1/models``, ``GET /v1/models/{model_id}``;
- ``GET /healthz``;
- the ``/__emulator__`` control plane (:mod:`refbackends.control`).

Every API request needs ``anthropic-version`` (400 without it) and, when
the app has an API key, that key as ``x-api-key`` or ``Authorization:
Bearer`` (401 otherwise). Every response carries a ``request-id`` header,
repeated in error bodies.

Order of work for a messages request: log it, authenticate, check the
version header, pick the script (headers, else queue), answer a scripted
error status, validate the body, plan the reply (or take the script's
:class:`refbackends.plan.Plan`, rendered by :mod:`.planned`), encode it,
and send it with the script's timing and cut. Scripts apply to messages
requests only: count_tokens and models never pop the queue.
"""

from __future__ import annotations

import hmac
import json
import re

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from refbackends.anthropic_messages.encoding import encode_message, encode_stream, identity_for
from refbackends.anthropic_messages.errors import (
    AnthropicError,
    auth_error,
    invalid_request,
    scripted_error,
)
from refbackends.anthropic_messages.models import find_model, model_page
from refbackends.anthropic_messages.planned import planned_reply
from refbackends.anthropic_messages.reply import Reply, tool_input
from refbackends.anthropic_messages.responses import (
    JSON_MEDIA,
    SSE_MEDIA,
    base_headers,
    error_response,
    send,
)
from refbackends.anthropic_messages.scenarios import plan_reply
from refbackends.anthropic_messages.validation import parse_request
from refbackends.control import EmulatorState, LoggedRequest, control_routes, emulator_state
from refbackends.exchange import ExchangeObserver
from refbackends.scripting import Script, ScriptError, select_script

__all__ = ["create_app"]

# anthropic-version values are release dates ("2023-06-01"; SDKs pinned
# later send later dates): any date is accepted, anything else is not.
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def create_app(api_key: str | None = None) -> Starlette:
    """Build an emulator app. With ``api_key``, API routes answer 401 (the
    API's body, key never echoed) unless the request carries that key as
    ``x-api-key`` or ``Authorization: Bearer``; without it any key, or
    none, is accepted. Script queue and request log live on
    ``app.state.emulator``.
    """
    endpoints = _Endpoints(api_key)
    routes = [
        Route("/v1/messages", endpoints.messages, methods=["POST"]),
        Route("/v1/messages/count_tokens", endpoints.count_tokens, methods=["POST"]),
        Route("/v1/models", endpoints.list_models, methods=["GET"]),
        Route("/v1/models/{model_id:path}", endpoints.retrieve_model, methods=["GET"]),
        Route("/healthz", _healthz, methods=["GET"]),
        *control_routes(),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={404: _invalid_url, 405: _invalid_url},
        middleware=[Middleware(ExchangeObserver)],
    )
    app.state.emulator = EmulatorState()
    return app


class _Endpoints:
    """Route handlers bound to the app's configuration (the API key)."""

    def __init__(self, api_key: str | None) -> None:
        self._api_key = api_key

    async def messages(self, request: Request) -> Response:
        state, raw, headers, entry = await _received(request)
        refused = self._refused(request)
        if refused is not None:
            return error_response(refused, headers)
        try:
            selected = select_script(request.headers, state.scripts)
        except ScriptError as exc:
            return error_response(
                invalid_request(f"Invalid emulator script: {exc.message}"), headers
            )
        entry.script = selected
        script = selected.script if selected else None
        if script is not None and script.status is not None and script.is_error:
            failure = scripted_error(script.status, model=_peek_model(raw))
            return error_response(failure, headers, script)
        try:
            parsed = parse_request(raw, beta=_beta(request))
        except AnthropicError as invalid:
            return error_response(invalid, headers, script)
        if script is not None and script.plan is not None:
            reply = planned_reply(parsed, script.plan)
        else:
            reply = plan_reply(parsed, script)
        ident = identity_for(parsed)
        status = script.status if script is not None and script.status is not None else 200
        if parsed.stream:
            encoded = encode_stream(ident, reply)
            if encoded.cut_after is not None:
                # The reply's own cut and the script's: the earlier wins.
                script = script or Script()
                cut_after = encoded.cut_after
                if script.cut_after is not None:
                    cut_after = min(cut_after, script.cut_after)
                script = script.model_copy(update={"cut_after": cut_after})
            return send(
                encoded.frames, headers, script, status=status, media_type=SSE_MEDIA, unary=False
            )
        if reply.failure is not None:
            # A failure half way through has no unary form: answer a 500.
            return error_response(scripted_error(500, model=parsed.model), headers, script)
        unsendable = _unary_problem(reply)
        if unsendable is not None:
            return error_response(invalid_request(unsendable), headers)
        body = encode_message(ident, reply)
        return send([body], headers, script, status=status, media_type=JSON_MEDIA, unary=True)

    async def count_tokens(self, request: Request) -> Response:
        _, raw, headers, _ = await _received(request)
        refused = self._refused(request)
        if refused is not None:
            return error_response(refused, headers)
        try:
            parsed = parse_request(raw, beta=_beta(request), counting=True)
        except AnthropicError as invalid:
            return error_response(invalid, headers)
        return _json({"input_tokens": parsed.input_tokens}, headers)

    async def list_models(self, request: Request) -> Response:
        _, _, headers, _ = await _received(request)
        refused = self._refused(request)
        if refused is not None:
            return error_response(refused, headers)
        try:
            return _json(model_page(request.query_params), headers)
        except AnthropicError as invalid:
            return error_response(invalid, headers)

    async def retrieve_model(self, request: Request) -> Response:
        _, _, headers, _ = await _received(request)
        refused = self._refused(request)
        if refused is not None:
            return error_response(refused, headers)
        wanted = request.path_params["model_id"]
        model = find_model(wanted)
        if model is None:
            missing = AnthropicError(404, f"model: {wanted}", type="not_found_error")
            return error_response(missing, headers)
        return _json(model, headers)

    def _refused(self, request: Request) -> AnthropicError | None:
        """401 without the configured key, else 400 without a valid
        ``anthropic-version``."""
        if self._api_key is not None:
            provided = request.headers.get("x-api-key") or _bearer(request)
            if provided is None or not hmac.compare_digest(
                provided.encode(), self._api_key.encode()
            ):
                return auth_error(provided)
        version = request.headers.get("anthropic-version")
        if version is None:
            return invalid_request("anthropic-version: header is required")
        if not _VERSION.match(version):
            return invalid_request(f'anthropic-version: "{version}" is not a valid version')
        return None


async def _received(
    request: Request,
) -> tuple[EmulatorState, bytes, dict[str, str], LoggedRequest]:
    """Log the request: the app's state, the body, the headers every
    response carries, and the log entry."""
    app = request.app
    assert isinstance(app, Starlette)
    state = emulator_state(app)
    raw = await request.body()
    entry = state.requests.record(
        request.method, request.url.path, request.url.query, request.headers, raw
    )
    return state, raw, base_headers(state, raw), entry


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _beta(request: Request) -> bool:
    """A beta request (beta-only arguments allowed): the SDK's ``?beta=true``
    marker, or an ``anthropic-beta`` header, which is what the API goes by."""
    return request.query_params.get("beta") == "true" or bool(request.headers.get("anthropic-beta"))


def _peek_model(raw: bytes) -> str:
    try:
        body = json.loads(raw)
    except ValueError:
        return "unknown"
    model = body.get("model") if isinstance(body, dict) else None
    return model if isinstance(model, str) and model else "unknown"


def _unary_problem(reply: Reply) -> str | None:
    """Why a scripted reply has no unary form (tool input that is not a
    JSON object), or None."""
    for block in reply.blocks:
        if block.kind == "tool_use" and tool_input(block) is None:
            return (
                f"Invalid emulator script: the input of tool_use {block.id} does not join to a "
                "JSON object, which only a stream can send"
            )
    return None


def _json(payload: dict[str, object], headers: dict[str, str]) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return send([body], headers, None, status=200, media_type=JSON_MEDIA, unary=True)


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _invalid_url(request: Request, exc: Exception) -> Response:
    """The API's answer to an unknown path (404) or method (405)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    app = request.app
    assert isinstance(app, Starlette)
    headers = base_headers(emulator_state(app), b"")
    if status == 405:
        error = AnthropicError(405, "Method Not Allowed", type="invalid_request_error")
    else:
        error = AnthropicError(404, "Not Found", type="not_found_error")
    return error_response(error, headers)
