"""A spec-shaped, scriptable emulator of the OpenAI Chat Completions API.

In tests (real loopback socket)::

    from refbackends.openai_chat import create_app
    from refbackends.serving import serve_in_thread

    with serve_in_thread(create_app()) as base_url:
        client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="x")

Standalone: ``uvicorn --factory refbackends.openai_chat:create_app``
(emulated cuts then show up as "Exception in ASGI application" tracebacks
unless :func:`refbackends.serving.quiet_emulated_cuts` is called first).

See :mod:`refbackends.openai_chat.app` for routes and
:mod:`refbackends.scripting` / :mod:`refbackends.control` for scripting.
"""

from refbackends.openai_chat.app import create_app

__all__ = ["create_app"]
