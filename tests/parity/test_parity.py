"""The parity matrix as tests: every scenario x pair x mode, both SDKs, both wire legs.

``tox -e parity`` reruns this and rewrites parity/MATRIX.md and
parity/matrix.json (``LIP_PARITY_WRITE=1``); add ``--snapshot-update`` to
rewrite the wire goldens after a deliberate change.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from lip.canonical import Event, Response, ToolCallPart, collect
from lip.protocols.anthropic_messages import upstream as anthropic_upstream
from lip.protocols.base import StreamDecoder
from lip.protocols.gemini import upstream as gemini_upstream
from lip.protocols.openai_chat import upstream as chat_upstream
from lip.protocols.openai_responses import upstream as responses_upstream
from lip.sse import SSEDecoder
from parity import protocols
from parity.harness import EMULATOR_CHECKS, PAIRS, Run
from parity.matrix import build, load_rows, render_markdown, to_json
from tests.parity.conftest import all_scenarios, selected_scenarios

ROOT = Path(__file__).parents[2]
SCENARIOS = selected_scenarios()
CASES = [
    pytest.param(s.id, p.name, m, id=f"{s.id}-{p.name}-{m}")
    for s in SCENARIOS
    for p in (*PAIRS, *EMULATOR_CHECKS)
    for m in s.modes
]


def _runs(runs: Sequence[Run], scenario: str, pair: str, mode: str) -> list[Run]:
    found = [r for r in runs if (r.scenario, r.pair, r.mode) == (scenario, pair, mode)]
    assert found, f"no run for {scenario} {pair} {mode}"
    return found


@pytest.mark.parametrize(("scenario", "pair", "mode"), CASES)
def test_sdks_see_what_the_scenario_says(
    parity_runs: Sequence[Run], scenario: str, pair: str, mode: str
) -> None:
    for run in _runs(parity_runs, scenario, pair, mode):
        if run.outcome == "unsupported":
            continue
        assert run.outcome == "pass", f"{run.driver} SDK: " + "; ".join(run.problems)


@pytest.mark.parametrize(("scenario", "pair", "mode"), CASES)
def test_wire(
    parity_runs: Sequence[Run], snapshot: SnapshotAssertion, scenario: str, pair: str, mode: str
) -> None:
    """Both legs as they crossed the sockets (ids, timestamps, padding normalised)."""
    (run,) = [r for r in _runs(parity_runs, scenario, pair, mode) if r.driver == "python"]
    if run.outcome == "unsupported":
        pytest.skip(run.problems[0] if run.problems else "unsupported")
    legs = f"## client <-> {'LIP' if '->' in pair else 'emulator'}\n{run.client_leg}"
    if run.upstream_leg or ("->" in pair and not pair.endswith("->localstub")):
        legs += f"\n\n## LIP <-> upstream\n{run.upstream_leg or '(nothing)'}"
    assert legs == snapshot


# Per frontend protocol: how LIP's replies to its clients decode (the
# protocol's own upstream decoders read any server speaking it).
_DECODERS: dict[str, tuple[Callable[[], StreamDecoder], Callable[[bytes], list[Event]]]] = {
    "openai_chat": (chat_upstream.ChatStreamDecoder, chat_upstream.decode_response),
    "anthropic_messages": (
        anthropic_upstream.AnthropicStreamDecoder,
        anthropic_upstream.decode_response,
    ),
    "openai_responses": (
        responses_upstream.ResponsesStreamDecoder,
        responses_upstream.decode_response,
    ),
    "gemini": (gemini_upstream.GeminiStreamDecoder, gemini_upstream.decode_response),
}
SAME_PROTOCOL = [p for p in PAIRS if p.frontend == p.backend]


@pytest.mark.parametrize(
    ("scenario", "pair"),
    [
        pytest.param(s.id, p.name, id=f"{s.id}-{p.name}")
        for s in SCENARIOS
        if {"unary", "stream"} <= set(s.modes)
        for p in SAME_PROTOCOL
    ],
)
def test_streamed_capture_folds_to_the_unary_capture(
    parity_runs: Sequence[Run], scenario: str, pair: str
) -> None:
    """What LIP streamed to the client folds to what it answered unary."""
    (unary,) = [r for r in _runs(parity_runs, scenario, pair, "unary") if r.driver == "python"]
    (stream,) = [r for r in _runs(parity_runs, scenario, pair, "stream") if r.driver == "python"]
    if unary.observation is None or unary.observation.error is not None:
        pytest.skip("no unary reply to fold to")
    frontend = pair.split("->")[0]
    stream_decoder, decode_response = _DECODERS[frontend]
    sse, decoder = SSEDecoder(), stream_decoder()
    frames = sse.feed(stream.client_response) + sse.close()
    events = [e for f in frames for e in decoder.feed(f)] + decoder.close()
    folded, replied = collect(events), collect(decode_response(unary.client_response))
    if frontend == "openai_responses":
        # LIP names each Responses reply by its own request (it stores it under that id).
        folded, replied = replace(folded, id=""), replace(replied, id="")
    if frontend == "gemini":
        # A Gemini reply's responseId is LIP's request id, and carries no time
        # (a decoder dates it when it reads it).
        folded = replace(folded, id="", created=0)
        replied = replace(replied, id="", created=0)
    assert _parsed_arguments(folded) == _parsed_arguments(replied)


def _parsed_arguments(response: Response) -> Response:
    """Tool-call arguments as parsed JSON: an Anthropic unary reply has them as
    an object, its stream as the upstream's own text, spacing included."""
    output = tuple(
        replace(p, arguments=json.dumps(json.loads(p.arguments), sort_keys=True))
        if isinstance(p, ToolCallPart)
        else p
        for p in response.output
    )
    return replace(response, output=output)


def test_matrix_is_current(parity_runs: Sequence[Run]) -> None:
    """No status is hand-written: the committed matrix is what this code produces."""
    everything = load_rows(ROOT / "parity" / "rows.yaml", all_scenarios())
    selected = {s.id for s in SCENARIOS}
    rows = [r for r in everything if set(r.scenarios) <= selected]
    matrix = build(rows, SCENARIOS, parity_runs, protocols.sdk_versions())
    json_path, md_path = ROOT / "parity" / "matrix.json", ROOT / "parity" / "MATRIX.md"
    if os.environ.get("LIP_PARITY_WRITE") and len(rows) == len(everything):
        json_path.write_text(to_json(matrix), encoding="utf-8")
        md_path.write_text(render_markdown(matrix), encoding="utf-8")
    committed = json.loads(json_path.read_text(encoding="utf-8"))
    committed_rows = {r["id"]: r for r in committed["rows"]}
    fresh = json.loads(to_json(matrix))
    if len(rows) == len(everything):
        assert to_json(matrix) == json_path.read_text(encoding="utf-8"), "run tox -e parity"
        assert render_markdown(matrix) == md_path.read_text(encoding="utf-8"), "run tox -e parity"
    diff = [
        line
        for row in fresh["rows"]
        for line in difflib.unified_diff(
            json.dumps(committed_rows.get(row["id"]), indent=1, sort_keys=True).splitlines(),
            json.dumps(row, indent=1, sort_keys=True).splitlines(),
            "committed",
            "produced",
            lineterm="",
        )
    ]
    assert not diff, "the matrix changed:\n" + "\n".join(diff)
