"""Turn a call's selector into what to run: a :class:`~lip.routing.plan.Plan`
tree of (backend, upstream model) legs, or the flat failover list of
:meth:`Planner.plan` for callers not yet moved to trees."""

from __future__ import annotations

import functools
import re
from typing import assert_never

from lip.backends.base import Target
from lip.canonical import Call, InvalidRequestError, LipError, NotFoundError
from lip.config import BackendConfig, Config, ConfigError
from lip.config.model import InstanceConfig
from lip.routing.plan import Attrs, Branch, Group, Leaf, Leg, Node, Op, Plan, Step
from lip.routing.selector import Alias, SelectorError, parse, rewrite

_PARSED_CACHE = 1024
"""Distinct selector strings whose parse is kept: clients repeat a handful."""


class Planner:
    """Resolves selectors against the configured backends; immutable after build.

    Construction checks what the config routes (``routing.default_route`` and
    every alias), so ``lip check-config`` and startup refuse a selector that
    could never run: a :class:`~lip.config.ConfigError` naming the key, caused
    by a :class:`~lip.routing.selector.SelectorError` with the position."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._aliases = tuple(
            Alias(re.compile(a.match), a.replace) for a in config.routing.model_aliases
        )
        ids = frozenset(b.id for b in config.backends)
        # Per instance (not lru_cache on a method, which would hold `self`
        # forever); only successful parses are kept, errors are raised afresh.
        self._parse = functools.lru_cache(maxsize=_PARSED_CACHE)(lambda text: parse(text, ids))
        # Resolved plans are immutable and depend only on the selector and the
        # config: resolving the same tree on every request cost more than
        # parsing it. Bounded; failures are raised afresh, never kept.
        self._plans = functools.lru_cache(maxsize=_PARSED_CACHE)(self.resolve)
        # First backend listing each model wins, as the docs promise; built once
        # so resolving a bare model is one lookup on the request path.
        self._by_model: dict[str, BackendConfig] = {}
        for backend in config.backends:
            for model in (*backend.models, *backend.model_map):
                self._by_model.setdefault(model, backend)
        self._wildcard = next((b for b in config.backends if "*" in b.models), None)
        default = config.routing.default_route
        self.default_plan: Plan | None = (
            None
            if default is None
            else self._checked("routing.default_route", default, self._aliases)
        )
        """The resolved ``routing.default_route`` (``lip routes``)."""
        self.alias_plans: tuple[Plan | None, ...] = tuple(
            self._check_alias(i) for i in range(len(self._aliases))
        )
        """Per alias, the resolved plan of a replacement with no group
        references (after the later aliases rewrite it); ``None`` otherwise."""

    def selector_for(self, call: Call) -> str:
        """``X-LIP-Route`` header, else the body's model, else ``routing.default_route``."""
        raw = call.route or call.model or self._config.routing.default_route
        if not raw:
            raise NotFoundError(
                "no model was given and no default route is configured", param="model"
            )
        limit = self._config.routing.max_selector_length
        if len(raw) > limit:
            # Checked before any parsing or alias matching: the client picks the length.
            raise InvalidRequestError(
                f"The model or route selector is {len(raw)} characters long; "
                f"this server accepts at most {limit}.",
                param="model",
                code="selector_too_long",
            )
        return rewrite(raw, self._aliases)

    def plan_tree(self, call: Call) -> Plan:
        """The call's plan: every leaf resolved to a leg, at most
        ``routing.max_legs`` legs, the call's TTFT budget the smaller of the
        selector's ``{ttft_timeout=S}`` and ``routing.ttft_timeout``.

        A leaf naming a backend with instances, ``backend:model`` or a bare
        model it serves, becomes a weighted branch of one leg per instance
        (the instances' weights); ``backend.instance:model`` becomes that
        instance's leg. Such a leaf still counts as one of ``max_legs``: its
        instances are configured, so bounded."""
        return self._plans(self.selector_for(call))

    def resolve(self, selector: str) -> Plan:
        """:meth:`plan_tree` for selector text already rewritten by the aliases."""
        tree = self._parse(selector)
        legs = sum(1 for _ in tree.leaves())
        self._check_legs(legs, "legs")
        budget = self._config.routing.ttft_timeout
        if tree.ttft_timeout is not None:
            # A client may shorten the operator's budget, never lengthen it.
            budget = min(budget, tree.ttft_timeout)
        return Plan(
            root=self._step(tree.root, selector), selector=selector, ttft_timeout=budget, legs=legs
        )

    def _check_legs(self, count: int, noun: str) -> None:
        limit = self._config.routing.max_legs
        if count > limit:
            raise InvalidRequestError(
                f"The route selector names {count} {noun}; this server tries at most {limit}.",
                param="model",
                code="too_many_legs",
            )

    def _step(self, node: Node, selector: str) -> Step:
        match node:
            case Leaf():
                return self._leaf(node, selector)
            case Group():
                children = tuple(self._step(child, selector) for child in node.children)
                return Branch(op=node.op, children=children, attrs=node.attrs)
            case _:
                assert_never(node)

    def _leaf(self, leaf: Leaf, selector: str) -> Step:
        backend = self._backend(leaf)
        if leaf.instance is not None:
            instance = self._instance(backend, leaf, selector)
            return Leg(target=self._target(backend, instance, leaf, selector), attrs=leaf.attrs)
        if not backend.instances:
            return Leg(target=self._target(backend, None, leaf, selector), attrs=leaf.attrs)
        if len(backend.instances) == 1:
            (only,) = backend.instances
            return Leg(target=self._target(backend, only, leaf, selector), attrs=leaf.attrs)
        # Every instance serves the same models: spread the leaf's load by
        # weight, and a failure before output moves on to another instance.
        legs = tuple(
            Leg(target=self._target(backend, i, leaf, selector), attrs=Attrs(weight=i.weight))
            for i in backend.instances
        )
        return Branch(op=Op.WEIGHTED, children=legs, attrs=leaf.attrs)

    def _backend(self, leaf: Leaf) -> BackendConfig:
        if leaf.backend is not None:
            backend = self._config.backend(leaf.backend)
            assert backend is not None  # parse only reads configured ids as backends
            return backend
        found = self._by_model.get(leaf.model, self._wildcard)
        if found is None:
            raise NotFoundError(
                f"The model `{leaf.model}` does not exist or you do not have access to it.",
                param="model",
                code="model_not_found",
            )
        return found

    def _instance(self, backend: BackendConfig, leaf: Leaf, selector: str) -> InstanceConfig:
        found = next((i for i in backend.instances if i.id == leaf.instance), None)
        if found is None:
            # Never routed to the backend as a whole with the instance ignored.
            known = ", ".join(repr(i.id) for i in backend.instances) or "none"
            raise SelectorError(
                selector,
                leaf.position,
                f"{str(leaf)!r} names an unknown instance {leaf.instance!r} of backend "
                f"{backend.id!r} (its instances: {known})",
            )
        return found

    @staticmethod
    def _target(
        backend: BackendConfig, instance: InstanceConfig | None, leaf: Leaf, selector: str
    ) -> Target:
        return Target(
            backend_id=backend.upstream_id(instance),
            model=leaf.model,
            upstream_model=backend.model_map.get(leaf.model, leaf.model),
            selector=selector,
        )

    def _check_alias(self, index: int) -> Plan | None:
        key = f"routing.model_aliases[{index}]"
        alias = self._aliases[index]
        try:
            literal = alias.literal()
        except re.error as exc:
            cause = None if exc.pos is None else SelectorError(alias.replacement, exc.pos, exc.msg)
            where = "" if exc.pos is None else f" at position {exc.pos}"
            # The cause gives the CLI the template and offset for its caret.
            raise ConfigError(f"{key}.replace: template error{where}: {exc.msg}") from cause
        if literal is None:
            return None  # the text depends on the match: checked on each call
        # The rewritten text meets the later aliases at run time, so check that.
        return self._checked(key, literal, self._aliases[index + 1 :])

    def _checked(self, key: str, written: str, aliases: tuple[Alias, ...]) -> Plan:
        """Rewrite, parse and resolve a configured selector, or a ConfigError naming ``key``."""
        selector = rewrite(written, aliases)
        # Positions count in the rewritten text: show it when it differs.
        rewritten = "" if selector == written else f" (in {selector!r}, after alias rewriting)"
        try:
            tree = self._parse(selector)
            for leaf in tree.leaves():
                try:
                    self._leaf(leaf, selector)
                except SelectorError:
                    raise
                except LipError as exc:
                    raise SelectorError(selector, leaf.position, exc.message) from None
            return self.resolve(selector)
        except SelectorError as exc:
            # Found at startup and by `lip check-config`, not on live traffic;
            # the cause carries the text and offset for the CLI's caret.
            raise ConfigError(f"{key}: {exc.message}{rewritten}") from exc
        except LipError as exc:
            raise ConfigError(f"{key}: {exc.message}{rewritten}") from None

    def models(self) -> list[tuple[str, str]]:
        """Every (model, backend id) a client can name, for ``GET /v1/models``."""
        return [(model, b.id) for model, b in self._by_model.items() if model != "*"]


__all__ = ["Planner"]
