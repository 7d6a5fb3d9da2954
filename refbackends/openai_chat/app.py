"""The OpenAI Chat Completions emulator: a Starlette app built by
:func:`create_app`.

Routes (each also served without the ``/v1`` prefix, except health):

- ``POST /v1/chat/completions``: unary or ``stream: true`` SSE;
- ``GET /v1/models``, ``GET /v1/models/{model}``;
- ``GET /healthz``;
- the ``/__emulator__`` control plane (:mod:`refbackends.control`).

Order of work for a chat request: log it, authenticate (when an API key is
configured), pick the script (headers, else queue), answer a scripted error
status, validate the body, plan the reply (or take the script's
:class:`refbackends.plan.Plan`, rendered by :mod:`.planned`), encode it, and
send it with the script's timing and cut.
"""

from __future__ import annotations

import hmac
import json

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from refbackends.content import stable_hex
from refbackends.control import EmulatorState, control_routes, emulator_state
from refbackends.exchange import ExchangeObserver
from refbackends.openai_chat.encoding import encode_completion, encode_stream, identity_for
from refbackends.openai_chat.errors import OpenAIError, auth_error, error_body, scripted_error
from refbackends.openai_chat.planned import encode_planned_completion, encode_planned_stream
from refbackends.openai_chat.scenarios import plan_reply
from refbackends.openai_chat.validation import ChatRequest, parse_chat_request
from refbackends.plan import Plan
from refbackends.scripting import Script, ScriptError, select_script
from refbackends.streaming import scripted_response

__all__ = ["MODELS", "create_app"]

# (id, created, owned_by) served by /v1/models.
MODELS: tuple[tuple[str, int, str], ...] = (
    ("gpt-4o", 1715367049, "system"),
    ("gpt-4o-mini", 1721172741, "system"),
    ("gpt-4.1", 1744316542, "system"),
    ("gpt-4.1-mini", 1744318173, "system"),
    ("gpt-4.1-nano", 1744321707, "system"),
    ("o3-mini", 1737146383, "system"),
    ("o4-mini", 1744225351, "system"),
    ("gpt-5", 1754425777, "system"),
    ("gpt-5-mini", 1754425928, "system"),
)

_JSON_ERROR = "application/json; charset=utf-8"


def create_app(*, api_key: str | None = None) -> Starlette:
    """Build an emulator app. With ``api_key``, API routes answer 401 (the
    API's body, key masked) unless the request carries
    ``Authorization: Bearer <api_key>``; without it any key, or none, is
    accepted. Script queue and request log live on ``app.state.emulator``.
    """
    endpoints = _Endpoints(api_key)
    routes: list[Route] = []
    for prefix in ("/v1", ""):
        routes += [
            Route(f"{prefix}/chat/completions", endpoints.chat_completions, methods=["POST"]),
            Route(f"{prefix}/models", endpoints.list_models, methods=["GET"]),
            Route(f"{prefix}/models/{{model:path}}", endpoints.retrieve_model, methods=["GET"]),
        ]
    routes.append(Route("/healthz", _healthz, methods=["GET"]))
    routes += control_routes()
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

    async def chat_completions(self, request: Request) -> Response:
        state = _state(request)
        raw = await request.body()
        entry = state.requests.record(
            request.method, request.url.path, request.url.query, request.headers, raw
        )
        headers = _base_headers(state, raw)
        denied = self._authenticate(request)
        if denied is not None:
            return _error_response(denied, headers, None)
        try:
            selected = select_script(request.headers, state.scripts)
        except ScriptError as exc:
            problem = OpenAIError(
                400,
                f"Invalid emulator script: {exc.message}",
                param=exc.field,
                code="emulator_script_error",
            )
            return _error_response(problem, headers, None)
        entry.script = selected
        script = selected.script if selected else None
        if script is not None and script.status is not None and script.is_error:
            failure = scripted_error(
                script.status, model=_peek_model(raw), api_key=_bearer(request)
            )
            return _error_response(failure, headers, script)
        try:
            chat = parse_chat_request(raw)
        except OpenAIError as invalid:
            return _error_response(invalid, headers, script)
        if script is not None and script.plan is not None:
            return _send_plan(chat, script.plan, headers, script)
        reply = plan_reply(chat, script)
        ident = identity_for(chat)
        status = script.status if script is not None and script.status is not None else 200
        if chat.stream:
            frames = encode_stream(chat, reply, ident)
            return _send(
                frames, headers, script, status=status, media_type="text/event-stream", unary=False
            )
        if reply.stream_error:
            # A failure half way through has no unary form: answer a 500.
            return _error_response(
                scripted_error(500, model=chat.model, api_key=None), headers, script
            )
        body = encode_completion(reply, ident)
        return _send(
            [body], headers, script, status=status, media_type="application/json", unary=True
        )

    async def list_models(self, request: Request) -> Response:
        state = _state(request)
        state.requests.record(
            request.method, request.url.path, request.url.query, request.headers, b""
        )
        headers = _base_headers(state, b"")
        denied = self._authenticate(request)
        if denied is not None:
            return _error_response(denied, headers, None)
        data = [_model_object(model) for model in MODELS]
        return _json({"object": "list", "data": data}, headers)

    async def retrieve_model(self, request: Request) -> Response:
        state = _state(request)
        state.requests.record(
            request.method, request.url.path, request.url.query, request.headers, b""
        )
        headers = _base_headers(state, b"")
        denied = self._authenticate(request)
        if denied is not None:
            return _error_response(denied, headers, None)
        wanted = request.path_params["model"]
        for model in MODELS:
            if model[0] == wanted:
                return _json(_model_object(model), headers)
        missing = OpenAIError(
            404, f"The model '{wanted}' does not exist", param="model", code="model_not_found"
        )
        return _error_response(missing, headers, None)

    def _authenticate(self, request: Request) -> OpenAIError | None:
        if self._api_key is None:
            return None
        provided = _bearer(request)
        if provided is not None and hmac.compare_digest(provided.encode(), self._api_key.encode()):
            return None
        return auth_error(provided)


def _state(request: Request) -> EmulatorState:
    app = request.app
    assert isinstance(app, Starlette)
    return emulator_state(app)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _base_headers(state: EmulatorState, raw: bytes) -> dict[str, str]:
    """Headers the API sends on every response. The request id is unique
    per request and reproducible for a given request sequence."""
    number = state.next_request_number()
    return {
        "x-request-id": f"req_{stable_hex([str(number), raw], 32)}",
        "openai-organization": "user-emulator",
        "openai-version": "2020-10-01",
        "openai-processing-ms": "0",
        "x-ratelimit-limit-requests": "10000",
        "x-ratelimit-remaining-requests": "9999",
        "x-ratelimit-reset-requests": "6ms",
        "x-ratelimit-limit-tokens": "30000000",
        "x-ratelimit-remaining-tokens": "29999990",
        "x-ratelimit-reset-tokens": "0s",
    }


def _peek_model(raw: bytes) -> str:
    try:
        body = json.loads(raw)
    except ValueError:
        return "unknown"
    model = body.get("model") if isinstance(body, dict) else None
    return model if isinstance(model, str) and model else "unknown"


def _model_object(model: tuple[str, int, str]) -> dict[str, object]:
    model_id, created, owned_by = model
    return {"id": model_id, "object": "model", "created": created, "owned_by": owned_by}


def _json(payload: dict[str, object], headers: dict[str, str]) -> Response:
    body = json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")
    return Response(body, media_type="application/json", headers=headers)


def _error_response(error: OpenAIError, headers: dict[str, str], script: Script | None) -> Response:
    return _send(
        [error_body(error)],
        {**headers, **error.headers},
        script,
        status=error.status,
        media_type=_JSON_ERROR,
        unary=True,
    )


def _send_plan(chat: ChatRequest, plan: Plan, headers: dict[str, str], script: Script) -> Response:
    """Answer a scripted plan; its ``cut`` failure goes through the script's
    cut (``cut_after`` frames, the earlier of the two when both are set)."""
    ident = identity_for(chat)
    status = script.status if script.status is not None else 200
    if chat.stream:
        rendered = encode_planned_stream(chat, plan, ident)
        if rendered.cut_after is not None:
            cut_after = rendered.cut_after
            if script.cut_after is not None:
                cut_after = min(cut_after, script.cut_after)
            script = script.model_copy(update={"cut_after": cut_after})
        return _send(
            rendered.frames,
            headers,
            script,
            status=status,
            media_type="text/event-stream",
            unary=False,
        )
    if plan.failure is not None:
        # A failure half way through has no unary form: answer a 500.
        return _error_response(scripted_error(500, model=chat.model, api_key=None), headers, script)
    body = encode_planned_completion(chat, plan, ident)
    return _send([body], headers, script, status=status, media_type="application/json", unary=True)


def _send(
    frames: list[bytes],
    headers: dict[str, str],
    script: Script | None,
    *,
    status: int,
    media_type: str,
    unary: bool,
) -> Response:
    """The script's timing, ``Retry-After`` and cut applied (refbackends.streaming),
    with OpenAI's processing-time header."""
    delay = script.delay_ms if script is not None else 0
    headers = {**headers, "openai-processing-ms": str(delay)}
    return scripted_response(
        frames, headers, script, status=status, media_type=media_type, unary=unary
    )


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _invalid_url(request: Request, exc: Exception) -> Response:
    """The API's answer to an unknown path (404) or method (405)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    what = "Invalid method for URL" if status == 405 else "Invalid URL"
    error = OpenAIError(status, f"{what} ({request.method} {request.url.path})")
    return Response(error_body(error), status_code=status, media_type=_JSON_ERROR)
