"""The official `openai` JS SDK's Responses API through LIP: a three-turn
conversation by ``previous_response_id`` on backends of other protocols (an
OpenAI Chat upstream and an Anthropic upstream), each turn streamed by the
SDK's own helper and checked against what the upstream saw."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lip.config import parse_config
from lip.server import create_app
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

JS = Path(__file__).resolve().parents[2] / "parity" / "js"
NODE = shutil.which("node")
UPSTREAM_KEY = "sk-upstream-responses-js-0000"

pytestmark = pytest.mark.skipif(
    NODE is None or not (JS / "node_modules" / "openai").is_dir(),
    reason="Node.js or the openai JS SDK (npm ci --prefix parity/js) is missing",
)

# Three turns, each through responses.stream(...).finalResponse(), chained by id.
SCRIPT = """
import OpenAI from 'openai';
const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'client-key', maxRetries: 0, timeout: 20000 });
const turns = [];
let previous = undefined;
for (const input of ['one', 'two', 'three']) {
  const final = await client.responses.stream({ model, input, previous_response_id: previous })
    .finalResponse();
  turns.push({ id: final.id, text: final.output_text, previous: final.previous_response_id });
  previous = final.id;
}
const listed = await client.responses.inputItems.list(previous);
process.stdout.write(JSON.stringify({ turns, items: listed.data.length }));
"""


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    with (
        serve_in_thread(chat_emulator(api_key=UPSTREAM_KEY)) as chat_url,
        serve_in_thread(anthropic_emulator(api_key=UPSTREAM_KEY)) as anthropic_url,
    ):
        yield {"gpt-4o-mini": chat_url, "claude-sonnet-5": anthropic_url}


@pytest.fixture(scope="module")
def lip_url(upstreams: dict[str, str]) -> Iterator[str]:
    config = f"""
backends:
  - {{id: chat, kind: openai-compatible, base_url: '{upstreams["gpt-4o-mini"]}/v1',
      api_key: {UPSTREAM_KEY}, models: [gpt-4o-mini]}}
  - {{id: anthropic, kind: anthropic, base_url: '{upstreams["claude-sonnet-5"]}/v1',
      api_key: {UPSTREAM_KEY}, models: [claude-sonnet-5]}}
"""
    with serve_lip(create_app(parse_config(config, env={}))) as url:
        yield url


@pytest.mark.parametrize("model", ["gpt-4o-mini", "claude-sonnet-5"])
def test_three_turns_by_previous_response_id_from_the_js_sdk(
    upstreams: dict[str, str], lip_url: str, model: str, tmp_path: Path
) -> None:
    assert NODE is not None
    script = JS / f".e2e-{tmp_path.name}.mjs"  # beside node_modules, so 'openai' resolves
    script.write_text(SCRIPT, encoding="utf-8")
    try:
        done = subprocess.run(
            [NODE, str(script), f"{lip_url}/v1", model],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        script.unlink()
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    turns = out["turns"]
    assert [t["previous"] for t in turns[1:]] == [turns[0]["id"], turns[1]["id"]]
    assert all(word in t["text"] for word, t in zip(("one", "two", "three"), turns, strict=True))
    assert out["items"] == 1
    # The upstream got the whole conversation on the third turn.
    last = httpx.get(f"{upstreams[model]}/__emulator__/requests?limit=1").json()["data"][-1]
    said = json.dumps(last["body"]["messages"])
    assert all(word in said for word in ("one", "two", "three"))
