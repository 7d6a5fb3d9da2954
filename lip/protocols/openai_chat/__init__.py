"""OpenAI Chat Completions: frontend (clients speak it) and backend (upstreams speak it)."""

from __future__ import annotations

from collections.abc import Mapping

from lip.canonical import Call, LipError, Response
from lip.protocols.base import Frontend, StreamEncoder, WireReply
from lip.protocols.openai_chat import errors
from lip.protocols.openai_chat.request import PROTOCOL, decode_request
from lip.protocols.openai_chat.response import (
    ChatStreamEncoder,
    encode_model,
    encode_models,
    encode_response,
)


class OpenAIChatFrontend(Frontend):
    name = PROTOCOL

    def decode_request(self, body: bytes, headers: Mapping[str, str]) -> Call:
        return decode_request(body)

    def encode_response(self, response: Response, call: Call) -> WireReply:
        return encode_response(response, call)

    def stream_encoder(self, call: Call) -> StreamEncoder:
        return ChatStreamEncoder(call)

    def encode_error(self, error: LipError) -> WireReply:
        return errors.encode_error(error)


__all__ = ["PROTOCOL", "OpenAIChatFrontend", "encode_model", "encode_models"]
