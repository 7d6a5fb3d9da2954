"""Shared fixtures: one emulator of each protocol per test session on a real
loopback socket, reset before each test, reached through the official SDK
or raw httpx."""

from __future__ import annotations

from collections.abc import Iterator

import anthropic
import httpx
import openai
import pytest
from google import genai

from refbackends.anthropic_messages import create_app as create_anthropic_app
from refbackends.gemini import create_app as create_gemini_app
from refbackends.openai_chat import create_app
from refbackends.openai_responses import create_app as create_responses_app
from refbackends.serving import serve_in_thread
from tests.refbackends.anthropic_wire import WireCheckedApp
from tests.refbackends.gemini_wire import WireCheckedApp as GeminiCheckedApp
from tests.refbackends.responses_wire import WireCheckedApp as ResponsesCheckedApp


@pytest.fixture(scope="session")
def secured_key() -> str:
    """The API key the ``secured_url`` emulator demands."""
    return "sk-emulator-secret-0123456789abcd"


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with serve_in_thread(create_app()) as url:
        yield url


@pytest.fixture(scope="session")
def secured_url(secured_key: str) -> Iterator[str]:
    with serve_in_thread(create_app(api_key=secured_key)) as url:
        yield url


@pytest.fixture(scope="session")
def shared_http(base_url: str) -> Iterator[httpx.Client]:
    # Clients are session scoped: building one costs ~0.1 s (TLS context).
    with httpx.Client(base_url=base_url, timeout=5) as client:
        yield client


@pytest.fixture(scope="session")
def shared_sdk(base_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(
        base_url=f"{base_url}/v1", api_key="sk-test", max_retries=0, timeout=5
    ) as sdk:
        yield sdk


@pytest.fixture
def http(shared_http: httpx.Client) -> httpx.Client:
    """A raw client on a reset emulator (empty script queue and request log)."""
    shared_http.delete("/__emulator__/scripts").raise_for_status()
    shared_http.delete("/__emulator__/requests").raise_for_status()
    return shared_http


@pytest.fixture
def client(shared_sdk: openai.OpenAI, http: httpx.Client) -> openai.OpenAI:
    """The official SDK on a reset emulator."""
    return shared_sdk


# --- the Anthropic Messages emulator ------------------------------------------


@pytest.fixture(scope="session")
def anthropic_app() -> WireCheckedApp:
    """The emulator, every reply it sends checked against the wire models."""
    return WireCheckedApp(create_anthropic_app())


@pytest.fixture(scope="session")
def anthropic_url(anthropic_app: WireCheckedApp) -> Iterator[str]:
    with serve_in_thread(anthropic_app) as url:
        yield url


@pytest.fixture(scope="session")
def anthropic_secured_url(secured_key: str) -> Iterator[str]:
    with serve_in_thread(create_anthropic_app(api_key=secured_key)) as url:
        yield url


@pytest.fixture(scope="session")
def anthropic_shared_http(anthropic_url: str) -> Iterator[httpx.Client]:
    headers = {"anthropic-version": "2023-06-01"}
    with httpx.Client(base_url=anthropic_url, headers=headers, timeout=5) as client:
        yield client


@pytest.fixture(scope="session")
def anthropic_shared_sdk(anthropic_url: str) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(
        base_url=anthropic_url, api_key="sk-ant-test", max_retries=0, timeout=5
    ) as sdk:
        yield sdk


@pytest.fixture
def ahttp(
    anthropic_shared_http: httpx.Client, anthropic_app: WireCheckedApp
) -> Iterator[httpx.Client]:
    """A raw client (``anthropic-version`` set) on a reset Anthropic emulator;
    fails the test if anything the emulator sent did not match the wire models."""
    anthropic_shared_http.delete("/__emulator__/scripts").raise_for_status()
    anthropic_shared_http.delete("/__emulator__/requests").raise_for_status()
    yield anthropic_shared_http
    failures, anthropic_app.failures[:] = list(anthropic_app.failures), []
    assert failures == []


@pytest.fixture
def aclient(anthropic_shared_sdk: anthropic.Anthropic, ahttp: httpx.Client) -> anthropic.Anthropic:
    """The official ``anthropic`` SDK on a reset Anthropic emulator."""
    return anthropic_shared_sdk


# --- the OpenAI Responses emulator ---------------------------------------------


@pytest.fixture(scope="session")
def responses_app() -> ResponsesCheckedApp:
    """The emulator, every reply it sends checked against the wire models."""
    return ResponsesCheckedApp(create_responses_app())


@pytest.fixture(scope="session")
def responses_url(responses_app: ResponsesCheckedApp) -> Iterator[str]:
    with serve_in_thread(responses_app) as url:
        yield url


@pytest.fixture(scope="session")
def responses_secured_url(secured_key: str) -> Iterator[str]:
    with serve_in_thread(create_responses_app(api_key=secured_key)) as url:
        yield url


@pytest.fixture(scope="session")
def responses_shared_http(responses_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=responses_url, timeout=5) as client:
        yield client


@pytest.fixture(scope="session")
def responses_shared_sdk(responses_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(
        base_url=f"{responses_url}/v1", api_key="sk-test", max_retries=0, timeout=5
    ) as sdk:
        yield sdk


@pytest.fixture
def rhttp(
    responses_shared_http: httpx.Client, responses_app: ResponsesCheckedApp
) -> Iterator[httpx.Client]:
    """A raw client on a reset Responses emulator (scripts and request log;
    stored responses stay); fails the test if anything the emulator sent
    did not match the wire models."""
    responses_shared_http.delete("/__emulator__/scripts").raise_for_status()
    responses_shared_http.delete("/__emulator__/requests").raise_for_status()
    yield responses_shared_http
    failures, responses_app.failures[:] = list(responses_app.failures), []
    assert failures == []


@pytest.fixture
def rclient(responses_shared_sdk: openai.OpenAI, rhttp: httpx.Client) -> openai.OpenAI:
    """The official ``openai`` SDK on a reset Responses emulator."""
    return responses_shared_sdk


# --- the Gemini emulator -------------------------------------------------------------------


@pytest.fixture(scope="session")
def gemini_app() -> GeminiCheckedApp:
    """The emulator, every reply it sends checked against the wire model."""
    return GeminiCheckedApp(create_gemini_app())


@pytest.fixture(scope="session")
def gemini_url(gemini_app: GeminiCheckedApp) -> Iterator[str]:
    with serve_in_thread(gemini_app) as url:
        yield url


@pytest.fixture(scope="session")
def gemini_secured_url(secured_key: str) -> Iterator[str]:
    with serve_in_thread(create_gemini_app(api_key=secured_key)) as url:
        yield url


@pytest.fixture(scope="session")
def gemini_shared_http(gemini_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gemini_url, timeout=5) as client:
        yield client


@pytest.fixture
def ghttp(gemini_shared_http: httpx.Client, gemini_app: GeminiCheckedApp) -> Iterator[httpx.Client]:
    """A raw client on a reset Gemini emulator (scripts and request log;
    minted signatures stay); fails the test if anything the emulator sent
    did not match the wire model."""
    gemini_shared_http.delete("/__emulator__/scripts").raise_for_status()
    gemini_shared_http.delete("/__emulator__/requests").raise_for_status()
    yield gemini_shared_http
    failures, gemini_app.failures[:] = list(gemini_app.failures), []
    assert failures == []


@pytest.fixture(scope="session")
def gemini_sdks(gemini_url: str) -> Iterator[dict[str, genai.Client]]:
    """One official ``google-genai`` client per API version (session scoped:
    building one costs ~0.1 s)."""
    clients = {
        version: genai.Client(
            api_key="gemini-test-key",
            http_options={"base_url": gemini_url, "api_version": version, "timeout": 5000},
        )
        for version in ("v1beta", "v1")
    }
    yield clients
    for client in clients.values():
        client.close()


@pytest.fixture(params=["v1beta", "v1"])
def gclient(
    request: pytest.FixtureRequest, gemini_sdks: dict[str, genai.Client], ghttp: httpx.Client
) -> genai.Client:
    """The official ``google-genai`` SDK on a reset Gemini emulator, once
    per API version."""
    return gemini_sdks[request.param]
