"""The route selector grammar: leaves, precedence, attrs, budgets, errors, round trips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lip.canonical import InvalidRequestError
from lip.routing.plan import NO_ATTRS, Attrs, Group, Leaf, Node, Op, Selector
from lip.routing.selector import MAX_DEPTH, Alias, SelectorError, parse, rewrite, with_caret

IDS = frozenset({"oa", "stub"})


def _p(text: str) -> Selector:
    return parse(text, IDS)


def L(model: str, backend: str | None = None, **attrs: float) -> Leaf:
    return Leaf(model=model, backend=backend, attrs=Attrs(**attrs) if attrs else NO_ATTRS)


def G(op: Op, *children: Node, **attrs: float) -> Group:
    return Group(op=op, children=children, attrs=Attrs(**attrs) if attrs else NO_ATTRS)


# -- leaves ------------------------------------------------------------------


def test_leaf_forms() -> None:
    assert _p("oa:gpt-4o").root == L("gpt-4o", "oa")
    assert _p("oa:llama3:8b").root == L("llama3:8b", "oa")  # first colon after a backend id
    assert _p("llama3:8b").root == L("llama3:8b")  # 'llama3' is no backend: one model id
    assert _p("ollama/qwen2.5:7b").root == L("ollama/qwen2.5:7b")
    assert _p("other.eu:m").root == L("other.eu:m")  # not a configured backend: a model
    assert _p("oa:").root == L("oa:")  # no model after the colon: the whole text is a model
    assert _p("a=b,c").root == L("a=b,c")  # '=' and ',' only mean something inside [ ]
    assert _p("oa.eu:gpt-4o").root == Leaf(model="gpt-4o", backend="oa", instance="eu")


def test_leaf_positions_point_at_the_leaf() -> None:
    assert [leaf.position for leaf in _p("  a | [ttft_timeout=1]oa:b").leaves()] == [2, 22]


# -- precedence and grouping -------------------------------------------------


def test_precedence_failover_loosest_race_tightest() -> None:
    a, b, c, d = L("a"), L("b"), L("c"), L("d")
    assert _p("a | b ^ c ! d").root == G(Op.FAILOVER, a, G(Op.WEIGHTED, b, G(Op.RACE, c, d)))
    assert _p("a ! b ^ c | d").root == G(Op.FAILOVER, G(Op.WEIGHTED, G(Op.RACE, a, b), c), d)
    assert _p("a ! (b | c)").root == G(Op.RACE, a, G(Op.FAILOVER, b, c))


def test_chains_of_one_operator_are_one_flat_group() -> None:
    assert _p("a|b|c").root == G(Op.FAILOVER, L("a"), L("b"), L("c"))
    assert _p("a ^ b ^ c ^ d").root == G(Op.WEIGHTED, *(L(x) for x in "abcd"))
    # Parentheses the author wrote stay: a nested group is a node of its own.
    assert _p("(a | b) | c").root == G(Op.FAILOVER, G(Op.FAILOVER, L("a"), L("b")), L("c"))


def test_a_lone_operand_is_not_wrapped() -> None:
    assert _p("a").root == L("a")
    assert _p("((a))").root == L("a")
    assert _p(" ( a | b ) ").root == G(Op.FAILOVER, L("a"), L("b"))


def test_whitespace_is_optional_between_tokens() -> None:
    assert _p("a|b^c!d") == _p("  a |  b ^ c\t!\nd  ")
    assert _p("[ weight = 2 , ttft_timeout=1 ]a^b") == _p("[weight=2,ttft_timeout=1] a ^ b")


# -- attrs and budget --------------------------------------------------------


def test_attrs_on_leaves_and_groups() -> None:
    assert _p("[weight=3]oa:m ^ [weight=0.5, ttft_timeout=2](a ! [handicap=0]b)").root == G(
        Op.WEIGHTED,
        L("m", "oa", weight=3),
        G(Op.RACE, L("a"), L("b", handicap=0), weight=0.5, ttft_timeout=2),
    )
    assert _p("[ttft_timeout=5](a | b)").root == G(Op.FAILOVER, L("a"), L("b"), ttft_timeout=5)


def test_attr_blocks_and_parentheses_merge() -> None:
    assert _p("[weight=2][ttft_timeout=1]a ^ b").root == _p("[weight=2, ttft_timeout=1]a ^ b").root
    # Outer attrs on a parenthesised operand apply to that operand.
    assert _p("[weight=2]([ttft_timeout=3]a) ^ b").root == G(
        Op.WEIGHTED, L("a", weight=2, ttft_timeout=3), L("b")
    )
    # A weight inside parentheses counts where the operand lands.
    assert _p("a ^ ([weight=2]b)").root == G(Op.WEIGHTED, L("a"), L("b", weight=2))


@pytest.mark.parametrize(
    "text", ["{ttft_timeout=2} a | b", "a | b {ttft_timeout=2}", "{ ttft_timeout = 2 }a|b"]
)
def test_budget_at_start_or_end(text: str) -> None:
    assert _p(text) == Selector(root=G(Op.FAILOVER, L("a"), L("b")), ttft_timeout=2)


def test_numbers() -> None:
    for text, value in [("1", 1.0), ("0.25", 0.25), (".5", 0.5), ("2.", 2.0), ("1e-3", 0.001)]:
        assert _p(f"{{ttft_timeout={text}}} a").ttft_timeout == value


# -- errors ------------------------------------------------------------------

ERRORS = [
    ("", 0, "the route selector is empty"),
    ("   ", 0, "the route selector is empty"),
    ("a |", 3, "expected a target after '|'"),
    ("a | ", 4, "expected a target after '|'"),
    ("a ^ | b", 4, "expected a target after '^', found '|'"),
    ("a !", 3, "expected a target after '!'"),
    ("| a", 0, "expected a target, found '|'"),
    ("[ttft_timeout=1]", 16, "expected a target after ']'"),
    ("a | ()", 4, "empty parentheses"),
    ("(a | b", 0, "'(' is never closed"),
    ("a | b)", 5, "unmatched ')'"),
    ("a]", 1, "unmatched ']'"),
    ("a}", 1, "unmatched '}'"),
    ("(a b)", 3, "expected an operator ('|', '^' or '!') before 'b'"),
    ("a b", 2, "expected an operator ('|', '^' or '!') before 'b'"),
    ("(a) [weight=1]b", 4, "expected an operator ('|', '^' or '!') before '['"),
    ("[weight=1 a", 10, "expected ',' or ']', found 'a'"),
    ("[weight=1", 0, "'[' is never closed"),
    ("[weight", 7, "expected '=' after 'weight'"),
    ("[]a", 1, "expected an attribute name, found ']'"),
    ("[weight=2]a", 1, "weight applies only to an operand of '^'"),
    ("a | [weight=2]b", 5, "weight applies only to an operand of '^'"),
    ("a ! [weight=2]b", 5, "weight applies only to an operand of '^'"),
    ("[weight=2](a ^ b)", 1, "weight applies only to an operand of '^'"),
    ("a ^ [handicap=1]b", 5, "handicap applies only to an operand of '!'"),
    ("[handicap=1]a", 1, "handicap applies only to an operand of '!'"),
    ("[weight=1, weight=2]a ^ b", 11, "duplicate attribute 'weight'"),
    ("[weight=1][weight=2]a ^ b", 11, "duplicate attribute 'weight'"),
    ("[weight=1]([weight=2]a) ^ b", 1, "duplicate attribute 'weight'"),
    ("[wieght=1]a ^ b", 1, "unknown attribute 'wieght' (accepted: weight, handicap, ttft_timeout)"),
    ("[weight=x]a ^ b", 8, "expected a number after 'weight='"),
    ("[weight=inf]a ^ b", 8, "expected a number after 'weight='"),
    ("[weight=1e999]a ^ b", 8, "weight must be a finite number"),
    ("[weight=0]a ^ b", 8, "weight must be > 0"),
    ("[handicap=-1]a ! b", 10, "handicap must be >= 0 seconds"),
    ("[ttft_timeout=0]a", 14, "ttft_timeout must be > 0"),
    ("[ttft_timeout=3601]a", 14, "ttft_timeout must be at most 3600 seconds"),
    ("{ttft_timeout=0} a", 14, "ttft_timeout must be > 0"),
    ("{weight=1} a", 1, "unknown budget 'weight' (accepted: ttft_timeout)"),
    ("{} a", 1, "expected 'ttft_timeout', found '}'"),
    ("{ttft_timeout=1", 0, "'{' is never closed"),
    ("{ttft_timeout=1 x} a", 16, "expected '}', found 'x'"),
    ("{ttft_timeout=1} a {ttft_timeout=2}", 19, "only one {ttft_timeout=...} budget is allowed"),
    ("{ttft_timeout=1} {ttft_timeout=2} a", 17, "only one {ttft_timeout=...} budget is allowed"),
    ("a | {ttft_timeout=1} b", 4, "a {...} budget must come first or last"),
    ("a {ttft_timeout=1} | b", 2, "a {...} budget must come first or last"),
    ("(a {ttft_timeout=1})", 3, "a {...} budget must come first or last"),
    ("{ttft_timeout=1}", 16, "expected a target"),
    ("oa.:m", 2, "empty instance name after '.'"),
    (
        "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),
        MAX_DEPTH,
        "parentheses nested deeper than 32",
    ),
]


@pytest.mark.parametrize("text, position, reason", ERRORS)
def test_errors_name_their_position_and_reason(text: str, position: int, reason: str) -> None:
    with pytest.raises(SelectorError) as info:
        _p(text)
    error = info.value
    assert (error.position, error.selector) == (position, text)
    assert error.reason.startswith(reason)
    assert error.message == f"route selector error at position {position}: {error.reason}"
    assert isinstance(error, InvalidRequestError) and error.param == "model"


def test_nesting_up_to_the_limit_parses() -> None:
    assert _p("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH).root == L("a")


def test_caret_points_at_the_position() -> None:
    assert with_caret("a |\tb", 3, indent="  ") == "  a | b\n     ^"


# -- round trip --------------------------------------------------------------

_SECONDS = st.floats(min_value=0, max_value=3600, exclude_min=True)
_WEIGHTS = st.floats(min_value=0, exclude_min=True, allow_infinity=False)
_HANDICAPS = st.floats(min_value=0, max_value=3600)
_BARE = st.sampled_from(["gpt-4o", "llama3:8b", "other.eu:m", "oa:", "ollama/qwen2.5:7b", "a=b,c"])
_MODELS = st.sampled_from(["gpt-4o", "llama3:8b", ":x", "a.b"])


def _attrs(parent: Op | None) -> st.SearchStrategy[Attrs]:
    return st.builds(
        Attrs,
        weight=st.none() | _WEIGHTS if parent is Op.WEIGHTED else st.none(),
        handicap=st.none() | _HANDICAPS if parent is Op.RACE else st.none(),
        ttft_timeout=st.none() | _SECONDS,
    )


def _nodes(parent: Op | None, depth: int) -> st.SearchStrategy[Node]:
    """Trees ``parse`` accepts: weight/handicap only where the parent allows."""
    leaves = st.one_of(
        st.builds(Leaf, model=_BARE, attrs=_attrs(parent)),
        st.builds(
            Leaf,
            model=_MODELS,
            backend=st.sampled_from(sorted(IDS)),
            instance=st.none() | st.just("eu"),
            attrs=_attrs(parent),
        ),
    )
    if depth == 0:
        return leaves

    def group(op: Op) -> st.SearchStrategy[Node]:
        children = st.lists(_nodes(op, depth - 1), min_size=2, max_size=3).map(tuple)
        return st.builds(Group, op=st.just(op), children=children, attrs=_attrs(parent))

    return leaves | st.sampled_from(Op).flatmap(group)


@settings(max_examples=300, deadline=None)
@given(st.builds(Selector, root=_nodes(None, 3), ttft_timeout=st.none() | _SECONDS))
def test_rendering_parses_back_to_the_same_tree(selector: Selector) -> None:
    text = str(selector)
    assert _p(text) == selector
    assert str(_p(text)) == text  # the canonical form is a fixed point


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet="ab:.|^!()[]{}=, 1-e", max_size=30)
    | st.from_regex(r"[a\[\]=weight1(|)!^ ]{0,20}")
)
def test_any_text_parses_or_fails_with_a_selector_error(text: str) -> None:
    try:
        selector = _p(text)
    except SelectorError as exc:
        assert 0 <= exc.position <= len(text)
        return
    assert _p(str(selector)) == selector


# -- aliases -----------------------------------------------------------------


def test_aliases_rewrite_the_whole_selector_in_order() -> None:
    aliases = [Alias(re.compile("claude-(.*)"), r"stub:claude-\1"), Alias(re.compile("x"), "y")]
    assert rewrite("claude-opus", aliases) == "stub:claude-opus"
    assert rewrite("claude-opus | x", aliases) == "stub:claude-opus | x"  # fullmatch only
    assert rewrite("x", aliases) == "y"


@pytest.mark.parametrize(
    "pattern, replacement, literal",
    [
        ("gpt-4", "oa:gpt-4o | stub:x", "oa:gpt-4o | stub:x"),
        ("local-(.*)", r"local:\1", None),
        ("(?P<name>.*)", r"oa:\g<name>", None),
        ("x", r"oa:\g<0>", None),  # the whole match is a reference too
        ("(x)", r"a\0b", "a\0b"),  # \0 is an octal escape, not a group
    ],
)
def test_alias_literal(pattern: str, replacement: str, literal: str | None) -> None:
    assert Alias(re.compile(pattern), replacement).literal() == literal


@pytest.mark.parametrize(
    "pattern, replacement, position, reason",
    [
        ("(x)", r"a:\2", 3, "invalid group reference 2"),
        ("(?P<n>x)", r"ab\g<m>", 2, "unknown group"),
    ],
)
def test_alias_referencing_a_missing_group(
    pattern: str, replacement: str, position: int, reason: str
) -> None:
    with pytest.raises(re.error, match=reason) as info:
        Alias(re.compile(pattern), replacement).literal()
    assert info.value.pos == position
