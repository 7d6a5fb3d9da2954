"""A test double of an OpenID Connect provider, served on 127.0.0.1.

It publishes a discovery document and a JWKS (RSA and EC keys made with
``cryptography`` per test), counts how often each is read, can rotate to new
keys or fail on demand, and mints tokens signed with any of its keys.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from refbackends.serving import serve_in_thread

AUDIENCE = "lip-gateway"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass
class Key:
    kid: str
    alg: str
    private: PrivateKey

    @classmethod
    def rsa(cls, kid: str, alg: str = "RS256") -> Key:
        return cls(kid, alg, rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def ec(cls, kid: str) -> Key:
        return cls(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, object]:
        public = self.private.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            data = json.loads(RSAAlgorithm.to_jwk(public))
        else:
            data = json.loads(ECAlgorithm.to_jwk(public))
        return {**data, "kid": self.kid, "use": "sig"}


@dataclass
class Provider:
    """The provider's state; :meth:`serve` runs it, :meth:`token` mints for it."""

    keys: list[Key]
    issuer: str = ""
    jwks_reads: int = 0
    discovery_reads: int = 0
    failing: bool = False
    extra_jwks: list[dict[str, object]] = field(default_factory=list)

    def app(self) -> Starlette:
        async def discovery(request: Request) -> Response:
            self.discovery_reads += 1
            return JSONResponse({"issuer": self.issuer, "jwks_uri": f"{self.issuer}/jwks"})

        async def jwks(request: Request) -> Response:
            self.jwks_reads += 1
            if self.failing:
                return JSONResponse({"error": "down"}, status_code=503)
            return JSONResponse({"keys": [*self.extra_jwks, *(k.jwk() for k in self.keys)]})

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/jwks", jwks),
            ]
        )

    @contextmanager
    def serve(self) -> Iterator[Provider]:
        with serve_in_thread(self.app()) as base_url:
            self.issuer = base_url
            yield self

    def token(
        self,
        key: Key | None = None,
        *,
        headers: dict[str, object] | None = None,
        alg: str | None = None,
        **claims: object,
    ) -> str:
        """A token signed by ``key`` (default: the first), valid for an hour,
        for ``AUDIENCE`` from this issuer; ``claims`` override or add (``None``
        removes one)."""
        key = key or self.keys[0]
        now = int(time.time())
        body: dict[str, object] = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": "alice",
            "iat": now,
            "exp": now + 3600,
            **claims,
        }
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode(
            body, key.private, algorithm=alg or key.alg, headers={"kid": key.kid, **(headers or {})}
        )
