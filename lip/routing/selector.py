"""Route selectors: the text that names which backends and models serve a call.

Grammar (README "Route selectors"; operators loosest first: ``|`` failover,
``^`` weighted, ``!`` race; parentheses group)::

    selector := budget? expr budget?       at most one budget in total
    budget   := '{' 'ttft_timeout' '=' number '}'
    expr     := wexpr ('|' wexpr)*
    wexpr    := rexpr ('^' rexpr)*
    rexpr    := operand ('!' operand)*
    operand  := attrs* (leaf | '(' expr ')')
    attrs    := '[' key '=' number (',' key '=' number)* ']'
    leaf     := a run of characters other than whitespace and | ^ ! ( ) [ ] { }

A leaf is ``model``, ``backend:model`` or ``backend.instance:model``; the
leading ``backend`` is recognised only when it is a configured backend id, so
model ids with colons (``llama3:8b``) stay whole. A chain of one operator is
one flat :class:`~lip.routing.plan.Group`; a lone operand is not wrapped.
``weight`` belongs on an operand of ``^`` and ``handicap`` on an operand of
``!``; anything else is a :class:`SelectorError` naming the offset.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import assert_never

from lip.canonical import InvalidRequestError
from lip.routing.plan import Attrs, Group, Leaf, Node, Op, Selector

_STOP = frozenset("|^!()[]{}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LEVELS = (Op.FAILOVER, Op.WEIGHTED, Op.RACE)  # loosest first
_KEYS = ("weight", "handicap", "ttft_timeout")
_MAX_SECONDS = 3600.0  # as routing.ttft_timeout: a selector never asks for more
MAX_DEPTH = 32
"""Deepest parenthesis nesting a selector may use (parsing recurses per level)."""


class SelectorError(InvalidRequestError):
    """A selector that does not parse, or that config-time resolution refused.

    ``position`` is the 0-based offset in ``selector`` (the text after alias
    rewriting) that the ``reason`` is about."""

    def __init__(self, selector: str, position: int, reason: str) -> None:
        super().__init__(
            f"route selector error at position {position}: {reason}",
            param="model",
            code="invalid_route_selector",
        )
        self.selector = selector
        self.position = position
        self.reason = reason


def with_caret(selector: str, position: int, indent: str = "") -> str:
    """Two lines: ``selector`` and a ``^`` under ``position`` (for the CLI)."""
    # Whitespace other than a space (tab, newline) would break the alignment.
    shown = "".join(" " if c.isspace() else c for c in selector)
    return f"{indent}{shown}\n{indent}{' ' * position}^"


def parse(selector: str, backend_ids: Collection[str]) -> Selector:
    """The syntax tree of ``selector``; raises :class:`SelectorError`."""
    return _Parser(selector, backend_ids).selector()


@dataclass(slots=True)
class _Operand:
    """A parsed operand and where its ``weight``/``handicap`` were written:
    whether they are allowed depends on the group the operand lands in, which
    is known only once the enclosing chain is complete."""

    node: Node
    placed: dict[str, int] = field(default_factory=dict)


class _Parser:
    def __init__(self, text: str, backend_ids: Collection[str]) -> None:
        self.text = text
        self.ids = backend_ids
        self.pos = 0
        self.depth = 0
        self.budget: float | None = None

    def selector(self) -> Selector:
        self._skip()
        if self._peek() is None:
            raise self._error(0, "the route selector is empty")
        if self._peek() == "{":
            self.budget = self._budget()
        operand = self._chain(0, "")
        self._skip()
        if self._peek() == "{":
            start = self.pos
            if self.budget is not None:
                raise self._error(start, "only one {ttft_timeout=...} budget is allowed")
            self.budget = self._budget()
            self._skip()
            if self._peek() is not None:
                raise self._error(start, "a {...} budget must come first or last")
        elif self._peek() is not None:
            raise self._unexpected()
        self._place(operand, None)
        return Selector(root=operand.node, ttft_timeout=self.budget)

    # -- expressions -------------------------------------------------------

    def _chain(self, level: int, context: str) -> _Operand:
        """One precedence level: ``sub (op sub)*`` for ``_LEVELS[level]``."""
        op = _LEVELS[level]

        def sub(context: str) -> _Operand:
            if level + 1 < len(_LEVELS):
                return self._chain(level + 1, context)
            return self._operand(context)

        children = [sub(context)]
        while True:
            self._skip()
            if self._peek() != op.value:
                break
            self.pos += 1
            children.append(sub(f" after {op.value!r}"))
        if len(children) == 1:
            return children[0]
        for child in children:
            self._place(child, op)
        return _Operand(
            Group(
                op=op, children=tuple(c.node for c in children), position=children[0].node.position
            )
        )

    def _operand(self, context: str) -> _Operand:
        self._skip()
        written: dict[str, tuple[float, int]] = {}
        while self._peek() == "[":
            self._attrs(written)
            self._skip()
            context = " after ']'"
        char = self._peek()
        if char == "(":
            inner = self._parenthesised()
        elif char is not None and char not in _STOP and not char.isspace():
            inner = _Operand(self._leaf())
        elif char == "{":
            reason = (
                "only one {ttft_timeout=...} budget is allowed"
                if self.budget is not None
                else "a {...} budget must come first or last"
            )
            raise self._error(self.pos, reason)
        elif char is None:
            raise self._error(self.pos, f"expected a target{context}")
        else:
            raise self._error(self.pos, f"expected a target{context}, found {char!r}")
        return self._merge(inner, written)

    def _parenthesised(self) -> _Operand:
        start = self.pos
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._error(start, f"parentheses nested deeper than {MAX_DEPTH} levels")
        self.pos += 1
        self._skip()
        if self._peek() == ")":
            raise self._error(start, "empty parentheses")
        inner = self._chain(0, " after '('")
        self._skip()
        if self._peek() is None:
            raise self._error(start, "'(' is never closed")
        if self._peek() != ")":
            raise self._unexpected()
        self.pos += 1
        self.depth -= 1
        return inner

    def _merge(self, inner: _Operand, written: dict[str, tuple[float, int]]) -> _Operand:
        """Apply an operand's attrs; on ``[a](x)`` they join those of ``x``."""
        if not written:
            return inner
        node = inner.node
        values = {key: getattr(node.attrs, key) for key in _KEYS}
        for key, (value, position) in written.items():
            if values[key] is not None:
                raise self._error(position, f"duplicate attribute {key!r}")
            values[key] = value
        attrs = Attrs(**values)
        placed = inner.placed | {key: position for key, (_, position) in written.items()}
        match node:
            case Leaf():
                node = Leaf(
                    model=node.model,
                    backend=node.backend,
                    instance=node.instance,
                    attrs=attrs,
                    position=node.position,
                )
            case Group():
                node = Group(
                    op=node.op, children=node.children, attrs=attrs, position=node.position
                )
            case _:
                assert_never(node)
        return _Operand(node, placed)

    def _place(self, operand: _Operand, parent: Op | None) -> None:
        """Refuse ``weight`` outside a ``^`` group and ``handicap`` outside a ``!`` group."""
        for key, position in sorted(operand.placed.items(), key=lambda item: item[1]):
            if key == "weight" and parent is not Op.WEIGHTED:
                raise self._error(position, "weight applies only to an operand of '^'")
            if key == "handicap" and parent is not Op.RACE:
                raise self._error(position, "handicap applies only to an operand of '!'")

    # -- leaves, attrs, budget ---------------------------------------------

    def _leaf(self) -> Leaf:
        start = self.pos
        while (char := self._peek()) is not None and char not in _STOP and not char.isspace():
            self.pos += 1
        word = self.text[start : self.pos]
        head, colon, model = word.partition(":")
        if colon and model:
            backend, dot, instance = head.partition(".")
            if backend in self.ids:
                if dot and not instance:
                    raise self._error(start + len(backend), "empty instance name after '.'")
                return Leaf(model=model, backend=backend, instance=instance or None, position=start)
        return Leaf(model=word, position=start)

    def _attrs(self, written: dict[str, tuple[float, int]]) -> None:
        """``[key=number, ...]`` into ``written`` (key -> value and its offset)."""
        start = self.pos
        self.pos += 1
        while True:
            self._skip()
            key_at = self.pos
            key = self._name("an attribute name", start, "[")
            if key not in _KEYS:
                raise self._error(
                    key_at, f"unknown attribute {key!r} (accepted: {', '.join(_KEYS)})"
                )
            if key in written:
                raise self._error(key_at, f"duplicate attribute {key!r}")
            written[key] = (self._value(key), key_at)
            self._skip()
            char = self._peek()
            if char == ",":
                self.pos += 1
            elif char == "]":
                self.pos += 1
                return
            elif char is None:
                raise self._error(start, "'[' is never closed")
            else:
                raise self._error(self.pos, f"expected ',' or ']', found {char!r}")

    def _budget(self) -> float:
        start = self.pos
        self.pos += 1
        self._skip()
        key_at = self.pos
        key = self._name("'ttft_timeout'", start, "{")
        if key != "ttft_timeout":
            raise self._error(key_at, f"unknown budget {key!r} (accepted: ttft_timeout)")
        value = self._value(key)
        self._skip()
        char = self._peek()
        if char is None:
            raise self._error(start, "'{' is never closed")
        if char != "}":
            raise self._error(self.pos, f"expected '}}', found {char!r}")
        self.pos += 1
        return value

    def _name(self, what: str, opened_at: int, opener: str) -> str:
        match = _NAME.match(self.text, self.pos)
        if match is None:
            char = self._peek()
            if char is None:
                raise self._error(opened_at, f"{opener!r} is never closed")
            raise self._error(self.pos, f"expected {what}, found {char!r}")
        self.pos = match.end()
        return match.group()

    def _value(self, key: str) -> float:
        """``= number`` for ``key``, range-checked."""
        self._skip()
        if self._peek() != "=":
            raise self._error(self.pos, f"expected '=' after {key!r}")
        self.pos += 1
        self._skip()
        start = self.pos
        match = _NUMBER.match(self.text, start)
        if match is None:
            raise self._error(start, f"expected a number after '{key}='")
        self.pos = match.end()
        value = float(match.group())
        if not math.isfinite(value):
            raise self._error(start, f"{key} must be a finite number")
        if key == "handicap":
            if value < 0:
                raise self._error(start, "handicap must be >= 0 seconds")
        elif value <= 0:
            raise self._error(start, f"{key} must be > 0")
        if key != "weight" and value > _MAX_SECONDS:
            raise self._error(start, f"{key} must be at most {_MAX_SECONDS:g} seconds")
        return value

    # -- scanning ----------------------------------------------------------

    def _peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def _skip(self) -> None:
        while (char := self._peek()) is not None and char.isspace():
            self.pos += 1

    def _unexpected(self) -> SelectorError:
        """What stands where an operator, ``)`` or the end was expected."""
        char = self._peek()
        assert char is not None
        if char in ")]}":
            return self._error(self.pos, f"unmatched {char!r}")
        if char == "{":
            return self._error(self.pos, "a {...} budget must come first or last")
        return self._error(self.pos, f"expected an operator ('|', '^' or '!') before {char!r}")

    def _error(self, position: int, reason: str) -> SelectorError:
        return SelectorError(self.text, position, reason)


@dataclass(frozen=True, slots=True)
class Alias:
    pattern: re.Pattern[str]
    replacement: str

    def literal(self) -> str | None:
        """The text the replacement expands to when it references no group
        (so it can be checked as a selector at startup), else ``None``.

        Raises ``re.error`` (with ``pos``) for a group the pattern lacks."""
        try:
            self.pattern.sub(self.replacement, "")  # re checks the template even without a match
        except IndexError as exc:
            # An unknown group name: re says which but not where.
            refs = re.finditer(r"\\g<([^>]*)>", self.replacement)
            known = self.pattern.groupindex
            pos = next((m.start() for m in refs if not m[1].isdigit() and m[1] not in known), None)
            raise re.error(str(exc), self.replacement, pos) from None
        # Expand against two matches of a twin pattern (same groups and names)
        # whose groups hold different text: equal results mean no group is used.
        # This follows re's own template rules (octal escapes, \g<0>) exactly.
        names = {index: name for name, index in self.pattern.groupindex.items()}
        expanded = []
        for fill in ("", "x"):
            groups = "".join(
                f"(?P<{names[i]}>{fill})" if i in names else f"({fill})"
                for i in range(1, self.pattern.groups + 1)
            )
            twin = re.fullmatch(fill + groups, fill * (self.pattern.groups + 1))
            assert twin is not None
            expanded.append(twin.expand(self.replacement))
        return expanded[0] if expanded[0] == expanded[1] else None


def rewrite(selector: str, aliases: Sequence[Alias]) -> str:
    """Apply the alias rewrites in order; each one that fully matches rewrites the whole selector."""
    for alias in aliases:
        if alias.pattern.fullmatch(selector):
            selector = alias.pattern.sub(alias.replacement, selector, count=1)
    return selector


__all__ = ["MAX_DEPTH", "Alias", "SelectorError", "parse", "rewrite", "with_caret"]
