"""Deterministic content helpers."""

from __future__ import annotations

import pytest

from refbackends.content import (
    LONG_TEXT,
    UNICODE_TEXT,
    count_tokens,
    split_json_fragments,
    split_words,
    stable_hex,
    stable_id,
    truncate_words,
)


@pytest.mark.parametrize(
    "text", ["", "one", "Echo: hello  world ", UNICODE_TEXT, LONG_TEXT, "\n a\tb\n"]
)
def test_split_words_round_trips(text: str) -> None:
    assert "".join(split_words(text)) == text


def test_word_pieces_carry_leading_space() -> None:
    assert split_words("Echo: hello world") == ["Echo:", " hello", " world"]
    assert truncate_words("Echo: hello world", 2) == "Echo: hello"
    assert count_tokens(LONG_TEXT) == 360


def test_json_fragments_round_trip() -> None:
    arguments = '{"city":"Zürich","days":[1,2]}'
    pieces = split_json_fragments(arguments)
    assert "".join(pieces) == arguments
    assert pieces[:3] == ['{"', "city", '":"']


def test_unicode_text_has_every_utf8_width() -> None:
    widths = {len(ch.encode()) for ch in UNICODE_TEXT}
    assert widths == {1, 2, 3, 4}


def test_stable_ids_depend_only_on_input() -> None:
    assert stable_id(["a", "b"], 29) == stable_id(["a", "b"], 29)
    assert stable_id(["a", "b"], 29) != stable_id(["ab"], 29)
    assert len(stable_id(["x"], 29)) == 29 and stable_id(["x"], 29).isalnum()
    assert len(stable_hex([b"x"], 32)) == 32
