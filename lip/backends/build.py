"""Configured backends -> running adapters, checked against the registered kinds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import SecretStr

from lip.backends.base import Backend
from lip.backends.h1 import proxy_from_env
from lip.backends.http import HTTPBackend
from lip.backends.keys import KeyPool
from lip.backends.kinds import BackendKind
from lip.backends.transport import UpstreamClient
from lip.canonical import Limits
from lip.config import BackendConfig, Config, ConfigError
from lip.config.model import InstanceConfig
from lip.protocols.base import BackendCodec


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedBackend:
    """One running upstream: a backend's config (and, for one of the backend's
    instances, that instance's) with its kind's defaults applied and its codec found."""

    config: BackendConfig
    instance: InstanceConfig | None = None
    """The instance this upstream is; ``None``: the backend itself (it has none)."""
    kind: BackendKind
    codec: BackendCodec | None
    """``None`` for an in-process kind."""
    base_url: str | None
    api_key: SecretStr | None
    """The first of ``api_keys`` (what a one-key backend sends), or ``None``."""
    api_keys: tuple[SecretStr, ...] = ()
    """Every key, duplicates removed: config's ``api_key`` or ``api_keys``, else
    the kind's environment variables read as a pool (:func:`keys_from_env`)."""
    proxy: SecretStr | None = None
    """The proxy URL to use: the configured one, or the environment's for ``env``."""

    @property
    def id(self) -> str:
        """The running backend's id: ``<backend>`` or ``<backend>.<instance>``."""
        return self.config.upstream_id(self.instance)


def resolve_backends(
    config: Config,
    kinds: Mapping[str, BackendKind],
    codecs: Mapping[str, BackendCodec],
    env: Mapping[str, str],
) -> tuple[ResolvedBackend, ...]:
    """One :class:`ResolvedBackend` per running upstream, in config order: each
    backend, or in its place each of its instances. Every backend is checked
    against its kind; a misfit raises :class:`ConfigError` naming the key."""
    return tuple(r for b in config.backends for r in _resolve(b, kinds, codecs, env))


def _resolve(
    backend: BackendConfig,
    kinds: Mapping[str, BackendKind],
    codecs: Mapping[str, BackendCodec],
    env: Mapping[str, str],
) -> tuple[ResolvedBackend, ...]:
    where = f"backends (id {backend.id!r})"
    kind = kinds.get(backend.kind)
    if kind is None:
        known = ", ".join(sorted(kinds))
        raise ConfigError(f"{where}.kind: unknown kind {backend.kind!r} (known: {known})")
    if kind.in_process is not None:
        if backend.api is not None:
            raise ConfigError(f"{where}.api: kind {kind.name!r} has no api to choose")
        if backend.instances:
            raise ConfigError(
                f"{where}.instances: kind {kind.name!r} runs in process: "
                "it has no upstream to run instances of"
            )
        return (
            ResolvedBackend(config=backend, kind=kind, codec=None, base_url=None, api_key=None),
        )
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
    if not backend.instances:
        return (_upstream(backend, None, kind, codec, env, where),)
    return tuple(
        _upstream(backend, i, kind, codec, env, f"{where}.instances (id {i.id!r})")
        for i in backend.instances
    )


def _upstream(
    backend: BackendConfig,
    instance: InstanceConfig | None,
    kind: BackendKind,
    codec: BackendCodec,
    env: Mapping[str, str],
    where: str,
) -> ResolvedBackend:
    """One HTTP upstream: an instance's own URL and keys, else the backend's,
    else the kind's defaults."""
    own_url = instance.base_url if instance is not None else None
    base_url = own_url or backend.base_url or kind.default_base_url
    if base_url is None:
        raise ConfigError(f"{where}.base_url: required for kind {kind.name!r}")
    given = _given_keys(instance) or _given_keys(backend)
    keys = _unique(given) if given else keys_from_env(kind.key_env, env)
    if not keys and kind.key_required:
        names = " or ".join(f"${v}" for v in kind.key_env)
        raise ConfigError(f"{where}.api_key: not set and {names} is empty")
    proxy = backend.proxy
    if proxy is not None and proxy.get_secret_value() == "env":
        found = proxy_from_env(base_url, env)
        proxy = SecretStr(found) if found else None
    return ResolvedBackend(
        config=backend,
        instance=instance,
        kind=kind,
        codec=codec,
        base_url=base_url,
        api_key=keys[0] if keys else None,
        api_keys=keys,
        proxy=proxy,
    )


MAX_ENV_KEYS = 32
"""``NAME``, ``NAME_2`` ... ``NAME_32``: how far an environment key pool reaches."""


def keys_from_env(names: Sequence[str], env: Mapping[str, str]) -> tuple[SecretStr, ...]:
    """The first of ``names`` that gives any key, read as a pool: ``NAME`` and
    ``NAME_2`` ... ``NAME_32``, every non-empty one (gaps allowed), duplicates
    removed, in that order."""
    for name in names:
        candidates = [name, *(f"{name}_{n}" for n in range(2, MAX_ENV_KEYS + 1))]
        found = [SecretStr(env[c]) for c in candidates if env.get(c)]
        if found:
            return _unique(found)
    return ()


def _given_keys(source: BackendConfig | InstanceConfig | None) -> tuple[SecretStr, ...]:
    if source is None:
        return ()
    return source.api_keys or ((source.api_key,) if source.api_key is not None else ())


def _unique(keys: Iterable[SecretStr]) -> tuple[SecretStr, ...]:
    return tuple(dict.fromkeys(keys))  # SecretStr hashes and compares by its value


def build_backend(
    resolved: ResolvedBackend, http: UpstreamClient | None, limits: Limits
) -> Backend:
    """The adapter for one resolved backend (or instance), named by its
    :attr:`~ResolvedBackend.id`; ``http`` None gives it a pool of its own."""
    config, kind, codec = resolved.config, resolved.kind, resolved.codec
    if kind.in_process is not None:
        return kind.in_process(config)
    assert codec is not None and resolved.base_url is not None  # resolve_backends checked
    headers = {k.lower(): v for k, v in kind.default_headers.items()}
    headers.update({k.lower(): v for k, v in config.headers.items()})
    if resolved.instance is not None:
        headers.update({k.lower(): v for k, v in resolved.instance.headers.items()})
    # The auth headers are not fixed: HTTPBackend adds each request's key's.
    keys = KeyPool(resolved.api_keys, backend_id=resolved.id) if resolved.api_keys else None
    return HTTPBackend(
        resolved.id,
        codec=codec,
        base_url=resolved.base_url,
        headers=headers,
        keys=keys,
        timeout=config.timeout,
        http=http or UpstreamClient(max_connections=config.max_connections),
        owns_http=http is None,
        limits=limits,
        max_connections=config.max_connections,
        tls=config.tls,
        proxy=resolved.proxy.get_secret_value() if resolved.proxy else None,
    )


__all__ = ["MAX_ENV_KEYS", "ResolvedBackend", "build_backend", "keys_from_env", "resolve_backends"]
