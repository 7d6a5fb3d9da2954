"""A spec-shaped, scriptable emulator of the Gemini API
(generativelanguage.googleapis.com).

In tests (real loopback socket)::

    from google import genai
    from refbackends.gemini import create_app
    from refbackends.serving import serve_in_thread

    with serve_in_thread(create_app()) as base_url:
        client = genai.Client(api_key="x", http_options={"base_url": base_url})
        client.models.generate_content(model="gemini-2.5-flash", contents="hello")

Standalone: ``lip emulate gemini`` (or ``uvicorn --factory
refbackends.gemini:create_app``; emulated cuts then show up as tracebacks
unless :func:`refbackends.serving.quiet_emulated_cuts` is called first).

See :mod:`refbackends.gemini.app` for routes, :mod:`.validation` for what
it refuses, :mod:`.encoding` for the wire shapes, and
:mod:`refbackends.scripting` / :mod:`refbackends.control` for scripting.
"""

from refbackends.gemini.app import create_app

__all__ = ["create_app"]
