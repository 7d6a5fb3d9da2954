"""Run every scenario for every (frontend, backend) pair with the official SDKs.

For each pair the harness drives LIP (:mod:`parity.servers`: the backend
protocol's emulator as the upstream, both legs behind recording proxies)
with each SDK, Python in-process and JavaScript in a Node process kept
running (:mod:`parity.node`), in every read mode, one request at a time:
the upstream is scripted for exactly that request first. Each emulator is
also driven straight by its own protocol's SDKs (no LIP): an emulator that
disagrees with the official client fails there, before it can make a
matrix cell look green or red. Pairs are shared out among worker processes
(:mod:`parity.workers`), each with servers of its own.

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
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from parity import protocols
from parity.capture import Exchange, normalise
from parity.drivers import Clients, client_options
from parity.node import NodeDriver
from parity.observation import Observation, mismatches
from parity.render import Unsupported
from parity.scenario import Expect, ExpectedError, Mode, Scenario
from parity.servers import CLIENT_KEY, UPSTREAM_KEY, Servers

__all__ = ["EMULATOR_CHECKS", "PAIRS", "Pair", "Run", "Session", "run_all", "run_pairs"]

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


_PROTOCOLS = ("openai_chat", "anthropic_messages", "openai_responses", "gemini")
PAIRS: tuple[Pair, ...] = tuple(
    Pair(frontend, backend)
    for frontend in _PROTOCOLS
    for backend in (frontend, *(p for p in _PROTOCOLS if p != frontend), "localstub")
)
"""Every frontend to its own protocol first, then to every other, then to the stub."""
EMULATOR_CHECKS: tuple[Pair, ...] = tuple(Pair(p, p, via_lip=False) for p in _PROTOCOLS)


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
    params: dict[str, Any]
    script: dict[str, object] | None
    unsupported: str | None = None
    """Why the frontend protocol cannot send this scenario's request (nothing runs)."""


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
    """A request minus what LIP sets for itself: its body, and for Gemini,
    whose model and method are in the path, the path after the API version
    (each side calls its own version) and the body's field names in one
    spelling (:func:`_proto_names`)."""
    try:
        body = json.loads(exchange.request_body)
    except ValueError:
        return exchange.request_body
    if isinstance(body, dict):
        for key in _LIP_SETS.get(protocol, ("model",)):
            body.pop(key, None)
        if body.get("stream") is False:  # the default, said or not
            del body["stream"]
    if protocol == "gemini":
        return {"call": exchange.target.split("/", 2)[-1], "body": _proto_names(body)}
    return body


# Gemini fields whose values are data (JSON objects of the client's, keys and
# all), and maps whose keys are data (their values are messages).
_DATA_FIELDS = frozenset(
    {"args", "response", "parametersJsonSchema", "responseJsonSchema", "default", "example"}
)
_MAP_FIELDS = frozenset({"properties"})


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def _proto_names(value: object) -> object:
    """A Gemini request with its field names in lowerCamelCase: proto3 JSON
    takes a field's proto name (``include_thoughts``, as the Python SDK sends
    some) and its JSON name (``includeThoughts``) as the same field
    (https://protobuf.dev/programming-guides/json/), so either reaching the
    upstream is the same request. Data (function args and responses, JSON
    schemas, property names) is compared as it is."""
    if isinstance(value, list):
        return [_proto_names(item) for item in value]
    if not isinstance(value, dict):
        return value
    named: dict[str, object] = {}
    for key, item in value.items():
        name = _camel(key)
        if name in _DATA_FIELDS:
            named[name] = item
        elif name in _MAP_FIELDS and isinstance(item, dict):
            named[name] = {k: _proto_names(v) for k, v in item.items()}
        else:
            named[name] = _proto_names(item)
    return named


class Session:
    """One worker's servers and SDK clients (Python clients, and a Node
    process per frontend), for the pairs it is given one after another."""

    def __init__(self, stack: ExitStack, backends: set[str], drivers: Sequence[Driver]) -> None:
        self._servers = Servers(stack, backends)
        self._which = tuple(drivers)
        self._clients = Clients()
        self._node: dict[str, NodeDriver] = {}
        stack.callback(self._close)

    def run(self, pair: Pair, scenarios: Sequence[Scenario]) -> list[Run]:
        """Every scenario of ``pair``, each driver in turn, every mode."""
        servers = self._servers
        runs = []
        for scenario in scenarios:
            jobs = _jobs(scenario, pair)
            if pair.backend in servers.emulators and any(j.unsupported is None for j in jobs):
                url = servers.emulators[pair.backend]
                protocols.prime(pair.backend, url, UPSTREAM_KEY, scenario)
            runs += [self._drive(pair, job, driver) for driver in self._which for job in jobs]
        problems = servers.problems()
        if problems:
            raise RuntimeError("; ".join(problems))
        return runs

    def _drive(self, pair: Pair, job: _Job, driver: Driver) -> Run:
        if job.unsupported is not None:
            return Run(
                job.scenario.id, pair.name, driver, job.mode, "unsupported", [job.unsupported]
            )
        servers = self._servers
        server = servers.lip.url if pair.via_lip else servers.direct[pair.backend].url
        base_url = protocols.base_url(pair.frontend, server)
        key = CLIENT_KEY if pair.via_lip else UPSTREAM_KEY
        reaching = not (pair.via_lip and job.scenario.rejected_before_network)
        servers.script(pair.backend, job.script if reaching else None)
        legs = servers.legs(pair.backend, via_lip=pair.via_lip)
        if driver == "python":
            seen = self._python(pair.frontend, base_url, key, job)
        else:
            seen = self._nodejs(pair.frontend, base_url, key, job)
        client, upstream = legs.since()
        servers.taken(pair.backend, upstream if pair.via_lip else client)
        run = Run(job.scenario.id, pair.name, driver, job.mode, "pass", observation=seen)
        if driver == "python":  # the goldens are the Python SDK's legs
            run.client_leg = "\n\n".join(normalise(e) for e in client)
            run.client_response = client[-1].response_body if client else b""
            run.upstream_leg = "\n\n".join(normalise(e) for e in upstream)
        _check(run, job, pair, client, upstream)
        return run

    def _python(self, frontend: str, base_url: str, key: str, job: _Job) -> Observation:
        driver = protocols.python_driver(frontend)
        params, options = client_options(job.params)
        client = self._clients.get(frontend, driver.connect, base_url, key, options)
        return driver.run(client, params, job.mode)

    def _nodejs(self, frontend: str, base_url: str, key: str, job: _Job) -> Observation:
        if frontend not in self._node:
            self._node[frontend] = NodeDriver(frontend)
        return self._node[frontend].run(base_url, key, job.params, job.mode)

    def _close(self) -> None:
        self._clients.close()
        for node in self._node.values():
            node.close()


def run_pairs(
    pairs: Sequence[Pair], scenarios: Sequence[Scenario], drivers: Sequence[Driver]
) -> list[list[Run]]:
    """Each pair's runs, in this process."""
    with ExitStack() as stack:
        session = Session(stack, {p.backend for p in pairs}, drivers)
        return [session.run(pair, scenarios) for pair in pairs]


def run_all(
    scenarios: Sequence[Scenario],
    *,
    pairs: Sequence[Pair] = PAIRS + EMULATOR_CHECKS,
    drivers: Sequence[Driver] = ("python", "node"),
    workers: int | None = None,
) -> list[Run]:
    """Every scenario x pair x driver x mode, in a stable order, the pairs
    shared out among ``workers`` processes (:mod:`parity.workers`)."""
    from parity.workers import share_out

    return [run for runs in share_out(pairs, scenarios, drivers, workers) for run in runs]


def default_scenarios_dir() -> Path:
    """``testdata/scenarios`` of the checkout this package runs from."""
    return Path(__file__).resolve().parents[1] / "testdata" / "scenarios"
