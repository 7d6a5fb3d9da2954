"""The Gemini API emulator: a Starlette app built by :func:`create_app`.

Routes, each under ``/v1beta`` and ``/v1`` (the JS SDK calls the first,
the Python SDK the second):

- ``POST /{v}/models/{model}:generateContent``: one JSON response;
- ``POST /{v}/models/{model}:streamGenerateContent``: with ``?alt=sse``
  SSE chunks, otherwise one JSON array streamed piecewise;
- ``POST /{v}/models/{model}:countTokens``: ``{"totalTokens": N}``, the
  count generateContent reports as ``promptTokenCount``;
- ``GET /{v}/models`` (paged) and ``GET /{v}/models/{model}``;
- ``GET /healthz`` and the ``/__emulator__`` control plane
  (:mod:`refbackends.control`).

The model segment may hold raw colons (``models/anthropic:claude-x:
generateContent``): the method is split off at the last colon. Any other
path or method is Google's 404 ``NOT_FOUND``.

Order of work for a generate request: log it (a ``key`` query parameter
masked like a key header), authenticate (when an API key is configured:
``x-goog-api-key`` or ``?key=``), pick the script (headers, else queue),
answer a scripted error status, refuse a listed model that does not
generate (404), validate the body (:mod:`.validation`), plan the reply (or
take the script's :class:`refbackends.plan.Plan`, :mod:`.planned`), mint
the thought signatures it hands out, encode it and send it with the
script's timing and cut. Scripts apply to generate requests only.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lip.canonical.json import JSONObject, JSONValue
from refbackends.control import (
    EmulatorState,
    LoggedRequest,
    control_routes,
    emulator_state,
    mask_secret,
)
from refbackends.exchange import ExchangeObserver
from refbackends.gemini.encoding import encode_response, encode_stream, identity_for
from refbackends.gemini.errors import (
    GoogleError,
    error_body,
    invalid_key,
    method_not_found,
    missing_key,
    model_not_found,
    scripted_error,
)
from refbackends.gemini.models import find_model, model_object, model_page
from refbackends.gemini.planned import planned_reply
from refbackends.gemini.scenarios import plan_reply
from refbackends.gemini.signatures import SignatureStore
from refbackends.gemini.validation import parse_count, parse_request
from refbackends.scripting import Script, ScriptError, select_script
from refbackends.streaming import scripted_response

__all__ = ["VERSIONS", "create_app"]

VERSIONS = ("v1beta", "v1")
_JSON = "application/json; charset=UTF-8"
_GENERATE = ("generateContent", "streamGenerateContent")


def create_app(*, api_key: str | None = None) -> Starlette:
    """Build an emulator app. With ``api_key``, API routes answer the API's
    403 without a key and 400 ``API_KEY_INVALID`` with another one; without
    it any key, or none, is accepted. Script queue and request log live on
    ``app.state.emulator``, minted signatures on the app's own
    :class:`.signatures.SignatureStore`."""
    endpoints = _Endpoints(api_key, SignatureStore())
    routes: list[Route] = []
    for version in VERSIONS:
        routes += [
            Route(f"/{version}/models", endpoints.list_models, methods=["GET"]),
            Route(f"/{version}/models/{{rest:path}}", endpoints.model, methods=["GET", "POST"]),
        ]
    routes.append(Route("/healthz", _healthz, methods=["GET"]))
    routes += control_routes()
    app = Starlette(
        routes=routes,
        exception_handlers={404: _not_found, 405: _not_found},
        middleware=[Middleware(ExchangeObserver)],
    )
    app.state.emulator = EmulatorState()
    return app


class _Endpoints:
    """Route handlers bound to the app's configuration (the API key) and
    its minted signatures."""

    def __init__(self, api_key: str | None, signatures: SignatureStore) -> None:
        self._api_key = api_key
        self._signatures = signatures

    async def model(self, request: Request) -> Response:
        """``/{v}/models/{rest}``: a model (GET) or a model's method (POST)."""
        version = request.url.path.split("/")[1]
        rest = str(request.path_params["rest"])
        if request.method == "GET":
            return await self._get_model(request, version, rest)
        model, colon, method = rest.rpartition(":")
        if not colon or not model:
            return await self._refuse(request, method_not_found())
        if method in _GENERATE:
            return await self._generate(request, version, model, method)
        if method == "countTokens":
            return await self._count(request, model)
        return await self._refuse(request, method_not_found())

    async def list_models(self, request: Request) -> Response:
        _, _, headers, _ = await _received(request)
        problem = self._authenticate(request)
        if problem is None:
            try:
                return _json(model_page(request.query_params), headers)
            except GoogleError as invalid:
                problem = invalid
        return _error(problem, headers, None)

    async def _get_model(self, request: Request, version: str, name: str) -> Response:
        _, _, headers, _ = await _received(request)
        problem = self._authenticate(request)
        if problem is None:
            found = find_model(name)
            if found is not None:
                return _json(model_object(found), headers)
            problem = model_not_found(name.removeprefix("models/"), version, "getModel")
        return _error(problem, headers, None)

    async def _generate(self, request: Request, version: str, model: str, method: str) -> Response:
        state, raw, headers, entry = await _received(request)
        denied = self._authenticate(request)
        if denied is not None:
            return _error(denied, headers, None)
        try:
            selected = select_script(request.headers, state.scripts)
        except ScriptError as exc:
            problem = GoogleError(
                400, f"Invalid emulator script: {exc.message}", "INVALID_ARGUMENT"
            )
            return _error(problem, headers, None)
        entry.script = selected
        script = selected.script if selected else None
        if script is not None and script.is_error and script.status is not None:
            failure = scripted_error(
                script.status, model=model, version=version, retry_after=_seconds(script)
            )
            return _error(failure, headers, script)
        listed = find_model(model)
        if listed is not None and "generateContent" not in listed.methods:
            return _error(model_not_found(listed.id, version, method), headers, script)
        try:
            parsed = parse_request(raw, model, self._signatures)
            if script is not None and script.plan is not None:
                reply = planned_reply(parsed, script.plan)
            else:
                reply = plan_reply(parsed, script)
        except GoogleError as invalid:
            return _error(invalid, headers, script)
        streamed = method == "streamGenerateContent"
        if not streamed and reply.failure is not None:
            # A failure half way through has no unary form: answer a 500.
            return _error(scripted_error(500, model=model, version=version), headers, script)
        for signature in reply.signatures():
            self._signatures.mint(signature)
        ident = identity_for(parsed)
        status = script.status if script is not None and script.status is not None else 200
        if not streamed:
            body = encode_response(ident, reply)
            return _send([body], headers, script, status=status, media_type=_JSON, unary=True)
        sse = request.query_params.get("alt") == "sse"
        encoded = encode_stream(ident, reply, sse=sse)
        if encoded.cut_after is not None:
            # The reply's own cut and the script's: the earlier wins.
            script = script or Script()
            cut_after = encoded.cut_after
            if script.cut_after is not None:
                cut_after = min(cut_after, script.cut_after)
            script = script.model_copy(update={"cut_after": cut_after})
        media = "text/event-stream" if sse else _JSON
        return _send(encoded.frames, headers, script, status=status, media_type=media, unary=False)

    async def _count(self, request: Request, model: str) -> Response:
        _, raw, headers, _ = await _received(request)
        problem = self._authenticate(request)
        if problem is None:
            try:
                total = parse_count(raw, model, self._signatures)
            except GoogleError as invalid:
                problem = invalid
            else:
                details: list[JSONValue] = [{"modality": "TEXT", "tokenCount": total}]
                return _json({"totalTokens": total, "promptTokensDetails": details}, headers)
        return _error(problem, headers, None)

    async def _refuse(self, request: Request, problem: GoogleError) -> Response:
        _, _, headers, _ = await _received(request)
        return _error(problem, headers, None)

    def _authenticate(self, request: Request) -> GoogleError | None:
        if self._api_key is None:
            return None
        provided = request.headers.get("x-goog-api-key") or request.query_params.get("key")
        if not provided:
            return missing_key()
        if hmac.compare_digest(provided.encode(), self._api_key.encode()):
            return None
        return invalid_key()


async def _received(
    request: Request,
) -> tuple[EmulatorState, bytes, dict[str, str], LoggedRequest]:
    """Log the request: the app's state, the body, the headers every
    response carries, and the log entry."""
    app = request.app
    assert isinstance(app, Starlette)
    state = emulator_state(app)
    raw = await request.body()
    query = urlencode(
        [
            (name, mask_secret(value) if name == "key" else value)
            for name, value in parse_qsl(request.url.query, keep_blank_values=True)
        ]
    )
    entry = state.requests.record(request.method, request.url.path, query, request.headers, raw)
    state.next_request_number()
    headers = {
        "vary": "Origin, X-Origin, Referer",
        "server": "scaffolding on HTTPServer2",
        "x-content-type-options": "nosniff",
    }
    return state, raw, headers, entry


def _seconds(script: Script) -> int | None:
    value = script.retry_after
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _json(body: JSONObject, headers: dict[str, str]) -> Response:
    return JSONResponse(body, headers={**headers, "content-type": _JSON})


def _error(error: GoogleError, headers: dict[str, str], script: Script | None) -> Response:
    """An error response with the script's timing (and its ``Retry-After``,
    which wins over the error's own)."""
    merged = {**headers, **error.headers}
    return _send(
        [error_body(error)], merged, script, status=error.code, media_type=_JSON, unary=True
    )


def _send(
    frames: list[bytes],
    headers: dict[str, str],
    script: Script | None,
    *,
    status: int,
    media_type: str,
    unary: bool,
) -> Response:
    """The script's timing, ``Retry-After`` and cut applied
    (refbackends.streaming), with Google's server-timing header."""
    delay = script.delay_ms if script is not None else 0
    headers = {**headers, "server-timing": f"gfet4t7; dur={delay}"}
    return scripted_response(
        frames, headers, script, status=status, media_type=media_type, unary=unary
    )


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _not_found(request: Request, exc: Exception) -> Response:
    """Google's answer to a path or HTTP method it does not serve."""
    return Response(error_body(method_not_found()), status_code=404, media_type=_JSON)
