"""The HTTP server: app factory, protocol endpoints, runtime."""

from lip.server.app import create_app
from lip.server.runtime import Runtime

__all__ = ["Runtime", "create_app"]
