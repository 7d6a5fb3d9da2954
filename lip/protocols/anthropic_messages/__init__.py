"""Anthropic Messages: frontend (clients speak it) and backend codec (upstreams speak it).

https://docs.anthropic.com/en/api/messages
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic_core import to_json

from lip.canonical import LipError, Response
from lip.protocols.anthropic_messages import errors, response
from lip.protocols.anthropic_messages.backend import AnthropicMessagesCodec
from lip.protocols.anthropic_messages.carry import PROTOCOL
from lip.protocols.anthropic_messages.request import decode_count_request, decode_request
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
from lip_wire.anthropic import error_response as wire_error
from lip_wire.anthropic import message, message_create_request, message_stream_event


class AnthropicMessagesFrontend(Frontend):
    """``POST /v1/messages`` (also ``?beta=true``); ``GET /v1/models[/{model}]``
    for requests that carry Anthropic's headers (the shared-path rule)."""

    name = PROTOCOL
    routes = (
        RouteSpec("POST", "/v1/messages", Operation.GENERATE),
        RouteSpec("POST", "/v1/messages/count_tokens", Operation.COUNT_TOKENS),
        RouteSpec("GET", "/v1/models", Operation.LIST_MODELS),
        RouteSpec("GET", "/v1/models/{model:path}", Operation.GET_MODEL),
    )
    prefixes = ("/v1/messages",)
    request_id_header = "request-id"

    def recognizes(self, context: RequestContext) -> bool:
        headers = context.headers
        return "anthropic-version" in headers or "x-api-key" in headers

    def credential(self, context: RequestContext) -> str | None:
        key = context.headers.get("x-api-key")
        if key:
            return key
        scheme, _, token = context.headers.get("authorization", "").partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def decode_request(self, context: RequestContext) -> ClientRequest:
        return decode_request(context.body, context.headers, context.limits)

    def decode_count_request(self, context: RequestContext) -> ClientRequest:
        return decode_count_request(context.body, context.headers, context.limits)

    def encode_count(self, tokens: int, *, estimated: bool) -> WireReply:
        headers = {"x-lip-token-count": "estimate" if estimated else "upstream"}
        return WireReply(status=200, body=to_json({"input_tokens": tokens}), headers=headers)

    def encode_response(self, result: Response, request: ClientRequest) -> WireReply:
        return response.encode_response(result, request)

    def stream_encoder(self, request: ClientRequest) -> StreamEncoder:
        return response.stream_encoder(request)

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
                summary="Anthropic Messages: unary, or SSE with stream: true",
                request=message_create_request.MessageCreateRequest,
                reply=message.Message,
                stream_event=message_stream_event.MessageStreamEvent,
                error=wire_error.ErrorResponse,
                error_statuses=statuses,
            )
        if route.operation is Operation.COUNT_TOKENS:
            return RouteDoc(
                summary="Input tokens of a Messages request: counted by an Anthropic upstream,"
                " else estimated (x-lip-token-count says which)",
                error=wire_error.ErrorResponse,
                error_statuses=statuses,
            )
        return RouteDoc(
            summary="Models (Anthropic's shape, for requests with Anthropic headers)",
            error=wire_error.ErrorResponse,
        )


PLUGIN = ProtocolPlugin(
    name=PROTOCOL, frontend=AnthropicMessagesFrontend(), codec=AnthropicMessagesCodec()
)

__all__ = ["PLUGIN", "PROTOCOL", "AnthropicMessagesCodec", "AnthropicMessagesFrontend"]
