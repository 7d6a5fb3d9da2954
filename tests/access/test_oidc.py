"""OIDC bearer tokens, verified against a provider served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import jwt
import pytest

from lip.access.oidc import TokenIdentity, TokenVerifier
from lip.canonical.errors import AuthenticationError, UpstreamError
from lip.config.access import OIDCConfig
from tests.access.provider import AUDIENCE, Key, Provider

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def provider() -> Iterator[Provider]:
    with Provider([Key.rsa("k1"), Key.ec("e1")]).serve() as served:
        yield served


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _verifier(provider: Provider, clock: Clock, **overrides: object) -> TokenVerifier:
    fields: dict[str, object] = {"issuer": provider.issuer, "audience": AUDIENCE, **overrides}
    return TokenVerifier(OIDCConfig.model_validate(fields), clock=clock)


async def _refused(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(AuthenticationError) as caught:
        await verifier.verify(token)
    assert token not in str(caught.value) and token not in repr(caught.value)
    return caught.value.message


async def test_valid_rsa_and_ec_tokens(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock)
    rsa_key, ec_key = provider.keys
    assert await verifier.verify(provider.token(rsa_key)) == TokenIdentity("alice", None, ("*",))
    assert (await verifier.verify(provider.token(ec_key, sub="bob"))).subject == "bob"
    # Discovered once, then the JWKS read once: the cache serves the second token.
    assert (provider.discovery_reads, provider.jwks_reads) == (1, 1)


async def test_jwks_url_skips_discovery(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock, jwks_url=f"{provider.issuer}/jwks")
    await verifier.verify(provider.token())
    assert (provider.discovery_reads, provider.jwks_reads) == (0, 1)


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"exp": int(time.time()) - 120}, "the token has expired"),
        ({"nbf": int(time.time()) + 600}, "the token is not valid yet"),
        ({"aud": "someone-else"}, "the token is not meant for this audience"),
        ({"iss": "https://evil.example"}, "the token comes from another issuer"),
        ({"exp": None}, "the token lacks the 'exp' claim"),
        ({"aud": None}, "the token lacks the 'aud' claim"),
        ({"sub": None}, "the token lacks the 'sub' claim"),
        ({"sub": 42}, "the token's 'sub' claim is not a string"),
    ],
)
async def test_claims_are_checked(
    provider: Provider, clock: Clock, claims: dict[str, object], message: str
) -> None:
    assert await _refused(_verifier(provider, clock), provider.token(**claims)) == message


async def test_leeway_allows_small_clock_skew(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock, leeway=30)
    now = int(time.time())
    assert await verifier.verify(provider.token(exp=now - 10, nbf=now + 10))
    assert "expired" in await _refused(verifier, provider.token(exp=now - 60))


async def test_audience_may_be_one_of_several(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock, audience=["other", AUDIENCE])
    assert await verifier.verify(provider.token(aud=["x", AUDIENCE]))
    assert "audience" in await _refused(verifier, provider.token(aud=["x", "y"]))


async def test_unsigned_and_shared_secret_tokens_are_refused(
    provider: Provider, clock: Clock
) -> None:
    verifier = _verifier(provider, clock)
    claims = {"iss": provider.issuer, "aud": AUDIENCE, "sub": "x", "exp": time.time() + 60}
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "k1"})
    assert await _refused(verifier, unsigned) == "the token's algorithm is not accepted"
    # HS256 keyed with a secret the provider "published" as an oct JWK: skipped.
    provider.extra_jwks.append({"kty": "oct", "k": "c2VjcmV0", "kid": "hs", "use": "sig"})
    forged = jwt.encode(claims, "secret" * 6, algorithm="HS256", headers={"kid": "hs"})
    assert await _refused(verifier, forged) == "the token's algorithm is not accepted"


async def test_algorithm_must_fit_the_named_key(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock)
    rsa_key, ec_key = provider.keys
    # Signed with the RSA key but naming the EC key's id.
    confused = provider.token(rsa_key, headers={"kid": ec_key.kid})
    assert await _refused(verifier, confused) == "the token's algorithm does not fit its key"
    # An accepted algorithm the configuration does not list.
    ps = provider.token(rsa_key, alg="PS256")
    assert await _refused(verifier, ps) == "the token's algorithm is not accepted"
    assert await _verifier(provider, clock, algorithms=["PS256"]).verify(ps)


async def test_bad_signature_and_garbage(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock)
    head, body, signature = provider.token().split(".")
    tampered = f"{head}.{body}.{signature[:-8]}AAAAAAAA"
    assert await _refused(verifier, tampered) == "the token's signature does not verify"
    assert "malformed" in await _refused(verifier, "not-a-jwt")
    other = provider.token(Key.rsa("k1"))  # same kid, a key the provider never published
    assert await _refused(verifier, other) == "the token's signature does not verify"


async def test_team_and_models_claims(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock, team_claim="grp", models_claim="llm")
    identity = await verifier.verify(provider.token(grp="ml", llm=["gpt-*", "claude-*"]))
    assert identity == TokenIdentity("alice", "ml", ("gpt-*", "claude-*"))
    assert (await verifier.verify(provider.token(llm="a b"))).models == ("a", "b")
    assert (await verifier.verify(provider.token())).models == ("*",)
    assert "'llm' claim" in await _refused(verifier, provider.token(llm={"a": 1}))


async def test_unknown_kid_is_refused_and_refetches_are_rate_limited(
    provider: Provider, clock: Clock
) -> None:
    verifier = _verifier(provider, clock)
    stranger = Key.rsa("k9")
    await verifier.verify(provider.token())
    assert provider.jwks_reads == 1
    # Within 10 s of the last read: refused without asking the provider again.
    for _ in range(5):
        message = await _refused(verifier, provider.token(stranger))
        assert message == "the token is signed with an unknown key"
    assert provider.jwks_reads == 1
    clock.now += 11  # one re-read is allowed, and the key is still unknown
    await _refused(verifier, provider.token(stranger))
    await _refused(verifier, provider.token(stranger))
    assert provider.jwks_reads == 2


async def test_rotated_keys_are_picked_up_without_restart(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock)
    await verifier.verify(provider.token())
    rotated = Key.rsa("k2")
    provider.keys = [rotated]
    clock.now += 11
    assert (await verifier.verify(provider.token(rotated))).subject == "alice"
    assert provider.jwks_reads == 2
    # The old key is gone from the provider's set, so from LIP's too.
    clock.now += 11
    await _refused(verifier, provider.token(Key.rsa("k1")))
    assert provider.jwks_reads == 3


async def test_keys_are_reread_after_jwks_refresh(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock, jwks_refresh=60)
    token = provider.token()
    for _ in range(3):
        await verifier.verify(token)
    assert provider.jwks_reads == 1
    clock.now += 61
    await verifier.verify(token)
    assert provider.jwks_reads == 2


async def test_concurrent_first_tokens_share_one_read(provider: Provider, clock: Clock) -> None:
    verifier = _verifier(provider, clock)
    token = provider.token()
    await asyncio.gather(*(verifier.verify(token) for _ in range(10)))
    assert provider.jwks_reads == 1


async def test_a_failed_reread_keeps_the_held_keys(
    provider: Provider, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    verifier = _verifier(provider, clock, jwks_refresh=60)
    token = provider.token()
    await verifier.verify(token)
    provider.failing = True
    clock.now += 61
    assert await verifier.verify(token)
    assert provider.jwks_reads == 2
    assert "keeping the 2 held" in caplog.text and token not in caplog.text


async def test_unreachable_keys_are_a_502_not_a_401(provider: Provider, clock: Clock) -> None:
    provider.failing = True
    verifier = _verifier(provider, clock)
    with pytest.raises(UpstreamError, match="identity provider's keys are unavailable"):
        await verifier.verify(provider.token())


async def test_discovery_must_name_the_same_issuer(provider: Provider, clock: Clock) -> None:
    # Configured with a trailing slash: the discovery document's issuer differs.
    verifier = _verifier(provider, clock, issuer=f"{provider.issuer}/")
    with pytest.raises(UpstreamError):
        await verifier.verify(provider.token())
    assert provider.jwks_reads == 0


async def test_an_oversized_jwks_is_a_failed_read(provider: Provider, clock: Clock) -> None:
    provider.extra_jwks.append({"kty": "RSA", "pad": "x" * (1024 * 1024)})
    with pytest.raises(UpstreamError):
        await _verifier(provider, clock).verify(provider.token())


async def test_a_caller_that_leaves_does_not_cancel_the_read(
    provider: Provider, clock: Clock
) -> None:
    verifier = _verifier(provider, clock)
    token = provider.token()
    first = asyncio.create_task(verifier.verify(token))
    await asyncio.sleep(0)  # the first caller has started the read
    second = asyncio.create_task(verifier.verify(token))
    await asyncio.sleep(0)
    first.cancel()  # its client went away
    assert (await second).subject == "alice"
    assert provider.jwks_reads == 1
