import json

import pytest

from lip.backends import LocalStubBackend, Target
from lip.canonical import (
    Call,
    FinishReason,
    Message,
    Options,
    ResponseFormat,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolCallPart,
    ToolChoice,
    ToolChoiceMode,
    ToolResultPart,
    collect,
)

TARGET = Target(backend_id="stub", model="m", upstream_model="m", selector="stub:m")
WEATHER = Tool(
    name="get_weather",
    parameters={
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"enum": ["c", "f"]},
            "days": {"type": "integer"},
        },
        "required": ["city", "unit"],
    },
)


def _call(*messages: Message, **kw: object) -> Call:
    return Call(id="c", protocol="openai_chat", model="m", messages=messages, **kw)  # type: ignore[arg-type]


def _user(text: str) -> Message:
    return Message(role="user", parts=(TextPart(text=text),))


async def _run(call: Call):  # type: ignore[no-untyped-def]
    return collect(
        [e async for batch in LocalStubBackend("stub").stream(call, TARGET) for e in batch]
    )


@pytest.mark.anyio
async def test_echoes_last_user_text_word_by_word() -> None:
    events = [
        e
        async for batch in LocalStubBackend("stub").stream(_call(_user("hi there you")), TARGET)
        for e in batch
    ]
    response = collect(events)
    assert response.output == (TextPart(text="You said: hi there you"),)
    assert len(events) > 4
    assert response.usage is not None and response.usage.input_tokens == 3


@pytest.mark.anyio
async def test_calls_a_tool_the_user_names_with_schema_sampled_arguments() -> None:
    response = await _run(_call(_user("weather? use get_weather."), tools=(WEATHER,)))
    (call,) = response.output
    assert isinstance(call, ToolCallPart) and call.name == "get_weather"
    assert json.loads(call.arguments) == {"city": "city", "unit": "c"}
    assert response.finish_reason is FinishReason.TOOL_CALLS


@pytest.mark.anyio
async def test_offered_tools_alone_get_text_and_required_gets_a_call() -> None:
    # An agent client offers its tools on every turn: no call unless asked for.
    offered = await _run(_call(_user("weather?"), tools=(WEATHER,)))
    assert offered.output == (TextPart(text="You said: weather?"),)
    required = ToolChoice(mode=ToolChoiceMode.REQUIRED)
    forced = await _run(_call(_user("weather?"), tools=(WEATHER,), tool_choice=required))
    assert isinstance(forced.output[0], ToolCallPart)


@pytest.mark.anyio
async def test_echoes_the_last_text_part_of_the_last_user_turn() -> None:
    turn = Message(
        role="user",
        parts=(TextPart(text="<reminder>get_weather</reminder>"), TextPart(text="What now?")),
    )
    response = await _run(_call(turn, tools=(WEATHER,)))
    assert response.output == (TextPart(text="You said: What now?"),)


@pytest.mark.anyio
async def test_tool_choice_none_and_tool_results_give_text() -> None:
    none = await _run(
        _call(_user("x"), tools=(WEATHER,), tool_choice=ToolChoice(mode=ToolChoiceMode.NONE))
    )
    assert isinstance(none.output[0], TextPart)
    result = Message(
        role="tool", parts=(ToolResultPart(call_id="call_1", content=(TextPart(text="sunny"),)),)
    )
    after = await _run(_call(_user("x"), result, tools=(WEATHER,)))
    assert after.output == (TextPart(text="Tool call_1 returned: sunny"),)


@pytest.mark.anyio
async def test_length_stop_and_json_schema() -> None:
    cut = await _run(_call(_user("a b c d e f"), options=Options(max_output_tokens=2)))
    assert cut.output == (TextPart(text="You said: "),) and cut.finish_reason is FinishReason.LENGTH
    stopped = await _run(_call(_user("a b STOP c"), options=Options(stop=("STOP",))))
    assert stopped.output == (TextPart(text="You said: a b "),) and stopped.stop_sequence == "STOP"
    fmt = ResponseFormat(kind=ResponseFormatKind.JSON_SCHEMA, schema=WEATHER.parameters)
    structured = await _run(_call(_user("x"), options=Options(response_format=fmt)))
    assert json.loads(structured.output[0].text) == {"city": "city", "unit": "c"}  # type: ignore[union-attr]


@pytest.mark.anyio
async def test_an_echo_never_amplifies_a_large_request() -> None:
    from lip.backends.localstub import MAX_REPLY_WORDS

    huge = " ".join(["word"] * 200_000)
    response = await _run(_call(_user(huge)))
    (text,) = response.output
    assert isinstance(text, TextPart) and len(text.text.split()) == MAX_REPLY_WORDS
    assert response.finish_reason is FinishReason.LENGTH
