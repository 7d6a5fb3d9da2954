import pytest

from lip.canonical import Call, InvalidRequestError, NotFoundError
from lip.config import parse_config
from lip.routing import Planner, parse, parse_leaf

CONFIG = parse_config(
    """
backends:
  - id: oa
    kind: openai-compatible
    base_url: http://127.0.0.1:1/v1
    models: [gpt-4o-mini, "llama3:8b"]
    model_map: {fast: gpt-4o-mini}
  - id: stub
    kind: localstub
routing:
  default_route: stub:default-model
  model_aliases:
    - {match: "claude-(.*)", replace: 'stub:claude-\\1'}
    - {match: "stub:claude-haiku", replace: "oa:fast"}
""",
    env={},
)


def _call(model: str = "", route: str | None = None) -> Call:
    return Call(id="c", protocol="openai_chat", model=model, messages=(), route=route)


def test_leaf_forms() -> None:
    ids = {"oa"}
    assert parse_leaf("oa:gpt-4o", ids).backend == "oa"
    assert parse_leaf("llama3:8b", ids).backend is None
    assert parse_leaf("other.eu:m", ids).backend is None  # not a configured backend: a model
    with pytest.raises(InvalidRequestError, match=r"'oa\.eu:gpt-4o' names instance 'eu'"):
        parse_leaf("oa.eu:gpt-4o", ids)  # refused, never routed to 'oa' ignoring 'eu'


def test_unsupported_operators_are_rejected_clearly() -> None:
    for selector in ("[weight=3]a:m ^ b:m", "a:m ! b:m", "{ttft_timeout=2}a:m"):
        with pytest.raises(InvalidRequestError, match="operator"):
            parse(selector, {"a", "b"})
    with pytest.raises(InvalidRequestError, match="operator"):
        parse_leaf("a:m | b:m", {"a", "b"})  # a leaf is one target


def test_failover_legs_in_order() -> None:
    legs = parse(" oa:gpt-4o | llama3:8b|stub:x ", {"oa", "stub"})
    assert [str(leg) for leg in legs] == ["oa:gpt-4o", "llama3:8b", "stub:x"]
    targets = Planner(CONFIG).plan(_call("fast | stub:y"))
    assert [(t.backend_id, t.upstream_model) for t in targets] == [
        ("oa", "gpt-4o-mini"),
        ("stub", "y"),
    ]


def test_every_failover_leg_must_resolve() -> None:
    with pytest.raises(NotFoundError, match="`nope`"):
        Planner(CONFIG).plan(_call("fast | nope"))


def test_bare_model_uses_model_lists_and_model_map() -> None:
    planner = Planner(CONFIG)
    (target,) = planner.plan(_call("llama3:8b"))
    assert (target.backend_id, target.upstream_model) == ("oa", "llama3:8b")
    (target,) = planner.plan(_call("fast"))
    assert (target.backend_id, target.upstream_model) == ("oa", "gpt-4o-mini")


def test_unknown_model_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="`nope` does not exist"):
        Planner(CONFIG).plan(_call("nope"))


def test_header_route_beats_body_model_and_default_applies() -> None:
    planner = Planner(CONFIG)
    assert planner.plan(_call("gpt-4o-mini", route="stub:x"))[0].backend_id == "stub"
    (target,) = planner.plan(_call(""))
    assert (target.backend_id, target.model) == ("stub", "default-model")


def test_aliases_rewrite_in_order() -> None:
    planner = Planner(CONFIG)
    assert planner.plan(_call("claude-opus"))[0].selector == "stub:claude-opus"
    (target,) = planner.plan(_call("claude-haiku"))
    assert (target.backend_id, target.upstream_model) == ("oa", "gpt-4o-mini")


def test_models_listing() -> None:
    assert Planner(CONFIG).models() == [("gpt-4o-mini", "oa"), ("llama3:8b", "oa"), ("fast", "oa")]


def test_clients_cannot_choose_unbounded_work() -> None:
    config = parse_config(
        "backends: [{id: a, kind: localstub, models: ['*']}, {id: b, kind: localstub}]\n"
        "routing: {max_legs: 3, max_selector_length: 64}",
        env={},
    )
    planner = Planner(config)
    assert len(planner.plan(Call(id="c", protocol="p", model="a:m | b:m | a:m", messages=()))) == 3
    with pytest.raises(InvalidRequestError, match="4 failover legs") as legs:
        planner.plan(Call(id="c", protocol="p", model="a:m|b:m|a:m|b:m", messages=()))
    assert legs.value.code == "too_many_legs"
    with pytest.raises(InvalidRequestError, match="at most 64") as long:
        planner.plan(Call(id="c", protocol="p", model="m" * 65, messages=()))
    assert long.value.code == "selector_too_long"
