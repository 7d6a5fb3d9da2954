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
        ("backends: [{id: a, kind: localstub, breaker: {failures: 0}}]", r"breaker\.failures"),
        (
            "backends: [{id: a, kind: localstub, breaker: {failure_ratio: 1.5}}]",
            r"breaker\.failure_ratio",
        ),
        ("backends: [{id: a, kind: localstub, breaker: {open_for: 0}}]", r"breaker\.open_for"),
        ("backends: [{id: a, kind: localstub, breaker: {probes: 2}}]", "unknown key"),
        ("backends: [{id: a, kind: localstub, concurrency: {queue: 1}}]", r"concurrency\.limit"),
        (
            "backends: [{id: a, kind: localstub, concurrency: {limit: 1, queue: -1}}]",
            r"concurrency\.queue",
        ),
        (
            "backends: [{id: a, kind: localstub, concurrency: {limit: 1, queue_timeout: 0}}]",
            r"concurrency\.queue_timeout",
        ),
        (
            "backends: [{id: a, kind: openai, instances: [{id: x}, {id: y}, {id: x}]}]",
            r"backends\[0\] \(id 'a'\)\.instances: duplicate instance id 'x'",
        ),
        (
            "backends: [{id: a, kind: openai, instances: [{id: x, base_url: ftp://h}]}]",
            r"\.instances\[0\] \(id 'x'\)\.base_url: must be an http:// or https:// URL",
        ),
        ("backends: [{id: a, kind: openai, instances: [{id: x.y}]}]", "letters, digits"),
        ("backends: [{id: a, kind: openai, instances: [{id: x, weight: 0}]}]", r"\.weight"),
        ("backends: [{id: a, kind: openai, instances: [{id: x, kind: gemini}]}]", "unknown key"),
        ("backends: [{id: a, kind: openai, instances: [{weight: 2}]}]", r"\]\.id: Field required"),
        (
            "backends: [{id: a, kind: openai, instances: [" + "{id: i}," * 65 + "]}]",
            r"\.instances: Tuple should have at most 64 items",
        ),
    ],
)
def test_invalid_configs_name_key_and_problem(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(text, env={})


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")


def test_breaker_and_concurrency_are_off_unless_configured() -> None:
    config = parse_config(
        "backends: [{id: a, kind: localstub}, {id: b, kind: localstub,"
        " breaker: {failure_ratio: 0.5}, concurrency: {limit: 8}}]",
        env={},
    )
    plain, guarded = config.backends
    assert plain.breaker is None and plain.concurrency is None
    assert guarded.breaker is not None and guarded.concurrency is not None
    assert (guarded.breaker.failures, guarded.breaker.failure_ratio) == (5, 0.5)
    assert (guarded.breaker.open_for, guarded.breaker.half_open_probes) == (30, 1)
    assert (guarded.concurrency.limit, guarded.concurrency.queue) == (8, 0)
    assert guarded.concurrency.queue_timeout == 10


def test_api_keys_expand_the_environment_and_stay_secret() -> None:
    config = parse_config(
        "backends: [{id: a, kind: openai, api_keys: ['${K1}', sk-literal-2]}]",
        env={"K1": "sk-from-env-1"},
    )
    keys = config.backends[0].api_keys
    assert [k.get_secret_value() for k in keys] == ["sk-from-env-1", "sk-literal-2"]
    assert "sk-from-env-1" not in repr(config) and "sk-literal-2" not in repr(config)


@pytest.mark.parametrize(
    "entry, message",
    [
        ("api_key: sk-one-secret, api_keys: [sk-two-secret]", r"\.api_keys: give api_key or"),
        ("api_keys: [sk-two-secret, '']", r"\.api_keys: holds an empty key"),
    ],
)
def test_api_keys_that_cannot_work_are_errors_that_do_not_repeat_them(
    entry: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_config(f"backends: [{{id: a, kind: openai, {entry}}}]", env={})
    assert "secret" not in str(caught.value)


def test_instances_override_url_keys_and_headers_and_default_to_weight_one() -> None:
    config = parse_config(
        "backends: [{id: a, kind: openai, api_key: sk-backend, headers: {X-A: '1'}, instances: ["
        "{id: eu, base_url: 'https://eu.test/v1/', api_keys: ['${EU}'], headers: {X-A: '2'},"
        " weight: 2.5}, {id: us}]}]",
        env={"EU": "sk-eu-from-env"},
    )
    (backend,) = config.backends
    eu, us = backend.instances
    assert (eu.base_url, eu.weight, eu.headers) == ("https://eu.test/v1", 2.5, {"X-A": "2"})
    assert [k.get_secret_value() for k in eu.api_keys] == ["sk-eu-from-env"]
    assert (us.base_url, us.api_key, us.api_keys, us.headers, us.weight) == (None, None, (), {}, 1)
    assert backend.upstream_ids() == ("a.eu", "a.us")
    assert "sk-eu-from-env" not in repr(config)


def test_a_backend_without_instances_is_its_own_upstream() -> None:
    (backend,) = parse_config("backends: [{id: a, kind: localstub}]", env={}).backends
    assert backend.instances == () and backend.upstream_ids() == ("a",)


def test_instance_keys_that_cannot_work_are_errors_that_do_not_repeat_them() -> None:
    with pytest.raises(ConfigError, match=r"\.instances\[0\] \(id 'x'\)\.api_keys: give") as caught:
        parse_config(
            "backends: [{id: a, kind: openai, instances: "
            "[{id: x, api_key: sk-one-secret, api_keys: [sk-two-secret]}]}]",
            env={},
        )
    assert "secret" not in str(caught.value)
