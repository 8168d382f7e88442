"""Boolean keyword queries for watchlists: compile a query, match posts against it.

The query language (see :mod:`monitor.watchlists.syntax`): words, ``"phrases"``, parentheses,
uppercase ``AND``/``OR``/``NOT``, ``-term`` exclusions and implicit AND by juxtaposition;
precedence NOT > AND > OR.

:func:`parse_query` gives a pure syntax tree; :func:`compile_query` normalizes every term with
the same function used on posts, so both sides meet after stemming and slang folding, and
returns a :class:`CompiledQuery` that matches a post's tokens in time linear in their number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from monitor.watchlists.syntax import (
    OPERATORS,
    And,
    Not,
    Or,
    Phrase,
    QueryNode,
    QuerySyntaxError,
    Term,
    format_query,
    parse_query,
)

__all__ = [
    "And",
    "CompiledQuery",
    "Not",
    "Or",
    "Phrase",
    "QueryNode",
    "QuerySyntaxError",
    "Term",
    "TokenIndex",
    "compile_query",
    "format_query",
    "parse_query",
]


# -- compiled queries ---------------------------------------------------------------------


class TokenIndex:
    """A post's tokens indexed once (token -> positions), shareable by many queries."""

    __slots__ = ("_positions", "tokens")

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = tokens
        positions: dict[str, list[int]] = {}
        for position, token in enumerate(tokens):
            positions.setdefault(token, []).append(position)
        self._positions = positions

    def contains(self, words: tuple[str, ...]) -> bool:
        """Whether ``words`` occur as consecutive tokens."""
        if len(words) == 1:
            return words[0] in self._positions
        candidates = [self._positions.get(word) for word in words]
        # Anchor on the rarest word: only its occurrences can start a match.
        anchor = min(range(len(words)), key=lambda i: len(candidates[i] or ()))
        anchor_positions = candidates[anchor]
        if not anchor_positions:
            return False
        last = len(self.tokens) - len(words)
        for position in anchor_positions:
            start = position - anchor
            if 0 <= start <= last and all(
                self.tokens[start + i] == word for i, word in enumerate(words) if i != anchor
            ):
                return True
        return False


@dataclass(frozen=True, slots=True)
class _Leaf:
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Negation:
    operand: _Compiled


@dataclass(frozen=True, slots=True)
class _All:
    operands: tuple[_Compiled, ...]


@dataclass(frozen=True, slots=True)
class _Any:
    operands: tuple[_Compiled, ...]


_Compiled = _Leaf | _Negation | _All | _Any


def _evaluate(node: _Compiled, index: TokenIndex) -> bool:
    if isinstance(node, _Leaf):
        return index.contains(node.words)
    if isinstance(node, _Negation):
        return not _evaluate(node.operand, index)
    if isinstance(node, _All):
        return all(_evaluate(op, index) for op in node.operands)
    return any(_evaluate(op, index) for op in node.operands)


# The index of the most recent tuple matched; the pipeline matches one post's token tuple
# against every watchlist in turn, so the index is built once per post, not once per query.
# Only tuples are cached (immutable), and the strong reference rules out identity reuse.
_last_index: TokenIndex | None = None


def _index_for(tokens: Sequence[str] | TokenIndex) -> TokenIndex:
    global _last_index
    if isinstance(tokens, TokenIndex):
        return tokens
    cached = _last_index
    if cached is not None and cached.tokens is tokens:
        return cached
    index = TokenIndex(tokens)
    if type(tokens) is tuple:
        _last_index = index
    return index


class CompiledQuery:
    """A query ready to match normalized post tokens."""

    __slots__ = ("_root", "source", "tree")

    def __init__(self, source: str, tree: QueryNode, root: _Compiled) -> None:
        self.source = source
        self.tree = tree
        self._root = root

    def __repr__(self) -> str:
        return f"CompiledQuery({self.source!r})"

    def matches(self, tokens: Sequence[str] | TokenIndex) -> bool:
        """Whether a post with these normalized tokens satisfies the query.

        Linear in the number of tokens: they are indexed once (pass a :class:`TokenIndex` to
        share one index among many queries).
        """
        return _evaluate(self._root, _index_for(tokens))

    def positive_terms(self) -> list[tuple[str, ...]]:
        """Normalized token tuples of the terms and phrases that count for a match (those not
        under a negation), without repeats, in query order: what to highlight in a post."""
        found: dict[tuple[str, ...], None] = {}

        def walk(node: _Compiled, negated: bool) -> None:
            if isinstance(node, _Leaf):
                if not negated:
                    found.setdefault(node.words)
            elif isinstance(node, _Negation):
                walk(node.operand, not negated)
            else:
                for operand in node.operands:
                    walk(operand, negated)

        walk(self._root, False)
        return list(found)


def compile_query(query: str, normalize_terms: Callable[[str], Sequence[str]]) -> CompiledQuery:
    """Parse ``query`` and normalize its terms with ``normalize_terms`` (the post normalizer).

    A term that normalizes to several tokens becomes a phrase. Raises QuerySyntaxError for a
    syntax error, or at a term that normalizes to no token at all (a stopword, punctuation).
    """
    tree = parse_query(query)
    words_of: dict[str, tuple[str, ...]] = {}

    def build(node: QueryNode) -> _Compiled:
        if isinstance(node, Term | Phrase):
            words = words_of.get(node.text)
            if words is None:
                words = words_of[node.text] = tuple(normalize_terms(node.text))
            if not words:
                raise QuerySyntaxError(_unmatchable(node), query, node.position)
            return _Leaf(words)
        if isinstance(node, Not):
            return _Negation(build(node.operand))
        operands = tuple(build(op) for op in node.operands)
        return _All(operands) if isinstance(node, And) else _Any(operands)

    return CompiledQuery(query, tree, build(tree))


def _unmatchable(node: Term | Phrase) -> str:
    written = format_query(node)
    problem = (
        f"{written} can never match: normalizing it leaves no word "
        "(for example it is a stopword or only punctuation)"
    )
    if isinstance(node, Term) and node.text.upper() in OPERATORS:
        problem += f"; write the operator in capitals ({node.text.upper()}) if one was meant"
    return problem
