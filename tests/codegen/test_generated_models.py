"""Every generated wire model imports, validates real-shaped payloads and round-trips them.

Round trip = ``model_dump(exclude_unset=True, by_alias=True)`` equals the
input exactly, which is what lets a proxy re-emit what it received.
"""

from __future__ import annotations

import copy
import importlib
import json
from typing import Any

import pytest
from pydantic import BaseModel, RootModel, ValidationError

from codegen.registry import SOURCES
from lip_wire.anthropic.error_response import ErrorResponse as AnthropicError
from lip_wire.anthropic.message import Message
from lip_wire.anthropic.message_create_request import MessageCreateRequest
from lip_wire.anthropic.message_stream_event import ErrorEvent, MessageStreamEvent, PingEvent
from lip_wire.gemini.generate_content_request import GenerateContentRequest
from lip_wire.gemini.generate_content_response import GenerateContentResponse
from lip_wire.openai.chat_completion import ChatCompletion
from lip_wire.openai.chat_completion_chunk import ChatCompletionChunk
from lip_wire.openai.chat_completion_request import (
    ChatCompletionAssistantMessageParam,
    ChatCompletionContentPartImageParam,
    ChatCompletionNamedToolChoiceParam,
    ChatCompletionRequest,
    ChatCompletionUserMessageParam,
    ResponseFormatJSONSchema,
)
from lip_wire.openai.error import ErrorResponse as OpenAIError
from lip_wire.openai.models_list import ModelsList
from lip_wire.openai.response import Response
from lip_wire.openai.response_stream_event import ResponseStreamEvent
from lip_wire.openai.responses_request import ResponsesRequest
from tests.codegen import payloads as p

Json = dict[str, Any]


def roundtrip(model: type[BaseModel], payload: Json) -> Any:
    """Validate ``payload`` from JSON text and assert the dump equals it exactly."""
    parsed = model.model_validate_json(json.dumps(payload))
    assert parsed.model_dump(mode="json", exclude_unset=True, by_alias=True) == payload
    return parsed


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: f"{s.vendor}.{s.stem}")
def test_every_module_imports_and_has_its_root(source: Any) -> None:
    module = importlib.import_module(f"lip_wire.{source.vendor}.{source.stem}")
    root = getattr(module, source.root)
    assert issubclass(root, BaseModel)
    first = (module.__file__ or "").replace("\\", "/")
    with open(first, encoding="utf-8") as fh:
        header = fh.readline()
    assert header == f"# generated from {source.spec_path} by codegen; do not edit\n"


def test_chat_request_round_trip_and_typed_members() -> None:
    req = roundtrip(ChatCompletionRequest, p.CHAT_REQUEST)
    assert isinstance(ChatCompletionRequest.model_fields, dict)
    assert req.stream is True
    user = req.messages[2]
    assert isinstance(user, ChatCompletionUserMessageParam)
    assert isinstance(user.content[1], ChatCompletionContentPartImageParam)
    assert isinstance(req.messages[3], ChatCompletionAssistantMessageParam)
    assert isinstance(req.tool_choice, ChatCompletionNamedToolChoiceParam)
    assert isinstance(req.response_format, ResponseFormatJSONSchema)
    assert req.response_format.json_schema.schema_ == {
        "type": "object",
        "properties": {"text": {"type": "string"}},
    }


@pytest.mark.parametrize("choice", ["auto", "none", "required"])
def test_chat_request_string_tool_choice(choice: str) -> None:
    payload = {**p.CHAT_REQUEST, "tool_choice": choice, "stream": False}
    assert roundtrip(ChatCompletionRequest, payload).tool_choice == choice


def test_chat_request_is_one_object_model() -> None:
    assert not issubclass(ChatCompletionRequest, RootModel)
    minimal = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    assert roundtrip(ChatCompletionRequest, minimal).stream is None


def test_chat_completion_round_trip() -> None:
    done = roundtrip(ChatCompletion, p.CHAT_COMPLETION)
    message = done.choices[0].message
    assert message.content is None and message.refusal is None
    assert message.tool_calls[0].function.name == "get_weather"


def test_chat_message_content_and_refusal_are_required_nullable() -> None:
    payload = copy.deepcopy(p.CHAT_COMPLETION)
    del payload["choices"][0]["message"]["refusal"]
    with pytest.raises(ValidationError, match="refusal"):
        ChatCompletion.model_validate(payload)


def test_chat_chunks_round_trip() -> None:
    chunks = [roundtrip(ChatCompletionChunk, c) for c in p.CHAT_CHUNKS]
    assert chunks[0].choices[0].finish_reason is None
    assert chunks[1].choices[0].delta.tool_calls[0].index == 0
    assert chunks[3].choices[0].delta.tool_calls[0].index == 1
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 137
    # finish_reason is required-nullable: the encoder must always set it.
    bare = copy.deepcopy(p.CHAT_CHUNKS[2])
    del bare["choices"][0]["finish_reason"]
    with pytest.raises(ValidationError, match="finish_reason"):
        ChatCompletionChunk.model_validate(bare)


def test_widened_enums_accept_new_values() -> None:
    chunk = copy.deepcopy(p.CHAT_CHUNKS[4])
    chunk["choices"][0]["finish_reason"] = "brand_new_reason"
    roundtrip(ChatCompletionChunk, chunk)
    roundtrip(ChatCompletionRequest, {**p.CHAT_REQUEST, "model": "gpt-99-preview"})


def test_openai_error_and_models_list_round_trip() -> None:
    err = roundtrip(OpenAIError, p.OPENAI_ERROR)
    assert err.error.param is None and err.error.code == "model_not_found"
    assert [m.id for m in roundtrip(ModelsList, p.MODELS_LIST).data] == ["gpt-4o", "lip-alias"]


def test_responses_round_trips() -> None:
    req = roundtrip(ResponsesRequest, p.RESPONSES_REQUEST)
    assert req.stream is True and not issubclass(ResponsesRequest, RootModel)
    resp = roundtrip(Response, p.RESPONSE)
    assert [item.type for item in resp.output] == ["reasoning", "message", "function_call"]
    events = [roundtrip(ResponseStreamEvent, e) for e in p.RESPONSE_EVENTS]
    assert [type(e.root).__name__ for e in events][:2] == [
        "ResponseCreatedEvent",
        "ResponseOutputItemAddedEvent",
    ]


def test_anthropic_round_trips() -> None:
    req = roundtrip(MessageCreateRequest, p.ANTHROPIC_REQUEST)
    assert req.stream is True and not issubclass(MessageCreateRequest, RootModel)
    msg = roundtrip(Message, p.ANTHROPIC_MESSAGE)
    assert msg.stop_reason == "tool_use" and msg.stop_sequence is None
    assert roundtrip(AnthropicError, p.ANTHROPIC_ERROR).error.type == "request_too_large"


def test_every_anthropic_stream_event_type() -> None:
    events = [roundtrip(MessageStreamEvent, e) for e in p.ANTHROPIC_EVENTS]
    kinds = {e.root.type for e in events}
    assert kinds == {
        "message_start",
        "ping",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
        "error",
    }
    assert isinstance(events[1].root, PingEvent)
    assert isinstance(events[-1].root, ErrorEvent)
    assert events[2].root.content_block.text == ""


def test_gemini_round_trips() -> None:
    req = roundtrip(GenerateContentRequest, p.GEMINI_REQUEST)
    assert req.system_instruction is not None and req.system_instruction.role == "user"
    decl = req.tools[0].function_declarations[0]
    assert decl.parameters.type == "OBJECT"
    assert decl.parameters.properties["city"].type == "STRING"
    assert decl.parameters.properties["days"].max_items == "3"  # int64: string on the wire
    resp = roundtrip(GenerateContentResponse, p.GEMINI_RESPONSE)
    assert resp.candidates[0].finish_reason == "STOP"
    assert resp.usage_metadata.total_token_count == 50


def test_gemini_accepts_snake_case_proto_names_and_sdk_empty_config() -> None:
    # proto3 JSON parsers accept the proto field names too; the Python SDK
    # sends "generationConfig": {}.
    payload = {
        "system_instruction": {"parts": [{"text": "hi"}]},
        "contents": [{"role": "user", "parts": [{"text": "x"}]}],
        "generationConfig": {},
    }
    req = GenerateContentRequest.model_validate(payload)
    assert req.model_dump(exclude_unset=True, by_alias=True) == {
        "systemInstruction": {"parts": [{"text": "hi"}]},
        "contents": [{"role": "user", "parts": [{"text": "x"}]}],
        "generationConfig": {},
    }


@pytest.mark.parametrize(
    ("model", "payload", "path"),
    [
        (ChatCompletionRequest, p.CHAT_REQUEST, ["messages", 2, "content", 0]),
        (ChatCompletion, p.CHAT_COMPLETION, ["choices", 0, "message"]),
        (ChatCompletionChunk, p.CHAT_CHUNKS[1], ["choices", 0, "delta", "tool_calls", 0]),
        (ResponsesRequest, p.RESPONSES_REQUEST, ["tools", 0]),
        (Response, p.RESPONSE, ["output", 1]),
        (MessageCreateRequest, p.ANTHROPIC_REQUEST, ["messages", 0, "content", 1]),
        (Message, p.ANTHROPIC_MESSAGE, ["content", 2]),
        (GenerateContentRequest, p.GEMINI_REQUEST, ["contents", 0, "parts", 1]),
        (GenerateContentResponse, p.GEMINI_RESPONSE, ["usageMetadata"]),
    ],
)
def test_unknown_fields_are_preserved(
    model: type[BaseModel], payload: Json, path: list[str | int]
) -> None:
    changed = copy.deepcopy(payload)
    node: Any = changed
    for key in path:
        node = node[key]
    node["x_vendor_future_field"] = {"nested": [1, "two"]}
    changed["x_top_level_future"] = True
    roundtrip(model, changed)


@pytest.mark.parametrize(
    ("model", "payload"),
    [
        (MessageStreamEvent, {"type": "message_teleport", "x": 1}),
        (ResponseStreamEvent, {"type": "response.teleported", "sequence_number": 1}),
        (
            ChatCompletionRequest,
            {"model": "m", "messages": [{"role": "robot", "content": "beep"}]},
        ),
        (
            MessageCreateRequest,
            {
                "model": "m",
                "max_tokens": 1,
                "messages": [{"role": "user", "content": [{"type": "hologram"}]}],
            },
        ),
    ],
)
def test_unknown_tag_gives_a_short_error(model: type[BaseModel], payload: Json) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate(payload)
    # One error from the tagged union (plus one from a plain-string
    # alternative where the field is ``str | list[...]``), not hundreds: the
    # discriminators are in place, which is also what keeps validation fast
    # (docs/design.md, "Discriminators").
    assert info.value.error_count() <= 2
    assert len(str(info.value).splitlines()) <= 8, str(info.value)
    assert "union_tag_invalid" in {e["type"] for e in info.value.errors()}
