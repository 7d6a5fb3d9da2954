"""The config models themselves, validated without the loader."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lip.config import ConfigError, parse_config
from lip.config.model import Config

KEY = "sk-do-not-echo-1234"


@pytest.mark.parametrize(
    "backend",
    [
        # A missing key: the error's input is the whole backend, key included.
        {"id": "a", "api_key": KEY},
        # A bad value beside the key, and the key itself in the wrong shape.
        {"id": "a", "kind": "openai", "api_key": KEY, "timeout": "slow"},
        {"id": "a", "kind": "openai", "api_keys": KEY},
        {"id": "a", "kind": "openai", "proxy": f"ftp://user:{KEY}@proxy"},
        # An instance's key beside a bad value, and its keys in the wrong shape.
        {"id": "a", "kind": "openai", "instances": [{"id": "i", "api_key": KEY, "weight": -1}]},
        {"id": "a", "kind": "openai", "instances": [{"id": "i", "api_keys": KEY}]},
        {"id": "a", "kind": "openai", "instances": [{"api_key": KEY}]},
    ],
)
def test_a_raw_validation_error_never_quotes_a_secret(backend: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as caught:
        Config.model_validate({"backends": [backend]})
    assert "backends.0." in str(caught.value)  # still says where
    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)


@pytest.mark.parametrize(
    "path", ["/v1/chat/completions", "/v1", "/v1beta/models", "/diagnostics/x", "/healthz", "/"]
)
def test_a_metrics_path_may_not_overlap_lip_routes(path: str) -> None:
    with pytest.raises(ConfigError, match="overlaps LIP's own routes"):
        parse_config(
            f"backends: [{{id: s, kind: localstub}}]\n"
            f"observability: {{metrics: {{enabled: true, path: '{path}'}}}}",
            env={},
        )
    parse_config(
        "backends: [{id: s, kind: localstub}]\n"
        "observability: {metrics: {enabled: true, path: /internal/metrics}}",
        env={},
    )


@pytest.mark.parametrize("interval", ["-0.1", "61"])
def test_the_observers_flush_interval_is_bounded(interval: str) -> None:
    backends = "backends: [{id: s, kind: localstub}]\n"
    with pytest.raises(ConfigError, match="flush_interval"):
        parse_config(f"{backends}observability: {{flush_interval: {interval}}}", env={})
    for fine in ("0", "0.1", "60"):
        config = parse_config(f"{backends}observability: {{flush_interval: {fine}}}", env={})
        assert config.observability.flush_interval == float(fine)
