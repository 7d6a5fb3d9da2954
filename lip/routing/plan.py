"""Plan trees: what a route selector asks for, before and after resolution.

A selector (docs: README "Route selectors") parses into a syntax tree of
:class:`Leaf` and :class:`Group` nodes (:func:`lip.routing.selector.parse`);
the planner resolves every leaf against the configured backends into a
:class:`Leg` and every group into a :class:`Branch`, giving the
:class:`Plan` the executor runs. Operators, loosest first:

- ``|`` failover: children tried left to right, moving on only on a failure
  before any client-visible output;
- ``^`` weighted: children tried in a weighted random order (``[weight=N]``,
  default 1), each failure before output moving on to the next pick;
- ``!`` race: children started together (``[handicap=S]`` delays one), the
  first to produce client-visible output wins and the others are cancelled.

``[ttft_timeout=S]`` bounds one operand's time to first output (a leg that
sends nothing in time is cancelled and counts as a failure before output);
``{ttft_timeout=S}`` bounds the whole call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import assert_never

from lip.backends.base import Target
from lip.canonical.enums import ValueEnum


class Op(ValueEnum):
    FAILOVER = "|"
    WEIGHTED = "^"
    RACE = "!"


@dataclass(frozen=True, slots=True, kw_only=True)
class Attrs:
    """An operand's ``[key=value, ...]`` prefix."""

    weight: float | None = None
    """Relative weight in a ``^`` group (None: 1)."""
    handicap: float | None = None
    """Seconds a ``!`` branch waits before it starts (None: 0)."""
    ttft_timeout: float | None = None
    """Seconds this operand may take to its first output (None: only the call's budget)."""

    def render(self) -> str:
        """``[key=value, ...]`` as a selector writes it; empty when no key is set."""
        items = [
            f"{name}={render_number(value)}"
            for name, value in (
                ("weight", self.weight),
                ("handicap", self.handicap),
                ("ttft_timeout", self.ttft_timeout),
            )
            if value is not None
        ]
        return f"[{', '.join(items)}]" if items else ""


NO_ATTRS = Attrs()


def render_number(value: float) -> str:
    """``value`` as short as it can be written and still parse back to itself."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Leaf:
    """One target as written: ``backend`` is ``None`` for a bare model
    (resolved by the backends' model lists)."""

    model: str
    backend: str | None = None
    instance: str | None = None
    attrs: Attrs = NO_ATTRS
    position: int = field(default=0, compare=False)
    """Offset of the leaf's first character in the selector text (for errors;
    not part of the tree's meaning, so equality ignores it)."""

    def __str__(self) -> str:
        if self.backend is None:
            return self.model
        inst = f".{self.instance}" if self.instance else ""
        return f"{self.backend}{inst}:{self.model}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """Two or more operands joined by one operator."""

    op: Op
    children: tuple[Node, ...]
    attrs: Attrs = NO_ATTRS
    position: int = field(default=0, compare=False)


Node = Leaf | Group


@dataclass(frozen=True, slots=True, kw_only=True)
class Selector:
    """A parsed selector: its tree and its whole-call ``{ttft_timeout=S}``."""

    root: Node
    ttft_timeout: float | None = None

    def leaves(self) -> Iterator[Leaf]:
        stack: list[Node] = [self.root]
        while stack:
            node = stack.pop()
            if isinstance(node, Leaf):
                yield node
            else:
                stack.extend(reversed(node.children))

    def outline(self) -> list[str]:
        """The tree as indented lines, one per node (``lip routes``)."""
        return list(_outline_node(self.root, 0))

    def __str__(self) -> str:
        """The canonical text: ``parse(str(s), ids) == s`` for a tree ``parse`` accepts."""
        budget = (
            ""
            if self.ttft_timeout is None
            else f"{{ttft_timeout={render_number(self.ttft_timeout)}}} "
        )
        return budget + _render(self.root, top=True)


def _render(node: Node, *, top: bool = False) -> str:
    if isinstance(node, Leaf):
        return node.attrs.render() + str(node)
    inner = f" {node.op.value} ".join(_render(child) for child in node.children)
    if top and node.attrs == NO_ATTRS:
        return inner
    return f"{node.attrs.render()}({inner})"


def _outline_node(node: Node, depth: int) -> Iterator[str]:
    pad = "  " * depth
    match node:
        case Leaf():
            yield f"{pad}{node}{_suffix(node.attrs)}"
        case Group():
            yield f"{pad}{node.op.value} {node.op.name.lower()}{_suffix(node.attrs)}"
            for child in node.children:
                yield from _outline_node(child, depth + 1)
        case _:
            assert_never(node)


def _outline_step(step: Step, depth: int) -> Iterator[str]:
    pad = "  " * depth
    match step:
        case Leg(target=target):
            yield (
                f"{pad}leg backend={target.backend_id} model={target.model} "
                f"upstream={target.upstream_model}{_suffix(step.attrs)}"
            )
        case Branch():
            yield f"{pad}{step.op.value} {step.op.name.lower()}{_suffix(step.attrs)}"
            for child in step.children:
                yield from _outline_step(child, depth + 1)
        case _:
            assert_never(step)


def _suffix(attrs: Attrs) -> str:
    rendered = attrs.render()
    return f" {rendered}" if rendered else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Leg:
    """A resolved leaf: one upstream attempt's target."""

    target: Target
    attrs: Attrs = NO_ATTRS


@dataclass(frozen=True, slots=True, kw_only=True)
class Branch:
    """A resolved group."""

    op: Op
    children: tuple[Step, ...]
    attrs: Attrs = NO_ATTRS


Step = Leg | Branch


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """What the executor runs for one call."""

    root: Step
    selector: str
    """The selector after alias rewriting, as the client (or config) wrote it."""
    ttft_timeout: float
    """Seconds the whole call may take to its first output."""
    legs: int = field(default=1)
    """Number of leaves the selector wrote. A leaf naming a backend with
    instances expands to one leg per instance, and a leg with a key pool may
    be retried on the pool's next keys, so attempts can exceed this; both are
    bounded by config."""
    text: str = field(init=False, repr=False, compare=False)
    """The :meth:`outline`'s lines as one text (each call's record names its
    plan so; a plan serves many calls, so it is made once)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", "\n".join(self.outline()))

    def targets(self) -> Iterator[Target]:
        """Every leg's target, in the order the tree lists them."""
        stack: list[Step] = [self.root]
        while stack:
            step = stack.pop()
            if isinstance(step, Leg):
                yield step.target
            else:
                stack.extend(reversed(step.children))

    def outline(self) -> list[str]:
        """The resolved tree as indented lines: each branch's operator and
        attrs, each leg's backend, model and upstream model (``lip routes``)."""
        return list(_outline_step(self.root, 0))


__all__ = [
    "NO_ATTRS",
    "Attrs",
    "Branch",
    "Group",
    "Leaf",
    "Leg",
    "Node",
    "Op",
    "Plan",
    "Selector",
    "Step",
    "render_number",
]
