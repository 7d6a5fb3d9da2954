"""The OpenAI Responses emulator: a Starlette app built by :func:`create_app`.

Routes (each also served without the ``/v1`` prefix, except health):

- ``POST /v1/responses``: unary or ``stream: true`` SSE;
- ``GET /v1/responses/{id}``, ``DELETE /v1/responses/{id}``,
  ``GET /v1/responses/{id}/input_items`` (``order``, ``limit``, ``after``):
  the stored responses;
- ``POST /v1/responses/input_tokens``: ``{"object":
  "response.input_tokens", "input_tokens": N}``, the same count a reply's
  ``usage.input_tokens`` reports;
- ``GET /v1/models``, ``GET /v1/models/{model}``;
- ``GET /healthz``;
- the ``/__emulator__`` control plane (:mod:`refbackends.control`).

Order of work for a create request: log it, authenticate (when an API key
is configured), pick the script (headers, else queue), answer a scripted
error status, validate the body (against the stored responses too), plan
the reply (or take the script's :class:`refbackends.plan.Plan`, rendered by
:mod:`.planned`), remember it (:mod:`.store`: the response unless ``store``
is false, every encrypted content handed out), encode it, and send it with
the script's timing and cut. Scripts apply to create requests only.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lip.canonical.json import JSONObject
from refbackends.content import stable_hex
from refbackends.control import EmulatorState, LoggedRequest, control_routes, emulator_state
from refbackends.exchange import ExchangeObserver
from refbackends.openai_chat.app import MODELS
from refbackends.openai_chat.invalid_request import invalid_value, out_of_range
from refbackends.openai_responses.conversation import listed_item
from refbackends.openai_responses.encoding import (
    encode_response,
    encode_stream,
    identity_for,
    terminal_object,
)
from refbackends.openai_responses.errors import (
    OpenAIError,
    auth_error,
    error_body,
    response_not_found,
    scripted_error,
)
from refbackends.openai_responses.planned import planned_reply
from refbackends.openai_responses.reply import Reply
from refbackends.openai_responses.scenarios import plan_reply
from refbackends.openai_responses.store import ResponseStore, StoredResponse
from refbackends.openai_responses.validation import ResponsesRequest, parse_request
from refbackends.scripting import Script, ScriptError, select_script
from refbackends.streaming import scripted_response

__all__ = ["create_app"]

_JSON_ERROR = "application/json; charset=utf-8"


def create_app(*, api_key: str | None = None) -> Starlette:
    """Build an emulator app. With ``api_key``, API routes answer 401 (the
    API's body, key masked) unless the request carries
    ``Authorization: Bearer <api_key>``; without it any key, or none, is
    accepted. Script queue and request log live on ``app.state.emulator``,
    stored responses on the app's own :class:`.store.ResponseStore`.
    """
    endpoints = _Endpoints(api_key, ResponseStore())
    routes: list[Route] = []
    for prefix in ("/v1", ""):
        responses = f"{prefix}/responses"
        routes += [
            Route(responses, endpoints.create, methods=["POST"]),
            Route(f"{responses}/input_tokens", endpoints.input_tokens, methods=["POST"]),
            Route(f"{responses}/{{response_id}}", endpoints.retrieve, methods=["GET"]),
            Route(f"{responses}/{{response_id}}", endpoints.delete, methods=["DELETE"]),
            Route(
                f"{responses}/{{response_id}}/input_items", endpoints.input_items, methods=["GET"]
            ),
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
    """Route handlers bound to the app's configuration (the API key) and store."""

    def __init__(self, api_key: str | None, store: ResponseStore) -> None:
        self._api_key = api_key
        self._store = store

    async def create(self, request: Request) -> Response:
        state, raw, headers, entry = await _received(request)
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
            parsed = parse_request(raw, self._store)
        except OpenAIError as invalid:
            return _error_response(invalid, headers, script)
        if script is not None and script.plan is not None:
            reply = planned_reply(parsed, script.plan)
        else:
            reply = plan_reply(parsed, script)
        if not parsed.stream and reply.failure is not None:
            # A failure half way through has no unary form: answer a 500.
            failure = scripted_error(500, model=parsed.model, api_key=None)
            return _error_response(failure, headers, script)
        self._remember(parsed, reply)
        ident = identity_for(parsed)
        status = script.status if script is not None and script.status is not None else 200
        if not parsed.stream:
            body = encode_response(parsed, ident, reply)
            return _send([body], headers, script, status=status, unary=True)
        encoded = encode_stream(parsed, ident, reply)
        if encoded.cut_after is not None:
            # The reply's own cut and the script's: the earlier wins.
            script = script or Script()
            cut_after = encoded.cut_after
            if script.cut_after is not None:
                cut_after = min(cut_after, script.cut_after)
            script = script.model_copy(update={"cut_after": cut_after})
        return _send(encoded.frames, headers, script, status=status, unary=False)

    async def input_tokens(self, request: Request) -> Response:
        _, raw, headers, _ = await _received(request)
        denied = self._authenticate(request)
        if denied is not None:
            return _error_response(denied, headers, None)
        try:
            parsed = parse_request(raw, self._store, counting=True)
        except OpenAIError as invalid:
            return _error_response(invalid, headers, None)
        return _json(
            {"object": "response.input_tokens", "input_tokens": parsed.input_tokens}, headers
        )

    async def retrieve(self, request: Request) -> Response:
        stored, headers, problem = await self._stored(request)
        if problem is not None:
            return problem
        assert stored is not None
        return _json(stored.body, headers)

    async def delete(self, request: Request) -> Response:
        stored, headers, problem = await self._stored(request)
        if problem is not None:
            return problem
        assert stored is not None
        self._store.delete(stored.id)
        return _json({"id": stored.id, "object": "response", "deleted": True}, headers)

    async def input_items(self, request: Request) -> Response:
        stored, headers, problem = await self._stored(request)
        if problem is not None:
            return problem
        assert stored is not None
        try:
            page = _page(list(stored.input_items), request)
        except OpenAIError as invalid:
            return _error_response(invalid, headers, None)
        return _json(page, headers)

    async def list_models(self, request: Request) -> Response:
        _, _, headers, _ = await _received(request)
        denied = self._authenticate(request)
        if denied is not None:
            return _error_response(denied, headers, None)
        return _json({"object": "list", "data": [_model_object(m) for m in MODELS]}, headers)

    async def retrieve_model(self, request: Request) -> Response:
        _, _, headers, _ = await _received(request)
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

    def _remember(self, request: ResponsesRequest, reply: Reply) -> None:
        """Mint the encrypted contents handed out; keep the response unless
        ``store`` is false."""
        for item in reply.items:
            if request.include_encrypted and item.encrypted_content is not None:
                self._store.mint(item.encrypted_content)
        if not request.store:
            return
        ident = identity_for(request)
        own = [
            listed_item(item, [request.fingerprint, "input", str(index)])
            for index, item in enumerate(request.own_items)
        ]
        body = terminal_object(request, ident, reply)
        self._store.put(StoredResponse(ident.id, body, (*request.history, *own)))

    async def _stored(
        self, request: Request
    ) -> tuple[StoredResponse | None, dict[str, str], Response | None]:
        """The stored response a path names, the headers, or the error to answer."""
        _, _, headers, _ = await _received(request)
        denied = self._authenticate(request)
        if denied is not None:
            return None, headers, _error_response(denied, headers, None)
        response_id = request.path_params["response_id"]
        stored = self._store.get(response_id)
        if stored is None:
            return None, headers, _error_response(response_not_found(response_id), headers, None)
        return stored, headers, None

    def _authenticate(self, request: Request) -> OpenAIError | None:
        if self._api_key is None:
            return None
        provided = _bearer(request)
        if provided is not None and hmac.compare_digest(provided.encode(), self._api_key.encode()):
            return None
        return auth_error(provided)


def _page(items: list[JSONObject], request: Request) -> JSONObject:
    """One page of ``input_items``: ``order`` (default ``desc``), ``limit``
    (1..100, default 20), ``after`` (an item id)."""
    query = request.query_params
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_value("order", order, ("asc", "desc"))
    raw_limit = query.get("limit", "20")
    if not raw_limit.lstrip("-").isdigit():
        raise OpenAIError(
            400,
            f"Invalid 'limit': expected an integer, but got '{raw_limit}' instead.",
            param="limit",
            code="invalid_type",
        )
    limit = int(raw_limit)
    problem = out_of_range("limit", limit, 1, 100, "integer")
    if problem is not None:
        raise problem
    ordered = items if order == "asc" else items[::-1]
    start = 0
    after = query.get("after")
    if after is not None:
        ids = [item.get("id") for item in ordered]
        start = ids.index(after) + 1 if after in ids else len(ordered)
    page = ordered[start : start + limit]
    return {
        "object": "list",
        "data": list(page),
        "first_id": page[0].get("id") if page else None,
        "last_id": page[-1].get("id") if page else None,
        "has_more": start + limit < len(ordered),
    }


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
    return state, raw, _base_headers(state, raw), entry


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


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


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


def _json(payload: Mapping[str, object], headers: dict[str, str]) -> Response:
    body = json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")
    return Response(body, media_type="application/json", headers=headers)


def _error_response(error: OpenAIError, headers: dict[str, str], script: Script | None) -> Response:
    return _send(
        [error_body(error)],
        {**headers, **error.headers},
        script,
        status=error.status,
        unary=True,
        media_type=_JSON_ERROR,
    )


def _send(
    frames: list[bytes],
    headers: dict[str, str],
    script: Script | None,
    *,
    status: int,
    unary: bool,
    media_type: str | None = None,
) -> Response:
    """The script's timing, ``Retry-After`` and cut applied
    (refbackends.streaming), with OpenAI's processing-time header."""
    delay = script.delay_ms if script is not None else 0
    headers = {**headers, "openai-processing-ms": str(delay)}
    media = media_type or ("application/json" if unary else "text/event-stream")
    return scripted_response(frames, headers, script, status=status, media_type=media, unary=unary)


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _invalid_url(request: Request, exc: Exception) -> Response:
    """The API's answer to an unknown path (404) or method (405)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    what = "Invalid method for URL" if status == 405 else "Invalid URL"
    error = OpenAIError(status, f"{what} ({request.method} {request.url.path})")
    return Response(error_body(error), status_code=status, media_type=_JSON_ERROR)
