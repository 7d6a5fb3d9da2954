"""Backend kinds as descriptors: config is checked against the registered kinds."""

from __future__ import annotations

import pytest

from lip.backends import BUILTIN_KINDS, HTTPBackend, UpstreamClient, build_backend, resolve_backends
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
        (
            "backends: [{id: a, kind: gemini, api_key: k}]",
            "reserved: this version of LIP has no gemini backend",
        ),
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
    headers = backend._headers  # the fixed headers of every request
    assert headers["authorization"] == "Bearer sk-x" and headers["x-org"] == "o"


def test_every_builtin_kind_is_unique() -> None:
    names = [k.name for k in BUILTIN_KINDS]
    assert len(names) == len(set(names))
