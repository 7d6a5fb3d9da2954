"""A spec-shaped, scriptable emulator of the OpenAI Responses API.

In tests (real loopback socket)::

    from refbackends.openai_responses import create_app
    from refbackends.serving import serve_in_thread

    with serve_in_thread(create_app()) as base_url:
        client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="x")
        client.responses.create(model="gpt-4.1", input="hello")

Standalone: ``lip emulate openai-responses`` (or ``uvicorn --factory
refbackends.openai_responses:create_app``; emulated cuts then show up as
tracebacks unless :func:`refbackends.serving.quiet_emulated_cuts` is called
first).

See :mod:`refbackends.openai_responses.app` for routes,
:mod:`refbackends.openai_responses.store` for what it remembers between
requests, and :mod:`refbackends.scripting` / :mod:`refbackends.control` for
scripting.
"""

from refbackends.openai_responses.app import create_app

__all__ = ["create_app"]
