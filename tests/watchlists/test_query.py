"""Watchlist boolean queries: parsing, errors, compilation, matching."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from monitor.watchlists import (
    And,
    CompiledQuery,
    Not,
    Or,
    Phrase,
    QueryNode,
    QuerySyntaxError,
    Term,
    TokenIndex,
    compile_query,
    format_query,
    parse_query,
)

STOPWORDS = frozenset({"yang", "di", "dan", "ke"})
SUFFIXES = ("nya", "kan", "an")


def fake_normalize(text: str) -> list[str]:
    """Lowercase, split on non-word characters, drop a few stopwords, strip one suffix."""
    tokens = []
    for word in re.findall(r"\w+", text.lower()):
        if word in STOPWORDS:
            continue
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        tokens.append(word)
    return tokens


def compiled(query: str) -> CompiledQuery:
    return compile_query(query, fake_normalize)


def matches(query: str, post: str) -> bool:
    return compiled(query).matches(fake_normalize(post))


# -- parsing ------------------------------------------------------------------------------

A, B, C = Term("a"), Term("b"), Term("c")


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("banjir", Term("banjir")),
        ('"vaksin palsu"', Phrase("vaksin palsu")),
        ("“vaksin palsu”", Phrase("vaksin palsu")),
        ("a AND b", And((A, B))),
        ("a b", And((A, B))),
        ("a OR b AND c", Or((A, And((B, C))))),
        ("a b OR c", Or((And((A, B)), C))),
        ("(a OR b) c", And((Or((A, B)), C))),
        ("NOT a AND b", And((Not(A), B))),
        ("NOT a OR b", Or((Not(A), B))),
        ("-a", Not(A)),
        ("NOT NOT a", Not(Not(A))),
        ('-"a b"', Not(Phrase("a b"))),
        ("-(a OR b)", Not(Or((A, B)))),
        ("a -b", And((A, Not(B)))),
        ("a AND (b AND c)", And((A, B, C))),
        ("(a OR b) OR c", Or((A, B, C))),
        ("((a))", A),
        ("banjir and jakarta", And((Term("banjir"), Term("and"), Term("jakarta")))),
        ("covid-19", Term("covid-19")),
        ('a"b c"', And((A, Phrase("b c")))),
        (
            "banjir AND (jakarta OR bekasi) -promo",
            And(
                (
                    Term("banjir"),
                    Or((Term("jakarta"), Term("bekasi"))),
                    Not(Term("promo")),
                )
            ),
        ),
    ],
)
def test_it_parses_the_query_language(query: str, tree: QueryNode) -> None:
    assert parse_query(query) == tree


def test_the_tree_records_where_each_term_was_written() -> None:
    tree = parse_query('banjir -"hoaks lama"')

    assert isinstance(tree, And)
    term, negation = tree.operands
    assert isinstance(term, Term) and term.position == 0
    assert isinstance(negation, Not) and negation.position == 7
    assert isinstance(negation.operand, Phrase) and negation.operand.position == 8


@pytest.mark.parametrize(
    ("query", "column", "problem"),
    [
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ("banjir (jakarta OR bekasi", 7, "'(' is never closed"),
        ("banjir jakarta)", 14, "')' has no matching '('"),
        ("(a) OR b)", 8, "')' has no matching '('"),
        ('banjir "vaksin palsu', 7, "unclosed quote"),
        ('a ""', 2, "empty phrase"),
        ("banjir AND", 7, "dangling AND"),
        ("banjir OR", 7, "dangling OR"),
        ("AND banjir", 0, "dangling AND"),
        ("a OR OR b", 5, "expected a term after OR, found OR"),
        ("a AND OR b", 6, "expected a term after AND, found OR"),
        ("(OR a)", 1, "dangling OR"),
        ("(a AND)", 3, "dangling AND"),
        ("banjir NOT", 7, "dangling NOT"),
        ("NOT", 0, "dangling NOT"),
        ("()", 0, "empty parentheses"),
        ("banjir - promo", 7, "'-' must be written directly before"),
        ("banjir -", 7, "'-' must be written directly before"),
        ("(a -)", 3, "'-' must be written directly before"),
        ("a -AND b", 2, "dangling '-'"),
    ],
)
def test_syntax_errors_name_the_problem_and_its_column(
    query: str, column: int, problem: str
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)

    assert caught.value.position == column
    assert problem in caught.value.problem
    assert problem in str(caught.value)
    assert f"column {column}" in str(caught.value)


def test_the_error_shows_the_query_with_a_caret_under_the_column() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("banjir AND (jakarta OR\tbekasi")

    assert str(caught.value) == (
        "unbalanced parenthesis: '(' is never closed (column 11)\n"
        "  banjir AND (jakarta OR bekasi\n"
        "             ^"
    )
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "query",
    ["(" * 500 + "a" + ")" * 500, "NOT " * 500 + "a", "-" * 500 + "a", "(-" * 300 + "a"],
)
def test_absurd_nesting_is_a_syntax_error_not_a_crash(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match="nests deeper"):
        parse_query(query)


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("banjir jakarta", "banjir AND jakarta"),
        ("a OR b c", "a OR (b AND c)"),
        ("(a OR b) c", "(a OR b) AND c"),
        ("-promo", "NOT promo"),
        ("-(a OR b)", "NOT (a OR b)"),
        ("-(a b)", "NOT (a AND b)"),
        ("“vaksin palsu”", '"vaksin palsu"'),
    ],
)
def test_format_query_writes_the_canonical_form(query: str, canonical: str) -> None:
    assert format_query(parse_query(query)) == canonical


# -- compiling and matching ---------------------------------------------------------------


def test_terms_match_after_normalizing_both_sides() -> None:
    assert matches("Banjiran", "warga kebanjir BANJIR semalam")
    assert matches("banjir AND (jakarta OR bekasi)", "Banjirnya parah di Bekasi!")
    assert not matches("banjir AND (jakarta OR bekasi)", "banjir di Bogor")


def test_phrases_match_consecutive_tokens_only() -> None:
    query = '"vaksin palsu"'

    assert matches(query, "Awas VAKSIN palsu beredar")
    assert not matches(query, "palsu vaksin")
    assert not matches(query, "vaksin ini palsu")
    # A stopword inside the phrase is dropped on both sides, like everywhere else.
    assert matches('"vaksin yang palsu"', "ada vaksin yang palsu")


def test_a_term_that_normalizes_to_several_tokens_is_a_phrase() -> None:
    assert matches("covid-19", "varian covid 19 baru")
    assert not matches("covid-19", "covid tahun 19")
    assert compiled("covid-19").positive_terms() == [("covid", "19")]


def test_exclusions_reject_posts_containing_them() -> None:
    assert matches("banjir -promo", "banjir lagi")
    assert not matches("banjir -promo", "promo banjir diskon")
    assert not matches('banjir -"hoaks lama"', "banjir itu hoaks lama")
    assert matches('banjir -"hoaks lama"', "banjir, lama-lama hoaks")
    assert matches("NOT promo", "berita biasa")
    assert not matches("NOT promo", "promo")


def test_a_phrase_at_the_edges_of_the_post_matches() -> None:
    assert matches('"banjir bandang"', "banjir bandang")
    assert matches('"banjir bandang" OR x', "akibat banjir bandang")
    assert not matches('"banjir bandang"', "banjir")


def test_lowercase_operators_are_ordinary_words() -> None:
    assert matches("vaksin or palsu", "vaksin or palsu")
    assert not matches("vaksin or palsu", "vaksin palsu")


def test_a_term_that_normalizes_to_nothing_is_an_error_at_that_term() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        compiled("banjir OR (yang AND jakarta)")

    assert caught.value.position == 11
    assert "yang can never match" in caught.value.problem
    assert "stopword" in caught.value.problem


def test_a_dropped_lowercase_operator_hints_at_capitals() -> None:
    def drops_or(text: str) -> list[str]:
        return [token for token in fake_normalize(text) if token != "or"]

    with pytest.raises(QuerySyntaxError, match=r"capitals \(OR\)") as caught:
        compile_query("banjir or bekasi", drops_or)

    assert caught.value.position == 7


def test_syntax_errors_surface_from_compile_query() -> None:
    with pytest.raises(QuerySyntaxError):
        compiled("banjir AND")


def test_positive_terms_are_the_normalized_terms_not_under_a_negation() -> None:
    query = compiled(
        'banjiran AND (jakarta OR bekasi) -promo "vaksin palsu" NOT NOT hoaks banjir '
        "-(diskon OR NOT gratis)"
    )

    assert query.positive_terms() == [
        ("banjir",),
        ("jakarta",),
        ("bekasi",),
        ("vaksin", "palsu"),
        ("hoaks",),
        ("gratis",),
    ]


def test_compiled_queries_keep_their_source_and_tree() -> None:
    query = compiled("banjir -promo")

    assert query.source == "banjir -promo"
    assert query.tree == And((Term("banjir"), Not(Term("promo"))))


def test_one_token_index_serves_many_queries() -> None:
    index = TokenIndex(fake_normalize("banjir bandang di Bekasi, vaksin palsu"))
    queries = [compiled(q) for q in ("banjir bekasi", '"vaksin palsu"', "gempa", "-gempa")]

    assert [q.matches(index) for q in queries] == [True, True, False, True]


def test_lists_tuples_and_indexes_give_the_same_answer() -> None:
    tokens = fake_normalize("isu vaksin palsu di jakarta")
    query = compiled('"vaksin palsu" jakarta -bekasi')

    assert query.matches(tokens) is True
    assert query.matches(tuple(tokens)) is True
    assert query.matches(TokenIndex(tokens)) is True
    assert query.matches([]) is False


class CountingTokens(Sequence[str]):
    """A token sequence that counts how often its items are read."""

    def __init__(self, tokens: list[str]) -> None:
        self._tokens = tokens
        self.reads = 0

    def __len__(self) -> int:
        return len(self._tokens)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        self.reads += 1
        return self._tokens[index]


def reads_to_match(query: CompiledQuery, n: int) -> int:
    # Adversarial for phrase search: every "a" is a candidate start, none is followed by "a".
    tokens = CountingTokens(["a", "b"] * (n // 2))
    assert query.matches(tokens) is False
    return tokens.reads


def test_matching_reads_each_token_a_bounded_number_of_times() -> None:
    phrases = ['"a a"', '"b b"', '"a b a b a a"']
    words = [f"kata{i}" for i in range(30)]
    query = compiled(" OR ".join([*words, *phrases, "(NOT a)"]))
    n = 100_000

    reads = reads_to_match(query, n)

    # One pass to index the post (not one per term), then at most (length - 1) reads per
    # candidate start of each phrase: 1 + 1 + 1 + 5 passes.
    assert reads <= 8 * n + 1
    # Twice the tokens, twice the reads: linear, not quadratic.
    assert reads_to_match(query, 2 * n) <= 2 * reads + 100


def test_a_tuple_matched_by_many_queries_is_indexed_once() -> None:
    tokens = tuple(fake_normalize("banjir bandang di bekasi"))
    first, second = compiled("banjir"), compiled("bekasi")

    assert first.matches(tokens) and second.matches(tokens)
    assert not first.matches(tuple(fake_normalize("gempa")))


# -- the real normalizer ------------------------------------------------------------------


def test_queries_compile_against_the_real_normalizer() -> None:
    try:
        from monitor.text import normalize
    except ImportError as exc:  # pragma: no cover - only while monitor.text is being written
        pytest.skip(f"monitor.text.normalize is not importable yet ({exc})")

    def real(text: str) -> Sequence[str]:
        return normalize(text).tokens

    query = compile_query('banjir AND (jakarta OR bekasi) -promo OR "vaksin palsu"', real)

    assert query.matches(real("Kebanjiran parah di Bekasi!!"))
    assert not query.matches(real("Promo banjir diskon di Jakarta"))
    assert query.matches(real("VAKSIN PALSU beredar di grup WA"))
    assert not query.matches(real("vaksinnya tidak palsu"))
    with pytest.raises(QuerySyntaxError) as caught:
        compile_query("banjir yang", real)
    assert caught.value.position == 7
