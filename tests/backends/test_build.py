"""Backend kinds as descriptors: config is checked against the registered kinds."""

from __future__ import annotations

import ssl

import pytest

from lip.backends import (
    BUILTIN_KINDS,
    HTTPBackend,
    ResolvedBackend,
    UpstreamClient,
    build_backend,
    resolve_backends,
)
from lip.canonical import DEFAULT_LIMITS
from lip.config import ConfigError, parse_config
from lip.plugins import Plugins

PLUGINS = Plugins.builtin()


def _resolve(text: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    config = parse_config(text, env={})
    return resolve_backends(config, PLUGINS.kind_table(), PLUGINS.codecs(), env or {})


def test_openai_key_and_base_url_come_from_the_kind() -> None:
    (oa,) = _resolve("backends: [{id: oa, kind: openai}]", {"OPENAI_API_KEY": "sk-env"})
    assert oa.api_key is not None and oa.api_key.get_secret_value() == "sk-env"
    assert oa.base_url == "https://api.openai.com/v1"
    assert oa.codec is not None and oa.codec.protocol == "openai_chat"


def test_config_key_wins_over_the_environment() -> None:
    (oa,) = _resolve(
        "backends: [{id: oa, kind: openai, api_key: sk-cfg}]", {"OPENAI_API_KEY": "sk-env"}
    )
    assert oa.api_key is not None and oa.api_key.get_secret_value() == "sk-cfg"


@pytest.mark.parametrize(
    "text, message",
    [
        ("backends: [{id: oa, kind: openai}]", r"id 'oa'.*OPENAI_API_KEY"),
        ("backends: [{id: a, kind: nope}]", r"\(id 'a'\)\.kind: unknown kind 'nope'"),
        ("backends: [{id: a, kind: openai-compatible}]", r"base_url: required"),
        ("backends: [{id: a, kind: anthropic}]", r"id 'a'.*ANTHROPIC_API_KEY"),
        ("backends: [{id: a, kind: openai, api: nope, api_key: k}]", r"\.api: 'nope' is not"),
        ("backends: [{id: a, kind: localstub, api: chat}]", "has no api to choose"),
    ],
)
def test_backends_that_do_not_fit_their_kind(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _resolve(text)


def test_http_kinds_build_the_generic_backend_with_the_codec_auth() -> None:
    (oa,) = _resolve(
        "backends: [{id: oa, kind: openai-compatible, base_url: 'http://127.0.0.1:1/v1', "
        "api_key: sk-x, headers: {X-Org: o}}]"
    )
    backend = build_backend(oa, UpstreamClient(), DEFAULT_LIMITS)
    assert isinstance(backend, HTTPBackend) and backend.id == "oa"
    headers = backend._headers  # the fixed headers of every request: no key among them
    assert "authorization" not in headers and headers["x-org"] == "o"
    assert backend.keys is not None and [k.secret for k in backend.keys.keys] == [oa.api_key]
    (key,) = backend.keys.keys
    assert backend._endpoint("http://127.0.0.1:1/v1", key)._headers["authorization"] == (
        "Bearer sk-x"
    )


def test_a_keyless_backend_has_no_pool() -> None:
    (ollama,) = _resolve(
        "backends: [{id: o, kind: openai-compatible, base_url: 'http://127.0.0.1:1/v1'}]"
    )
    assert ollama.api_key is None and ollama.api_keys == ()
    backend = build_backend(ollama, UpstreamClient(), DEFAULT_LIMITS)
    assert backend.keys is None and "authorization" not in backend._headers  # type: ignore[attr-defined]
    (stub,) = _resolve("backends: [{id: s, kind: localstub}]")
    assert build_backend(stub, UpstreamClient(), DEFAULT_LIMITS).keys is None


def _secrets(resolved: ResolvedBackend) -> list[str]:
    return [k.get_secret_value() for k in resolved.api_keys]


def test_config_api_keys_are_a_pool_without_duplicates() -> None:
    (oa,) = _resolve(
        "backends: [{id: oa, kind: openai, api_keys: [sk-a, sk-b, sk-a]}]",
        {"OPENAI_API_KEY": "sk-env"},
    )
    assert _secrets(oa) == ["sk-a", "sk-b"]
    assert oa.api_key is not None and oa.api_key.get_secret_value() == "sk-a"
    backend = build_backend(oa, UpstreamClient(), DEFAULT_LIMITS)
    assert backend.keys is not None and len(backend.keys) == 2


def test_environment_keys_are_read_as_a_pool() -> None:
    env = {
        "OPENAI_API_KEY": "sk-1",
        "OPENAI_API_KEY_2": "sk-2",
        "OPENAI_API_KEY_3": "",  # empty: skipped
        "OPENAI_API_KEY_5": "sk-5",  # after a gap: still read
        "OPENAI_API_KEY_6": "sk-1",  # a duplicate: one key
        "OPENAI_API_KEY_32": "sk-32",
        "OPENAI_API_KEY_33": "sk-33",  # past the end of the pool
    }
    (oa,) = _resolve("backends: [{id: oa, kind: openai}]", env)
    assert _secrets(oa) == ["sk-1", "sk-2", "sk-5", "sk-32"]
    assert oa.api_key is not None and oa.api_key.get_secret_value() == "sk-1"


def test_the_first_environment_name_with_any_key_wins() -> None:
    # Only numbered keys under the first name still make it the pool.
    env = {"GEMINI_API_KEY_2": "g-2", "GOOGLE_API_KEY": "go-1", "GOOGLE_API_KEY_2": "go-2"}
    (gemini,) = _resolve("backends: [{id: g, kind: gemini}]", env)
    assert _secrets(gemini) == ["g-2"]
    (google,) = _resolve("backends: [{id: g, kind: gemini}]", {"GOOGLE_API_KEY_4": "go-4"})
    assert _secrets(google) == ["go-4"]


def test_config_keys_win_over_an_environment_pool() -> None:
    env = {"OPENAI_API_KEY": "sk-env", "OPENAI_API_KEY_2": "sk-env-2"}
    (oa,) = _resolve("backends: [{id: oa, kind: openai, api_keys: [sk-cfg]}]", env)
    assert _secrets(oa) == ["sk-cfg"]


def test_every_builtin_kind_is_unique() -> None:
    names = [k.name for k in BUILTIN_KINDS]
    assert len(names) == len(set(names))


def test_a_proxy_from_the_environment_only_when_asked() -> None:
    env = {"HTTPS_PROXY": "http://proxy.test:3128", "OPENAI_API_KEY": "k"}
    (plain,) = _resolve("backends: [{id: oa, kind: openai}]", env)
    assert plain.proxy is None  # the environment is ignored by default
    (asked,) = _resolve("backends: [{id: oa, kind: openai, proxy: env}]", env)
    assert asked.proxy is not None and asked.proxy.get_secret_value() == "http://proxy.test:3128"
    (exempt,) = _resolve(
        "backends: [{id: oa, kind: openai, proxy: env}]", {**env, "NO_PROXY": "openai.com"}
    )
    assert exempt.proxy is None
    (named,) = _resolve("backends: [{id: oa, kind: openai, proxy: 'http://u:pw@p.test:1'}]", env)
    assert named.proxy is not None and "pw" not in repr(named)
    backend = build_backend(named, UpstreamClient(), DEFAULT_LIMITS)
    assert isinstance(backend, HTTPBackend)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("proxy: 'socks5://u:hunter2@p:1'", r"proxy: must be 'env' or an http://"),
        ("tls: {ca_file: /nonexistent/ca.pem}", r"\(id 'oa'\)\.tls\.ca_file: cannot be used"),
        ("headers: {'x-bad': \"a\\r\\nb\"}", r"\(id 'oa'\): header 'x-bad' cannot be sent"),
    ],
)
def test_upstream_settings_that_cannot_work_are_config_errors(entry: str, message: str) -> None:
    text = f"backends: [{{id: oa, kind: openai, api_key: k, {entry}}}]"
    with pytest.raises(ConfigError, match=message) as caught:
        (oa,) = _resolve(text)
        build_backend(oa, UpstreamClient(), DEFAULT_LIMITS)
    assert "hunter2" not in str(caught.value)


def test_tls_verification_stays_on_unless_turned_off() -> None:
    (oa,) = _resolve("backends: [{id: oa, kind: openai, api_key: k}]")
    assert oa.config.tls.verify and oa.config.tls.ca_file is None
    (off,) = _resolve("backends: [{id: oa, kind: openai, api_key: k, tls: {verify: false}}]")
    backend = build_backend(off, UpstreamClient(), DEFAULT_LIMITS)
    assert isinstance(backend, HTTPBackend) and backend._tls is not None
    assert backend._tls.verify_mode == ssl.CERT_NONE


# -- backend instances ---------------------------------------------------------

POOL = """
backends:
  - id: pool
    kind: openai
    base_url: 'http://127.0.0.1:1/v1'
    api_keys: [sk-shared-1, sk-shared-2]
    headers: {X-Team: a, X-Region: none}
    timeout: {read: 7}
    max_connections: 3
    instances:
      - {id: eu, base_url: 'http://127.0.0.1:2/v1', api_key: sk-eu, headers: {x-region: eu}}
      - {id: us, weight: 2}
"""


def test_each_instance_resolves_to_its_own_upstream() -> None:
    eu, us = _resolve(POOL)
    assert (eu.id, eu.instance is not None and eu.instance.id) == ("pool.eu", "eu")
    assert (us.id, us.config.id) == ("pool.us", "pool")
    assert (eu.base_url, us.base_url) == ("http://127.0.0.1:2/v1", "http://127.0.0.1:1/v1")
    assert _secrets(eu) == ["sk-eu"]  # its own keys replace the backend's
    assert _secrets(us) == ["sk-shared-1", "sk-shared-2"]  # none of its own: inherited
    assert eu.codec is not None and eu.codec is us.codec


def test_each_instance_builds_its_own_backend_pool_and_keys() -> None:
    eu, us = (build_backend(r, None, DEFAULT_LIMITS) for r in _resolve(POOL))
    assert isinstance(eu, HTTPBackend) and isinstance(us, HTTPBackend)
    assert (eu.id, us.id) == ("pool.eu", "pool.us")
    assert eu._http is not us._http and eu._owns_http and us._owns_http  # own connection pools
    assert eu.keys is not None and us.keys is not None and eu.keys is not us.keys
    assert (eu.keys.backend_id, len(eu.keys), len(us.keys)) == ("pool.eu", 1, 2)
    # Headers merge over the backend's, case-insensitively; the rest is inherited.
    assert (eu._headers["x-team"], eu._headers["x-region"]) == ("a", "eu")
    assert (us._headers["x-team"], us._headers["x-region"]) == ("a", "none")
    for backend in (eu, us):
        assert backend._max_connections == 3 and backend._timeout.read == 7
    assert eu._base_url == "http://127.0.0.1:2/v1"


def test_instances_inherit_the_kind_s_defaults_and_environment_keys() -> None:
    env = {"OPENAI_API_KEY": "sk-env", "OPENAI_API_KEY_2": "sk-env-2"}
    one, two = _resolve(
        "backends: [{id: oa, kind: openai, instances: [{id: one}, {id: two, api_key: sk-2}]}]",
        env,
    )
    assert one.base_url == two.base_url == "https://api.openai.com/v1"
    assert (_secrets(one), _secrets(two)) == (["sk-env", "sk-env-2"], ["sk-2"])


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "backends: [{id: s, kind: localstub, instances: [{id: a}]}]",
            r"\(id 's'\)\.instances: kind 'localstub' runs in process",
        ),
        (
            "backends: [{id: c, kind: openai-compatible, instances: "
            "[{id: a, base_url: 'http://127.0.0.1:1'}, {id: b}]}]",
            r"\(id 'c'\)\.instances \(id 'b'\)\.base_url: required",
        ),
        (
            "backends: [{id: oa, kind: openai, instances: [{id: a, api_key: k}, {id: b}]}]",
            r"\(id 'oa'\)\.instances \(id 'b'\)\.api_key: not set and \$OPENAI_API_KEY",
        ),
    ],
)
def test_instances_that_do_not_fit_their_kind(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _resolve(text)
