"""Canaries: no credential LIP is given or shown ever comes back out.

Distinctive canary strings (shaped like no vendor key, so only LIP's
knowledge of its own secrets can hide them) are configured as a client key,
the upstream keys, the diagnostics secret, presented as unknown client keys
and as OIDC tokens. Good and bad requests are driven on every protocol, unary
and streamed, with every credential form, into every kind of error (401,
403, 404, 429, an upstream that refuses LIP's key), through model listings,
token counts and diagnostics lookups, with every logger captured at DEBUG.
No canary may appear in a log record, a response body or header, or a
diagnostics record. A last check runs ``lip serve`` with its access log on."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping

import httpx
import pytest

from lip.config import parse_config
from lip.server import create_app
from refbackends.anthropic_messages import create_app as anthropic_emulator
from refbackends.gemini import create_app as gemini_emulator
from refbackends.openai_chat import create_app as chat_emulator
from refbackends.openai_responses import create_app as responses_emulator
from refbackends.serving import serve_in_thread
from tests.access.provider import AUDIENCE, Key, Provider
from tests.e2e.conftest import serve_lip

CLIENT_KEY = "canary-client-key-5f0c2b7e91d4"
NARROW_KEY = "canary-narrow-key-a83d6e1f042c"
LIMITED_KEY = "canary-limited-key-3c9b17e5d20a"
UNKNOWN_KEY = "canary-unknown-key-e62a0d4b9f17"
UPSTREAM_KEY = "canary-upstream-key-0b4f8e2c7a61"
REFUSED_UPSTREAM_KEY = "canary-refused-upstream-key-97d1c3a5e08b"
DIAGNOSTICS_SECRET = "canary-diagnostics-secret-4e7a90c1b2d8"
WRONG_SECRET = "canary-wrong-diagnostics-secret-1d5c8"
GARBAGE_TOKEN = "canary-garbage-token-6a2e4c8f0b13"
CANARIES = (
    CLIENT_KEY,
    NARROW_KEY,
    LIMITED_KEY,
    UNKNOWN_KEY,
    UPSTREAM_KEY,
    REFUSED_UPSTREAM_KEY,
    DIAGNOSTICS_SECRET,
    WRONG_SECRET,
    GARBAGE_TOKEN,
)
# Each model, and the protocol whose emulator serves it.
MODELS = {
    "chat": "gpt-4o-mini",
    "responses": "gpt-5-mini",
    "messages": "claude-sonnet-5",
    "gemini": "gemini-2.5-flash",
}
REFUSED_MODEL = "refused-model"  # its upstream refuses LIP's key
LIP_SERVE = (sys.executable, "-m", "lip.cli", "serve")


def canaries_in(text: str, canaries: tuple[str, ...] = CANARIES) -> list[str]:
    """The canaries in ``text``: whole, or the distinctive hex tail alone (what
    survives a vendor's ``canar****e91d4`` masking is not the secret)."""
    return [c for c in canaries if c in text or c.rsplit("-", 1)[1] in text]


class Seen:
    """Everything LIP said to the test (bodies, headers, diagnostics), through
    one HTTP client."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.texts: list[str] = []
        self.request_ids: list[str] = []

    def reply(self, reply: httpx.Response) -> httpx.Response:
        self.texts.append(reply.text)
        self.texts.extend(f"{k}: {v}" for k, v in reply.headers.multi_items())
        if (request_id := reply.headers.get("x-lip-request-id")) is not None:
            self.request_ids.append(request_id)
        return reply

    def get(self, url: str, headers: dict[str, str]) -> httpx.Response:
        return self.reply(self.http.get(url, headers=headers))

    def post(self, url: str, body: Mapping[str, object], headers: dict[str, str]) -> httpx.Response:
        return self.reply(self.http.post(url, json=body, headers=headers))


@pytest.fixture
def seen() -> Iterator[Seen]:
    with httpx.Client(timeout=10) as http:
        yield Seen(http)


# One request per protocol: (method, path, body, headers) for a model and mode.
Request = tuple[str, str, dict[str, object], dict[str, str]]


def request(protocol: str, model: str, stream: bool) -> Request:
    hi = [{"role": "user", "content": "hello there"}]
    match protocol:
        case "chat":
            return (
                "POST",
                "/v1/chat/completions",
                {"model": model, "messages": hi, "stream": stream},
                {},
            )
        case "responses":
            return (
                "POST",
                "/v1/responses",
                {"model": model, "input": "hello there", "stream": stream},
                {},
            )
        case "messages":
            body = {"model": model, "max_tokens": 64, "messages": hi, "stream": stream}
            return "POST", "/v1/messages", body, {"anthropic-version": "2023-06-01"}
        case "gemini":
            verb = "streamGenerateContent?alt=sse" if stream else "generateContent"
            body = {"contents": [{"role": "user", "parts": [{"text": "hello there"}]}]}
            return "POST", f"/v1beta/models/{model}:{verb}", body, {}
        case _:
            raise AssertionError(protocol)


# How each protocol's SDK presents a key.
NATIVE: dict[str, Callable[[str], dict[str, str]]] = {
    "chat": lambda key: {"authorization": f"Bearer {key}"},
    "responses": lambda key: {"authorization": f"Bearer {key}"},
    "messages": lambda key: {"x-api-key": key},
    "gemini": lambda key: {"x-goog-api-key": key},
}


def send(
    seen: Seen,
    base: str,
    req: Request,
    credential: dict[str, str],
    params: dict[str, str] | None = None,
) -> httpx.Response:
    method, path, body, headers = req
    reply = seen.http.request(
        method,
        f"{base}{path}",
        json=body,
        headers={**headers, **credential},
        params=params,
    )
    return seen.reply(reply)


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    with (
        serve_in_thread(chat_emulator(api_key=UPSTREAM_KEY)) as chat,
        serve_in_thread(responses_emulator(api_key=UPSTREAM_KEY)) as responses,
        serve_in_thread(anthropic_emulator(api_key=UPSTREAM_KEY)) as messages,
        serve_in_thread(gemini_emulator(api_key=UPSTREAM_KEY)) as gemini,
        # Expects another key than LIP has: refuses every call (401, key masked).
        serve_in_thread(chat_emulator(api_key="sk-the-key-lip-lacks-0000")) as refusing,
    ):
        yield {
            "chat": chat,
            "responses": responses,
            "messages": messages,
            "gemini": gemini,
            "refusing": refusing,
        }


def backends(upstreams: dict[str, str]) -> str:
    return f"""
backends:
  - {{id: chat, kind: openai-compatible, base_url: '{upstreams["chat"]}/v1',
      api_key: {UPSTREAM_KEY}, models: [{MODELS["chat"]}]}}
  - {{id: responses, kind: openai-compatible, api: responses,
      base_url: '{upstreams["responses"]}/v1', api_key: {UPSTREAM_KEY},
      models: [{MODELS["responses"]}]}}
  - {{id: anthropic, kind: anthropic, base_url: '{upstreams["messages"]}/v1',
      api_key: {UPSTREAM_KEY}, models: [{MODELS["messages"]}]}}
  - {{id: gemini, kind: gemini, base_url: '{upstreams["gemini"]}/v1beta',
      api_key: {UPSTREAM_KEY}, models: [{MODELS["gemini"]}]}}
  - {{id: refusing, kind: openai-compatible, base_url: '{upstreams["refusing"]}/v1',
      api_key: {REFUSED_UPSTREAM_KEY}, models: [{REFUSED_MODEL}]}}
  - {{id: stub, kind: localstub, models: [lip-stub]}}
diagnostics: {{enabled: true, secret: {DIAGNOSTICS_SECRET}}}
"""


def keys_config(upstreams: dict[str, str]) -> str:
    return (
        backends(upstreams)
        + f"""
access:
  mode: keys
  keys:
    - {{id: owner, key: {CLIENT_KEY}}}
    - {{id: narrow, key: {NARROW_KEY}, models: [lip-stub]}}
    - {{id: limited, key: {LIMITED_KEY}, limits: {{rpm: 1}}}}
"""
    )


class Logs:
    """caplog, widened to every logger at DEBUG."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self._detached: list[logging.Logger] = []

    def capture_everything(self) -> None:
        """Call once the servers run: uvicorn sets its loggers' levels (and stops
        their propagation to the root, where caplog listens) when it starts.
        Not ``uvicorn.access``: a handler there turns uvicorn's access log on,
        which these servers run without; the last tests run it, as ``lip serve``."""
        self.caplog.set_level(logging.DEBUG)
        names = {"lip", "uvicorn", "uvicorn.error", "uvicorn.access", "asyncio"}
        names |= set(logging.root.manager.loggerDict)
        for name in sorted(names):
            self.caplog.set_level(logging.DEBUG, logger=name)
            logger = logging.getLogger(name)
            if name == "uvicorn.access":
                continue
            if not logger.propagate and self.caplog.handler not in logger.handlers:
                logger.addHandler(self.caplog.handler)
                self._detached.append(logger)

    def close(self) -> None:
        for logger in self._detached:
            logger.removeHandler(self.caplog.handler)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[Logs]:
    captured = Logs(caplog)
    yield captured
    captured.close()


def logged(logs: Logs) -> list[str]:
    """What the records say, but for the test's own HTTP client's lines (the
    test's thread: it logs the URLs it requests, ``?key=`` included)."""
    mine = threading.get_ident()
    records = logs.caplog.records
    # The capture works: the server's threads log into it, at DEBUG.
    assert any(r.name.startswith("lip.") and r.thread != mine for r in records)
    for name in ("lip", "lip.server", "lip.backends", "lip.access", "uvicorn.error"):
        assert logging.getLogger(name).isEnabledFor(logging.DEBUG)
    texts: list[str] = []
    for record in records:
        if record.name.startswith(("httpx", "httpcore")) and record.thread == mine:
            continue
        texts += [record.getMessage(), record.exc_text or "", record.stack_info or ""]
        texts.append(json.dumps({k: repr(v) for k, v in record.__dict__.items()}))
    return texts


def diagnostics(seen: Seen, base: str) -> None:
    """Each call's record, looked up with the secret, a wrong one and none."""
    calls = list(seen.request_ids)  # the lookups' own replies carry ids too
    assert calls
    records = 0
    for request_id in calls:
        url = f"{base}/diagnostics/requests/{request_id}"
        reply = seen.get(url, {"x-lip-diagnostics-secret": DIAGNOSTICS_SECRET})
        assert reply.status_code in (200, 404)  # a call refused before routing has no record
        records += reply.status_code == 200
    assert records > len(MODELS)  # the routed calls, failed ones included
    # Refused before any lookup, whatever the id: a few suffice.
    for request_id in calls[:3]:
        url = f"{base}/diagnostics/requests/{request_id}"
        for headers in ({"x-lip-diagnostics-secret": WRONG_SECRET}, {}):
            assert seen.get(url, headers).status_code == 401


def test_no_key_or_secret_leaks_in_keys_mode(
    upstreams: dict[str, str], logs: Logs, seen: Seen
) -> None:
    with serve_lip(create_app(parse_config(keys_config(upstreams), env={}))) as base:
        logs.capture_everything()
        for protocol, model in MODELS.items():
            native = NATIVE[protocol]
            for stream in (False, True):
                served = send(seen, base, request(protocol, model, stream), native(CLIENT_KEY))
                assert served.status_code == 200, served.text
                for key, asked, status in (
                    (UNKNOWN_KEY, model, 401),
                    (NARROW_KEY, model, 403),
                    (CLIENT_KEY, "no-such-model", 404),
                ):
                    reply = send(seen, base, request(protocol, asked, stream), native(key))
                    assert reply.status_code == status, reply.text
                refused = send(
                    seen, base, request(protocol, REFUSED_MODEL, stream), native(CLIENT_KEY)
                )
                assert refused.status_code == 502, refused.text  # the upstream refused LIP
            # Every credential form, with an unknown key; then forms that disagree.
            ask = request(protocol, model, False)
            for credential, params in (
                ({"authorization": f"Bearer {UNKNOWN_KEY}"}, None),
                ({"x-api-key": UNKNOWN_KEY}, None),
                ({"x-goog-api-key": UNKNOWN_KEY}, None),
                ({}, {"key": UNKNOWN_KEY}),
                ({"authorization": f"Basic {UNKNOWN_KEY}"}, None),
                ({"authorization": f"Bearer {CLIENT_KEY}", "x-api-key": UNKNOWN_KEY}, None),
                ({"x-goog-api-key": CLIENT_KEY}, {"key": UNKNOWN_KEY}),
            ):
                assert send(seen, base, ask, credential, params).status_code == 401
            assert send(seen, base, ask, {}, {"key": CLIENT_KEY}).status_code == 200
        # A rate limit reached.
        ask = request("chat", "lip-stub", False)
        assert send(seen, base, ask, NATIVE["chat"](LIMITED_KEY)).status_code == 200
        assert send(seen, base, ask, NATIVE["chat"](LIMITED_KEY)).status_code == 429
        # Listings and token counts, with the good key and an unknown one.
        for key in (CLIENT_KEY, UNKNOWN_KEY):
            for path, credential in (
                ("/v1/models", NATIVE["chat"](key)),
                ("/v1/models", {**NATIVE["messages"](key), "anthropic-version": "2023-06-01"}),
                ("/v1beta/models", NATIVE["gemini"](key)),
                (f"/v1beta/models/{MODELS['gemini']}", NATIVE["gemini"](key)),
            ):
                seen.get(f"{base}{path}", credential)
            body = {"model": MODELS["messages"], "messages": [{"role": "user", "content": "hi"}]}
            headers = {**NATIVE["messages"](key), "anthropic-version": "2023-06-01"}
            seen.post(f"{base}/v1/messages/count_tokens", body, headers)
            body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}
            url = f"{base}/v1beta/models/{MODELS['gemini']}:countTokens"
            seen.post(url, body, NATIVE["gemini"](key))
        diagnostics(seen, base)
    assert len(seen.request_ids) > 100
    for text in seen.texts:
        assert not canaries_in(text), text[:500]
    for text in logged(logs):
        assert not canaries_in(text), text[:500]


def test_no_token_or_secret_leaks_in_oidc_mode(
    upstreams: dict[str, str], logs: Logs, seen: Seen
) -> None:
    with Provider([Key.rsa("k1")]).serve() as provider:
        config = (
            backends(upstreams)
            + f"""
access:
  mode: oidc
  oidc: {{issuer: '{provider.issuer}', audience: {AUDIENCE}, models_claim: models}}
"""
        )
        good = provider.token()
        narrow = provider.token(models=["lip-stub"])
        tokens = {
            "good": good,
            "narrow": narrow,
            "expired": provider.token(exp=int(time.time()) - 600),
            "foreign": provider.token(aud="someone-else"),
            "unknown-key": provider.token(Key.rsa("stranger")),
        }
        with serve_lip(create_app(parse_config(config, env={}))) as base:
            logs.capture_everything()
            for protocol, model in MODELS.items():
                for stream in (False, True):
                    ask = request(protocol, model, stream)
                    for name, token, status in (
                        ("good", good, 200),
                        ("narrow", narrow, 403),
                        ("expired", tokens["expired"], 401),
                        ("foreign", tokens["foreign"], 401),
                        ("unknown-key", tokens["unknown-key"], 401),
                        ("garbage", GARBAGE_TOKEN, 401),
                    ):
                        reply = send(seen, base, ask, {"authorization": f"Bearer {token}"})
                        assert reply.status_code == status, (name, reply.text)
                    refused = request(protocol, REFUSED_MODEL, stream)
                    reply = send(seen, base, refused, {"authorization": f"Bearer {good}"})
                    assert reply.status_code == 502, reply.text
            diagnostics(seen, base)
    # A token's signature is the part only its holder has; its claims are not secret.
    secrets = (*CANARIES, *tokens.values(), *(t.rsplit(".", 1)[1] for t in tokens.values()))
    for text in seen.texts:
        assert not [s for s in secrets if s in text], text[:500]
        assert not canaries_in(text), text[:500]
    for text in logged(logs):
        assert not [s for s in secrets if s in text], text[:500]
        assert not canaries_in(text), text[:500]


# --- lip serve with its access log on ----------------------------------------


@pytest.fixture(scope="module")
def access_logged(upstreams: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """What ``lip serve`` (``server.access_log: true``, ``--log-level debug``)
    wrote while it served the good key and an unknown one, each as ``?key=``,
    ``x-goog-api-key`` and ``Authorization: Bearer``."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    directory = tmp_path_factory.mktemp("access-log")
    config = directory / "lip.yaml"
    config.write_text(f"server: {{access_log: true}}\n{keys_config(upstreams)}", encoding="utf-8")
    output = directory / "lip.log"
    with output.open("wb") as sink:
        proc = subprocess.Popen(
            [*LIP_SERVE, "--config", str(config), "--port", str(port), "--log-level", "debug"],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None and time.monotonic() < deadline, (
                    "lip serve did not start"
                )
                time.sleep(0.05)
            with httpx.Client(timeout=10) as http:
                seen = Seen(http)
                ask = request("gemini", MODELS["gemini"], False)
                for key in (CLIENT_KEY, UNKNOWN_KEY):
                    send(seen, base, ask, {}, {"key": key})
                    send(seen, base, ask, NATIVE["gemini"](key))
                    send(seen, base, request("chat", "lip-stub", False), NATIVE["chat"](key))
        finally:
            proc.terminate()
            proc.wait(10)
    return output.read_text(encoding="utf-8", errors="replace")


def test_the_access_log_is_written(access_logged: str) -> None:
    assert "--- Logging error ---" not in access_logged
    assert access_logged.count('"POST /v1') >= 6


def test_the_access_log_holds_no_key(access_logged: str) -> None:
    assert not canaries_in(access_logged), [
        line for line in access_logged.splitlines() if canaries_in(line)
    ][:3]


def test_the_server_output_with_access_log_holds_no_configured_secret(access_logged: str) -> None:
    """Configured secrets are scrubbed whatever the formatter makes of the line."""
    configured = (CLIENT_KEY, UPSTREAM_KEY, REFUSED_UPSTREAM_KEY, DIAGNOSTICS_SECRET)
    assert not canaries_in(access_logged, configured)
    assert "key=[redacted]" in access_logged
