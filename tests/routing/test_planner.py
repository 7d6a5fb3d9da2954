import pytest

from lip.backends import Target
from lip.canonical import Call, InvalidRequestError, NotFoundError
from lip.config import ConfigError, parse_config
from lip.routing import Planner, SelectorError, parse
from lip.routing.plan import Attrs, Branch, Leg, Op, Plan, Step

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


def _targets(planner: Planner, call: Call) -> tuple[Target, ...]:
    return tuple(planner.plan_tree(call).targets())


def test_an_instance_of_a_backend_without_instances_is_refused_not_ignored() -> None:
    planner = Planner(CONFIG)
    for selector in ("oa.eu:gpt-4o", "stub:x | oa.eu:gpt-4o"):
        with pytest.raises(
            SelectorError, match=r"'oa\.eu:gpt-4o' names an unknown instance 'eu' .*: none\)"
        ) as info:
            planner.plan_tree(_call(selector))
        assert info.value.position == selector.index("oa.eu")  # never routed to 'oa' ignoring 'eu'


def test_failover_legs_in_order() -> None:
    legs = parse(" oa:gpt-4o | llama3:8b|stub:x ", {"oa", "stub"}).leaves()
    assert [str(leg) for leg in legs] == ["oa:gpt-4o", "llama3:8b", "stub:x"]
    targets = _targets(Planner(CONFIG), _call("fast | stub:y"))
    assert [(t.backend_id, t.upstream_model) for t in targets] == [
        ("oa", "gpt-4o-mini"),
        ("stub", "y"),
    ]


def test_every_failover_leg_must_resolve() -> None:
    with pytest.raises(NotFoundError, match="`nope`"):
        _targets(Planner(CONFIG), _call("fast | nope"))


def test_bare_model_uses_model_lists_and_model_map() -> None:
    planner = Planner(CONFIG)
    (target,) = _targets(planner, _call("llama3:8b"))
    assert (target.backend_id, target.upstream_model) == ("oa", "llama3:8b")
    (target,) = _targets(planner, _call("fast"))
    assert (target.backend_id, target.upstream_model) == ("oa", "gpt-4o-mini")


def test_unknown_model_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="`nope` does not exist"):
        _targets(Planner(CONFIG), _call("nope"))


def test_header_route_beats_body_model_and_default_applies() -> None:
    planner = Planner(CONFIG)
    assert _targets(planner, _call("gpt-4o-mini", route="stub:x"))[0].backend_id == "stub"
    (target,) = _targets(planner, _call(""))
    assert (target.backend_id, target.model) == ("stub", "default-model")


def test_aliases_rewrite_in_order() -> None:
    planner = Planner(CONFIG)
    assert _targets(planner, _call("claude-opus"))[0].selector == "stub:claude-opus"
    (target,) = _targets(planner, _call("claude-haiku"))
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
    plan = planner.plan_tree(Call(id="c", protocol="p", model="a:m | b:m | a:m", messages=()))
    assert plan.legs == 3
    with pytest.raises(InvalidRequestError, match="4 legs") as legs:
        planner.plan_tree(Call(id="c", protocol="p", model="a:m|b:m|a:m|b:m", messages=()))
    assert legs.value.code == "too_many_legs"
    with pytest.raises(InvalidRequestError, match="at most 64") as long:
        planner.plan_tree(Call(id="c", protocol="p", model="m" * 65, messages=()))
    assert long.value.code == "selector_too_long"


# -- plan trees ----------------------------------------------------------------


def _shape(step: Step) -> object:
    """A plan tree as nested tuples: (op, attrs, children) and (backend, upstream, attrs)."""
    if isinstance(step, Leg):
        return (step.target.backend_id, step.target.upstream_model, step.attrs)
    return (step.op, step.attrs, tuple(_shape(child) for child in step.children))


def test_plan_tree_resolves_every_leaf_and_keeps_the_shape() -> None:
    plan = Planner(CONFIG).plan_tree(
        _call("fast | [ttft_timeout=2]([weight=3]llama3:8b ^ (stub:a ! [handicap=0.5]stub:b))")
    )
    assert _shape(plan.root) == (
        Op.FAILOVER,
        Attrs(),
        (
            ("oa", "gpt-4o-mini", Attrs()),
            (
                Op.WEIGHTED,
                Attrs(ttft_timeout=2),
                (
                    ("oa", "llama3:8b", Attrs(weight=3)),
                    (
                        Op.RACE,
                        Attrs(),
                        (("stub", "a", Attrs()), ("stub", "b", Attrs(handicap=0.5))),
                    ),
                ),
            ),
        ),
    )
    assert plan.legs == 4
    assert plan.ttft_timeout == 300  # routing.ttft_timeout's default
    assert isinstance(plan.root, Branch)
    leg = plan.root.children[0]
    assert isinstance(leg, Leg) and leg.target.selector == plan.selector


def test_plan_tree_of_one_leaf_is_one_leg() -> None:
    plan = Planner(CONFIG).plan_tree(_call("claude-opus"))
    assert plan == Plan(
        root=Leg(target=_targets(Planner(CONFIG), _call("claude-opus"))[0]),
        selector="stub:claude-opus",
        ttft_timeout=300,
        legs=1,
    )


def test_selector_budget_may_shorten_the_configured_one_never_lengthen_it() -> None:
    config = parse_config(
        "backends: [{id: s, kind: localstub}]\nrouting: {ttft_timeout: 30}", env={}
    )
    planner = Planner(config)
    assert planner.plan_tree(_call("{ttft_timeout=5} s:a | s:b")).ttft_timeout == 5
    assert planner.plan_tree(_call("s:a | s:b {ttft_timeout=3600}")).ttft_timeout == 30
    assert planner.plan_tree(_call("s:a")).ttft_timeout == 30


def test_plan_tree_errors() -> None:
    planner = Planner(CONFIG)
    with pytest.raises(NotFoundError, match="`nope`") as missing:
        planner.plan_tree(_call("fast ! [handicap=1]nope"))
    assert missing.value.code == "model_not_found"
    with pytest.raises(SelectorError, match="position 7: expected a target after '\\^'"):
        planner.plan_tree(_call("oa:m ^ "))
    with pytest.raises(InvalidRequestError, match="9 legs; this server tries at most 8") as legs:
        planner.plan_tree(_call(" ! ".join(["fast"] * 9)))
    assert legs.value.code == "too_many_legs"


def test_parses_are_cached_per_planner() -> None:
    planner = Planner(CONFIG)
    first = planner.plan_tree(_call("fast | stub:x"))
    assert planner.plan_tree(_call("fast | stub:x")) == first
    info = planner._parse.cache_info()
    assert info.hits >= 1 and info.maxsize == 1024
    with pytest.raises(SelectorError):
        planner.plan_tree(_call("fast |"))


# -- config checks -------------------------------------------------------------


def _config(routing: str) -> str:
    return f"backends: [{{id: s, kind: localstub, models: [only]}}]\nrouting: {routing}\n"


@pytest.mark.parametrize(
    "routing, message, position",
    [
        (
            "{default_route: 's:a |'}",
            "routing.default_route: route selector error at position 5: "
            "expected a target after '|'",
            5,
        ),
        (
            "{default_route: 's:a | nope'}",
            "routing.default_route: route selector error at "
            "position 6: The model `nope` does not exist",
            6,
        ),
        (
            "{default_route: 'x', model_aliases: [{match: x, replace: '[weight=2]s:a'}]}",
            "routing.default_route: route selector error at position 1: weight applies only to "
            "an operand of '^' (in '[weight=2]s:a', after alias rewriting)",
            1,
        ),
        (
            "{model_aliases: [{match: x, replace: 's:a ^ ^'}]}",
            "routing.model_aliases[0]: route selector error at position 6: expected a target "
            "after '^', found '^'",
            6,
        ),
        (
            "{model_aliases: [{match: x, replace: 'nope'}]}",
            "routing.model_aliases[0]: route selector error at position 0: The model `nope`",
            0,
        ),
        (
            "{model_aliases: [{match: '(x)', replace: 's:\\2'}]}",
            "routing.model_aliases[0].replace: template error at position 3: invalid group "
            "reference 2",
            3,
        ),
        (
            "{model_aliases: [{match: '(?P<n>x)', replace: 's:\\g<m>'}]}",
            "routing.model_aliases[0].replace: template error at position 2: unknown group name",
            2,
        ),
        (
            "{max_legs: 2, default_route: 's:a | s:b | s:c'}",
            "routing.default_route: The route selector names 3 legs",
            None,
        ),
    ],
)
def test_configured_selectors_are_checked_at_startup(
    routing: str, message: str, position: int | None
) -> None:
    with pytest.raises(ConfigError) as info:
        Planner(parse_config(_config(routing), env={}))
    assert str(info.value).startswith(message)
    cause = info.value.__cause__
    if position is None:
        assert cause is None
    else:
        assert isinstance(cause, SelectorError) and cause.position == position


def test_aliases_are_checked_as_they_run() -> None:
    planner = Planner(
        parse_config(
            _config(
                "{model_aliases: ["
                "{match: 'local-(.*)', replace: 's:\\1 | s:only'},"  # uses the match: per call
                "{match: smart, replace: cheap},"  # checked as the next alias rewrites it
                "{match: cheap, replace: 's:only ! [handicap=1]s:b'}]}"
            ),
            env={},
        )
    )
    first, second, third = planner.alias_plans
    assert first is None
    assert second is not None and second == third
    assert second.selector == "s:only ! [handicap=1]s:b"
    assert second.outline() == [
        "! race",
        "  leg backend=s model=only upstream=only",
        "  leg backend=s model=b upstream=b [handicap=1]",
    ]
    assert planner.default_plan is None


# -- backend instances ---------------------------------------------------------

POOLED = parse_config(
    """
backends:
  - id: pool
    kind: openai-compatible
    base_url: http://127.0.0.1:1/v1
    models: [m]
    model_map: {fast: upstream-fast}
    instances:
      - {id: i1, weight: 3}
      - {id: i2}
  - id: solo
    kind: openai-compatible
    base_url: http://127.0.0.1:2/v1
    instances: [{id: only, weight: 5}]
  - id: stub
    kind: localstub
""",
    env={},
)


def test_an_instance_leaf_is_that_instance_s_leg() -> None:
    plan = Planner(POOLED).plan_tree(_call("[ttft_timeout=2]pool.i2:fast"))
    assert _shape(plan.root) == ("pool.i2", "upstream-fast", Attrs(ttft_timeout=2))
    assert plan.legs == 1


def test_an_unknown_instance_is_an_error_at_its_position_naming_the_known_ones() -> None:
    selector = "stub:x | pool.eu:m"
    with pytest.raises(SelectorError) as info:
        Planner(POOLED).plan_tree(_call(selector))
    assert info.value.position == selector.index("pool.eu")
    assert info.value.reason == (
        "'pool.eu:m' names an unknown instance 'eu' of backend 'pool' (its instances: 'i1', 'i2')"
    )
    text = "backends: [{id: p, kind: openai, instances: [{id: i1}]}]\nrouting: {default_route: "
    with pytest.raises(ConfigError, match=r"default_route: .*position 6: .*instances: 'i1'\)"):
        Planner(parse_config(text + "'p:m | p.eu:m'}", env={}))


def test_a_backend_leaf_spreads_over_its_instances_by_weight() -> None:
    plan = Planner(POOLED).plan_tree(_call("[weight=2]pool:fast ^ stub:x"))
    assert _shape(plan.root) == (
        Op.WEIGHTED,
        Attrs(),
        (
            (
                Op.WEIGHTED,
                Attrs(weight=2),  # the leaf's attrs stay on the leaf's branch
                (
                    ("pool.i1", "upstream-fast", Attrs(weight=3)),
                    ("pool.i2", "upstream-fast", Attrs(weight=1)),
                ),
            ),
            ("stub", "x", Attrs()),
        ),
    )
    assert plan.legs == 2  # the leaves written, not the instances


def test_a_bare_model_of_a_backend_with_instances_spreads_too() -> None:
    plan = Planner(POOLED).plan_tree(_call("m"))
    assert _shape(plan.root) == (
        Op.WEIGHTED,
        Attrs(),
        (("pool.i1", "m", Attrs(weight=3)), ("pool.i2", "m", Attrs(weight=1))),
    )
    assert [t.backend_id for t in plan.targets()] == ["pool.i1", "pool.i2"]


def test_a_single_instance_is_a_plain_leg() -> None:
    plan = Planner(POOLED).plan_tree(_call("[ttft_timeout=1]solo:m"))
    assert _shape(plan.root) == ("solo.only", "m", Attrs(ttft_timeout=1))


def test_instances_do_not_count_against_max_legs() -> None:
    text = "backends: [{id: pool, kind: openai, instances: [{id: a}, {id: b}]}]"
    config = parse_config(text + "\nrouting: {max_legs: 2}", env={})
    plan = Planner(config).plan_tree(_call("pool:m | pool:m"))
    assert plan.legs == 2 and len(list(plan.targets())) == 4
    with pytest.raises(InvalidRequestError, match="3 legs"):
        Planner(config).plan_tree(_call("pool:m | pool.a:m | pool:m"))
