"""Typed configuration: YAML + ${ENV} loading, validated at startup."""

from lip.config.access import (
    AccessConfig,
    ClientKeyConfig,
    KeyBudget,
    KeyLimits,
    OIDCConfig,
)
from lip.config.loader import ConfigError, load_client_keys, load_config, parse_config
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
    "AccessConfig",
    "BackendConfig",
    "ClientKeyConfig",
    "Config",
    "ConfigError",
    "KeyBudget",
    "KeyLimits",
    "ModelAlias",
    "OIDCConfig",
    "RoutingConfig",
    "ServerConfig",
    "ServerTimeouts",
    "TLSConfig",
    "TimeoutConfig",
    "load_client_keys",
    "load_config",
    "parse_config",
]
