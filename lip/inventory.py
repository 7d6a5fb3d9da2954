"""What a config makes LIP serve, as one document: ``lip inventory`` and
``GET /diagnostics/inventory`` both print :func:`build_inventory`'s result.

- protocols: each registered protocol, whether it has a frontend (routes
  clients call) and a backend codec, and its routes;
- kinds: each backend kind, its ``api`` values and the protocol (codec) each
  speaks, a protocol with no registered codec marked unavailable;
- backends: each configured backend, its running upstreams (instances), its
  models and model map;
- routing: the default route's plan and every alias with its plan.

No secret appears: upstream keys are shown by fingerprint
(:func:`lip.backends.keys.fingerprint`), header values and proxy URLs not
at all, and a base URL loses any user and password it carries.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from lip.backends import ResolvedBackend
from lip.backends.keys import fingerprint
from lip.config import Config
from lip.plugins import Plugins
from lip.routing import Plan, Planner


@dataclass(frozen=True, slots=True)
class RouteEntry:
    method: str
    path: str
    operation: str


@dataclass(frozen=True, slots=True)
class ProtocolEntry:
    name: str
    frontend: bool
    codec: bool
    routes: tuple[RouteEntry, ...]


@dataclass(frozen=True, slots=True)
class ApiEntry:
    api: str
    """The config ``api`` value."""
    protocol: str
    available: bool
    """False: no registered codec speaks the protocol (config naming it is refused)."""


@dataclass(frozen=True, slots=True)
class KindEntry:
    name: str
    apis: tuple[ApiEntry, ...]
    in_process: bool
    default_base_url: str | None
    key_env: tuple[str, ...]
    key_required: bool


@dataclass(frozen=True, slots=True)
class UpstreamEntry:
    """One running upstream: the backend itself, or one of its instances."""

    id: str
    instance: str | None
    base_url: str | None
    protocol: str | None
    """The codec it speaks; ``None`` for an in-process kind."""
    keys: tuple[str, ...]
    """Fingerprints of its keys (``key-`` and 8 hex digits), never the keys."""
    weight: float | None
    header_names: tuple[str, ...]
    proxy: str | None
    """``"env"``, ``"configured"`` or ``None``: never the URL (it may hold a password)."""


@dataclass(frozen=True, slots=True)
class BackendEntry:
    id: str
    kind: str
    models: tuple[str, ...]
    model_map: dict[str, str]
    upstreams: tuple[UpstreamEntry, ...]


@dataclass(frozen=True, slots=True)
class PlanEntry:
    selector: str
    legs: int
    ttft_timeout: float
    outline: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AliasEntry:
    match: str
    replace: str
    plan: PlanEntry | None
    """``None`` when the replacement uses the match's groups (resolved per call)."""


@dataclass(frozen=True, slots=True)
class Inventory:
    protocols: tuple[ProtocolEntry, ...]
    kinds: tuple[KindEntry, ...]
    backends: tuple[BackendEntry, ...]
    default_route: PlanEntry | None
    aliases: tuple[AliasEntry, ...]
    models: dict[str, str]
    """Each model a client may name bare -> the backend serving it."""

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def build_inventory(
    config: Config,
    plugins: Plugins,
    resolved: tuple[ResolvedBackend, ...],
    planner: Planner,
) -> Inventory:
    """The inventory of a validated config (:func:`lip.validation.validate_config`
    gives these, and so does a running :class:`lip.server.Runtime`)."""
    codecs = plugins.codecs()
    protocols = tuple(
        ProtocolEntry(
            name=p.name,
            frontend=p.frontend is not None,
            codec=p.codec is not None,
            routes=tuple(
                RouteEntry(r.method.upper(), r.path, r.operation.value)
                for r in (p.frontend.routes if p.frontend is not None else ())
            ),
        )
        for p in plugins.protocols
    )
    kinds = tuple(
        KindEntry(
            name=k.name,
            apis=tuple(ApiEntry(api, proto, proto in codecs) for api, proto in k.apis.items()),
            in_process=k.in_process is not None,
            default_base_url=k.default_base_url,
            key_env=k.key_env,
            key_required=k.key_required,
        )
        for k in plugins.kinds
    )
    backends = tuple(
        BackendEntry(
            id=b.id,
            kind=b.kind,
            models=b.models,
            model_map=dict(b.model_map),
            upstreams=tuple(_upstream(r) for r in resolved if r.config.id == b.id),
        )
        for b in config.backends
    )
    aliases = tuple(
        AliasEntry(a.match, a.replace, _plan(plan))
        for a, plan in zip(config.routing.model_aliases, planner.alias_plans, strict=True)
    )
    return Inventory(
        protocols=protocols,
        kinds=kinds,
        backends=backends,
        default_route=_plan(planner.default_plan),
        aliases=aliases,
        models=dict(planner.models()),
    )


def _upstream(r: ResolvedBackend) -> UpstreamEntry:
    headers = {**r.config.headers, **(r.instance.headers if r.instance is not None else {})}
    proxy = r.config.proxy
    return UpstreamEntry(
        id=r.id,
        instance=r.instance.id if r.instance is not None else None,
        base_url=_without_userinfo(r.base_url),
        protocol=_codec_name(r),
        keys=tuple(fingerprint(k.get_secret_value()) for k in r.api_keys),
        weight=r.instance.weight if r.instance is not None else None,
        header_names=tuple(sorted(headers)),
        proxy=None
        if proxy is None
        else "env"
        if proxy.get_secret_value() == "env"
        else "configured",
    )


def _codec_name(r: ResolvedBackend) -> str | None:
    if r.codec is None:
        return None
    api = r.config.api or r.kind.default_api
    return r.kind.apis.get(api) if api is not None else None


def _without_userinfo(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return urlunsplit(parts._replace(netloc=netloc))


def _plan(plan: Plan | None) -> PlanEntry | None:
    if plan is None:
        return None
    return PlanEntry(plan.selector, plan.legs, plan.ttft_timeout, tuple(plan.outline()))


__all__ = [
    "AliasEntry",
    "ApiEntry",
    "BackendEntry",
    "Inventory",
    "KindEntry",
    "PlanEntry",
    "ProtocolEntry",
    "RouteEntry",
    "UpstreamEntry",
    "build_inventory",
]
