from pathlib import Path

import pytest

from lip.config import ConfigError, load_config, parse_config


def test_embedded_default_is_local_stub_on_loopback() -> None:
    config = load_config()
    assert config.server.host == "127.0.0.1"
    assert [b.kind for b in config.backends] == ["localstub"]
    assert config.routing.default_route == "stub:lip-stub"


def test_env_interpolation_with_default_and_escape() -> None:
    config = parse_config(
        """
server: {port: "${PORT:-9090}"}
backends:
  - id: local
    kind: openai-compatible
    base_url: ${BASE}/v1/
    api_key: ${KEY}
    headers: {x-cost: "$$5"}
""",
        env={"BASE": "http://127.0.0.1:11434", "KEY": "sk-secret"},
    )
    backend = config.backends[0]
    assert config.server.port == 9090
    assert backend.base_url == "http://127.0.0.1:11434/v1"
    assert backend.api_key is not None and backend.api_key.get_secret_value() == "sk-secret"
    assert backend.headers == {"x-cost": "$5"}
    assert "sk-secret" not in repr(config)


def test_missing_env_var_names_the_key() -> None:
    with pytest.raises(
        ConfigError, match=r"backends\[0\]\.api_key: environment variable NOPE is not set"
    ):
        parse_config("backends: [{id: a, kind: localstub, api_key: '${NOPE}'}]", env={})


@pytest.mark.parametrize(
    "text, message",
    [
        ("backends: []", "at least one backend"),
        (
            "backends: [{id: a, kind: localstub}, {id: a, kind: localstub}]",
            "duplicate backend id 'a'",
        ),
        ("backends: [{id: a, kind: localstub, typo: 1}]", r"\.typo: unknown key"),
        ("backends: [{id: a, kind: openai-compatible, base_url: ftp://x}]", "http:// or https://"),
        ("backends: [{id: 'a b', kind: localstub}]", "letters, digits"),
        ("server: {port: 70000}\nbackends: [{id: a, kind: localstub}]", r"server\.port"),
        (
            "backends: [{id: a, kind: localstub}]\nrouting: {model_aliases: [{match: '(', replace: x}]}",
            "invalid regular expression",
        ),
        ("- just a list", "top level must be a mapping"),
        ("backends: [", "not valid YAML"),
    ],
)
def test_invalid_configs_name_key_and_problem(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(text, env={})


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")
