"""schemathesis against a live LIP, from LIP's own OpenAPI document: requests
generated from the vendor schemas (valid ones, and ones that break them),
sent over a real socket to LIP in front of the local stub and in front of
the OpenAI emulator. No case may get a 5xx, and every reply — errors
included — must match the document: status, content type, body schema, and
for streams each SSE event's JSON.

``LIP_FUZZ_SCALE`` multiplies the budgets (``tox -e fuzz`` runs >= 10,000
cases); the suite's default runs 2,100.

One schemathesis check is left out: ``positive_data_acceptance``. The
document's request schemas are the SDKs' types, and LIP also enforces the
API's value rules those types do not carry (the ranges of temperature and
max_tokens, a non-empty ``messages``, one choice per request, no deprecated
``functions``), so a schema-valid request may rightly get a 400 — which must
still be in the documented error shape.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from lip.config import parse_config
from lip.server import create_app
from refbackends.openai_chat import create_app as create_emulator
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

SCALE = float(os.environ.get("LIP_FUZZ_SCALE", "1"))
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    schema: schemathesis.BaseSchema


def _target(name: str, url: str) -> Target:
    document = httpx.get(f"{url}/openapi.json", timeout=30).json()
    return Target(name, url, schemathesis.openapi.from_dict(document))


@pytest.fixture(scope="module")
def stub() -> Iterator[Target]:
    config = parse_config(
        "backends: [{id: stub, kind: localstub, models: ['*']}]\n"
        "routing: {default_route: 'stub:lip-stub'}",
        env={},
    )
    with serve_lip(create_app(config)) as url:
        yield _target("stub", url)


@pytest.fixture(scope="module")
def emulated() -> Iterator[Target]:
    with serve_in_thread(create_emulator(api_key="sk-fuzz-upstream-0000")) as upstream:
        config = parse_config(
            f"backends: [{{id: emu, kind: openai-compatible, base_url: '{upstream}/v1',"
            " api_key: sk-fuzz-upstream-0000, models: ['*']}]\n"
            "routing: {default_route: 'emu:gpt-4o-mini'}",
            env={},
        )
        with serve_lip(create_app(config)) as url:
            yield _target("emulator", url)


def _fuzz(target: Target, path: str, method: str, mode: str, budget: int) -> Counter[int]:
    """Run ``budget`` generated cases; fail on the first that breaks a check."""
    operation = target.schema[path][method]
    strategy = operation.as_strategy(generation_mode=GenerationMode(mode))
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=budget,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=target.url, timeout=30)
        statuses[response.status_code] += 1
        case.validate_response(response, excluded_checks=EXCLUDED)

    run()
    return statuses


CASES = [
    ("stub", "/v1/chat/completions", "POST", "positive", 800),
    ("stub", "/v1/chat/completions", "POST", "negative", 400),
    ("emulator", "/v1/chat/completions", "POST", "positive", 500),
    ("emulator", "/v1/chat/completions", "POST", "negative", 300),
    ("stub", "/v1/models/{model}", "GET", "positive", 50),
    ("stub", "/chat/completions", "POST", "negative", 50),
]
assert sum(c[-1] for c in CASES) >= 2000


@pytest.mark.parametrize(
    ("backend", "path", "method", "mode", "budget"),
    CASES,
    ids=[f"{c[0]}-{c[2]} {c[1]}-{c[3]}" for c in CASES],
)
def test_no_generated_request_gets_a_server_error_or_an_undocumented_reply(
    request: pytest.FixtureRequest,
    backend: str,
    path: str,
    method: str,
    mode: str,
    budget: int,
) -> None:
    target: Target = request.getfixturevalue("stub" if backend == "stub" else "emulated")
    cases = max(int(budget * SCALE), 1)
    statuses = _fuzz(target, path, method, mode, cases)
    assert sum(statuses.values()) >= cases  # the budget really ran
    assert not [status for status in statuses if status >= 500]
    if mode == "negative":
        assert set(statuses) <= {400, 404, 405, 413, 415, 422}
