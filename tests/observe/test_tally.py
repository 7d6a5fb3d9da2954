"""The in-process tally of :mod:`lip.observe.tally` against prometheus_client's
own metric objects: the same exposition for the same records (in one process,
and summed from a ``PROMETHEUS_MULTIPROC_DIR``), ``le`` bucket edges,
``_created`` samples, and no count lost when its caches clear."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest, values
from prometheus_client import metrics as client_metrics
from prometheus_client.parser import text_string_to_metric_families

from lip.canonical import Usage
from lip.config import Config, parse_config
from lip.continuity import Attempt, CallOutcome, CallRecord, Outcome
from lip.limits import PriceTable
from lip.observe import MetricsObserver, tally
from lip.observe.labels import CallLabels
from lip.observe.metrics import BUCKETS, MULTIPROC_ENV, _SharedCounts
from lip.observe.tally import Tally

CONFIG = """
backends:
  - {id: chat, kind: openai-compatible, api: chat, base_url: 'http://chat.invalid/v1',
     api_key: k, models: [gpt-4o-mini], model_map: {cheap: gpt-4o-mini}}
  - {id: dead, kind: openai-compatible, api: chat, base_url: 'http://dead.invalid/v1',
     api_key: k, models: ['*']}
prices:
  gpt-4o-mini: {input: 1.5, output: 6, cached_input: 0.75}
observability: {metrics: {enabled: true, path: /internal/metrics}}
"""
Sample = tuple[str, str, str, str, tuple[tuple[str, str], ...], float]


@pytest.fixture(scope="module")
def config() -> Config:
    return parse_config(CONFIG, env={})


def attempt(n: int, backend: str, model: str, served: bool, outcome: Outcome | None) -> Attempt:
    return Attempt(
        number=n,
        backend_id=backend,
        model=model,
        upstream_model="gpt-4o-mini" if model == "cheap" else model,
        first_output=0.2 if served else None,
        ended=0.3,
        outcome=outcome,
    )


def records() -> Iterator[CallRecord]:
    """Generate calls of every shape, and the other requests (the same ones each time)."""
    pick = random.Random(7).choice
    paths = ("/healthz", "/internal/metrics", "/diagnostics/requests/x", "/openapi.json", "/v1/x")
    for n in range(300):
        protocol = pick((None, "openai_chat", "anthropic_messages", "gemini"))
        ended = pick((0.005, 0.0051, 0.42, 2.5, 600.0, 600.5, None))
        record = CallRecord(
            request_id=f"{n:032x}",
            protocol=protocol,
            path="/v1/chat/completions" if protocol else pick(paths),
            status=pick((200, 200, 429, 502, None)),
            client=pick(("alice", "ip:192.0.2.7", None, "oidc:bob")),
            ended=ended,
            first_output=pick((None, 0.004, 0.3, 700.0)) if ended else None,
            outcome=pick((CallOutcome.SUCCESS, CallOutcome.ERROR, CallOutcome.CANCELLED, None)),
            usage=pick((None, Usage(input_tokens=n, output_tokens=n % 9 or None))),
        )
        if protocol is not None and pick((True, False)):
            failed = pick((Outcome.FAILED_BEFORE_OUTPUT, Outcome.SKIPPED, None))
            record.attempts.append(attempt(1, pick(("dead", "gone")), "x", False, failed))
        if protocol is not None and pick((True, True, False)):
            model = pick(("gpt-4o-mini", "cheap", "made-up-model"))
            record.attempts.append(attempt(2, "chat", model, True, Outcome.SUCCESS))
        if record.usage is not None and pick((True, False)):
            record.usage = Usage(
                input_tokens=n,
                output_tokens=1,
                cached_input_tokens=n // 2,
                cache_creation_input_tokens=3,
                reasoning_tokens=n % 2,
            )
        yield record


def drive(observer: MetricsObserver) -> str:
    for record in records():
        observer.started(record)
        observer.ended(record)
    return observer.exposition().decode()


def samples(text: str) -> set[Sample]:
    """Every counter and histogram sample but ``_created`` (no live gauges)."""
    return {
        (
            family.name,
            family.type,
            family.documentation,
            s.name,
            tuple(sorted(s.labels.items())),
            s.value,
        )
        for family in text_string_to_metric_families(text)
        if not family.name.endswith("_in_flight")
        for s in family.samples
        if not s.name.endswith("_created")
    }


@pytest.fixture
def multiprocess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``PROMETHEUS_MULTIPROC_DIR`` set as a worker starts: prometheus_client
    picks its value store once, at import, so it is replaced here too."""
    store = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    monkeypatch.setenv(MULTIPROC_ENV, str(tmp_path))
    monkeypatch.setattr(values, "ValueClass", store)
    yield tmp_path
    store.close_all_files()


def test_the_tally_renders_what_prometheus_client_objects_render(config: Config) -> None:
    reference = CollectorRegistry()
    shared = _SharedCounts(CallLabels(config), PriceTable(config.prices), reference)
    for record in records():
        shared.count(record)
    text = drive(MetricsObserver(config))
    expected = generate_latest(reference).decode()
    # Same families, HELP texts, series, order and values; only the creation times differ.
    created = re.compile(r"^(\w+_created\{.*\}) \S+$", re.MULTILINE)
    live = text.index("# HELP lip_http_requests_in_flight")
    assert created.sub(r"\1 T", text[:live]) == created.sub(r"\1 T", expected)
    assert 'model="made-up-model"' not in text and 'client="ip:' not in text
    assert 'lip_cost_usd_total{backend="chat",client="alice",model="cheap"}' in text


def test_a_multiprocess_scrape_shows_the_same_series(config: Config, multiprocess: Path) -> None:
    summed = drive(MetricsObserver(config))
    assert list(multiprocess.glob("*.db"))
    assert "_created" not in summed and 'lip_http_requests_in_flight{pid="' in summed
    with pytest.MonkeyPatch.context() as env:
        env.delenv(MULTIPROC_ENV)
        tallied = drive(MetricsObserver(config))
    assert "lip_tokens_created" in tallied
    assert samples(tallied) == samples(summed)
    assert len(samples(tallied)) > 300


def test_a_value_on_a_bound_counts_in_that_bucket(config: Config) -> None:
    observer = MetricsObserver(config)
    observed = (0.005, 0.0051, 0.01, 600.0, 600.5, 0.0)
    for n, seconds in enumerate(observed):
        record = CallRecord(request_id=str(n), protocol="gemini", status=200, ended=seconds)
        observer.ended(record)
    buckets = {
        s.labels["le"]: s.value
        for family in text_string_to_metric_families(observer.exposition().decode())
        for s in family.samples
        if s.name == "lip_request_duration_seconds_bucket"
    }
    assert list(buckets) == [*(str(b) for b in BUCKETS), "+Inf"]
    assert buckets["0.005"] == 2  # 0.0 and 0.005
    assert buckets["0.01"] == 4  # ...0.0051 and 0.01
    assert buckets["300.0"] == 4 and buckets["600.0"] == 5 and buckets["+Inf"] == 6
    text = observer.exposition().decode()
    where = '{backend="none",model="unknown",protocol="gemini"}'
    assert f"lip_request_duration_seconds_count{where} 6.0" in text
    assert f"lip_request_duration_seconds_sum{where} {sum(observed)}" in text
    # Calls without a first output have no TTFT series.
    assert "lip_time_to_first_token_seconds_count" not in text


def test_each_series_has_its_creation_time_unless_disabled(config: Config) -> None:
    before = time.time()
    observer = MetricsObserver(config)
    record = next(
        r
        for r in records()
        if r.protocol and r.usage and r.first_output and r.served_by and r.served_by.model != "x"
    )
    observer.ended(record)
    created = {
        s.name: s.value
        for family in text_string_to_metric_families(observer.exposition().decode())
        for s in family.samples
        if s.name.endswith("_created")
    }
    names = ["lip_http_requests", "lip_requests", "lip_request_duration_seconds"]
    names += ["lip_time_to_first_token_seconds", "lip_upstream_attempts", "lip_tokens"]
    names += ["lip_cost_usd"]
    assert set(created) == {f"{name}_created" for name in names}
    assert all(before <= at <= time.time() for at in created.values())
    client_metrics.disable_created_metrics()  # type: ignore[no-untyped-call]
    try:
        assert "_created" not in observer.exposition().decode()
    finally:
        client_metrics.enable_created_metrics()  # type: ignore[no-untyped-call]


def test_no_count_is_lost_when_the_caches_clear(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tally, "_CACHE", 2)
    counted = Tally(CallLabels(config), PriceTable(config.prices), BUCKETS)
    for n in range(50):
        record = CallRecord(
            request_id=str(n),
            protocol="openai_chat",
            status=200,
            client=f"ip:192.0.2.{n}",
            ended=0.1,
            usage=Usage(input_tokens=10, output_tokens=1),
        )
        record.attempts.append(attempt(1, "chat", f"model-{n % 5}", True, Outcome.SUCCESS))
        counted.count(record)
        counted.count(CallRecord(request_id="h", path=f"/unknown/{n}", status=404))
    registry = CollectorRegistry()
    registry.register(counted)
    text = generate_latest(registry).decode()

    def total(sample: str, **labels: str) -> float:
        found = [
            v for *_, name, at, v in samples(text) if name == sample and labels.items() <= set(at)
        ]
        return sum(found)

    assert total("lip_requests_total", model="other", status_class="2xx") == 50
    assert total("lip_http_requests_total", path_group="other", status_class="4xx") == 50
    assert total("lip_tokens_total", kind="input", client="anonymous") == 500
    assert total("lip_tokens_total", kind="output", model="other") == 50
    assert total("lip_request_duration_seconds_sum") == pytest.approx(5.0)
    assert total("lip_request_duration_seconds_count") == 50
