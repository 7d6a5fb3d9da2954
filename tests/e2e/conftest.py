"""Real loopback servers: LIP (embedded default and emulator-backed) and the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import openai
import pytest
from starlette.applications import Starlette

from lip.config import load_config, parse_config
from lip.server import create_app, server_options
from refbackends.openai_chat import create_app as create_emulator
from refbackends.serving import serve_in_thread

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e (``-m e2e`` / ``-m "not e2e"``); a
    ``pytestmark`` in a conftest would mark nothing."""
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    with serve_in_thread(create_emulator(api_key="sk-upstream-secret-1234")) as url:
        yield url


@pytest.fixture(scope="session")
def stub_url() -> Iterator[str]:
    """LIP on the embedded default config: local stub, no keys."""
    with serve_lip(create_app(load_config())) as url:
        yield url


@contextmanager
def serve_lip(app: Starlette) -> Iterator[str]:
    """LIP on a loopback socket, with the connection layer ``lip serve`` uses."""
    with serve_in_thread(app, lifespan="on", options=server_options(app)) as url:
        yield url


def lip_config_for(upstream: str, **server: object) -> str:
    extra = "".join(f"  {k}: {v}\n" for k, v in server.items())
    return f"""
server:
  host: 127.0.0.1
{extra}
backends:
  - id: emu
    kind: openai-compatible
    base_url: {upstream}/v1
    api_key: sk-upstream-secret-1234
    models: [gpt-4o-mini, "*"]
    model_map: {{fast: gpt-4o-mini}}
  - id: stub
    kind: localstub
    models: [lip-stub]
"""


@pytest.fixture(scope="session")
def lip_url(emulator_url: str) -> Iterator[str]:
    """LIP routing bare models to the emulator (and lip-stub to the stub)."""
    config = parse_config(lip_config_for(emulator_url, max_body_bytes=65536), env={})
    with serve_lip(create_app(config)) as url:
        yield url


@pytest.fixture
def emulator(emulator_url: str) -> Iterator[httpx.Client]:
    """Control-plane client of the emulator, with a clean queue and request log."""
    with httpx.Client(base_url=f"{emulator_url}/__emulator__", timeout=5) as control:
        control.delete("/scripts")
        control.delete("/requests")
        yield control


def sdk(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key="client-key", max_retries=0, timeout=10)
