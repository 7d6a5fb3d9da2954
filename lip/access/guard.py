"""Who is calling, and whether they may use what they ask for.

:class:`Access` is built once from ``access:`` (:class:`AccessConfig`) and
answers two questions per request, before routing: :meth:`Access.authenticate`
(who: a :class:`Principal`, or a 401) and :meth:`Access.authorize` (may this
principal use this model and route: nothing, or a 403).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Literal, assert_never

from lip.access.credentials import read_credential
from lip.access.keys import KeyRing
from lip.canonical.errors import AuthenticationError, PermissionDeniedError
from lip.config.access import AccessConfig, KeyBudget, KeyLimits
from lip.config.loader import ConfigError

if TYPE_CHECKING:
    from lip.access.jwks import Fetch
    from lip.access.oidc import TokenVerifier

__all__ = ["Access", "Principal"]

_ECHO = 200  # longest model or route quoted back in a 403
_ANY = ("*",)
_ADDRESSES = 4096  # client addresses whose Principal is kept in open mode


@dataclass(frozen=True)
class Principal:
    """The client a request speaks for; what limits, budgets and logs key on."""

    id: str
    """The client key's id, the token's subject, or (``open`` mode) the client IP."""
    kind: Literal["key", "oidc", "ip"]
    owner: str | None = None
    team: str | None = None
    models: tuple[str, ...] = ("*",)
    """Globs the requested model and route selector must each match one of."""
    limits: KeyLimits | None = None
    budget: KeyBudget | None = None

    @property
    def subject(self) -> str:
        """What limits, budgets and logs call this principal: a client key's
        id, ``oidc:<subject>`` or ``ip:<address>``. Key ids cannot hold ':'
        or '.', so they need no prefix to stay apart (and read well in messages)."""
        return self.id if self.kind == "key" else f"{self.kind}:{self.id}"


class Access:
    """The access policy of one running LIP (see the module docstring)."""

    def __init__(
        self,
        config: AccessConfig,
        *,
        keys: KeyRing | None = None,
        verifier: TokenVerifier | None = None,
    ) -> None:
        """Prefer :meth:`from_config`; ``keys`` is required in ``keys`` mode and
        ``verifier`` in ``oidc`` mode."""
        if config.mode == "keys" and keys is None:
            raise ValueError("keys mode needs a KeyRing")
        if config.mode == "oidc" and verifier is None:
            raise ValueError("oidc mode needs a TokenVerifier")
        self._config = config
        self._keys = keys
        self._verifier = verifier
        # One Principal per client key entry, built on its first request.
        self._principals: dict[int, Principal] = {}
        # Open mode: one per client address seen lately (bounded).
        self._by_address: dict[str, Principal] = {}

    @classmethod
    def from_config(
        cls,
        config: AccessConfig,
        *,
        env: Mapping[str, str] | None = None,
        fetch: Fetch | None = None,
    ) -> Access:
        """Build the policy: read ``keys_file`` (``${ENV}`` from ``env``, default
        the process environment), set up the OIDC verifier (``fetch`` replaces
        its HTTP client). Raises :class:`ConfigError` on any problem, including
        ``mode: oidc`` without ``lip[oidc]`` installed. Fetches nothing."""
        match config.mode:
            case "open":
                return cls(config)
            case "keys":
                return cls(config, keys=KeyRing.from_config(config, env=env))
            case "oidc":
                try:
                    from lip.access.oidc import TokenVerifier
                except ImportError as exc:
                    raise ConfigError(
                        f"access.mode 'oidc' needs PyJWT ({exc.name} is missing): "
                        "pip install 'lip[oidc]'"
                    ) from None
                assert config.oidc is not None  # AccessConfig requires it in oidc mode
                return cls(config, verifier=TokenVerifier(config.oidc, fetch=fetch))
            case _:
                assert_never(config.mode)

    @property
    def mode(self) -> Literal["open", "keys", "oidc"]:
        return self._config.mode

    async def authenticate(
        self, headers: Mapping[str, str], query: Mapping[str, str], client_ip: str | None
    ) -> Principal:
        """Who the request speaks for. ``headers`` by lower-case name (see
        :func:`lip.access.credentials.read_credential` for the forms read);
        ``client_ip`` is the peer's address (``None``: unknown). Raises
        :class:`AuthenticationError` (401) for a missing, invalid, revoked or
        expired credential; never repeats it."""
        if self._config.mode == "open":
            address = client_ip or "unknown"
            principal = self._by_address.get(address)
            if principal is None:
                if len(self._by_address) >= _ADDRESSES:
                    self._by_address.clear()
                principal = self._by_address[address] = Principal(
                    id=address, kind="ip", limits=self._config.ip_limits
                )
            return principal
        credential = read_credential(headers, query)
        if credential is None:
            raise AuthenticationError(
                "a client key is required (Authorization: Bearer, x-api-key, "
                "x-goog-api-key or ?key=)",
                code="missing_api_key",
            )
        if self._keys is not None:
            entry = self._keys.verify(credential.secret)
            principal = self._principals.get(id(entry))
            if principal is None:
                principal = self._principals[id(entry)] = Principal(
                    id=entry.id,
                    kind="key",
                    owner=entry.owner,
                    team=entry.team,
                    models=entry.models,
                    limits=entry.limits,
                    budget=entry.budget,
                )
            return principal
        assert self._verifier is not None and self._config.oidc is not None
        identity = await self._verifier.verify(credential.secret)
        return Principal(
            id=identity.subject,
            kind="oidc",
            team=identity.team,
            models=identity.models,
            limits=self._config.oidc.limits,
        )

    def authorize(self, principal: Principal, model: str, route: str | None) -> None:
        """Raise :class:`PermissionDeniedError` (403) unless ``model`` (as the
        client wrote it) and ``route`` (the ``X-LIP-Route`` selector, if any)
        each match one of ``principal.models``; ``open`` mode allows all."""
        if principal.kind == "ip" or principal.models == _ANY:
            return
        for what, value in (("model", model), ("route", route)):
            if value is not None and not any(fnmatchcase(value, g) for g in principal.models):
                shown = value if len(value) <= _ECHO else value[:_ECHO] + "..."
                raise PermissionDeniedError(
                    f"{_who(principal)} may not use {what} {shown!r}",
                    code="model_not_allowed",
                )

    def scrub_values(self) -> list[str]:
        """Secrets to redact from logs and errors: the client keys given in plain."""
        return list(self._keys.plain_keys()) if self._keys is not None else []


def _who(principal: Principal) -> str:
    match principal.kind:
        case "key":
            return f"the key {principal.id!r}"
        case "oidc":
            return f"the token subject {principal.id!r}"
        case "ip":
            return f"the client {principal.id!r}"
        case _:
            assert_never(principal.kind)
