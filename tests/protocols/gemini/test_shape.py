"""The common-shape check accepts nothing the wire model refuses, and the usual chunk."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from lip.protocols.gemini.shape import is_plain
from lip_wire.gemini.generate_content_response import GenerateContentResponse

_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.floats(-2, 2, allow_nan=False),
    st.text(max_size=3),
    st.just([]),
    st.just({}),
)


def _often(right: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.integers(0, 7).flatmap(lambda n: _JUNK if n == 0 else right)


def _some(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    stray = st.one_of(*[st.just({})] * 6, st.fixed_dictionaries({"stray": _JUNK}))
    return st.builds(
        lambda known, more: {**known, **more}, st.fixed_dictionaries({}, optional=fields), stray
    )


_TEXT = st.one_of(st.none(), st.text(max_size=4))
_COUNT = st.one_of(st.none(), st.integers(0, 10**12))
_PART = _some(text=_often(_TEXT), thought=_often(st.booleans()), thoughtSignature=_often(_TEXT))
_CANDIDATE = _some(
    content=_often(_some(parts=_often(st.lists(_often(_PART), max_size=2)), role=_often(_TEXT))),
    finishReason=_often(st.sampled_from(["STOP", "MAX_TOKENS", None])),
    index=_often(_COUNT),
)
_MODALITY = _some(modality=_often(_TEXT), tokenCount=_often(_COUNT))
_USAGE = _some(
    promptTokenCount=_often(_COUNT),
    candidatesTokenCount=_often(_COUNT),
    totalTokenCount=_often(_COUNT),
    thoughtsTokenCount=_often(_COUNT),
    promptTokensDetails=_often(st.lists(_often(_MODALITY), max_size=2)),
)
_RESPONSE = _some(
    candidates=_often(st.lists(_often(_CANDIDATE), max_size=2)),
    modelVersion=_often(_TEXT),
    model_version=_often(_TEXT),
    responseId=_often(_TEXT),
    usageMetadata=_often(_USAGE),
)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(_RESPONSE)
def test_a_plain_chunk_is_one_the_wire_model_accepts(value: dict[str, Any]) -> None:
    if is_plain(json.dumps(value)):
        GenerateContentResponse.model_validate(value, strict=True)


def test_the_usual_chunk_is_plain_and_others_are_not() -> None:
    usual = {
        "candidates": [{"content": {"parts": [{"text": "Hi"}], "role": "model"}, "index": 0}],
        "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 1, "totalTokenCount": 4},
        "modelVersion": "gemini-2.5-flash",
        "responseId": "r1",
    }
    assert is_plain(json.dumps(usual))
    for other in (
        {**usual, "promptFeedback": {}},  # a field the check leaves to the wire model
        {**usual, "candidates": [{"index": True}]},
        {**usual, "candidates": [{"content": {"parts": [{"text": 1}]}}]},
        {"candidates": [{"content": {"parts": [{"functionCall": {"name": "f"}}]}}]},
    ):
        assert not is_plain(json.dumps(other))
    assert not is_plain("not json")
    with pytest.raises(ValidationError):  # what the check refuses by type, the model refuses
        GenerateContentResponse.model_validate({"candidates": [{"index": True}]}, strict=True)


_USUAL: dict[str, Any] = {
    "candidates": [
        {
            "content": {"parts": [{"text": "Hi", "thought": False, "thoughtSignature": "c2ln"}]},
            "finishReason": "STOP",
            "index": 0,
        }
    ],
    "usageMetadata": {
        "promptTokenCount": 3,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 3}],
    },
    "modelVersion": "m",
    "responseId": "r",
}


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = json.loads(json.dumps(value))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = new
    return copy


@pytest.mark.parametrize("path", _leaves(_USUAL), ids=str)
def test_no_value_of_another_type_passes_where_the_model_would_refuse_it(
    path: tuple[Any, ...],
) -> None:
    for wrong in (True, 1, 1.5, "x", [], {}, None):
        value = _replaced(_USUAL, path, wrong)
        if is_plain(json.dumps(value)):
            GenerateContentResponse.model_validate(value, strict=True)
