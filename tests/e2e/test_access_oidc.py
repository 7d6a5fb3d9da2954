"""OIDC bearer tokens over real sockets: LIP in ``oidc`` mode against the fake
provider of tests/access/provider.py on 127.0.0.1 (discovery document and
JWKS read over HTTP). A valid token is served on every protocol; an expired
token, one for another audience, one naming a key the provider never
published and one with a forged signature are 401s in the client's protocol;
when the provider rotates to a new key, a token signed with it is accepted
by the running LIP (no restart), and one signed with the retired key is not."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from lip.access.jwks import MIN_REFETCH
from lip.config import parse_config
from lip.server import create_app
from tests.access.provider import AUDIENCE, Key, Provider
from tests.e2e.conftest import serve_lip

PROMPT = "hello there"


def lip_for(provider: Provider) -> str:
    return f"""
backends:
  - {{id: stub, kind: localstub, models: [lip-stub, claude-stub]}}
access:
  mode: oidc
  oidc:
    issuer: '{provider.issuer}'
    audience: {AUDIENCE}
    models_claim: models
"""


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with Provider([Key.rsa("k1"), Key.ec("e1")]).serve() as served:
        yield served


@pytest.fixture(scope="module")
def lip_url(provider: Provider) -> Iterator[str]:
    with serve_lip(create_app(parse_config(lip_for(provider), env={}))) as url:
        yield url


# One request per protocol, each with the token as an OIDC client sends it.
Ask = Callable[[str, str, str], httpx.Response]


def chat(base: str, token: str, model: str) -> httpx.Response:
    body = {"model": model, "messages": [{"role": "user", "content": PROMPT}]}
    return httpx.post(f"{base}/v1/chat/completions", json=body, headers=bearer(token))


def responses(base: str, token: str, model: str) -> httpx.Response:
    body = {"model": model, "input": PROMPT}
    return httpx.post(f"{base}/v1/responses", json=body, headers=bearer(token))


def messages(base: str, token: str, model: str) -> httpx.Response:
    body = {"model": model, "max_tokens": 64, "messages": [{"role": "user", "content": PROMPT}]}
    headers = {**bearer(token), "anthropic-version": "2023-06-01"}
    return httpx.post(f"{base}/v1/messages", json=body, headers=headers)


def gemini(base: str, token: str, model: str) -> httpx.Response:
    body = {"contents": [{"role": "user", "parts": [{"text": PROMPT}]}]}
    url = f"{base}/v1beta/models/{model}:generateContent"
    return httpx.post(url, json=body, headers=bearer(token))


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def error_message(reply: httpx.Response) -> str:
    error = reply.json()["error"]
    return str(error["message"])


PROTOCOLS: dict[str, Ask] = {
    "chat": chat,
    "responses": responses,
    "messages": messages,
    "gemini": gemini,
}


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_a_valid_token_is_served_on_every_protocol(
    lip_url: str, provider: Provider, protocol: str
) -> None:
    rsa_key, ec_key = provider.keys
    for token in (provider.token(rsa_key), provider.token(ec_key, sub="bob")):
        reply = PROTOCOLS[protocol](lip_url, token, "lip-stub")
        assert reply.status_code == 200, reply.text
        assert PROMPT in reply.text


@pytest.mark.parametrize(
    ("mint", "message"),
    [
        (lambda p: p.token(exp=int(time.time()) - 120), "the token has expired"),
        (lambda p: p.token(aud="someone-else"), "the token is not meant for this audience"),
    ],
    ids=["expired", "wrong-audience"],
)
@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_expired_and_foreign_tokens_are_401s(
    lip_url: str,
    provider: Provider,
    protocol: str,
    mint: Callable[[Provider], str],
    message: str,
) -> None:
    token = mint(provider)
    reply = PROTOCOLS[protocol](lip_url, token, "lip-stub")
    assert reply.status_code == 401
    assert error_message(reply) == message
    assert token not in reply.text and token.split(".")[2] not in reply.text


def test_a_token_naming_an_unknown_key_is_a_401(lip_url: str, provider: Provider) -> None:
    stranger = Key.rsa("never-published")
    reply = chat(lip_url, provider.token(stranger), "lip-stub")
    assert reply.status_code == 401
    assert error_message(reply) == "the token is signed with an unknown key"


def test_a_token_forged_under_a_published_kid_is_a_401(lip_url: str, provider: Provider) -> None:
    forger = Key.rsa("k1")  # the provider's kid, someone else's private key
    reply = chat(lip_url, provider.token(forger), "lip-stub")
    assert reply.status_code == 401
    assert error_message(reply) == "the token's signature does not verify"


def test_the_tokens_models_claim_is_enforced(lip_url: str, provider: Provider) -> None:
    token = provider.token(models=["claude-*"])
    assert chat(lip_url, token, "claude-stub").status_code == 200
    reply = chat(lip_url, token, "lip-stub")
    assert reply.status_code == 403
    assert error_message(reply) == "the token subject 'alice' may not use model 'lip-stub'"


def test_a_rotated_key_is_picked_up_without_a_restart() -> None:
    old, new = Key.rsa("old"), Key.rsa("new")
    with (
        Provider([old]).serve() as provider,
        serve_lip(create_app(parse_config(lip_for(provider), env={}))) as lip_url,
    ):
        started = time.monotonic()
        assert chat(lip_url, provider.token(old), "lip-stub").status_code == 200
        assert provider.jwks_reads == 1

        provider.keys = [new]  # the provider rotates: the old key is retired
        token = provider.token(new)
        # LIP re-reads the JWKS for an unknown kid, but never sooner than
        # MIN_REFETCH seconds after its last read: poll until then.
        deadline = started + MIN_REFETCH + 5
        while (reply := chat(lip_url, token, "lip-stub")).status_code == 401:
            assert error_message(reply) == "the token is signed with an unknown key"
            assert time.monotonic() < deadline, "the rotated key was never picked up"
            time.sleep(0.25)
        assert reply.status_code == 200, reply.text
        assert time.monotonic() - started >= MIN_REFETCH - 1
        # One re-read for the whole rotation, however many tokens asked.
        assert provider.jwks_reads == 2

        reply = chat(lip_url, provider.token(old), "lip-stub")
        assert reply.status_code == 401
        assert error_message(reply) == "the token is signed with an unknown key"
