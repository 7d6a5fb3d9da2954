"""Routing: selector grammar, aliases and the planner."""

from lip.routing.planner import Planner
from lip.routing.selector import Alias, Leaf, parse, parse_leaf, rewrite

__all__ = ["Alias", "Leaf", "Planner", "parse", "parse_leaf", "rewrite"]
