"""Route selectors: which backend and model serve a call.

Grammar (docs/design.md, "Route selectors"). Leaf form:
``model`` | ``backend:model`` | ``backend.instance:model``. A leading
``backend`` is recognised only when it names a configured backend, so model
ids that contain colons (``llama3:8b``) stay whole. Failover joins leaves
with ``|`` (tried left to right). The other operators of the grammar are
rejected with a clear error.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from lip.canonical import InvalidRequestError

_OPERATORS = re.compile(r"[|^!\[\]{}]")
_UNSUPPORTED = re.compile(r"[\^!\[\]{}]")


@dataclass(frozen=True, slots=True, kw_only=True)
class Leaf:
    """One target: ``backend`` is ``None`` for a bare model (resolved by model lists)."""

    model: str
    backend: str | None = None
    instance: str | None = None

    def __str__(self) -> str:
        if self.backend is None:
            return self.model
        inst = f".{self.instance}" if self.instance else ""
        return f"{self.backend}{inst}:{self.model}"


@dataclass(frozen=True, slots=True)
class Alias:
    pattern: re.Pattern[str]
    replacement: str


def rewrite(selector: str, aliases: Sequence[Alias]) -> str:
    """Apply the alias rewrites in order; each one that fully matches rewrites the whole selector."""
    for alias in aliases:
        if alias.pattern.fullmatch(selector):
            selector = alias.pattern.sub(alias.replacement, selector, count=1)
    return selector


def parse(selector: str, backend_ids: Collection[str]) -> tuple[Leaf, ...]:
    """The failover legs of ``selector``, in order (one leg for a plain leaf)."""
    if _UNSUPPORTED.search(selector):
        raise InvalidRequestError(
            f"route selector {selector!r} uses an operator this server does not support "
            "(accepted: 'model', 'backend:model', 'backend.instance:model', joined by '|' "
            "for failover)",
            param="model",
        )
    return tuple(parse_leaf(part, backend_ids) for part in selector.split("|"))


def parse_leaf(selector: str, backend_ids: Collection[str]) -> Leaf:
    """Parse a single-target selector against the configured backend ids."""
    text = selector.strip()
    if not text:
        raise InvalidRequestError("the route selector is empty", param="model")
    if _OPERATORS.search(text):
        raise InvalidRequestError(
            f"route selector {selector!r} uses an operator this server does not support "
            "(only 'model', 'backend:model' and 'backend.instance:model' are accepted)",
            param="model",
        )
    head, colon, rest = text.partition(":")
    if colon and rest:
        backend, dot, instance = head.partition(".")
        if backend in backend_ids:
            if dot:
                # Instances (several upstreams behind one backend id) are part of
                # the grammar but not of this server yet: refuse rather than route
                # to the backend while ignoring the instance.
                raise InvalidRequestError(
                    f"route selector {selector!r} names instance {instance!r} of backend "
                    f"{backend!r}; backend instances are not supported by this server "
                    "(use 'backend:model')",
                    param="model",
                )
            return Leaf(model=rest, backend=backend)
    return Leaf(model=text)


__all__ = ["Alias", "Leaf", "parse", "parse_leaf", "rewrite"]
