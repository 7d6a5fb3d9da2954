"""Gemini CLI itself, one-shot through LIP, against every backend kind.

Runs when the CLI is there (``npm ci --prefix parity/js`` installs it; or
``$LIP_GEMINI_CLI``, or ``gemini`` on PATH), offline and on 127.0.0.1 only:
``GOOGLE_GEMINI_BASE_URL`` points it at LIP, and a fresh home holds a
settings file with API-key auth and telemetry, usage statistics and update
checks off. The upstream (each backend's emulator, scripted) answers with a
``read_file`` call, Gemini CLI reads the file and sends the result back, and
the upstream's answer is what it prints.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lip.config import parse_config
from lip.server import create_app
from parity.agents import AGENTS, ANSWER, locate, scripted_run, workspace
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.gemini import create_app as gemini_emulator
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

AGENT = AGENTS["gemini-cli"]
CLI = locate(AGENT)
UPSTREAM_KEY = "sk-upstream-gemini-cli-0000"

pytestmark = pytest.mark.skipif(CLI is None, reason="Gemini CLI is not installed")


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    with (
        serve_in_thread(gemini_emulator(api_key=UPSTREAM_KEY)) as gemini_url,
        serve_in_thread(chat_emulator(api_key=UPSTREAM_KEY)) as chat_url,
        serve_in_thread(anthropic_emulator(api_key=UPSTREAM_KEY)) as anthropic_url,
    ):
        yield {"gemini-up": gemini_url, "gpt-chat": chat_url, "claude-up": anthropic_url}


@pytest.fixture(scope="module")
def lip_url(upstreams: dict[str, str]) -> Iterator[str]:
    config = f"""
backends:
  - {{id: gemini, kind: gemini, base_url: '{upstreams["gemini-up"]}/v1beta',
      api_key: {UPSTREAM_KEY}, models: [gemini-up]}}
  - {{id: chat, kind: openai-compatible, base_url: '{upstreams["gpt-chat"]}/v1',
      api_key: {UPSTREAM_KEY}, models: [gpt-chat]}}
  - {{id: anthropic, kind: anthropic, base_url: '{upstreams["claude-up"]}/v1',
      api_key: {UPSTREAM_KEY}, models: [claude-up]}}
  - {{id: stub, kind: localstub, models: [lip-stub]}}
"""
    with serve_lip(create_app(parse_config(config, env={}))) as url:
        yield url


@pytest.mark.parametrize("model", ["gemini-up", "gpt-chat", "claude-up"])
def test_gemini_cli_reads_a_file_and_prints_the_upstreams_answer(
    upstreams: dict[str, str], lip_url: str, model: str
) -> None:
    assert CLI is not None
    with workspace() as (work, home):
        result, logged = scripted_run(
            AGENT, CLI, lip_url, upstreams[model], work, home, model=model
        )
    assert result.text == ANSWER
    # The second upstream request carried the file Gemini CLI read.
    assert len(logged) == 2
    assert "The answer is 42." in str(logged[1]["body"])


def test_gemini_cli_through_lip_to_the_local_stub(lip_url: str) -> None:
    assert CLI is not None
    with workspace() as (work, home):
        result = AGENT.run(CLI, lip_url, work, home, model="lip-stub")
    assert result.text == "You said: What does hello.txt say?"
