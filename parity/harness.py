"""Run every scenario for every (frontend, backend) pair with the official SDKs.

For each pair the harness serves, on 127.0.0.1: the backend protocol's
emulator behind a recording proxy (the upstream leg), LIP routed to it (or
to the local stub) behind another recording proxy (the client leg), and
drives LIP with each SDK (Python in-process, JavaScript in Node) in every
read mode. Each emulator is also driven straight by its own protocol's SDKs
(no LIP): an emulator that disagrees with the official client fails there,
before it can make a matrix cell look green or red.

A run of one scenario, pair, driver and mode is a :class:`Run`: what the
SDK saw held against the scenario (:func:`parity.observation.mismatches`),
the wire captures, and checks of the legs (the upstream saw nothing when
LIP must reject; a same-protocol upstream request equals the client's).
A scenario whose request the frontend protocol cannot say
(:class:`parity.render.Unsupported`), or whose upstream the backend's
protocol cannot give the frontend's clients
(:func:`parity.protocols.upstream_limit`), is an unsupported run with the
reason, and nothing is sent. Reasoning state that a scenario's earlier
turns send back is first handed out by the backend's emulator
(:func:`parity.protocols.prime`), as the upstream did on those turns.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import httpx

from parity import protocols
from parity.capture import Exchange, RecordingProxy, normalise, recording_proxy
from parity.observation import Observation, mismatches
from parity.render import Unsupported
from parity.scenario import Expect, ExpectedError, Mode, Scenario

__all__ = ["PAIRS", "Pair", "Run", "run_all"]

UPSTREAM_KEY = "sk-parity-upstream-0000"
CLIENT_KEY = "sk-parity-client-0000"
MAX_BODY_BYTES = 262_144
"""LIP's body limit in the harness (the limits scenarios go past it)."""

Outcome = Literal["pass", "fail", "unsupported"]
Driver = Literal["python", "node"]


@dataclass(frozen=True, slots=True)
class Pair:
    """A client protocol and where its requests go: ``via_lip`` False drives
    the backend's emulator directly (the emulator check)."""

    frontend: str
    backend: str
    via_lip: bool = True

    @property
    def name(self) -> str:
        return f"{self.frontend}->{self.backend}" if self.via_lip else f"{self.frontend}@emulator"


PAIRS: tuple[Pair, ...] = (
    Pair("openai_chat", "openai_chat"),
    Pair("openai_chat", "localstub"),
    Pair("openai_chat", "anthropic_messages"),
    Pair("openai_chat", "openai_responses"),
    Pair("anthropic_messages", "anthropic_messages"),
    Pair("anthropic_messages", "openai_chat"),
    Pair("anthropic_messages", "localstub"),
    Pair("anthropic_messages", "openai_responses"),
    Pair("openai_responses", "openai_responses"),
    Pair("openai_responses", "openai_chat"),
    Pair("openai_responses", "anthropic_messages"),
    Pair("openai_responses", "localstub"),
)
EMULATOR_CHECKS: tuple[Pair, ...] = (
    Pair("openai_chat", "openai_chat", via_lip=False),
    Pair("anthropic_messages", "anthropic_messages", via_lip=False),
    Pair("openai_responses", "openai_responses", via_lip=False),
)


@dataclass
class Run:
    scenario: str
    pair: str
    driver: Driver
    mode: Mode
    outcome: Outcome
    problems: list[str] = field(default_factory=list)
    observation: Observation | None = None
    client_leg: str = ""
    upstream_leg: str = ""
    client_response: bytes = b""
    """The body LIP (or the emulator) answered the SDK, as it crossed the socket."""
    rejected_before_network: bool = False


@dataclass
class _Job:
    scenario: Scenario
    mode: Mode
    params: dict[str, object]
    script: dict[str, object] | None
    unsupported: str | None = None
    """Why the frontend protocol cannot send this scenario's request (nothing runs)."""


class _Servers:
    """Emulators, LIP and the recording proxies for one harness run."""

    def __init__(self, stack: ExitStack) -> None:
        from lip.config import parse_config
        from lip.server import create_app, server_options
        from refbackends.serving import serve_in_thread

        self.emulators: dict[str, str] = {}
        self.upstream_proxies: dict[str, RecordingProxy] = {}
        backends = []
        for backend in sorted({p.backend for p in PAIRS} - {"localstub"}):
            url = stack.enter_context(serve_in_thread(protocols.emulator(backend, UPSTREAM_KEY)))
            self.emulators[backend] = url
            proxy = stack.enter_context(recording_proxy(url))
            self.upstream_proxies[backend] = proxy
            backends.append(protocols.lip_backend(backend, proxy.url, UPSTREAM_KEY))
        backends.append("  - {id: localstub, kind: localstub, models: [lip-stub]}")
        config = parse_config(
            f"server: {{max_body_bytes: {MAX_BODY_BYTES}}}\nbackends:\n" + "\n".join(backends),
            env={},
        )
        app = create_app(config)
        lip = stack.enter_context(serve_in_thread(app, lifespan="on", options=server_options(app)))
        self.lip = stack.enter_context(recording_proxy(lip))
        self.direct = {
            name: stack.enter_context(recording_proxy(url)) for name, url in self.emulators.items()
        }

    def client_proxy(self, pair: Pair) -> RecordingProxy:
        return self.lip if pair.via_lip else self.direct[pair.backend]

    def upstream_proxy(self, pair: Pair) -> RecordingProxy | None:
        return self.upstream_proxies.get(pair.backend) if pair.via_lip else None

    def control(self, backend: str) -> httpx.Client:
        return httpx.Client(base_url=f"{self.emulators[backend]}/__emulator__", timeout=10)


def _script(scenario: Scenario) -> dict[str, object] | None:
    script: dict[str, object] = {}
    if scenario.upstream_error is not None:
        error = scenario.upstream_error
        script["status"] = error.status
        if error.retry_after is not None:
            script["retry_after"] = error.retry_after
    elif scenario.upstream is not None:
        script["plan"] = scenario.upstream.model_dump(mode="json", exclude_none=True)
    if scenario.upstream_delay_ms:
        script["delay_ms"] = scenario.upstream_delay_ms
    return script or None


def _jobs(scenario: Scenario, pair: Pair) -> list[_Job]:
    model = protocols.model_for(pair.backend)
    script = _script(scenario) if pair.backend != "localstub" else None
    limit = protocols.upstream_limit(pair.frontend, pair.backend, scenario)
    jobs = []
    for mode in scenario.modes:
        if limit is not None:
            jobs.append(_Job(scenario, mode, {}, None, f"{pair.backend}: {limit}"))
            continue
        try:
            params = protocols.render(
                pair.frontend, scenario.request, model, stream=mode != "unary"
            )
        except Unsupported as exc:
            jobs.append(_Job(scenario, mode, {}, None, f"{pair.frontend}: {exc}"))
        else:
            jobs.append(_Job(scenario, mode, params, script))
    return jobs


def _unsupported(job: _Job, pair: Pair, driver: Driver) -> Run:
    return Run(
        job.scenario.id,
        pair.name,
        driver,
        job.mode,
        "unsupported",
        problems=[job.unsupported or ""],
    )


def _check(
    run: Run,
    job: _Job,
    pair: Pair,
    client: list[Exchange],
    upstream: list[Exchange],
) -> None:
    scenario = job.scenario
    expect = scenario.expect_for(job.mode)
    if not pair.via_lip:
        direct = _direct_expect(scenario, job.mode)
        if direct is None:
            run.outcome = "unsupported"
            run.problems = ["LIP's own answer: there is nothing to check on the emulator alone"]
            return
        expect = direct
    if pair.backend == "localstub" and pair.via_lip:
        stub = scenario.localstub
        if stub.expect is None:
            run.outcome = "unsupported"
            run.problems = [stub.unsupported or ""]
            return
        expect = stub.expect
    assert run.observation is not None
    run.problems += mismatches(run.observation, expect, pair.frontend)
    if pair.via_lip and scenario.rejected_before_network and upstream:
        run.problems.append(f"the upstream saw {len(upstream)} request(s); LIP must reject first")
    if pair.via_lip and pair.backend == pair.frontend and client and upstream:
        sent, got = _comparable(client[0], pair.frontend), _comparable(upstream[0], pair.frontend)
        if sent != got:
            run.problems.append(f"the upstream got a different request: {got} != {sent}")
    run.rejected_before_network = scenario.rejected_before_network
    run.outcome = "fail" if run.problems else "pass"


def _direct_expect(scenario: Scenario, mode: Mode) -> Expect | None:
    """What the SDK must see from the emulator itself: the scenario's expectation,
    except where LIP's own answer differs from the upstream's (its 4xx
    rejections, 5xx mapping, and in-stream error for a cut connection)."""
    if scenario.rejected_before_network:
        return None
    if scenario.upstream_error is not None:
        return Expect(error=ExpectedError(status=scenario.upstream_error.status))
    failure = scenario.upstream.failure if scenario.upstream is not None else None
    if failure is not None:
        if mode == "unary":
            return Expect(error=ExpectedError(status=500))
        if failure.mode == "cut":
            return Expect(error=ExpectedError(in_stream=True))
    return scenario.expect_for(mode)


_LIP_SETS: dict[str, tuple[str, ...]] = {"openai_chat": ("model", "stream_options")}
"""Per protocol, the request fields LIP sets for itself going upstream (the
model name; Chat's usage in streams); other fields pass as the client sent them."""


def _comparable(exchange: Exchange, protocol: str) -> object:
    """A request body minus what LIP sets for itself."""
    try:
        body = json.loads(exchange.request_body)
    except ValueError:
        return exchange.request_body
    if isinstance(body, dict):
        for key in _LIP_SETS.get(protocol, ("model",)):
            body.pop(key, None)
        if body.get("stream") is False:  # the default, said or not
            del body["stream"]
    return body


def _legs(
    servers: _Servers, pair: Pair, client_mark: int, upstream_mark: int
) -> tuple[list[Exchange], list[Exchange]]:
    client = servers.client_proxy(pair).since(client_mark)
    up_proxy = servers.upstream_proxy(pair)
    upstream = up_proxy.since(upstream_mark) if up_proxy is not None else []
    return client, upstream


def _run_pair(
    servers: _Servers, pair: Pair, scenarios: Sequence[Scenario], drivers: Sequence[Driver]
) -> Iterator[Run]:
    base_url = protocols.base_url(pair.frontend, servers.client_proxy(pair).url)
    key = CLIENT_KEY if pair.via_lip else UPSTREAM_KEY
    control = servers.control(pair.backend) if pair.backend in servers.emulators else None
    for scenario in scenarios:
        jobs = _jobs(scenario, pair)
        if control is not None and any(j.unsupported is None for j in jobs):
            protocols.prime(pair.backend, servers.emulators[pair.backend], UPSTREAM_KEY, scenario)
        if "python" in drivers:
            for job in jobs:
                if job.unsupported is not None:
                    yield _unsupported(job, pair, "python")
                else:
                    yield _python_run(servers, pair, job, base_url, key, control)
        if "node" in drivers:
            yield from _node_runs(servers, pair, jobs, base_url, key, control)
    if control is not None:
        control.close()


def _queue(control: httpx.Client | None, scripts: Sequence[dict[str, object] | None]) -> None:
    if control is None:
        return
    control.delete("/scripts")
    queued = [s for s in scripts if s is not None]
    if queued:
        control.post("/scripts", json=queued).raise_for_status()


def _python_run(
    servers: _Servers,
    pair: Pair,
    job: _Job,
    base_url: str,
    key: str,
    control: httpx.Client | None,
) -> Run:
    _queue(control, [job.script])
    client_proxy, up_proxy = servers.client_proxy(pair), servers.upstream_proxy(pair)
    client_mark = client_proxy.mark()
    upstream_mark = up_proxy.mark() if up_proxy is not None else 0
    observation = protocols.python_driver(pair.frontend)(base_url, key, job.params, job.mode)
    client, upstream = _legs(servers, pair, client_mark, upstream_mark)
    run = Run(job.scenario.id, pair.name, "python", job.mode, "pass", observation=observation)
    run.client_leg = "\n\n".join(normalise(e) for e in client)
    run.client_response = client[-1].response_body if client else b""
    run.upstream_leg = "\n\n".join(normalise(e) for e in upstream)
    _check(run, job, pair, client, upstream)
    return run


def _node_runs(
    servers: _Servers,
    pair: Pair,
    jobs: Sequence[_Job],
    base_url: str,
    key: str,
    control: httpx.Client | None,
) -> Iterator[Run]:
    # One Node process per scenario: scripts are queued in job order, and a
    # job that does not reach the upstream must not shift the next one's.
    for job in jobs:
        if job.unsupported is not None:
            yield _unsupported(job, pair, "node")
    sent = [j for j in jobs if j.unsupported is None]
    if not sent:
        return
    reaching = [j for j in sent if not j.scenario.rejected_before_network]
    _queue(control, [j.script for j in reaching])
    observations = protocols.node_driver(pair.frontend)(
        [(f"{i}", base_url, key, j.params, j.mode) for i, j in enumerate(sent)]
    )
    for job, observation in zip(sent, observations, strict=True):
        run = Run(job.scenario.id, pair.name, "node", job.mode, "pass", observation=observation)
        _check(run, job, pair, [], [])
        yield run


def run_all(
    scenarios: Sequence[Scenario],
    *,
    pairs: Sequence[Pair] = PAIRS + EMULATOR_CHECKS,
    drivers: Sequence[Driver] = ("python", "node"),
) -> list[Run]:
    """Every scenario x pair x driver x mode, in a stable order."""
    with ExitStack() as stack:
        servers = _Servers(stack)
        runs = [run for pair in pairs for run in _run_pair(servers, pair, scenarios, drivers)]
        for proxy in (servers.lip, *servers.upstream_proxies.values(), *servers.direct.values()):
            if proxy.problems:
                raise RuntimeError("; ".join(proxy.problems))
        return runs


def default_scenarios_dir() -> Path:
    """``testdata/scenarios`` of the checkout this package runs from."""
    return Path(__file__).resolve().parents[1] / "testdata" / "scenarios"
