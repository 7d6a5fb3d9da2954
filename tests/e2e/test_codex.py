"""Codex CLI itself, one-shot through LIP, against every backend kind.

Runs when the CLI is there (``npm ci --prefix parity/js`` installs it; or
``$LIP_CODEX``, or ``codex`` on PATH), offline and on 127.0.0.1 only: its
analytics and update check are off and its home is a fresh folder. Codex
speaks only the Responses API; it offers a ``namespace`` tool and the hosted
``web_search`` on every request, so this is also the test that a backend of
another protocol takes what it can run and leaves out what it cannot. The
upstream (each backend's emulator, scripted) answers with an
``exec_command`` call that reads a file, Codex runs it and sends the result
back, and the upstream's answer is what Codex prints.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lip.config import parse_config
from lip.server import create_app
from parity.agents import AGENTS, ANSWER, locate, scripted_run, workspace
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.openai_responses import create_app as responses_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

AGENT = AGENTS["codex"]
CLI = locate(AGENT)
UPSTREAM_KEY = "sk-upstream-codex-0000"

pytestmark = pytest.mark.skipif(CLI is None, reason="Codex CLI is not installed")


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    with (
        serve_in_thread(responses_emulator(api_key=UPSTREAM_KEY)) as responses_url,
        serve_in_thread(chat_emulator(api_key=UPSTREAM_KEY)) as chat_url,
        serve_in_thread(anthropic_emulator(api_key=UPSTREAM_KEY)) as anthropic_url,
    ):
        yield {"gpt-responses": responses_url, "gpt-chat": chat_url, "claude-up": anthropic_url}


@pytest.fixture(scope="module")
def lip_url(upstreams: dict[str, str]) -> Iterator[str]:
    config = f"""
backends:
  - {{id: responses, kind: openai-compatible, api: responses,
      base_url: '{upstreams["gpt-responses"]}/v1', api_key: {UPSTREAM_KEY},
      models: [gpt-responses]}}
  - {{id: chat, kind: openai-compatible, base_url: '{upstreams["gpt-chat"]}/v1',
      api_key: {UPSTREAM_KEY}, models: [gpt-chat]}}
  - {{id: anthropic, kind: anthropic, base_url: '{upstreams["claude-up"]}/v1',
      api_key: {UPSTREAM_KEY}, models: [claude-up]}}
  - {{id: stub, kind: localstub, models: [lip-stub]}}
"""
    with serve_lip(create_app(parse_config(config, env={}))) as url:
        yield url


@pytest.mark.parametrize("model", ["gpt-responses", "gpt-chat", "claude-up"])
def test_codex_runs_a_command_and_prints_the_upstreams_answer(
    upstreams: dict[str, str], lip_url: str, model: str
) -> None:
    assert CLI is not None
    with workspace() as (work, home):
        result, logged = scripted_run(
            AGENT, CLI, lip_url, upstreams[model], work, home, model=model
        )
    assert result.text == ANSWER
    assert result.turns == 2
    # The second upstream request carried the command's output.
    assert len(logged) == 2
    assert "The answer is 42." in str(logged[1]["body"])


def test_codex_through_lip_to_the_local_stub(lip_url: str) -> None:
    assert CLI is not None
    with workspace() as (work, home):
        result = AGENT.run(CLI, lip_url, work, home, model="lip-stub")
    assert result.text == "You said: What does hello.txt say?"
