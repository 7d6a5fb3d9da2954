"""Client keys through every official SDK, over real sockets: LIP in ``keys``
mode in front of each protocol's emulator. For the Python SDKs (openai's Chat
Completions and Responses, anthropic, google-genai) and the JS SDKs (openai,
@anthropic-ai/sdk, @google/genai): a good key is served; an unknown key is the
SDK's own authentication error (401); a model outside the key's globs is its
permission error (403); the third request against ``rpm: 2`` is its rate-limit
error (429) with a retry hint (``Retry-After``; for Gemini also a
``google.rpc.RetryInfo`` detail). SDK retries are off, so each 429 is seen as
sent. Each JS SDK runs all its checks in one Node process."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import pytest
from google import genai
from google.genai import errors, types

from lip.config import parse_config
from lip.server import create_app
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.gemini import create_app as gemini_emulator
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.openai_responses import create_app as responses_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

JS = Path(__file__).resolve().parents[2] / "parity" / "js"
NODE = shutil.which("node")
UPSTREAM_KEY = "sk-upstream-access-sdks-0000"
KEY_ALL = "sdk-key-all-models-0123456789"
KEY_NARROW = "sdk-key-narrow-0123456789"
BAD_KEY = "sdk-key-nobody-has-0123456789"
NARROW_MODELS = ["lip-stub", "claude-*"]
# One rpm-limited key per lane (SDK and API), so no lane spends another's requests.
LANES = (
    "py-chat",
    "py-responses",
    "py-anthropic",
    "py-gemini",
    "js-chat",
    "js-responses",
    "js-anthropic",
    "js-gemini",
)
PROMPT = "hello there"
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def limited_key(lane: str) -> str:
    return f"sdk-key-limited-{lane}-0123456789"


@pytest.fixture(scope="module")
def lip_url() -> Iterator[str]:
    with (
        serve_in_thread(chat_emulator(api_key=UPSTREAM_KEY)) as chat,
        serve_in_thread(responses_emulator(api_key=UPSTREAM_KEY)) as responses,
        serve_in_thread(anthropic_emulator(api_key=UPSTREAM_KEY)) as messages,
        serve_in_thread(gemini_emulator(api_key=UPSTREAM_KEY)) as gemini,
    ):
        limited = "".join(
            f"    - {{id: limited-{lane}, key: {limited_key(lane)}, limits: {{rpm: 2}}}}\n"
            for lane in LANES
        )
        config = f"""
backends:
  - {{id: chat, kind: openai-compatible, base_url: '{chat}/v1', api_key: {UPSTREAM_KEY},
      models: [gpt-4o-mini]}}
  - {{id: responses, kind: openai-compatible, api: responses, base_url: '{responses}/v1',
      api_key: {UPSTREAM_KEY}, models: [gpt-5-mini]}}
  - {{id: anthropic, kind: anthropic, base_url: '{messages}/v1', api_key: {UPSTREAM_KEY},
      models: [claude-sonnet-5]}}
  - {{id: gemini, kind: gemini, base_url: '{gemini}/v1beta', api_key: {UPSTREAM_KEY},
      models: [gemini-2.5-flash]}}
  - {{id: stub, kind: localstub, models: [lip-stub]}}
access:
  mode: keys
  keys:
    - {{id: all, key: {KEY_ALL}}}
    - {{id: narrow, key: {KEY_NARROW}, models: {json.dumps(NARROW_MODELS)}}}
{limited}"""
        with serve_lip(create_app(parse_config(config, env={}))) as url:
            yield url


# --- The Python SDKs ---------------------------------------------------------


def chat_call(base: str, key: str, model: str) -> str:
    with openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0, timeout=10) as client:
        reply = client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": PROMPT}]
        )
    return reply.choices[0].message.content or ""


def responses_call(base: str, key: str, model: str) -> str:
    with openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0, timeout=10) as client:
        return client.responses.create(model=model, input=PROMPT).output_text


def anthropic_call(base: str, key: str, model: str) -> str:
    with anthropic.Anthropic(base_url=base, api_key=key, max_retries=0, timeout=10) as client:
        reply = client.messages.create(
            model=model, max_tokens=64, messages=[{"role": "user", "content": PROMPT}]
        )
    return "".join(b.text for b in reply.content if b.type == "text")


def gemini_call(base: str, key: str, model: str) -> str:
    options = types.HttpOptions(
        base_url=base,
        api_version="v1beta",
        timeout=10_000,
        retry_options=types.HttpRetryOptions(attempts=1),  # no retry of a 429
    )
    with genai.Client(api_key=key, http_options=options) as client:
        return client.models.generate_content(model=model, contents=PROMPT).text or ""


def openai_hint(exc: Exception) -> str | None:
    assert isinstance(exc, openai.APIStatusError)
    return exc.response.headers.get("retry-after")


def anthropic_hint(exc: Exception) -> str | None:
    assert isinstance(exc, anthropic.APIStatusError)
    return exc.response.headers.get("retry-after")


def gemini_hint(exc: Exception) -> str | None:
    """The RetryInfo detail's retryDelay (``"60s"``), from the parsed error body."""
    assert isinstance(exc, errors.APIError)
    return retry_delay(exc.details)


def retry_delay(body: Any) -> str | None:
    details = body.get("error", {}).get("details", []) if isinstance(body, dict) else []
    return next((d.get("retryDelay") for d in details if d.get("@type") == RETRY_INFO), None)


def openai_kind(exc: Exception) -> object:
    assert isinstance(exc, openai.APIStatusError)
    return exc.code


def anthropic_kind(exc: Exception) -> object:
    assert isinstance(exc, anthropic.APIStatusError) and isinstance(exc.body, dict)
    return exc.body["error"]["type"]


def gemini_kind(exc: Exception) -> object:
    assert isinstance(exc, errors.APIError)
    return exc.status


@dataclass(frozen=True)
class Sdk:
    lane: str
    call: Callable[[str, str, str], str]
    model: str
    """Served by this protocol's emulator; not among the narrow key's globs."""
    auth: type[Exception]
    denied: type[Exception]
    limited: type[Exception]
    kind: Callable[[Exception], object]
    """The error's type or code, as the SDK reports it ..."""
    kinds: tuple[object, object, object]
    """... for 401, 403 and 429."""
    hint: Callable[[Exception], str | None]


SDKS = [
    Sdk(
        "py-chat",
        chat_call,
        "gpt-4o-mini",
        openai.AuthenticationError,
        openai.PermissionDeniedError,
        openai.RateLimitError,
        openai_kind,
        ("invalid_api_key", "model_not_allowed", "rpm_exceeded"),
        openai_hint,
    ),
    Sdk(
        "py-responses",
        responses_call,
        "gpt-5-mini",
        openai.AuthenticationError,
        openai.PermissionDeniedError,
        openai.RateLimitError,
        openai_kind,
        ("invalid_api_key", "model_not_allowed", "rpm_exceeded"),
        openai_hint,
    ),
    Sdk(
        "py-anthropic",
        anthropic_call,
        "gpt-4o-mini",  # any model outside claude-*: the Messages API reaches every backend
        anthropic.AuthenticationError,
        anthropic.PermissionDeniedError,
        anthropic.RateLimitError,
        anthropic_kind,
        ("authentication_error", "permission_error", "rate_limit_error"),
        anthropic_hint,
    ),
    Sdk(
        "py-gemini",
        gemini_call,
        "gemini-2.5-flash",
        errors.ClientError,
        errors.ClientError,
        errors.ClientError,
        gemini_kind,
        ("UNAUTHENTICATED", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED"),
        gemini_hint,
    ),
]


def status_of(exc: Exception) -> int | None:
    if isinstance(exc, openai.APIStatusError | anthropic.APIStatusError):
        return exc.status_code
    if isinstance(exc, errors.APIError):
        return exc.code
    return None


@pytest.fixture(params=SDKS, ids=[s.lane for s in SDKS])
def sdk(request: pytest.FixtureRequest) -> Sdk:
    chosen: Sdk = request.param
    return chosen


def test_a_good_key_is_served(lip_url: str, sdk: Sdk) -> None:
    assert PROMPT in sdk.call(lip_url, KEY_ALL, sdk.model)


def test_an_unknown_key_is_the_sdks_authentication_error(lip_url: str, sdk: Sdk) -> None:
    with pytest.raises(sdk.auth) as caught:
        sdk.call(lip_url, BAD_KEY, sdk.model)
    assert status_of(caught.value) == 401
    assert sdk.kind(caught.value) == sdk.kinds[0]
    assert "invalid or revoked client key" in str(caught.value)
    assert BAD_KEY not in str(caught.value)


def test_a_model_outside_the_keys_globs_is_the_sdks_permission_error(
    lip_url: str, sdk: Sdk
) -> None:
    with pytest.raises(sdk.denied) as caught:
        sdk.call(lip_url, KEY_NARROW, sdk.model)
    assert status_of(caught.value) == 403
    assert sdk.kind(caught.value) == sdk.kinds[1]
    assert f"the key 'narrow' may not use model '{sdk.model}'" in str(caught.value)
    # The same key is served on a model its globs do allow.
    assert PROMPT in sdk.call(lip_url, KEY_NARROW, "lip-stub")


def test_the_third_request_against_rpm_2_is_the_sdks_rate_limit_error(
    lip_url: str, sdk: Sdk
) -> None:
    key = limited_key(sdk.lane)
    for _ in range(2):
        assert PROMPT in sdk.call(lip_url, key, sdk.model)
    with pytest.raises(sdk.limited) as caught:
        sdk.call(lip_url, key, sdk.model)
    assert status_of(caught.value) == 429
    assert sdk.kind(caught.value) == sdk.kinds[2]
    assert "2 requests per minute" in str(caught.value)
    hint = sdk.hint(caught.value)
    assert hint is not None and 0 < int(hint.removesuffix("s")) <= 60


def test_the_narrow_keys_glob_admits_a_model_it_matches(lip_url: str) -> None:
    assert PROMPT in anthropic_call(lip_url, KEY_NARROW, "claude-sonnet-5")


def test_gemini_429_also_carries_retry_after(lip_url: str) -> None:
    """Besides the RetryInfo detail the SDK parses, the reply's own header."""
    key = limited_key("py-gemini")  # spent by the rate-limit test above, or spent here
    url = f"{lip_url}/v1beta/models/gemini-2.5-flash:generateContent"
    body = {"contents": [{"role": "user", "parts": [{"text": PROMPT}]}]}
    for _ in range(3):
        reply = httpx.post(url, json=body, headers={"x-goog-api-key": key}, timeout=10)
    assert reply.status_code == 429
    assert int(reply.headers["retry-after"]) > 0
    assert retry_delay(reply.json()) == f"{reply.headers['retry-after']}s"


# --- The JS SDKs, one Node process each ---------------------------------------

# Each script gets the LIP URL and a JSON job ({keys, model}) and prints one
# JSON object: per check, what the SDK returned or threw.
_JS_COMMON = """
const [baseURL, jobText] = process.argv.slice(2);
const job = JSON.parse(jobText);
const results = {};
async function attempt(name, fn, describe) {
  try {
    results[name] = { ok: true, text: await fn() };
  } catch (err) {
    results[name] = { ok: false, status: err?.status ?? null, message: String(err?.message ?? err),
                      ...describe(err) };
  }
}
async function checks(prefix, call, describe) {
  await attempt(`${prefix}good`, () => call(job.keys.all, job.model), describe);
  await attempt(`${prefix}bad`, () => call(job.keys.bad, job.model), describe);
  await attempt(`${prefix}forbidden`, () => call(job.keys.narrow, job.model), describe);
  await attempt(`${prefix}allowed`, () => call(job.keys.narrow, 'lip-stub'), describe);
  for (const n of [1, 2, 3]) {
    await attempt(`${prefix}limited${n}`, () => call(job.keys[`${prefix}limited`], job.model), describe);
  }
}
"""

JS_SCRIPTS = {
    "openai": """
import OpenAI, { AuthenticationError, PermissionDeniedError, RateLimitError } from 'openai';
"""
    + _JS_COMMON
    + """
const describe = (err) => ({
  auth: err instanceof AuthenticationError,
  denied: err instanceof PermissionDeniedError,
  limited: err instanceof RateLimitError,
  kind: err?.code ?? null,
  retryAfter: err?.headers?.get?.('retry-after') ?? null,
});
const client = (apiKey) => new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0, timeout: 10000 });
await checks('chat-', async (key, model) => {
  const reply = await client(key).chat.completions.create(
    { model, messages: [{ role: 'user', content: 'hello there' }] });
  return reply.choices[0].message.content;
}, describe);
job.model = job.responsesModel;
await checks('responses-', async (key, model) =>
  (await client(key).responses.create({ model, input: 'hello there' })).output_text, describe);
process.stdout.write(JSON.stringify(results));
""",
    "anthropic": """
import Anthropic, { AuthenticationError, PermissionDeniedError, RateLimitError } from '@anthropic-ai/sdk';
"""
    + _JS_COMMON
    + """
const describe = (err) => ({
  auth: err instanceof AuthenticationError,
  denied: err instanceof PermissionDeniedError,
  limited: err instanceof RateLimitError,
  kind: err?.error?.error?.type ?? null,
  retryAfter: err?.headers?.get?.('retry-after') ?? null,
});
await checks('', async (apiKey, model) => {
  const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 10000 });
  const reply = await client.messages.create(
    { model, max_tokens: 64, messages: [{ role: 'user', content: 'hello there' }] });
  return reply.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}, describe);
process.stdout.write(JSON.stringify(results));
""",
    "genai": """
import { ApiError, GoogleGenAI } from '@google/genai';
"""
    + _JS_COMMON
    + """
// The ApiError's message carries the error body as JSON.
function body(err) {
  const message = String(err?.message ?? '');
  const start = message.indexOf('{');
  try { return start < 0 ? null : JSON.parse(message.slice(start)); } catch { return null; }
}
const describe = (err) => {
  const details = body(err)?.error?.details ?? [];
  const info = details.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
  return { api: err instanceof ApiError, kind: body(err)?.error?.status ?? null,
           retryAfter: info?.retryDelay ?? null };
};
await checks('', async (apiKey, model) => {
  const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: baseURL, timeout: 10000,
                                                       retryOptions: { attempts: 1 } } });
  return (await ai.models.generateContent({ model, contents: 'hello there' })).text;
}, describe);
process.stdout.write(JSON.stringify(results));
""",
}

JS_PACKAGES = {"openai": "openai", "anthropic": "@anthropic-ai/sdk", "genai": "@google/genai"}
JS_JOBS: dict[str, dict[str, Any]] = {
    "openai": {
        "model": "gpt-4o-mini",
        "responsesModel": "gpt-5-mini",
        "lanes": {"chat-": "js-chat", "responses-": "js-responses"},
    },
    "anthropic": {"model": "gpt-4o-mini", "lanes": {"": "js-anthropic"}},
    "genai": {"model": "gemini-2.5-flash", "lanes": {"": "js-gemini"}},
}


def run_node(name: str, lip_url: str, tmp_path: Path) -> dict[str, Any]:
    assert NODE is not None
    job = dict(JS_JOBS[name])
    lanes: dict[str, str] = job.pop("lanes")
    job["keys"] = {
        "all": KEY_ALL,
        "bad": BAD_KEY,
        "narrow": KEY_NARROW,
        **{f"{prefix}limited": limited_key(lane) for prefix, lane in lanes.items()},
    }
    script = JS / f".e2e-access-{name}-{tmp_path.name}.mjs"  # beside node_modules
    script.write_text(JS_SCRIPTS[name], encoding="utf-8")
    try:
        done = subprocess.run(
            [NODE, str(script), lip_url, json.dumps(job)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        script.unlink()
    assert done.returncode == 0, done.stderr[-2000:]
    results: dict[str, Any] = json.loads(done.stdout)
    return results


@pytest.mark.skipif(NODE is None, reason="Node.js is missing")
@pytest.mark.parametrize("name", ["openai", "anthropic", "genai"])
def test_the_js_sdks_see_401_403_and_429_as_their_own_errors(
    lip_url: str, name: str, tmp_path: Path
) -> None:
    if not (JS / "node_modules" / JS_PACKAGES[name]).is_dir():
        pytest.skip(f"{JS_PACKAGES[name]} is missing (npm ci --prefix parity/js)")
    results = run_node(name, lip_url, tmp_path)
    google = name == "genai"
    prefixes = ["chat-", "responses-"] if name == "openai" else [""]
    kinds = {
        "openai": ("invalid_api_key", "model_not_allowed", "rpm_exceeded"),
        "anthropic": ("authentication_error", "permission_error", "rate_limit_error"),
        "genai": ("UNAUTHENTICATED", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED"),
    }[name]
    for prefix in prefixes:
        got = {k.removeprefix(prefix): v for k, v in results.items() if k.startswith(prefix)}
        for served in ("good", "allowed", "limited1", "limited2"):
            assert got[served]["ok"] and PROMPT in got[served]["text"], (prefix, served, got)
        for check, status, flag, kind in (
            ("bad", 401, "auth", kinds[0]),
            ("forbidden", 403, "denied", kinds[1]),
            ("limited3", 429, "limited", kinds[2]),
        ):
            seen = got[check]
            assert not seen["ok"] and seen["status"] == status, (prefix, check, seen)
            assert seen["api" if google else flag] is True, (prefix, check, seen)
            assert seen["kind"] == kind, (prefix, check, seen)
        assert BAD_KEY not in got["bad"]["message"]
        hint = got["limited3"]["retryAfter"]
        assert hint is not None and 0 < int(hint.removesuffix("s")) <= 60, got["limited3"]
