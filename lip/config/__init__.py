"""Typed configuration: YAML + ${ENV} loading, validated at startup."""

from lip.config.loader import ConfigError, load_config, parse_config
from lip.config.model import (
    BackendConfig,
    Config,
    ModelAlias,
    RoutingConfig,
    ServerConfig,
    ServerTimeouts,
    TimeoutConfig,
    TLSConfig,
)

__all__ = [
    "BackendConfig",
    "Config",
    "ConfigError",
    "ModelAlias",
    "RoutingConfig",
    "ServerConfig",
    "ServerTimeouts",
    "TLSConfig",
    "TimeoutConfig",
    "load_config",
    "parse_config",
]
