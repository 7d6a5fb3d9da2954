"""OpenAI Responses: frontend (clients speak it) and backend codec (upstreams speak it).

https://platform.openai.com/docs/api-reference/responses
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic_core import to_json

from lip.canonical import InvalidRequestError, LipError, Response
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
from lip.protocols.openai_chat import errors
from lip.protocols.openai_chat import response as chat_response
from lip.protocols.openai_responses import conversation, response
from lip.protocols.openai_responses.backend import OpenAIResponsesCodec
from lip.protocols.openai_responses.carry import PROTOCOL
from lip.protocols.openai_responses.request import decode_count_request, decode_request
from lip.protocols.openai_responses.stream import ResponsesStreamEncoder
from lip_wire.openai import response as wire_response
from lip_wire.openai import response_stream_event, responses_request
from lip_wire.openai.error import ErrorResponse


class OpenAIResponsesFrontend(Frontend):
    """``POST /v1/responses``, the stored-response routes and ``input_tokens``.
    Model listing is the OpenAI Chat frontend's (the same shape)."""

    name = PROTOCOL
    routes = (
        RouteSpec("POST", "/v1/responses", Operation.GENERATE),
        RouteSpec("POST", "/v1/responses/input_tokens", Operation.COUNT_TOKENS),
        RouteSpec("GET", "/v1/responses/{response_id}", Operation.RESOURCE),
        RouteSpec("DELETE", "/v1/responses/{response_id}", Operation.RESOURCE),
        RouteSpec("GET", "/v1/responses/{response_id}/input_items", Operation.RESOURCE),
    )
    prefixes = ("/v1/responses",)

    def credential(self, context: RequestContext) -> str | None:
        scheme, _, token = context.headers.get("authorization", "").partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def decode_request(self, context: RequestContext) -> ClientRequest:
        return decode_request(context.body, context.limits, context.store)

    def decode_count_request(self, context: RequestContext) -> ClientRequest:
        return decode_count_request(context.body, context.limits, context.store)

    def encode_count(self, tokens: int, *, estimated: bool) -> WireReply:
        headers = {"x-lip-token-count": "estimate" if estimated else "upstream"}
        body = {"object": "response.input_tokens", "input_tokens": tokens}
        return WireReply(status=200, body=to_json(body), headers=headers)

    def encode_response(self, result: Response, request: ClientRequest) -> WireReply:
        return response.encode_response(result, request)

    def stream_encoder(self, request: ClientRequest) -> StreamEncoder:
        return ResponsesStreamEncoder(request)

    def encode_error(self, error: LipError) -> WireReply:
        return errors.encode_error(error)

    def encode_models(self, models: Sequence[ModelEntry]) -> WireReply:
        return chat_response.encode_models(models)

    def encode_model(self, model: ModelEntry) -> WireReply:
        return chat_response.encode_model(model)

    def resource(self, context: RequestContext) -> WireReply:
        ident = context.path_params.get("response_id", "")
        if context.method == "DELETE":
            return WireReply(status=200, body=to_json(conversation.delete(context.store, ident)))
        if context.path.endswith("/input_items"):
            order = context.query.get("order", "desc")
            limit = context.query.get("limit", "20")
            if order not in ("asc", "desc") or not limit.isdigit():
                raise InvalidRequestError(
                    "'order' is 'asc' or 'desc' and 'limit' a number from 1 to 100.",
                    param="order" if order not in ("asc", "desc") else "limit",
                    code="invalid_value",
                )
            listed = conversation.input_items(context.store, ident, order=order, limit=int(limit))
            return WireReply(status=200, body=to_json(listed))
        return WireReply(status=200, body=to_json(conversation.retrieve(context.store, ident)))

    def describe(self, route: RouteSpec) -> RouteDoc:
        statuses = tuple(sorted({status for status, _ in errors.STATUS.values()}))
        if route.operation is Operation.GENERATE:
            return RouteDoc(
                summary="OpenAI Responses: unary, or SSE with stream: true",
                request=responses_request.ResponsesRequest,
                reply=wire_response.Response,
                stream_event=response_stream_event.ResponseStreamEvent,
                error=ErrorResponse,
                error_statuses=statuses,
            )
        if route.operation is Operation.COUNT_TOKENS:
            return RouteDoc(
                summary="Input tokens of a Responses request: counted by a Responses upstream,"
                " else estimated (x-lip-token-count says which)",
                error=ErrorResponse,
                error_statuses=statuses,
            )
        return RouteDoc(
            summary="A response LIP stored (retrieve, delete, or list its input items)",
            reply=wire_response.Response if route.method == "GET" and "{" in route.path else None,
            error=ErrorResponse,
            error_statuses=(404,),
        )


PLUGIN = ProtocolPlugin(
    name=PROTOCOL, frontend=OpenAIResponsesFrontend(), codec=OpenAIResponsesCodec()
)

__all__ = ["PLUGIN", "PROTOCOL", "OpenAIResponsesCodec", "OpenAIResponsesFrontend"]
