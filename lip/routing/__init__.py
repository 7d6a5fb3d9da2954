"""Routing: selector grammar, aliases, plan trees, the planner and the executor."""

from lip.routing.plan import Leaf, Plan, Selector
from lip.routing.planner import Planner
from lip.routing.selector import Alias, SelectorError, parse, rewrite, with_caret

__all__ = [
    "Alias",
    "Leaf",
    "Plan",
    "Planner",
    "Selector",
    "SelectorError",
    "parse",
    "rewrite",
    "with_caret",
]
