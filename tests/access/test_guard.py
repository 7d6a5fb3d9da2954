"""The guard: who a request speaks for (401s) and what it may use (403s)."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lip.access import Access, Principal, hash_key
from lip.canonical.errors import AuthenticationError, LipError, PermissionDeniedError
from lip.config import AccessConfig, ConfigError, KeyLimits
from tests.access.provider import AUDIENCE, Key, Provider

pytestmark = pytest.mark.anyio

ALICE = "lip-alice-canary-0123456789abcdef"
BOB = "lip-bob-canary-0123456789abcdef"
STRANGER = "lip-stranger-canary-0123456789abcdef"


def _keys_access() -> Access:
    config = AccessConfig.model_validate(
        {
            "mode": "keys",
            "keys": [
                {
                    "id": "alice",
                    "key": ALICE,
                    "owner": "Alice",
                    "team": "ml",
                    "models": ["gpt-*", "openai:*"],
                    "limits": {"rpm": 10},
                    "budget": {"usd": 5, "period": "day"},
                },
                {"id": "bob", "hash": hash_key(BOB), "revoked": True},
            ],
        }
    )
    return Access.from_config(config)


async def test_open_mode_is_the_client_ip_with_ip_limits() -> None:
    access = Access.from_config(AccessConfig(ip_limits=KeyLimits(rpm=5)))
    principal = await access.authenticate({"x-api-key": "anything"}, {}, "10.1.2.3")
    assert principal == Principal(id="10.1.2.3", kind="ip", limits=KeyLimits(rpm=5))
    assert (await access.authenticate({}, {}, None)).id == "unknown"
    access.authorize(principal, "any-model", "any:route | other")
    assert access.mode == "open" and access.scrub_values() == []


@pytest.mark.parametrize(
    ("headers", "query"),
    [
        ({"authorization": f"Bearer {ALICE}"}, {}),
        ({"x-api-key": ALICE}, {}),
        ({"x-goog-api-key": ALICE}, {}),
        ({}, {"key": ALICE}),
    ],
)
async def test_a_key_in_any_form_is_its_principal(
    headers: dict[str, str], query: dict[str, str]
) -> None:
    principal = await _keys_access().authenticate(headers, query, "10.0.0.1")
    assert (principal.id, principal.kind, principal.owner, principal.team) == (
        "alice",
        "key",
        "Alice",
        "ml",
    )
    assert principal.models == ("gpt-*", "openai:*")
    assert principal.limits == KeyLimits(rpm=10)
    assert principal.budget is not None and principal.budget.period == "day"


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "a client key is required"),
        ({"x-api-key": STRANGER}, "invalid or revoked client key"),
        ({"x-api-key": BOB}, "invalid or revoked client key"),
        ({"x-api-key": ALICE, "authorization": f"Bearer {STRANGER}"}, "conflicting"),
    ],
)
async def test_keys_mode_refusals(headers: dict[str, str], message: str) -> None:
    with pytest.raises(AuthenticationError, match=message):
        await _keys_access().authenticate(headers, {}, "10.0.0.1")


def test_authorize_matches_model_and_route_globs() -> None:
    access = _keys_access()
    alice = Principal(id="alice", kind="key", models=("gpt-*", "openai:*"))
    access.authorize(alice, "gpt-4o", None)
    access.authorize(alice, "gpt-4o", "openai:gpt-4o-mini")
    with pytest.raises(PermissionDeniedError) as caught:
        access.authorize(alice, "claude-sonnet-4-5", None)
    assert caught.value.message == "the key 'alice' may not use model 'claude-sonnet-4-5'"
    with pytest.raises(PermissionDeniedError, match="may not use route 'anthropic:claude'"):
        access.authorize(alice, "gpt-4o", "anthropic:claude")
    with pytest.raises(PermissionDeniedError, match="may not use model 'GPT-4O'"):
        access.authorize(alice, "GPT-4O", None)  # globs are case-sensitive, as model names
    subject = Principal(id="sub-1", kind="oidc", models=("llama*",))
    with pytest.raises(PermissionDeniedError, match=r"the token subject 'sub-1' .* 'x{200}\.\.\.'"):
        access.authorize(subject, "x" * 500, None)


def test_scrub_values_are_the_plain_keys() -> None:
    assert _keys_access().scrub_values() == [ALICE]


def test_keys_file_problems_are_config_errors(tmp_path: Path) -> None:
    config = AccessConfig(mode="keys", keys_file=str(tmp_path / "missing.yaml"))
    with pytest.raises(ConfigError, match="cannot read the keys file"):
        Access.from_config(config)


@pytest.fixture
def provider() -> Iterator[Provider]:
    with Provider([Key.ec("e1")]).serve() as served:
        yield served


def _oidc_access(provider: Provider) -> Access:
    config = AccessConfig.model_validate(
        {
            "mode": "oidc",
            "oidc": {
                "issuer": provider.issuer,
                "audience": AUDIENCE,
                "team_claim": "team",
                "models_claim": "models",
                "limits": {"concurrency": 2},
            },
        }
    )
    return Access.from_config(config)


async def test_oidc_mode_principal(provider: Provider) -> None:
    access = _oidc_access(provider)
    token = provider.token(sub="svc-1", team="search", models=["gemini-*"])
    principal = await access.authenticate({"authorization": f"Bearer {token}"}, {}, "10.0.0.1")
    assert principal == Principal(
        id="svc-1",
        kind="oidc",
        team="search",
        models=("gemini-*",),
        limits=KeyLimits(concurrency=2),
    )
    access.authorize(principal, "gemini-2.5-pro", None)
    with pytest.raises(PermissionDeniedError, match="the token subject 'svc-1' may not use"):
        access.authorize(principal, "gpt-4o", None)
    with pytest.raises(AuthenticationError, match="a client key is required"):
        await access.authenticate({}, {}, "10.0.0.1")
    assert access.scrub_values() == []


async def test_oidc_without_pyjwt_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("lip.access.oidc", "lip.access.jwks"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.setitem(sys.modules, "jwt", None)
    config = AccessConfig.model_validate(
        {"mode": "oidc", "oidc": {"issuer": "https://idp.example", "audience": "lip"}}
    )
    with pytest.raises(ConfigError, match=r"pip install 'lip\[oidc\]'"):
        Access.from_config(config)


def test_keys_and_open_modes_do_not_load_pyjwt() -> None:
    probe = "import sys, lip.access; print('jwt' in sys.modules, 'lip.server' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"]


async def test_no_credential_reaches_a_log_or_an_error(
    provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[LipError] = []
    keys = _keys_access()
    oidc = _oidc_access(provider)
    expired = provider.token(exp=1)
    stranger_token = provider.token(Key.ec("e9"))
    presented = [ALICE, BOB, STRANGER, expired, stranger_token]
    attempts = [
        (keys, {"x-api-key": STRANGER}),
        (keys, {"x-api-key": BOB}),
        (keys, {"x-api-key": ALICE, "x-goog-api-key": STRANGER}),
        (keys, {"authorization": f"Basic {ALICE}"}),
        (oidc, {"authorization": f"Bearer {expired}"}),
        (oidc, {"authorization": f"Bearer {stranger_token}"}),
        (oidc, {"authorization": f"Bearer {STRANGER}"}),
    ]
    for access, headers in attempts:
        with pytest.raises(LipError) as caught:
            await access.authenticate(headers, {}, "10.0.0.1")
        errors.append(caught.value)
    provider.failing = True  # a provider that cannot be read: a 502, and a warning logged
    with pytest.raises(LipError) as unavailable:
        await _oidc_access(provider).authenticate({"x-api-key": expired}, {}, "10.0.0.1")
    errors.append(unavailable.value)
    assert "cannot read the OIDC signing keys" in caplog.text
    texts = [caplog.text, *map(str, errors), *map(repr, errors)]
    for secret in presented:
        assert not any(secret in text for text in texts)
    assert [type(e).__name__ for e in errors[-2:]] == ["AuthenticationError", "UpstreamError"]
