"""Turn a call's selector into the concrete (backend, upstream model) target."""

from __future__ import annotations

import re

from lip.backends.base import Target
from lip.canonical import Call, InvalidRequestError, LipError, NotFoundError
from lip.config import Config, ConfigError
from lip.routing.selector import Alias, Leaf, parse, rewrite


class Planner:
    """Resolves selectors against the configured backends; immutable after build."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._aliases = tuple(
            Alias(re.compile(a.match), a.replace) for a in config.routing.model_aliases
        )
        self._ids = frozenset(b.id for b in config.backends)
        default = config.routing.default_route
        if default is not None:
            try:
                for leaf in parse(rewrite(default, self._aliases), self._ids):
                    self._target(leaf, default)
            except LipError as exc:
                # Found at startup and by `lip check-config`, not on live traffic.
                raise ConfigError(f"routing.default_route: {exc.message}") from None

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

    def plan(self, call: Call) -> tuple[Target, ...]:
        """The legs to try, in failover order; every leg must resolve."""
        selector = self.selector_for(call)
        leaves = parse(selector, self._ids)
        limit = self._config.routing.max_legs
        if len(leaves) > limit:
            raise InvalidRequestError(
                f"The route selector names {len(leaves)} failover legs; "
                f"this server tries at most {limit}.",
                param="model",
                code="too_many_legs",
            )
        return tuple(self._target(leaf, selector) for leaf in leaves)

    def _target(self, leaf: Leaf, selector: str) -> Target:
        if leaf.backend is not None:
            backend = self._config.backend(leaf.backend)
            assert backend is not None  # parse_leaf only accepts configured ids
        else:
            backend = next(
                (
                    b
                    for b in self._config.backends
                    if leaf.model in b.models or leaf.model in b.model_map
                ),
                None,
            )
            if backend is None:
                backend = next((b for b in self._config.backends if "*" in b.models), None)
            if backend is None:
                raise NotFoundError(
                    f"The model `{leaf.model}` does not exist or you do not have access to it.",
                    param="model",
                    code="model_not_found",
                )
        return Target(
            backend_id=backend.id,
            model=leaf.model,
            upstream_model=backend.model_map.get(leaf.model, leaf.model),
            selector=selector,
        )

    def models(self) -> list[tuple[str, str]]:
        """Every (model, backend id) a client can name, for ``GET /v1/models``."""
        seen: dict[str, str] = {}
        for backend in self._config.backends:
            for model in (*backend.models, *backend.model_map):
                if model != "*":
                    seen.setdefault(model, backend.id)
        return list(seen.items())


__all__ = ["Planner"]
