"""Configured backends -> running adapters, checked against the registered kinds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import SecretStr

from lip.backends.base import Backend
from lip.backends.h1 import proxy_from_env
from lip.backends.http import HTTPBackend
from lip.backends.kinds import BackendKind
from lip.backends.transport import UpstreamClient
from lip.canonical import Limits
from lip.config import BackendConfig, Config, ConfigError
from lip.protocols.base import BackendCodec


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedBackend:
    """A backend's config with its kind's defaults applied and its codec found."""

    config: BackendConfig
    kind: BackendKind
    codec: BackendCodec | None
    """``None`` for an in-process kind."""
    base_url: str | None
    api_key: SecretStr | None
    proxy: SecretStr | None = None
    """The proxy URL to use: the configured one, or the environment's for ``env``."""


def resolve_backends(
    config: Config,
    kinds: Mapping[str, BackendKind],
    codecs: Mapping[str, BackendCodec],
    env: Mapping[str, str],
) -> tuple[ResolvedBackend, ...]:
    """Check every backend against its kind; raise :class:`ConfigError` naming the key."""
    return tuple(_resolve(b, kinds, codecs, env) for b in config.backends)


def _resolve(
    backend: BackendConfig,
    kinds: Mapping[str, BackendKind],
    codecs: Mapping[str, BackendCodec],
    env: Mapping[str, str],
) -> ResolvedBackend:
    where = f"backends (id {backend.id!r})"
    kind = kinds.get(backend.kind)
    if kind is None:
        known = ", ".join(sorted(kinds))
        raise ConfigError(f"{where}.kind: unknown kind {backend.kind!r} (known: {known})")
    if kind.in_process is not None:
        if backend.api is not None:
            raise ConfigError(f"{where}.api: kind {kind.name!r} has no api to choose")
        return ResolvedBackend(config=backend, kind=kind, codec=None, base_url=None, api_key=None)
    api = backend.api or kind.default_api
    protocol = kind.apis.get(api or "")
    if api is None or protocol is None:
        known = ", ".join(kind.apis)
        raise ConfigError(
            f"{where}.api: {backend.api!r} is not an api of kind {kind.name!r} ({known})"
        )
    codec = codecs.get(protocol)
    if codec is None:
        raise ConfigError(
            f"{where}: kind {kind.name!r} with api {api!r} is reserved: this version of LIP "
            f"has no {protocol} backend yet"
        )
    base_url = backend.base_url or kind.default_base_url
    if base_url is None:
        raise ConfigError(f"{where}.base_url: required for kind {kind.name!r}")
    key = backend.api_key
    if key is None:
        found = next((env[v] for v in kind.key_env if env.get(v)), None)
        if found is not None:
            key = SecretStr(found)
        elif kind.key_required:
            names = " or ".join(f"${v}" for v in kind.key_env)
            raise ConfigError(f"{where}.api_key: not set and {names} is empty")
    proxy = backend.proxy
    if proxy is not None and proxy.get_secret_value() == "env":
        found = proxy_from_env(base_url, env)
        proxy = SecretStr(found) if found else None
    return ResolvedBackend(
        config=backend, kind=kind, codec=codec, base_url=base_url, api_key=key, proxy=proxy
    )


def build_backend(
    resolved: ResolvedBackend, http: UpstreamClient | None, limits: Limits
) -> Backend:
    """The adapter for one resolved backend; ``http`` None gives it a pool of its own."""
    config, kind, codec = resolved.config, resolved.kind, resolved.codec
    if kind.in_process is not None:
        return kind.in_process(config)
    assert codec is not None and resolved.base_url is not None  # resolve_backends checked
    headers = {k.lower(): v for k, v in kind.default_headers.items()}
    headers.update({k.lower(): v for k, v in config.headers.items()})
    if resolved.api_key is not None:
        headers.update(codec.auth_headers(resolved.api_key.get_secret_value()))
    return HTTPBackend(
        config.id,
        codec=codec,
        base_url=resolved.base_url,
        headers=headers,
        timeout=config.timeout,
        http=http or UpstreamClient(max_connections=config.max_connections),
        owns_http=http is None,
        limits=limits,
        max_connections=config.max_connections,
        tls=config.tls,
        proxy=resolved.proxy.get_secret_value() if resolved.proxy else None,
    )


__all__ = ["ResolvedBackend", "build_backend", "resolve_backends"]
