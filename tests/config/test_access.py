"""The ``access:`` section: validation, the open-on-public-bind guard, keys files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from lip.access import hash_key
from lip.config import Config, ConfigError, load_client_keys, parse_config
from lip.config.access import AccessConfig, ClientKeyConfig, OIDCConfig, is_loopback
from lip.config.model import BackendConfig

CANARY = "lip-canary-never-echo-0123456789"
BACKENDS = "backends: [{id: stub, kind: localstub, models: [lip-stub]}]\n"


def _parse(text: str, env: dict[str, str] | None = None) -> Config:
    return parse_config(BACKENDS + text, env=env or {})


def test_default_is_open_on_loopback() -> None:
    config = parse_config(BACKENDS)
    assert config.access.mode == "open" and config.server.host == "127.0.0.1"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "lip.example.com", ""])
def test_open_on_a_public_bind_is_refused_naming_both_keys(host: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _parse(f"server: {{host: '{host}'}}\n")
    message = str(caught.value)
    assert "access: access.mode is 'open' but server.host" in message
    assert "access.allow_open_on_public_bind: true" in message


def test_open_on_a_public_bind_when_acknowledged_or_guarded() -> None:
    _parse("server: {host: 0.0.0.0}\naccess: {allow_open_on_public_bind: true}\n")
    _parse(f"server: {{host: 0.0.0.0}}\naccess: {{mode: keys, keys: [{{id: a, key: {CANARY}}}]}}\n")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_key_entries_from_yaml_with_env() -> None:
    config = _parse(
        "access:\n  mode: keys\n  keys:\n"
        "    - {id: alice, key: '${ALICE_KEY}', owner: Alice, models: ['gpt-*'],\n"
        "       limits: {rpm: 60, tpm: 100000, concurrency: 4}, budget: {usd: 25}}\n"
        f"    - {{id: bob, hash: '{hash_key('b' * 20)}', revoked: true}}\n",
        env={"ALICE_KEY": CANARY},
    )
    alice, bob = config.access.keys
    assert alice.key is not None and alice.key.get_secret_value() == CANARY
    assert alice.models == ("gpt-*",) and alice.limits is not None and alice.limits.rpm == 60
    assert alice.budget is not None and alice.budget.period == "month"
    assert bob.revoked and bob.models == ("*",)
    assert CANARY not in repr(config)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"id": "a"}, "give exactly one of hash or key"),
        ({"id": "a", "key": CANARY, "hash": hash_key(CANARY)}, "give exactly one of hash or key"),
        ({"id": "a", "key": "short-canary"}, "at least 16 characters"),
        ({"id": "a", "key": "abababababababababab"}, "too weak"),
        ({"id": "a", "hash": "md5:abc"}, "must be 'sha256:' and 64 hex digits"),
        ({"id": "a b", "key": CANARY}, "letters, digits"),
        ({"id": "a", "key": CANARY, "models": []}, "at least one non-empty glob"),
        ({"id": "a", "key": CANARY, "limits": {"rpm": 0}}, "greater than 0"),
        ({"id": "a", "key": CANARY, "budget": {"usd": 5, "period": "hour"}}, "'day'"),
        ({"id": "a", "key": CANARY, "secret": CANARY}, "Extra inputs"),
    ],
)
def test_bad_key_entries_never_echo_the_key(entry: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ClientKeyConfig.model_validate(entry)
    assert problem in str(caught.value)
    assert CANARY not in str(caught.value) and "short-canary" not in str(caught.value)


def test_ids_follow_the_backend_id_rule() -> None:
    for value in ("ok_id-1", "bad.id", "bad id", "bad:id"):
        backend_ok = _valid(BackendConfig, {"id": value, "kind": "x"})
        key_ok = _valid(ClientKeyConfig, {"id": value, "key": CANARY})
        assert backend_ok == key_ok, value


def _valid(model: type[BackendConfig] | type[ClientKeyConfig], data: dict[str, object]) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("access", "problem"),
    [
        ("{mode: keys}", "mode 'keys' needs keys or keys_file"),
        ("{keys: [{id: a, key: KEY}]}", "keys and keys_file are only used with mode 'keys'"),
        ("{mode: oidc}", "mode 'oidc' needs the oidc section"),
        ("{oidc: {issuer: 'https://idp', audience: x}}", "oidc is only used with mode 'oidc'"),
        ("{mode: keys, keys: [{id: a, key: KEY}], ip_limits: {rpm: 1}}", "ip_limits is only used"),
        ("{mode: keys, keys: [{id: a, key: KEY}, {id: a, key: KEY}]}", "duplicate key id 'a'"),
    ],
)
def test_settings_must_fit_the_mode(access: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _parse(f"access: {access.replace('KEY', CANARY)}\n")
    assert problem in str(caught.value) and CANARY not in str(caught.value)


def _oidc(**fields: object) -> OIDCConfig:
    return OIDCConfig.model_validate({"issuer": "https://idp.example", "audience": "lip", **fields})


def test_oidc_defaults() -> None:
    oidc = _oidc()
    assert oidc.algorithms == ("RS256", "ES256") and oidc.leeway == 30
    assert oidc.id_claim == "sub" and oidc.jwks_refresh == 3600 and oidc.audiences == ("lip",)
    assert _oidc(audience=["a", "b"]).audiences == ("a", "b")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"algorithms": ["none"]}, "'none' is never accepted"),
        ({"algorithms": ["RS256", "HS256"]}, "'HS256' is refused: shared-secret"),
        ({"algorithms": ["XS1"]}, "unknown algorithm 'XS1'"),
        ({"algorithms": []}, "at least one algorithm"),
        ({"issuer": "idp.example"}, "http:// or https:// URL"),
        ({"jwks_url": "file:///etc/jwks"}, "http:// or https:// URL"),
        ({"audience": []}, "at least one non-empty audience"),
        ({"leeway": -1}, "greater than or equal to 0"),
    ],
)
def test_bad_oidc_settings(fields: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        _oidc(**fields)


def test_access_config_is_frozen() -> None:
    with pytest.raises(ValidationError):
        AccessConfig().mode = "keys"  # type: ignore[misc]


def test_keys_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(f"- {{id: a, key: '${{K}}', team: t}}\n- {{id: b, hash: '{hash_key('x')}'}}\n")
    a, b = load_client_keys(path, env={"K": CANARY})
    assert a.team == "t" and a.key is not None and a.key.get_secret_value() == CANARY
    assert b.hash == hash_key("x")
    path.write_text("")
    assert load_client_keys(path) == ()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f"- {{id: a, key: {CANARY}, bad: 1}}\n", "[0] (id 'a').bad: unknown key"),
        (f"- {{id: a, key: {CANARY}}}\n- {{id: b, key: short}}\n", "[1] (id 'b').key: must be"),
        (f"keys: [{{id: a, key: {CANARY}}}]\n", "must be a list of key entries"),
        (f"- {{id: a, key: '{CANARY}}}\n", "not valid YAML (line"),
        ("- {id: a, key: '${MISSING}'}\n", "[0].key: environment variable MISSING is not set"),
    ],
)
def test_keys_file_problems_never_echo_a_key(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_client_keys(path, env={})
    assert problem in str(caught.value) and CANARY not in str(caught.value)


def test_missing_keys_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the keys file"):
        load_client_keys(tmp_path / "nope.yaml")
