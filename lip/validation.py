"""A config file checked the whole way: parsed, then its backends, routes and
client keys resolved, the way ``lip check-config`` and a hot reload need it.

:func:`validate_config` raises :class:`ConfigError` whose message is the
problem exactly as ``lip check-config`` prints it (after ``lip: ``): the key
named, and for a selector, a caret under the position.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lip.access import Access
from lip.backends import ResolvedBackend, resolve_backends
from lip.config import Config, ConfigError, load_config
from lip.plugins import Plugins
from lip.routing import Planner, SelectorError, with_caret


@dataclass(frozen=True, slots=True)
class ValidatedConfig:
    """A config with everything the server would build from it resolved."""

    config: Config
    resolved: tuple[ResolvedBackend, ...]
    planner: Planner
    plugins: Plugins


def validate_config(
    path: str | Path | None,
    *,
    plugins: Plugins | None = None,
    env: Mapping[str, str] | None = None,
) -> ValidatedConfig:
    """Load ``path`` (``None``: the embedded default) and resolve its backends,
    routes and client keys; raise :class:`ConfigError` with the message
    ``lip check-config`` prints."""
    environ = os.environ if env is None else env
    config = load_config(path, env=environ)  # its message already names the file and key
    chosen = plugins or Plugins.builtin()
    try:
        resolved = resolve_backends(config, chosen.kind_table(), chosen.codecs(), environ)
        planner = Planner(config)
        Access.from_config(config.access, env=environ)  # reads keys_file; oidc needs lip[oidc]
    except ConfigError as exc:
        raise ConfigError(describe(exc, path)) from exc
    return ValidatedConfig(config, resolved, planner, chosen)


def describe(exc: ConfigError, path: str | Path | None) -> str:
    """A problem found past parsing, as ``lip check-config`` prints it: the
    file, the problem, and the selector (or alias template) it is about with a
    caret under the position (the planner chains a SelectorError as the cause)."""
    text = f"{path or '<embedded default>'}: {exc}"
    cause = exc.__cause__
    if isinstance(cause, SelectorError):
        text += "\n" + with_caret(cause.selector, cause.position, indent="    ")
    return text


__all__ = ["ValidatedConfig", "describe", "validate_config"]
