"""What a call costs: the ``prices`` table of the config applied to a
:class:`~lip.canonical.usage.Usage`.

A model name is looked up exactly first, then against the table's fnmatch
globs in the order the config writes them (so ``gpt-4o-mini*`` written before
``gpt-4o*`` wins for ``gpt-4o-mini-2024-07-18``). Matching is case-sensitive.
"""

from __future__ import annotations

import fnmatch
import logging
import re
from collections.abc import Mapping

from lip.canonical.usage import Usage
from lip.config.model import ModelPrice

__all__ = ["PriceTable"]

log = logging.getLogger("lip.limits")

_PER_TOKEN = 1e-6  # prices are per million tokens
_MAX_REMEMBERED = 4096  # lookups and warned-about names kept: bounded by distinct models


class PriceTable:
    """Resolves model names to prices and usage to USD."""

    def __init__(self, prices: Mapping[str, ModelPrice]) -> None:
        self._exact = dict(prices)
        self._globs = [
            (re.compile(fnmatch.translate(pattern)), price)
            for pattern, price in prices.items()
            if any(c in pattern for c in "*?[")
        ]
        self._resolved: dict[str, ModelPrice | None] = {}
        self._warned: set[str] = set()

    def price(self, model: str) -> ModelPrice | None:
        """The price of ``model``: its own entry, else the first glob matching it."""
        if model in self._resolved:
            return self._resolved[model]
        found = self._exact.get(model)
        if found is None:
            found = next((price for glob, price in self._globs if glob.match(model)), None)
        if len(self._resolved) < _MAX_REMEMBERED:
            self._resolved[model] = found
        return found

    def cost(self, model: str, usage: Usage) -> float:
        """USD for ``usage`` on ``model``; 0 for a model the table does not price
        (with one warning per model name, so a missing price is noticed)."""
        price = self.price(model)
        if price is None:
            if model not in self._warned and len(self._warned) < _MAX_REMEMBERED:
                self._warned.add(model)
                log.warning("budgets: no price for model %r; its calls are charged $0", model)
            return 0.0
        inputs = usage.input_tokens or 0
        # input_tokens includes the cached ones (Usage's OpenAI semantics); never
        # let an upstream's inconsistent report make the uncached part negative.
        cached = min(usage.cached_input_tokens or 0, inputs)
        cached_price = price.input if price.cached_input is None else price.cached_input
        usd = (
            (inputs - cached) * price.input
            + cached * cached_price
            + (usage.output_tokens or 0) * price.output
        )
        return usd * _PER_TOKEN
