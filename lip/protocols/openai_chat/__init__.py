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
        return decode_request(context.body)

    def encode_response(self, response: Response, request: ClientRequest) -> WireReply:
        return encode_response(response, request)

    def stream_encoder(self, request: ClientRequest) -> StreamEncoder:
        shape = request.shape
        return ChatStreamEncoder(isinstance(shape, ChatReplyShape) and shape.include_usage)

    def encode_error(self, error: LipError) -> WireReply:
        return errors.encode_error(error)

    def encode_models(self, models: Sequence[ModelEntry]) -> WireReply:
        return encode_models(models)

    def encode_model(self, model: ModelEntry) -> WireReply:
        return encode_model(model)


PLUGIN = ProtocolPlugin(name=PROTOCOL, frontend=OpenAIChatFrontend(), codec=OpenAIChatCodec())

__all__ = ["PLUGIN", "PROTOCOL", "OpenAIChatCodec", "OpenAIChatFrontend"]
