"""Script parsing and the FIFO queue (protocol independent)."""

from __future__ import annotations

import pytest

from refbackends.scripting import (
    Scenario,
    Script,
    ScriptError,
    ScriptQueue,
    parse_scripts,
    script_from_headers,
    select_script,
)


def test_headers_build_a_script() -> None:
    script = script_from_headers(
        {
            "X-Emulator-Scenario": "tool_call",
            "x-emulator-status": "429",
            "x-emulator-delay-ms": "5",
            "x-emulator-cut-after": "0",
            "x-emulator-chunk-delay-ms": "1",
            "x-emulator-retry-after": "3",
            "x-emulator-text": "hi",
            "x-emulator-tool-calls": '[{"name": "f", "arguments": "{\\"a\\":1}"}]',
            "authorization": "Bearer x",
        }
    )
    assert script is not None
    assert script.scenario is Scenario.TOOL_CALL
    assert (script.status, script.delay_ms, script.cut_after, script.chunk_delay_ms) == (
        429,
        5,
        0,
        1,
    )
    assert (script.retry_after, script.text, script.is_error) == (3, "hi", True)
    assert script.tool_calls is not None
    assert script.tool_calls[0].arguments_json() == '{"a":1}'


def test_stall_after_comes_from_a_header_or_the_queue() -> None:
    from_header = script_from_headers({"x-emulator-stall-after": "3"})
    assert from_header is not None and from_header.stall_after == 3
    assert parse_scripts({"stall_after": 0}) == [Script(stall_after=0)]
    with pytest.raises(ScriptError, match="stall_after"):
        parse_scripts({"stall_after": -1})
    with pytest.raises(ScriptError):
        script_from_headers({"x-emulator-stall-after": "soon"})


def test_no_emulator_headers_means_no_script() -> None:
    assert script_from_headers({"content-type": "application/json"}) is None


@pytest.mark.parametrize(
    "headers",
    [
        {"x-emulator-status": "many"},
        {"x-emulator-status": "99"},
        {"x-emulator-scenario": "dance"},
        {"x-emulator-tool-calls": "not json"},
        {"x-emulator-unknown": "1"},
    ],
)
def test_bad_headers_raise(headers: dict[str, str]) -> None:
    with pytest.raises(ScriptError):
        script_from_headers(headers)


def test_queue_is_fifo_and_headers_do_not_pop_it() -> None:
    queue = ScriptQueue()
    queue.extend(parse_scripts([{"text": "a"}, {"text": "b"}]))
    chosen = select_script({"x-emulator-text": "h"}, queue)
    assert chosen is not None and chosen.source == "headers" and len(queue) == 2
    first = select_script({}, queue)
    assert first is not None and (first.source, first.script.text) == ("queue", "a")
    assert queue.pending() == [Script(text="b")]
    assert queue.clear() == 1
    assert select_script({}, queue) is None


def test_parse_scripts_accepts_one_object_and_rejects_junk() -> None:
    assert parse_scripts({"scenario": "long"}) == [Script(scenario=Scenario.LONG)]
    with pytest.raises(ScriptError, match=r"script \[1\]"):
        parse_scripts([{}, {"delay_ms": "5"}])
    with pytest.raises(ScriptError):
        parse_scripts(["text"])


def test_keyed_arguments_encode_compactly() -> None:
    script = parse_scripts({"tool_calls": [{"name": "f", "arguments": {"city": "Zürich"}}]})[0]
    assert script.tool_calls is not None
    assert script.tool_calls[0].arguments_json() == '{"city":"Zürich"}'


def test_a_plan_rides_with_http_controls() -> None:
    script = parse_scripts(
        {"plan": {"blocks": [{"text": ["a", "b"]}]}, "status": 200, "chunk_delay_ms": 3}
    )[0]
    assert script.plan is not None
    assert script.plan.blocks[0].text == ("a", "b")
    assert (script.status, script.chunk_delay_ms) == (200, 3)
    from_header = script_from_headers({"x-emulator-plan": '{"finish": "length"}'})
    assert from_header is not None and from_header.plan is not None
    assert from_header.plan.finish == "length"


def test_a_plan_replaces_scenario_text_and_tool_calls() -> None:
    with pytest.raises(ScriptError) as caught:
        parse_scripts({"plan": {}, "scenario": "long", "text": "x"})
    # A whole-script rule has no field to point at.
    assert caught.value.message == (
        "invalid script [0]: Value error, a plan cannot be combined with scenario, text"
    )
    assert caught.value.field is None
