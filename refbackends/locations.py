"""Reading a pydantic error location through the request body it came from.

pydantic's ``loc`` mixes the body's keys and indexes with the union markers
it tried (a tag such as ``text`` or ``user``, a member such as ``str``,
``list[...]`` or a class name). A marker can also be a key of its object: a
tag names its payload (``{"type": "text", "text": ...}``), and a stray key
can share a member's name (``{"str": ...}``). So a location can read more
than one way; the right reading is the one that reaches the value pydantic
reports as the input. Each emulator turns the chosen reading into its
vendor's own path format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic_core import ErrorDetails

__all__ = ["IsTag", "child", "read_location"]

IsTag = Callable[[object, int | str], bool]
"""Whether ``item`` is the discriminator value (the tag) of ``node``."""


def read_location(body: object, error: ErrorDetails, is_tag: IsTag) -> tuple[bool, ...]:
    """For each item of ``error["loc"]``: True when it steps into the body (an
    index or a key), False when it is a union marker."""
    first: tuple[bool, ...] | None = None
    readings = _readings(body, error["loc"], error["type"] == "missing", frozenset(), is_tag)
    for steps, reached in readings:
        first = steps if first is None else first
        if reached == error["input"]:
            return steps
    return first or ()  # none reaches it: keep the likeliest


def child(node: object, item: int | str) -> object:
    """``node[item]`` when there is one, else None."""
    if isinstance(item, int):
        return node[item] if isinstance(node, list) and 0 <= item < len(node) else None
    return node.get(item) if isinstance(node, dict) else None


def _readings(
    node: object,
    loc: tuple[int | str, ...],
    missing: bool,
    markers: frozenset[int | str],
    is_tag: IsTag,
) -> Iterator[tuple[tuple[bool, ...], object]]:
    """Every way to read ``loc`` from ``node``, likeliest first, with the
    value the error's input then is (for a "missing" error, the object the
    last key is missing from). ``markers`` are the items already read as
    markers at ``node``."""
    if not loc:
        yield (), node
        return
    item, rest = loc[0], loc[1:]
    if missing and not rest:
        yield (True,), node  # the key the error is about
        return
    options: tuple[bool, ...]
    if isinstance(item, int):
        options = (True,)
    elif not (isinstance(node, dict) and item in node):
        options = (False,)  # not a key here: only a marker
    elif item in markers:
        # pydantic names a union's member once: the same word again at the
        # same object is the key of that name (tool_calls[0] -> function -> function).
        options = (True,)
    elif is_tag(node, item) and rest and (rest[0] in node or (missing and len(rest) == 1)):
        # A tag marker is followed by a key of the same object.
        options = (False, True)
    else:
        # A key is likelier, but a stray key can share a marker's name.
        options = (True, False)
    for step in options:
        inner, seen = (
            (child(node, item), frozenset[int | str]()) if step else (node, markers | {item})
        )
        for steps, reached in _readings(inner, rest, missing, seen, is_tag):
            yield (step, *steps), reached
