"""ValueEnum: a member hashes as the string it equals."""

from __future__ import annotations

import pickle

import pytest

from lip.canonical import FinishReason
from lip.canonical.enums import ValueEnum
from lip.continuity import CallOutcome, Outcome


class Colour(ValueEnum):
    RED = "red"
    DARK_RED = "dark-red"


def test_a_member_and_its_value_are_one_key() -> None:
    assert hash(Colour.RED) == hash("red") and Colour.RED == "red"
    assert {"red": 1}[Colour.RED] == 1
    assert {Colour.DARK_RED: 2}["dark-red"] == 2
    assert {Colour.RED, "red", Colour.DARK_RED} == {"red", "dark-red"}


def test_it_is_still_an_enum() -> None:
    assert list(Colour) == [Colour.RED, Colour.DARK_RED]
    assert Colour("dark-red") is Colour.DARK_RED and Colour["RED"] is Colour.RED
    assert pickle.loads(pickle.dumps(Colour.RED)) is Colour.RED
    assert str(Colour.RED) == "red" and f"{Colour.DARK_RED}" == "dark-red"


@pytest.mark.parametrize("kind", [FinishReason, Outcome, CallOutcome])
def test_the_enums_observers_key_on_hash_as_their_values(kind: type[ValueEnum]) -> None:
    assert issubclass(kind, ValueEnum)
    assert all(hash(member) == hash(member.value) for member in kind)
