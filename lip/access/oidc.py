"""Verifying an OIDC bearer token (a JWT) against its provider's keys.

Checked, in this order: the header's ``alg`` is one ``oidc.algorithms``
accepts (never ``none``, never HS*: RFC 8725 section 3.1) and fits the key
its ``kid`` names; the signature; ``exp`` (required) and ``nbf`` within
``oidc.leeway``; ``iss`` equals ``oidc.issuer``; ``aud`` holds one of
``oidc.audience``. Every failure is a 401 whose message says which check
failed and never repeats the token. Needs ``lip[oidc]`` (PyJWT with
``cryptography``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import jwt
from jwt.algorithms import AllowedPublicKeys, has_crypto

from lip.access.jwks import Fetch, HttpFetch, KeysUnavailable, SigningKeys, UnknownKey
from lip.canonical.errors import AuthenticationError, UpstreamError
from lip.config.access import OIDCConfig
from lip.config.loader import ConfigError

__all__ = ["TokenIdentity", "TokenVerifier"]

# Most specific first: several are subclasses of others (PyJWT's exception tree).
_FAILURES: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "the token has expired"),
    (jwt.ImmatureSignatureError, "the token is not valid yet"),
    (jwt.InvalidAudienceError, "the token is not meant for this audience"),
    (jwt.InvalidIssuerError, "the token comes from another issuer"),
    (jwt.InvalidSignatureError, "the token's signature does not verify"),
    (jwt.InvalidAlgorithmError, "the token's algorithm is not accepted"),
    (jwt.exceptions.InvalidSubjectError, "the token's 'sub' claim is not a string"),
    (jwt.DecodeError, "the token is malformed"),
)


@dataclass(frozen=True)
class TokenIdentity:
    """Who a verified token speaks for."""

    subject: str
    """The ``oidc.id_claim`` value."""
    team: str | None
    models: tuple[str, ...]
    """The ``oidc.models_claim`` globs; ``("*",)`` when the claim is unset or absent."""


def _refused(message: str) -> AuthenticationError:
    return AuthenticationError(message, code="invalid_token")


class TokenVerifier:
    """Verifies tokens for one ``access.oidc`` config; holds its key cache."""

    def __init__(
        self,
        config: OIDCConfig,
        *,
        fetch: Fetch | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Raises :class:`ConfigError` when PyJWT lacks ``cryptography`` or
        ``ca_file`` is unreadable. Nothing is fetched until the first token."""
        if not has_crypto:
            raise ConfigError("access.mode 'oidc' needs cryptography: pip install 'lip[oidc]'")
        self._config = config
        self._algorithms = frozenset(config.algorithms)
        self._keys = SigningKeys(
            issuer=config.issuer,
            jwks_url=config.jwks_url,
            algorithms=self._algorithms,
            refresh=config.jwks_refresh,
            fetch=fetch or HttpFetch(ca_file=config.ca_file),
            clock=clock,
        )

    async def verify(self, token: str) -> TokenIdentity:
        """The identity a valid token carries; :class:`AuthenticationError` (401)
        otherwise, or :class:`UpstreamError` (502) when the provider's keys
        cannot be read at all."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _refused("the token is malformed (expected a JWT)") from None
        alg, kid = header.get("alg"), header.get("kid")
        if not isinstance(alg, str) or alg not in self._algorithms:
            raise _refused("the token's algorithm is not accepted")
        if kid is not None and not isinstance(kid, str):
            raise _refused("the token is malformed (kid)")
        try:
            signing = await self._keys.get(kid)
        except UnknownKey:
            raise _refused("the token is signed with an unknown key") from None
        except KeysUnavailable:
            raise UpstreamError(
                "cannot verify tokens now: the identity provider's keys are unavailable",
                code="oidc_keys_unavailable",
            ) from None
        if alg not in signing.algorithms:
            raise _refused("the token's algorithm does not fit its key")
        claims = self._decode(token, signing.key, alg)
        return self._identity(claims)

    def _decode(self, token: str, key: AllowedPublicKeys, alg: str) -> Mapping[str, object]:
        config = self._config
        try:
            claims: dict[str, object] = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=list(config.audiences),
                issuer=config.issuer,
                leeway=config.leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.MissingRequiredClaimError as exc:
            raise _refused(f"the token lacks the {exc.claim!r} claim") from None
        except jwt.PyJWTError as exc:
            message = next((m for t, m in _FAILURES if isinstance(exc, t)), "the token is invalid")
            raise _refused(message) from None
        return claims

    def _identity(self, claims: Mapping[str, object]) -> TokenIdentity:
        config = self._config
        subject = claims.get(config.id_claim)
        if not isinstance(subject, str) or not subject:
            raise _refused(f"the token lacks the {config.id_claim!r} claim")
        team = claims.get(config.team_claim) if config.team_claim else None
        models: tuple[str, ...] = ("*",)
        if config.models_claim and (granted := claims.get(config.models_claim)) is not None:
            if isinstance(granted, str):
                models = tuple(granted.split())
            elif isinstance(granted, list) and all(isinstance(g, str) for g in granted):
                models = tuple(str(g) for g in granted)
            else:
                raise _refused(f"the token's {config.models_claim!r} claim is not a list of models")
        return TokenIdentity(subject, team if isinstance(team, str) else None, models)
