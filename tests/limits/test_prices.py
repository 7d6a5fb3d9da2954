"""The price table: exact names before globs, globs in the order written, and
usage priced by uncached input, cached input and output."""

from __future__ import annotations

import pytest

from lip.canonical.usage import Usage
from lip.config.model import ModelPrice
from lip.limits import PriceTable

MINI = ModelPrice(input=0.15, output=0.6)
FOUR_O = ModelPrice(input=2.5, output=10, cached_input=1.25)
ANY = ModelPrice(input=1, output=1)


def test_an_exact_name_wins_over_a_glob_written_before_it() -> None:
    table = PriceTable({"gpt-4o*": FOUR_O, "gpt-4o-mini": MINI})
    assert table.price("gpt-4o-mini") is MINI
    assert table.price("gpt-4o-2024-08-06") is FOUR_O


def test_globs_match_in_the_order_written() -> None:
    table = PriceTable({"gpt-4o-mini*": MINI, "gpt-4o*": FOUR_O, "*": ANY})
    assert table.price("gpt-4o-mini-2024-07-18") is MINI
    assert table.price("gpt-4o-2024-08-06") is FOUR_O
    assert table.price("claude-sonnet-4-5") is ANY
    assert PriceTable({"*": ANY, "gpt-4o*": FOUR_O}).price("gpt-4o") is ANY


def test_matching_is_case_sensitive_and_whole_name() -> None:
    table = PriceTable({"gpt-4o": FOUR_O, "claude-?-haiku": MINI})
    assert table.price("GPT-4o") is None
    assert table.price("gpt-4o-mini") is None
    assert table.price("claude-3-haiku") is MINI
    assert table.price("claude-3-haiku-x") is None


def test_cost_splits_cached_input_from_uncached() -> None:
    table = PriceTable({"gpt-4o": FOUR_O, "mini": MINI})
    usage = Usage(input_tokens=2_000_000, cached_input_tokens=1_000_000, output_tokens=500_000)
    assert table.cost("gpt-4o", usage) == pytest.approx(2.5 + 1.25 + 5)
    # No cached price: cached tokens cost what input does.
    assert table.cost("mini", usage) == pytest.approx(2 * 0.15 + 0.5 * 0.6)


def test_cost_tolerates_missing_and_inconsistent_figures() -> None:
    table = PriceTable({"gpt-4o": FOUR_O})
    assert table.cost("gpt-4o", Usage()) == 0
    assert table.cost("gpt-4o", Usage(output_tokens=1_000_000)) == pytest.approx(10)
    # More cached than input reported: never a negative uncached part.
    odd = Usage(input_tokens=1_000_000, cached_input_tokens=3_000_000)
    assert table.cost("gpt-4o", odd) == pytest.approx(1.25)


def test_an_unpriced_model_costs_nothing() -> None:
    assert PriceTable({}).cost("anything", Usage(input_tokens=10**9)) == 0
