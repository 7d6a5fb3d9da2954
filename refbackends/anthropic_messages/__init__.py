"""A spec-shaped, scriptable emulator of the Anthropic Messages API.

In tests (real loopback socket)::

    from refbackends.anthropic_messages import create_app
    from refbackends.serving import serve_in_thread

    with serve_in_thread(create_app()) as base_url:
        client = anthropic.Anthropic(base_url=base_url, api_key="x")

Standalone: ``lip emulate anthropic-messages --port 8082`` (or
``uvicorn --factory refbackends.anthropic_messages:create_app``).

See :mod:`refbackends.anthropic_messages.app` for routes,
:mod:`.scenarios` for the default replies, :mod:`.planned` for scripted
plans, and :mod:`refbackends.scripting` / :mod:`refbackends.control` for
scripting (shared with the other emulators).
"""

from refbackends.anthropic_messages.app import create_app

__all__ = ["create_app"]
