"""Typed configuration of who may use LIP (``access:``), validated once at startup.

The runtime side (reading credentials, verifying keys and tokens, deciding
what a client may use) is :mod:`lip.access`; the limits and budgets declared
here are enforced by :mod:`lip.limits`. Every field is documented in
README.md ("Access").
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from lip.config.strict import ID_PATTERN
from lip.config.strict import Strict as _Strict

_ID = ID_PATTERN
_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
MIN_CLIENT_KEY = 16
"""Shortest plain client key ``key:`` accepts (``lip keys new`` makes 47 characters)."""

# Asymmetric signature algorithms only: with a shared-secret (HS*) algorithm
# anyone holding the verification key could mint tokens, and a JWKS is public
# (RFC 8725 section 3.1 on algorithm confusion); "none" is no signature at all.
OIDC_ALGORITHMS = frozenset(
    {
        "RS256",
        "RS384",
        "RS512",
        "PS256",
        "PS384",
        "PS512",
        "ES256",
        "ES384",
        "ES512",
        "EdDSA",
    }
)


def is_loopback(host: str) -> bool:
    """Whether a listen address only accepts connections from this machine.
    A name other than ``localhost`` counts as public: it may resolve anywhere."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class KeyLimits(_Strict):
    """Rate limits for one client (a key, a token subject, or in ``open`` mode
    one client IP); enforced by :mod:`lip.limits`. Unset: no such limit."""

    rpm: Annotated[int, Field(gt=0)] | None = None
    """Requests per minute."""
    tpm: Annotated[int, Field(gt=0)] | None = None
    """Tokens (input and output) per minute."""
    concurrency: Annotated[int, Field(gt=0)] | None = None
    """Requests (streams included) in flight at once."""


class KeyBudget(_Strict):
    """Spend allowed to one client per period; enforced by :mod:`lip.limits`."""

    usd: Annotated[float, Field(gt=0)]
    period: Literal["day", "week", "month", "total"] = "month"


class ClientKeyConfig(_Strict):
    """One client key: the key itself is never stored, only its SHA-256
    (``hash``, as ``lip keys new`` prints it) or, for keys handed in through
    the environment, the plain ``key`` (hashed when LIP starts)."""

    id: str
    """Names the client in errors, logs and limits; the shape of a backend id."""
    hash: str | None = None
    """``sha256:<64 hex digits>`` of the key."""
    key: SecretStr | None = None
    """The plain key (e.g. ``${LIP_KEY_ALICE}``), at least 16 characters; not with ``hash``."""
    owner: str | None = None
    team: str | None = None
    models: tuple[str, ...] = ("*",)
    """Globs (``fnmatch``) the requested model, and an ``X-LIP-Route`` selector,
    must each match one of."""
    limits: KeyLimits | None = None
    budget: KeyBudget | None = None
    revoked: bool = False
    """A revoked key is refused (401) like an unknown one."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be letters, digits, '_' or '-'")
        return value

    @field_validator("hash")
    @classmethod
    def _hash_shape(cls, value: str | None) -> str | None:
        if value is None:
            return None
        normalised = value.strip().lower()
        if not _HASH.match(normalised):
            raise ValueError("must be 'sha256:' and 64 hex digits (as 'lip keys new' prints it)")
        return normalised

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # The message never repeats the value.
        if value is not None and len(value.get_secret_value()) < MIN_CLIENT_KEY:
            raise ValueError(f"must be at least {MIN_CLIENT_KEY} characters")
        if value is not None and len(set(value.get_secret_value())) < 8:
            # Long enough but guessable ("aaaaaaaaaaaaaaaa"): refused like a short one.
            raise ValueError("is too weak: use at least 8 different characters (lip keys new)")
        return value

    @field_validator("models")
    @classmethod
    def _some_models(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or any(not glob for glob in value):
            raise ValueError("must hold at least one non-empty glob ('*': any model)")
        return value

    @model_validator(mode="after")
    def _one_way_to_give_the_key(self) -> ClientKeyConfig:
        if (self.hash is None) == (self.key is None):
            raise ValueError("give exactly one of hash or key")
        return self


class OIDCConfig(_Strict):
    """Clients present a JWT access token from an OpenID Connect provider,
    verified against the provider's published keys (JWKS)."""

    issuer: str
    """The ``iss`` every token must carry, exactly; also where the discovery
    document is read (``<issuer>/.well-known/openid-configuration``)."""
    audience: str | tuple[str, ...]
    """A token's ``aud`` must hold this value (or one of these)."""
    jwks_url: str | None = None
    """Unset: the discovery document's ``jwks_uri``."""
    algorithms: tuple[str, ...] = ("RS256", "ES256")
    """Signature algorithms accepted (asymmetric only: never ``none`` or HS*)."""
    leeway: Annotated[float, Field(ge=0, le=600)] = 30
    """Seconds of clock skew allowed on ``exp`` and ``nbf``."""
    id_claim: str = "sub"
    """The claim naming the client (errors, logs, limits)."""
    team_claim: str | None = None
    models_claim: str | None = None
    """A claim holding the model globs the token may use (a list, or one
    space-separated string); unset or absent from a token: any model."""
    jwks_refresh: Annotated[float, Field(ge=1, le=7 * 86_400)] = 3600
    """Seconds between re-reads of the JWKS (also re-read, at most every 10
    seconds, when a token names a key it does not hold: key rotation)."""
    ca_file: str | None = None
    """A PEM bundle of the CAs to trust for the provider instead of the system's."""
    limits: KeyLimits | None = None
    """Applied to every token subject on its own."""

    @field_validator("issuer", "jwks_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("audience")
    @classmethod
    def _some_audience(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        values = (value,) if isinstance(value, str) else value
        if not values or any(not v for v in values):
            raise ValueError("must name at least one non-empty audience")
        return value

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("must name at least one algorithm")
        for alg in value:
            if alg.lower() == "none":
                raise ValueError("'none' is never accepted: an unsigned token proves nothing")
            if alg.upper().startswith("HS"):
                raise ValueError(
                    f"{alg!r} is refused: shared-secret algorithms let whoever can verify a token mint one"
                )
            if alg not in OIDC_ALGORITHMS:
                raise ValueError(f"unknown algorithm {alg!r}; one of {sorted(OIDC_ALGORITHMS)}")
        return value

    @field_validator("id_claim", "team_claim", "models_claim")
    @classmethod
    def _claim_name(cls, value: str | None) -> str | None:
        if value is not None and not value:
            raise ValueError("must be a claim name")
        return value

    @property
    def audiences(self) -> tuple[str, ...]:
        """``audience`` as a tuple, whichever way it was written."""
        return (self.audience,) if isinstance(self.audience, str) else self.audience


class AccessConfig(_Strict):
    """Who may use LIP: anyone who can reach it (``open``), holders of a
    client key (``keys``), or bearers of an OIDC token (``oidc``)."""

    mode: Literal["open", "keys", "oidc"] = "open"
    allow_open_on_public_bind: bool = False
    """``open`` on a non-loopback ``server.host`` is refused unless this is true."""
    keys: tuple[ClientKeyConfig, ...] = ()
    keys_file: str | None = None
    """A YAML file holding a list of entries like ``keys``' (``${ENV}`` expanded),
    read at startup; relative to the working directory."""
    oidc: OIDCConfig | None = None
    """Required (and only allowed) with ``mode: oidc``."""
    ip_limits: KeyLimits | None = None
    """In ``open`` mode: limits per client IP."""

    @field_validator("keys")
    @classmethod
    def _unique_ids(cls, value: tuple[ClientKeyConfig, ...]) -> tuple[ClientKeyConfig, ...]:
        seen: set[str] = set()
        for key in value:
            if key.id in seen:
                raise ValueError(f"duplicate key id {key.id!r}")
            seen.add(key.id)
        return value

    @model_validator(mode="after")
    def _settings_fit_the_mode(self) -> AccessConfig:
        # A section the mode ignores is a mistake that could leave LIP open
        # (keys written, mode forgotten): refuse it rather than ignore it.
        has_keys = bool(self.keys) or self.keys_file is not None
        if self.mode == "keys" and not has_keys:
            raise ValueError("mode 'keys' needs keys or keys_file")
        if self.mode != "keys" and has_keys:
            raise ValueError(
                f"keys and keys_file are only used with mode 'keys' (mode is {self.mode!r})"
            )
        if self.mode == "oidc" and self.oidc is None:
            raise ValueError("mode 'oidc' needs the oidc section")
        if self.mode != "oidc" and self.oidc is not None:
            raise ValueError(f"oidc is only used with mode 'oidc' (mode is {self.mode!r})")
        if self.mode != "open" and self.ip_limits is not None:
            raise ValueError(f"ip_limits is only used with mode 'open' (mode is {self.mode!r})")
        return self

    def open_bind_problem(self, host: str) -> str | None:
        """Why serving on ``host`` is refused with this config, or ``None``:
        ``open`` mode on a non-loopback address lets anyone who can reach it
        spend the backends' keys, so it must be acknowledged."""
        if self.mode != "open" or self.allow_open_on_public_bind or is_loopback(host):
            return None
        return (
            f"access.mode is 'open' but server.host {host!r} is not a loopback address: "
            "anyone who can reach it may use LIP; set access.mode to 'keys' or 'oidc', "
            "or access.allow_open_on_public_bind: true"
        )


__all__ = [
    "MIN_CLIENT_KEY",
    "OIDC_ALGORITHMS",
    "AccessConfig",
    "ClientKeyConfig",
    "KeyBudget",
    "KeyLimits",
    "OIDCConfig",
    "is_loopback",
]
