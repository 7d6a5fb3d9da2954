"""The list of wire schemas LIP compiles, and where each one comes from.

File stems and root class names are a contract: protocol packages import
``lip_wire.<vendor>.<stem>.<Root>``. Sources are the pinned official packages
only (docs/docs/design.md, "Where the vendor schemas come from"): OpenAI and Anthropic SDK types are generated
from the vendors' OpenAPI specs and use wire field names; Gemini comes from
the protobuf descriptors of google-ai-generativelanguage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Vendor = Literal["openai", "anthropic", "gemini"]
VENDORS: tuple[Vendor, ...] = ("openai", "anthropic", "gemini")

# How a schema is pulled out of its package (also written to SOURCE files).
Method = Literal["model", "adapter", "error_envelope", "list_envelope", "proto", "proto_error"]

METHOD_TEXT: dict[Method, str] = {
    "model": "{symbol}.model_json_schema()",
    "adapter": "pydantic.TypeAdapter({symbol}).json_schema()",
    "error_envelope": '{{"error": {symbol}}} (ErrorObject.model_json_schema() wrapped in the'
    " wire envelope)",
    "list_envelope": '{{"object": "list", "data": [{symbol}]}} (Model.model_json_schema()'
    " wrapped in the wire list envelope)",
    "proto": "walk of the protobuf message descriptor of {symbol} (proto3 JSON mapping)",
    "proto_error": '{{"error": {symbol}}} (the descriptor walk of google.rpc.Status wrapped in'
    " Google's REST error envelope)",
}


@dataclass(frozen=True)
class SpecSource:
    """One extracted schema: ``specs/<vendor>/<stem>.json`` -> ``lip_wire.<vendor>.<stem>``."""

    vendor: Vendor
    stem: str
    root: str
    package: str  # distribution the symbol lives in (versions go to the manifest)
    symbol: str  # dotted import path of the type
    method: Method
    # Request params come as a union of a streaming and a non-streaming
    # TypedDict; the gateway wants ONE object model with ``stream: bool | None``.
    merge_variants: bool = False
    # Gemini's JSON names are lowerCamelCase; proto3 JSON parsers also accept
    # the snake_case proto names, so models get snake_case fields + aliases.
    snake_case_fields: bool = False

    @property
    def spec_path(self) -> str:
        """Path of the extracted schema, relative to the repo root."""
        return f"specs/{self.vendor}/{self.stem}.json"

    @property
    def module_path(self) -> str:
        """Path of the generated module, relative to the repo root."""
        return f"generated/lip_wire/{self.vendor}/{self.stem}.py"


_OA = "openai"
_AN = "anthropic"
_GL = "google-ai-generativelanguage"
_GC = "googleapis-common-protos"

SOURCES: tuple[SpecSource, ...] = (
    SpecSource("openai", "chat_completion_request", "ChatCompletionRequest", _OA,
               "openai.types.chat.completion_create_params.CompletionCreateParams",
               "adapter", merge_variants=True),
    SpecSource("openai", "chat_completion", "ChatCompletion", _OA,
               "openai.types.chat.ChatCompletion", "model"),
    SpecSource("openai", "chat_completion_chunk", "ChatCompletionChunk", _OA,
               "openai.types.chat.ChatCompletionChunk", "model"),
    SpecSource("openai", "error", "ErrorResponse", _OA,
               "openai.types.shared.ErrorObject", "error_envelope"),
    SpecSource("openai", "models_list", "ModelsList", _OA,
               "openai.types.Model", "list_envelope"),
    SpecSource("openai", "responses_request", "ResponsesRequest", _OA,
               "openai.types.responses.response_create_params.ResponseCreateParams",
               "adapter", merge_variants=True),
    SpecSource("openai", "response", "Response", _OA,
               "openai.types.responses.Response", "model"),
    SpecSource("openai", "response_stream_event", "ResponseStreamEvent", _OA,
               "openai.types.responses.ResponseStreamEvent", "adapter"),
    SpecSource("anthropic", "message_create_request", "MessageCreateRequest", _AN,
               "anthropic.types.message_create_params.MessageCreateParams",
               "adapter", merge_variants=True),
    SpecSource("anthropic", "message", "Message", _AN,
               "anthropic.types.Message", "model"),
    SpecSource("anthropic", "message_stream_event", "MessageStreamEvent", _AN,
               "anthropic.types.RawMessageStreamEvent", "adapter"),
    SpecSource("anthropic", "error_response", "ErrorResponse", _AN,
               "anthropic.types.shared.error_response.ErrorResponse", "model"),
    SpecSource("gemini", "generate_content_request", "GenerateContentRequest", _GL,
               "google.ai.generativelanguage_v1beta.types.GenerateContentRequest", "proto",
               snake_case_fields=True),
    SpecSource("gemini", "generate_content_response", "GenerateContentResponse", _GL,
               "google.ai.generativelanguage_v1beta.types.GenerateContentResponse", "proto",
               snake_case_fields=True),
    SpecSource("gemini", "error_response", "ErrorResponse", _GC,
               "google.rpc.status_pb2.Status", "proto_error", snake_case_fields=True),
)  # fmt: skip


def by_vendor(vendor: Vendor) -> tuple[SpecSource, ...]:
    """The sources of one vendor, in registry order."""
    return tuple(s for s in SOURCES if s.vendor == vendor)
