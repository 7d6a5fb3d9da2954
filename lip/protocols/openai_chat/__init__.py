"""OpenAI Chat Completions: frontend (clients speak it) and backend codec (upstreams speak it).

https://platform.openai.com/docs/api-reference/chat
"""

from __future__ import annotations

from collections.abc import Sequence

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
from lip.protocols.openai_chat import errors
from lip.protocols.openai_chat.backend import OpenAIChatCodec
from lip.protocols.openai_chat.carry import PROTOCOL
from lip.protocols.openai_chat.request import ChatReplyShape, decode_request
from lip.protocols.openai_chat.response import (
    ChatStreamEncoder,
    encode_model,
    encode_models,
    encode_response,
)
from lip_wire.openai import (
    chat_completion,
    chat_completion_chunk,
    chat_completion_request,
    models_list,
)
from lip_wire.openai import error as wire_error


class OpenAIChatFrontend(Frontend):
    """``POST /v1/chat/completions``, ``GET /v1/models[/{model}]``; the default
    owner of ``/v1/`` (OpenAI's error shape for unknown paths there)."""

    name = PROTOCOL
    routes = (
        RouteSpec("POST", "/v1/chat/completions", Operation.GENERATE),
        RouteSpec("POST", "/chat/completions", Operation.GENERATE),
        RouteSpec("GET", "/v1/models", Operation.LIST_MODELS),
        RouteSpec("GET", "/v1/models/{model:path}", Operation.GET_MODEL),
    )
    prefixes = ("/v1/", "/chat/")

    def credential(self, context: RequestContext) -> str | None:
        value = context.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def decode_request(self, context: RequestContext) -> ClientRequest:
        return decode_request(context.body, context.limits)

    def encode_response(self, response: Response, request: ClientRequest) -> WireReply:
        return encode_response(response, request)

    def stream_encoder(self, request: ClientRequest) -> StreamEncoder:
        shape = request.shape
        return ChatStreamEncoder(isinstance(shape, ChatReplyShape) and shape.include_usage)

    def encode_error(self, error: LipError) -> WireReply:
        return errors.encode_error(error)

    def describe(self, route: RouteSpec) -> RouteDoc:
        statuses = tuple(sorted({status for status, _ in errors.STATUS.values()}))
        if route.operation is Operation.GENERATE:
            return RouteDoc(
                summary="OpenAI Chat Completions: unary, or SSE with stream: true",
                request=chat_completion_request.ChatCompletionRequest,
                reply=chat_completion.ChatCompletion,
                stream_event=chat_completion_chunk.ChatCompletionChunk,
                stream_sentinel="[DONE]",
                error=wire_error.ErrorResponse,
                error_statuses=statuses,
            )
        if route.operation is Operation.LIST_MODELS:
            return RouteDoc(
                summary="Models clients can name (OpenAI's list shape)",
                reply=models_list.ModelsList,
                error=wire_error.ErrorResponse,
            )
        return RouteDoc(
            summary="One model (OpenAI's shape); 404 for a model LIP does not serve",
            reply=models_list.Model,
            error=wire_error.ErrorResponse,
            error_statuses=(404,),
        )

    def encode_models(self, models: Sequence[ModelEntry]) -> WireReply:
        return encode_models(models)

    def encode_model(self, model: ModelEntry) -> WireReply:
        return encode_model(model)


PLUGIN = ProtocolPlugin(name=PROTOCOL, frontend=OpenAIChatFrontend(), codec=OpenAIChatCodec())

__all__ = ["PLUGIN", "PROTOCOL", "OpenAIChatCodec", "OpenAIChatFrontend"]
