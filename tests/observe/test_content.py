"""Prompt and completion text in the GenAI conventions' opt-in span attributes."""

from __future__ import annotations

import json

from lip.canonical import (
    AudioPart,
    Call,
    FilePart,
    FinishReason,
    ImagePart,
    Message,
    OpaquePart,
    ReasoningPart,
    RefusalPart,
    Response,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from lip.observe.content import MAX_MESSAGES, MAX_TEXT, input_attributes, output_attributes
from lip.secrets import Scrubber

SCRUB = Scrubber(["sk-configured-0123456789"])


def call(*messages: Message) -> Call:
    return Call(id="r", protocol="openai_chat", model="m", messages=messages)


def loaded(attributes: dict[str, str], name: str) -> object:
    return json.loads(attributes[name])


def test_every_kind_of_part_and_the_instructions_apart() -> None:
    asked = call(
        Message(role="system", parts=(TextPart(text="Be brief."),)),
        Message(role="developer", parts=(TextPart(text="Use tools."),)),
        Message(
            role="user",
            parts=(
                TextPart(text="What is this?"),
                ImagePart(url="https://example.com/cat.png"),
                ImagePart(data="aGVsbG8=", media_type="image/png"),
                FilePart(data="aGVsbG8=", media_type="application/pdf"),
                FilePart(text="notes"),
                AudioPart(data="aGVsbG8=", format="wav"),
            ),
        ),
        Message(
            role="assistant",
            parts=(
                ReasoningPart(summary=("thought", "more")),
                RefusalPart(text="no"),
                ToolCallPart(id="c1", name="look", arguments='{"q": 1}'),
                OpaquePart(origin="gemini", block={"executableCode": {}}),
            ),
        ),
        Message(role="tool", parts=(ToolResultPart(call_id="c1", content=(TextPart(text="42"),)),)),
    )
    attributes = input_attributes(asked, SCRUB)
    assert loaded(attributes, "gen_ai.system_instructions") == [
        {"type": "text", "content": "Be brief."},
        {"type": "text", "content": "Use tools."},
    ]
    assert loaded(attributes, "gen_ai.input.messages") == [
        {
            "role": "user",
            "parts": [
                {"type": "text", "content": "What is this?"},
                {"type": "uri", "modality": "image", "uri": "https://example.com/cat.png"},
                {"type": "blob", "modality": "image", "mime_type": "image/png"},
                {"type": "blob", "modality": "document", "mime_type": "application/pdf"},
                {"type": "text", "content": "notes"},
                {"type": "blob", "modality": "audio", "mime_type": "audio/wav"},
            ],
        },
        {
            "role": "assistant",
            "parts": [
                {"type": "reasoning", "content": "thought\nmore"},
                {"type": "refusal", "content": "no"},
                {"type": "tool_call", "id": "c1", "name": "look", "arguments": '{"q": 1}'},
                {"type": "executableCode"},
            ],
        },
        {"role": "tool", "parts": [{"type": "tool_call_response", "id": "c1", "response": "42"}]},
    ]
    assert "aGVsbG8" not in json.dumps(attributes)  # binary data is never copied


def test_without_instructions_there_is_no_such_attribute() -> None:
    attributes = input_attributes(call(Message(role="user", parts=(TextPart(text="hi"),))), SCRUB)
    assert set(attributes) == {"gen_ai.input.messages"}


def test_texts_are_scrubbed_cut_and_the_conversation_bounded() -> None:
    long = "x" * (MAX_TEXT + 10)
    many = [Message(role="user", parts=(TextPart(text=f"m{n}"),)) for n in range(MAX_MESSAGES)]
    asked = call(
        Message(role="user", parts=(TextPart(text="the oldest"),)),
        *many[:-1],
        Message(role="user", parts=(TextPart(text=f"key sk-configured-0123456789 {long}"),)),
    )
    messages = loaded(input_attributes(asked, SCRUB), "gen_ai.input.messages")
    assert isinstance(messages, list) and len(messages) == MAX_MESSAGES
    assert messages[0]["parts"][0]["content"] == "m0"  # the oldest is left out
    last = messages[-1]["parts"][0]["content"]
    cut = len("key [redacted] ") + 10  # scrubbed first, then cut
    assert last.startswith("key [redacted] xxx") and last.endswith(f"…[{cut} characters cut]")
    assert len(last) < MAX_TEXT + 40


def test_the_output_is_one_assistant_message_with_its_finish_reason() -> None:
    reply = Response(
        id="r",
        model="m",
        created=0,
        output=(TextPart(text="Hello"), ToolCallPart(id="c", name="f", arguments="{}")),
        finish_reason=FinishReason.TOOL_CALLS,
    )
    assert loaded(output_attributes(reply, SCRUB), "gen_ai.output.messages") == [
        {
            "role": "assistant",
            "parts": [
                {"type": "text", "content": "Hello"},
                {"type": "tool_call", "id": "c", "name": "f", "arguments": "{}"},
            ],
            "finish_reason": "tool_calls",
        }
    ]
