"""Load YAML config with ``${ENV}`` interpolation into a validated :class:`Config`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from lip.config.access import ClientKeyConfig
from lip.config.model import Config

# ${NAME} or ${NAME:-default}; $$ escapes a literal dollar.
_ENV_REF = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class ConfigError(Exception):
    """The configuration is unusable; the message names the key and the problem."""


def _interpolate(node: object, env: Mapping[str, str], path: str) -> object:
    if isinstance(node, str):

        def substitute(match: re.Match[str]) -> str:
            if match.group() == "$$":
                return "$"
            name, default = match.group(1), match.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            raise ConfigError(f"{path or '<root>'}: environment variable {name} is not set")

        return _ENV_REF.sub(substitute, node)
    if isinstance(node, list):
        return [_interpolate(v, env, f"{path}[{i}]") for i, v in enumerate(node)]
    if isinstance(node, dict):
        return {k: _interpolate(v, env, f"{path}.{k}" if path else str(k)) for k, v in node.items()}
    return node


def _location(loc: tuple[int | str, ...], raw: object) -> str:
    """Render a pydantic location, naming backends by id instead of list index."""
    parts: list[str] = []
    node = raw
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node):
                node = node[item]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label = f"[{item}] (id {node['id']!r})"
            parts.append(label)
        else:
            parts.append(f".{item}" if parts else item)
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "<root>"


def parse_config(
    text: str, *, env: Mapping[str, str] | None = None, source: str = "<config>"
) -> Config:
    """Parse and validate YAML text; raise :class:`ConfigError` with every problem found."""
    environ = os.environ if env is None else env
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the top level must be a mapping with at least 'backends'")
    data = _interpolate(raw, environ, "")
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: invalid configuration:\n{_problems(exc, data)}") from None
    return config


def _problems(exc: ValidationError, data: object) -> str:
    """One ``  location: problem`` line per error; never the input (it may be a secret)."""
    lines = []
    for err in exc.errors(include_url=False, include_input=False):
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        lines.append(f"  {_location(tuple(err['loc']), data)}: {msg}")
    return "\n".join(lines)


_CLIENT_KEYS = TypeAdapter(tuple[ClientKeyConfig, ...])


def load_client_keys(
    path: str | Path, *, env: Mapping[str, str] | None = None
) -> tuple[ClientKeyConfig, ...]:
    """Read ``access.keys_file``: a YAML list of client key entries (the shape of
    ``access.keys``), ``${ENV}`` expanded; raise :class:`ConfigError` naming each problem."""
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the keys file: {exc.strerror}") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # Only where: the parser's text quotes the offending line, which may hold a key.
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ConfigError(f"{file}: not valid YAML{where}") from None
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{file}: must be a list of key entries (- {{id: ..., hash: ...}})")
    data = _interpolate(raw, os.environ if env is None else env, "")
    try:
        return _CLIENT_KEYS.validate_python(data)
    except ValidationError as exc:
        raise ConfigError(f"{file}: invalid keys file:\n{_problems(exc, data)}") from None


def load_config(path: str | Path | None = None, *, env: Mapping[str, str] | None = None) -> Config:
    """Load ``path``, or the embedded default (local stub on loopback) when ``None``."""
    if path is None:
        text = resources.files("lip.config").joinpath("default.yaml").read_text("utf-8")
        return parse_config(text, env=env, source="<embedded default>")
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror}") from exc
    return parse_config(text, env=env, source=str(file))


__all__ = ["ConfigError", "load_client_keys", "load_config", "parse_config"]
