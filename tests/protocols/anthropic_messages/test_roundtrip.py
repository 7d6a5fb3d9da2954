"""Hypothesis: Call -> Anthropic request -> Call keeps everything an Anthropic
request can say (the representable subset: system text, alternating turns,
text, tool calls with object arguments and their results, tools, tool
choice, sampling and stop options)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from lip.canonical import (
    Call,
    Message,
    Options,
    TextPart,
    Tool,
    ToolCallPart,
    ToolChoice,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.anthropic_messages.backend import encode_request
from lip.protocols.anthropic_messages.request import decode_request

HEADERS = {"anthropic-version": "2023-06-01"}
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
)
names = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
scalars = st.one_of(st.integers(-1000, 1000), st.booleans(), words, st.none())
arguments = st.dictionaries(names, scalars, max_size=3)


@st.composite
def calls(draw: st.DrawFn) -> Call:
    tool_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    tools = tuple(
        Tool(
            name=name,
            description=draw(st.none() | words),
            parameters={"type": "object", "properties": {}},
        )
        for name in tool_names
    )
    messages: list[Message] = []
    if draw(st.booleans()):
        messages.append(Message(role="system", parts=(TextPart(text=draw(words)),)))
    for turn in range(draw(st.integers(1, 3))):
        messages.append(Message(role="user", parts=(TextPart(text=draw(words)),)))
        if draw(st.booleans()):
            messages.append(Message(role="assistant", parts=(TextPart(text=draw(words)),)))
        else:
            count = draw(st.integers(1, 2))
            ids = [f"toolu_{turn}_{n}" for n in range(count)]
            uses = tuple(
                ToolCallPart(
                    id=call_id,
                    name=draw(st.sampled_from(tool_names)),
                    arguments=json.dumps(draw(arguments), separators=(",", ":")),
                )
                for call_id in ids
            )
            messages.append(Message(role="assistant", parts=uses))
            results = tuple(
                ToolResultPart(call_id=call_id, content=(TextPart(text=draw(words)),))
                for call_id in ids
            )
            messages.append(Message(role="tool", parts=results))
    mode = draw(st.sampled_from(ToolChoiceMode))
    choice = ToolChoice(mode=mode, name=tool_names[0] if mode is ToolChoiceMode.NAMED else None)
    options = Options(
        max_output_tokens=draw(st.integers(1, 100_000)),
        temperature=draw(st.none() | st.floats(0, 1, allow_nan=False)),
        top_p=draw(st.none() | st.floats(0, 1, allow_nan=False)),
        stop=tuple(draw(st.lists(words, max_size=2))),
        reasoning_budget_tokens=draw(st.none() | st.integers(1024, 4096)),
    )
    return Call(
        id="",
        protocol="anthropic_messages",
        model=draw(names),
        messages=tuple(messages),
        tools=tools,
        tool_choice=choice,
        options=options,
        stream=draw(st.booleans()),
        user=draw(st.none() | names),
    )


def _semantics(call: Call) -> tuple[object, ...]:
    def part(p: object) -> object:
        if isinstance(p, ToolCallPart):
            return ("call", p.id, p.name, json.loads(p.arguments))
        if isinstance(p, ToolResultPart):
            return ("result", p.call_id, tuple(part(c) for c in p.content), p.is_error)
        assert isinstance(p, TextPart)
        return ("text", p.text)

    return (
        call.model,
        tuple((m.role, tuple(part(p) for p in m.parts)) for m in call.messages),
        tuple((t.name, t.description, t.parameters) for t in call.tools),
        call.tool_choice,
        call.options,
        call.stream,
        call.user,
    )


@settings(max_examples=200, deadline=None)
@given(calls())
def test_call_to_anthropic_and_back_keeps_the_representable_subset(call: Call) -> None:
    body = encode_request(call, call.model)
    again = decode_request(body, HEADERS).call
    assert _semantics(again) == _semantics(call)
