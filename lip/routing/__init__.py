"""Routing: selector grammar, aliases and the planner."""

from lip.routing.planner import Planner, Target
from lip.routing.selector import Alias, Leaf, parse, parse_leaf, rewrite

__all__ = ["Alias", "Leaf", "Planner", "Target", "parse", "parse_leaf", "rewrite"]
