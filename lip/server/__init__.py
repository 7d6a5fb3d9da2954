"""The HTTP server: app factory, protocol endpoints, runtime."""

from lip.server.app import create_app
from lip.server.reload import ReloadableApp
from lip.server.runtime import Runtime
from lip.server.serving import server_options

__all__ = ["ReloadableApp", "Runtime", "create_app", "server_options"]
