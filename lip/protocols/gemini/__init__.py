"""Gemini ``generateContent``: frontend (clients speak it) and backend codec (upstreams speak it).

https://ai.google.dev/api/generate-content
Routes under both ``/v1beta`` and ``/v1`` (the Python SDK calls ``/v1``, the
JS SDK ``/v1beta``). The model segment may hold a route selector with
colons: Starlette's path pattern ends at the LAST ``:method``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic_core import to_json

from lip.canonical import LipError, Response
from lip.protocols.base import (
    ClientRequest,
    Frontend,
    ModelEntry,
    Operation,
    ProtocolPlugin,
    RequestContext,
    RouteDoc,
    RouteSpec,
    StreamEncoder,
    WireReply,
)
from lip.protocols.gemini import errors, response
from lip.protocols.gemini.backend import GeminiCodec
from lip.protocols.gemini.carry import PROTOCOL
from lip.protocols.gemini.request import decode_count_request, decode_request
from lip_wire.gemini import generate_content_request, generate_content_response
from lip_wire.gemini.error_response import ErrorResponse


def _routes(version: str) -> tuple[RouteSpec, ...]:
    base = f"/{version}/models"
    return (
        RouteSpec("POST", base + "/{model:path}:generateContent", Operation.GENERATE),
        RouteSpec("POST", base + "/{model:path}:streamGenerateContent", Operation.GENERATE),
        RouteSpec("POST", base + "/{model:path}:countTokens", Operation.COUNT_TOKENS),
        RouteSpec("GET", base, Operation.LIST_MODELS),
        RouteSpec("GET", base + "/{model:path}", Operation.GET_MODEL),
    )


class GeminiFrontend(Frontend):
    """The Gemini API's content routes; ``GET models`` for requests carrying
    Google's credential forms (the shared-path rule)."""

    name = PROTOCOL
    routes = _routes("v1beta") + _routes("v1")
    prefixes = ("/v1beta",)

    def recognizes(self, context: RequestContext) -> bool:
        return "x-goog-api-key" in context.headers or "key" in context.query

    def credential(self, context: RequestContext) -> str | None:
        return context.headers.get("x-goog-api-key") or context.query.get("key") or None

    def decode_request(self, context: RequestContext) -> ClientRequest:
        model = context.path_params.get("model", "")
        stream = context.path.endswith(":streamGenerateContent")
        sse = context.query.get("alt") == "sse"
        return decode_request(context.body, model, stream=stream, sse=sse, limits=context.limits)

    def decode_count_request(self, context: RequestContext) -> ClientRequest:
        model = context.path_params.get("model", "")
        return decode_count_request(context.body, model, limits=context.limits)

    def encode_count(self, tokens: int, *, estimated: bool) -> WireReply:
        headers = {"x-lip-token-count": "estimate" if estimated else "upstream"}
        return WireReply(status=200, body=to_json({"totalTokens": tokens}), headers=headers)

    def encode_response(self, result: Response, request: ClientRequest) -> WireReply:
        return response.encode_response(result, request)

    def stream_encoder(self, request: ClientRequest) -> StreamEncoder:
        return response.GeminiStreamEncoder(request)

    def encode_error(self, error: LipError) -> WireReply:
        return errors.encode_error(error)

    def encode_models(self, models: Sequence[ModelEntry]) -> WireReply:
        return response.encode_models(models)

    def encode_model(self, model: ModelEntry) -> WireReply:
        return response.encode_model(model)

    def describe(self, route: RouteSpec) -> RouteDoc:
        statuses = tuple(sorted({status for status, _ in errors.STATUS.values()}))
        if route.operation is Operation.GENERATE:
            return RouteDoc(
                summary="Gemini generateContent / streamGenerateContent (alt=sse: SSE,"
                " else a JSON array)",
                request=generate_content_request.GenerateContentRequest,
                reply=generate_content_response.GenerateContentResponse,
                error=ErrorResponse,
                error_statuses=statuses,
            )
        if route.operation is Operation.COUNT_TOKENS:
            return RouteDoc(
                summary="Gemini countTokens: counted by a Gemini upstream, else estimated",
                error=ErrorResponse,
                error_statuses=statuses,
            )
        return RouteDoc(
            summary="Models (Gemini's shape, for requests with Google's credential forms)",
            error=ErrorResponse,
        )


PLUGIN = ProtocolPlugin(name=PROTOCOL, frontend=GeminiFrontend(), codec=GeminiCodec())

__all__ = ["PLUGIN", "PROTOCOL", "GeminiCodec", "GeminiFrontend"]
