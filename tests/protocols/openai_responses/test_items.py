"""Responses input items <-> canonical turns: how items group into turns, and
that every item goes back to a Responses upstream as it came."""

from __future__ import annotations

from typing import Any

import pytest

from lip.canonical import (
    AudioPart,
    FilePart,
    ImagePart,
    InvalidRequestError,
    Message,
    OpaquePart,
    ProviderState,
    ReasoningPart,
    RefusalPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from lip.protocols.openai_responses.carry import PROTOCOL
from lip.protocols.openai_responses.items import decode_items, part_of
from lip.protocols.openai_responses.turns import encode_items

Item = dict[str, Any]

OUTPUT_MESSAGE: Item = {
    "type": "message",
    "id": "msg_1",
    "role": "assistant",
    "status": "completed",
    "content": [
        {"type": "output_text", "text": "Hello", "annotations": []},
        {"type": "refusal", "refusal": "not that"},
    ],
}
REASONING: Item = {
    "type": "reasoning",
    "id": "rs_1",
    "summary": [{"type": "summary_text", "text": "a"}, {"type": "summary_text", "text": "b"}],
    "content": [{"type": "reasoning_text", "text": "full"}],
    "encrypted_content": "enc",
}
CALL: Item = {
    "type": "function_call",
    "id": "fc_1",
    "call_id": "call_1",
    "name": "f",
    "arguments": "{}",
    "status": "completed",
}
WEB_SEARCH_CALL: Item = {
    "type": "web_search_call",
    "id": "ws_1",
    "status": "completed",
    "action": {"type": "search", "query": "lip"},
}


def test_assistant_side_items_are_one_turn_and_outputs_another() -> None:
    items = [
        {"role": "user", "content": "hi"},
        OUTPUT_MESSAGE,
        REASONING,
        CALL,
        WEB_SEARCH_CALL,
        {"type": "function_call_output", "call_id": "call_1", "output": "a"},
        {"type": "function_call_output", "call_id": "call_2", "output": "b", "id": "fco_2"},
        {"role": "user", "content": "more"},
        {"role": "user", "content": "again"},
    ]
    turns = decode_items(items)
    assert [t.role for t in turns] == ["user", "assistant", "tool", "user", "user"]
    assistant = turns[1].parts
    assert [type(p) for p in assistant] == [
        TextPart,
        RefusalPart,
        ReasoningPart,
        ToolCallPart,
        OpaquePart,
    ]
    reasoning = assistant[2]
    assert isinstance(reasoning, ReasoningPart)
    assert (reasoning.text, reasoning.summary) == ("full", ("a", "b"))
    assert reasoning.state == ProviderState(origin=PROTOCOL, encrypted="enc", item_id="rs_1")
    assert assistant[4] == OpaquePart(origin=PROTOCOL, block=WEB_SEARCH_CALL)
    results = turns[2].parts
    assert [p.call_id for p in results if isinstance(p, ToolResultPart)] == ["call_1", "call_2"]
    assert encode_items(turns) == items


@pytest.mark.parametrize(
    "items",
    [
        [{"type": "item_reference", "id": "msg_0"}, {"role": "user", "content": "x"}],
        [{"id": "msg_0"}],  # an item reference without its type
        [{"type": "function_call_output", "id": "fco_1", "output": "by item id"}],
        [{"type": "mcp_approval_response", "approval_request_id": "a", "approve": True}],
        [
            {
                "type": "computer_call_output",
                "call_id": "c",
                "output": {"type": "computer_screenshot"},
            }
        ],
    ],
    ids=["reference", "typeless-reference", "output-without-call-id", "mcp", "computer"],
)
def test_client_items_with_no_canonical_meaning_go_back_as_themselves(items: list[Item]) -> None:
    turns = decode_items(items)
    assert turns[0].role == "user"
    assert turns[0].parts == (OpaquePart(origin=PROTOCOL, block=items[0]),)
    assert encode_items(turns) == items


@pytest.mark.parametrize(
    "items",
    [
        [
            {"role": "assistant", "content": "first"},
            {"role": "assistant", "content": "second"},
        ],
        [
            {**OUTPUT_MESSAGE, "id": "msg_1"},
            {**OUTPUT_MESSAGE, "id": "msg_2", "phase": "final_answer"},
        ],
        [
            {"role": "assistant", "content": [{"type": "input_text", "text": "easy"}]},
            {"role": "assistant", "content": [{"type": "input_text", "text": "twice"}]},
        ],
        [
            {"type": "message", "role": "assistant", "content": "typed"},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "x"}]},
        ],
    ],
    ids=["strings", "output-messages", "easy-parts", "typed"],
)
def test_assistant_messages_stay_the_items_they_were(items: list[Item]) -> None:
    turns = decode_items(items)
    assert encode_items(turns) == items


def test_an_input_file_without_a_source_is_an_invalid_request() -> None:
    with pytest.raises(InvalidRequestError, match="input_file"):
        part_of({"type": "input_file", "filename": "x.pdf"})


def test_data_urls_become_inline_data() -> None:
    image = part_of(
        {"type": "input_image", "image_url": "data:image/webp;base64,UklG", "detail": "low"}
    )
    assert image == ImagePart(data="UklG", media_type="image/webp", detail="low")
    by_id = part_of({"type": "input_image", "file_id": "file-1", "detail": "auto"})
    assert isinstance(by_id, OpaquePart) and by_id.kind == "input_image"
    document = part_of({"type": "input_file", "file_data": "data:text/csv;base64,YSxi"})
    assert isinstance(document, FilePart)
    assert (document.data, document.media_type) == ("YSxi", "text/csv")


def test_canonical_parts_become_input_parts() -> None:
    message = Message(
        role="user",
        parts=(
            TextPart(text="look"),
            ImagePart(data="iVBOR", media_type="image/png"),
            ImagePart(url="https://example.com/a.png", detail="high"),
            FilePart(url="https://example.com/a.pdf", filename="a.pdf"),
            FilePart(text="plain notes", title="Notes"),
        ),
    )
    (item,) = encode_items([message])
    assert item == {
        "role": "user",
        "content": [
            {"type": "input_text", "text": "look"},
            {"type": "input_image", "image_url": "data:image/png;base64,iVBOR", "detail": "auto"},
            {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "high"},
            {"type": "input_file", "file_url": "https://example.com/a.pdf", "filename": "a.pdf"},
            {"type": "input_text", "text": "plain notes"},
        ],
    }


def test_tool_results_with_images_are_output_lists() -> None:
    result = ToolResultPart(
        call_id="c1",
        content=(TextPart(text="chart:"), ImagePart(url="https://example.com/c.png")),
    )
    (item,) = encode_items([Message(role="tool", parts=(result,))])
    assert item == {
        "type": "function_call_output",
        "call_id": "c1",
        "output": [
            {"type": "input_text", "text": "chart:"},
            {"type": "input_image", "image_url": "https://example.com/c.png", "detail": "auto"},
        ],
    }


def test_reasoning_goes_back_only_as_a_responses_item() -> None:
    foreign = ReasoningPart(
        text="t", state=ProviderState(origin="anthropic_messages", signature="s")
    )
    no_item = ReasoningPart(text="t", state=ProviderState(origin=PROTOCOL))
    mine = ReasoningPart(summary=("s",), state=ProviderState(origin=PROTOCOL, item_id="rs_9"))
    message = Message(role="assistant", parts=(foreign, no_item, mine, TextPart(text="done")))
    assert encode_items([message]) == [
        {"type": "reasoning", "id": "rs_9", "summary": [{"type": "summary_text", "text": "s"}]},
        {"role": "assistant", "content": "done"},
    ]


def test_another_protocols_opaque_blocks() -> None:
    block = OpaquePart(origin="anthropic_messages", block={"type": "server_tool_use", "id": "s"})
    kept = encode_items([Message(role="assistant", parts=(block, TextPart(text="ok")))])
    assert kept == [{"role": "assistant", "content": "ok"}]  # the model's own work: left out
    search = OpaquePart(origin="anthropic_messages", block={"type": "search_result"})
    with pytest.raises(InvalidRequestError, match=r"'search_result'.*anthropic_messages"):
        encode_items([Message(role="user", parts=(search,))])


@pytest.mark.parametrize(
    "message",
    [
        Message(role="user", parts=(AudioPart(data="AAA", format="wav"),)),
        Message(role="assistant", parts=(ImagePart(url="https://example.com/a.png"),)),
    ],
    ids=["audio", "assistant-image"],
)
def test_what_has_no_item_is_refused(message: Message) -> None:
    with pytest.raises(InvalidRequestError):
        encode_items([message])


def test_calls_of_other_protocols_are_function_calls_without_item_ids() -> None:
    call = ToolCallPart(
        id="toolu_1",
        name="w",
        arguments='{"a":1}',
        state=ProviderState(origin="anthropic_messages"),
    )
    assert encode_items([Message(role="assistant", parts=(call,))]) == [
        {"type": "function_call", "call_id": "toolu_1", "name": "w", "arguments": '{"a":1}'}
    ]
