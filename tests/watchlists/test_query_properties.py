"""Property tests of the watchlist query language (Hypothesis)."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.watchlists import (
    And,
    Not,
    Or,
    Phrase,
    QueryNode,
    QuerySyntaxError,
    Term,
    compile_query,
    format_query,
    parse_query,
)

# No deadline: these tests check behaviour, never speed.
PROPERTY = settings(deadline=None, max_examples=200)

PIECES = ["a", "b", "AND", "OR", "NOT", "and", "(", ")", '"', "“", "”", "-", " ", "\t", "x-y", "é"]
query_like = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
any_text = st.one_of(st.text(), query_like)

VOCABULARY = ["banjir", "jakarta", "and", "or", "covid-19", "kåta", "x"]


def _and(operands: list[QueryNode]) -> QueryNode:
    flat: list[QueryNode] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, And) else [operand])
    return And(tuple(flat))


def _or(operands: list[QueryNode]) -> QueryNode:
    flat: list[QueryNode] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, Or) else [operand])
    return Or(tuple(flat))


leaves = st.one_of(
    st.sampled_from(VOCABULARY).map(Term),
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3).map(
        lambda words: Phrase(" ".join(words))
    ),
)
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        children.map(Not),
        st.lists(children, min_size=2, max_size=4).map(_and),
        st.lists(children, min_size=2, max_size=4).map(_or),
    ),
    max_leaves=12,
)


@PROPERTY
@given(any_text)
def test_parse_raises_nothing_but_query_syntax_errors(query: str) -> None:
    try:
        parse_query(query)
    except QuerySyntaxError as error:
        assert 0 <= error.position <= len(query)
        assert error.problem in str(error)


@PROPERTY
@given(any_text)
def test_printing_a_parsed_query_and_parsing_it_again_gives_the_same_tree(query: str) -> None:
    try:
        tree = parse_query(query)
    except QuerySyntaxError:
        return
    assert parse_query(format_query(tree)) == tree


@PROPERTY
@given(trees)
def test_every_tree_survives_printing_and_parsing(tree: QueryNode) -> None:
    assert parse_query(format_query(tree)) == tree


def _contains(words: Sequence[str], tokens: Sequence[str]) -> bool:
    return any(
        list(tokens[start : start + len(words)]) == list(words)
        for start in range(len(tokens) - len(words) + 1)
    )


def _reference(node: QueryNode, tokens: Sequence[str]) -> bool:
    """The obvious, slow reading of a tree."""
    if isinstance(node, Term | Phrase):
        return _contains(node.text.split(), tokens)
    if isinstance(node, Not):
        return not _reference(node.operand, tokens)
    if isinstance(node, And):
        return all(_reference(op, tokens) for op in node.operands)
    return any(_reference(op, tokens) for op in node.operands)


@PROPERTY
@given(trees, st.lists(st.sampled_from(VOCABULARY), max_size=12))
def test_compiled_matching_agrees_with_the_obvious_reading(
    tree: QueryNode, tokens: list[str]
) -> None:
    query = compile_query(format_query(tree), str.split)

    assert query.matches(tokens) == _reference(tree, tokens)
    assert query.matches(tuple(tokens)) == _reference(tree, tokens)
