"""Syntax of watchlist queries: the tree, the parser, the canonical printer, the errors.

Words (``banjir``), phrases (``"vaksin palsu"``; curly quotes work too), parentheses, the
uppercase operators ``AND``, ``OR``, ``NOT``, exclusions written ``-term``, ``-"phrase"`` or
``-(...)``, and implicit AND between juxtaposed operands (``banjir jakarta``). Precedence:
NOT > AND > OR. Lowercase ``and``/``or``/``not`` are ordinary words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

MAX_DEPTH = 50
_QUOTES = '"“”'
OPERATORS = frozenset({"AND", "OR", "NOT"})
_SPECIAL = frozenset("()" + _QUOTES)


class QuerySyntaxError(ValueError):
    """A query that cannot be parsed or compiled.

    ``problem`` says what is wrong, ``position`` is the 0-based column it was found at, and
    ``str(error)`` shows both plus the query with a caret under that column.
    """

    def __init__(self, problem: str, query: str, position: int) -> None:
        self.problem = problem
        self.query = query
        self.position = max(0, min(position, len(query)))
        super().__init__(problem, query, self.position)

    def __str__(self) -> str:
        shown, caret = _excerpt(self.query, self.position)
        return f"{self.problem} (column {self.position})\n  {shown}\n  {' ' * caret}^"


def _excerpt(query: str, position: int, width: int = 60) -> tuple[str, int]:
    """The query (or a window of it around ``position``) on one line, and the caret column."""
    flat = "".join(" " if ch.isspace() or not ch.isprintable() else ch for ch in query)
    start = max(0, position - width)
    end = min(len(flat), position + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    return prefix + flat[start:end] + suffix, len(prefix) + position - start


# -- syntax tree --------------------------------------------------------------------------
# Positions are informational (error messages) and take no part in equality.


@dataclass(frozen=True, slots=True)
class Term:
    """A single word as written in the query."""

    text: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A quoted phrase: its words must appear consecutively."""

    text: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    """Negation (``NOT x`` or ``-x``)."""

    operand: QueryNode
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class And:
    """All operands (two or more; never directly an ``And``)."""

    operands: tuple[QueryNode, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Any operand (two or more; never directly an ``Or``)."""

    operands: tuple[QueryNode, ...]


QueryNode = Term | Phrase | Not | And | Or


def format_query(node: QueryNode) -> str:
    """Canonical query text for ``node``; ``parse_query(format_query(t)) == t``."""
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Not):
        inner = format_query(node.operand)
        return f"NOT ({inner})" if isinstance(node.operand, And | Or) else f"NOT {inner}"
    if isinstance(node, And):
        return " AND ".join(
            f"({format_query(op)})" if isinstance(op, Or) else format_query(op)
            for op in node.operands
        )
    # Or: parenthesise AND groups for the reader, although precedence would not need it.
    return " OR ".join(
        f"({format_query(op)})" if isinstance(op, And) else format_query(op) for op in node.operands
    )


# -- lexer --------------------------------------------------------------------------------


class _Kind(Enum):
    TERM = "term"
    PHRASE = "phrase"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    MINUS = "'-'"
    OPEN = "'('"
    CLOSE = "')'"
    END = "end of query"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    position: int
    text: str = ""


def _tokens(query: str) -> Iterator[_Token]:
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            yield _Token(_Kind.OPEN if ch == "(" else _Kind.CLOSE, i)
            i += 1
        elif ch in _QUOTES:
            end = next((j for j in range(i + 1, n) if query[j] in _QUOTES), -1)
            if end < 0:
                raise QuerySyntaxError("unclosed quote: the phrase never ends", query, i)
            if not query[i + 1 : end].strip():
                raise QuerySyntaxError("empty phrase", query, i)
            yield _Token(_Kind.PHRASE, i, query[i + 1 : end])
            i = end + 1
        elif ch == "-":
            if i + 1 >= n or query[i + 1].isspace() or query[i + 1] == ")":
                raise QuerySyntaxError(
                    "'-' must be written directly before a term, a phrase or '('", query, i
                )
            yield _Token(_Kind.MINUS, i)
            i += 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            word = query[start:i]
            kind = _Kind[word] if word in OPERATORS else _Kind.TERM
            yield _Token(kind, start, word)
    yield _Token(_Kind.END, n)


# -- parser -------------------------------------------------------------------------------

_OPERAND_STARTS = frozenset({_Kind.TERM, _Kind.PHRASE, _Kind.OPEN, _Kind.NOT, _Kind.MINUS})


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = list(_tokens(query))
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, problem: str, position: int) -> QuerySyntaxError:
        return QuerySyntaxError(problem, self.query, position)

    def parse(self) -> QueryNode:
        if self.peek().kind is _Kind.END:
            raise self.fail("empty query", 0)
        node = self.parse_or()
        token = self.peek()
        if token.kind is _Kind.CLOSE:
            raise self.fail("unbalanced parenthesis: ')' has no matching '('", token.position)
        return node

    def parse_or(self) -> QueryNode:
        operands = [self.parse_and()]
        while self.peek().kind is _Kind.OR:
            self.expect_operand_after(self.take())
            operands.append(self.parse_and())
        return _join(Or, operands)

    def parse_and(self) -> QueryNode:
        operands = [self.parse_unary()]
        while True:
            kind = self.peek().kind
            if kind is _Kind.AND:
                self.expect_operand_after(self.take())
            elif kind not in _OPERAND_STARTS:  # juxtaposition is an implicit AND
                break
            operands.append(self.parse_unary())
        return _join(And, operands)

    def expect_operand_after(self, operator: _Token) -> None:
        token = self.peek()
        if token.kind is _Kind.END or token.kind is _Kind.CLOSE:
            raise self.fail(f"dangling {operator.kind.value}: no term after it", operator.position)
        if token.kind not in _OPERAND_STARTS:
            raise self.fail(
                f"expected a term after {operator.kind.value}, found {token.kind.value}",
                token.position,
            )

    def parse_unary(self) -> QueryNode:
        negations: list[_Token] = []
        while self.peek().kind in (_Kind.NOT, _Kind.MINUS):
            negations.append(self.take())
            self.enter(negations[-1])
            if self.peek().kind not in _OPERAND_STARTS:
                operator = negations[-1]
                raise self.fail(
                    f"dangling {operator.kind.value}: no term after it", operator.position
                )
        node = self.parse_primary()
        for negation in reversed(negations):
            node = Not(node, negation.position)
            self.depth -= 1
        return node

    def parse_primary(self) -> QueryNode:
        token = self.take()
        if token.kind is _Kind.TERM:
            return Term(token.text, token.position)
        if token.kind is _Kind.PHRASE:
            return Phrase(token.text, token.position)
        if token.kind is _Kind.OPEN:
            self.enter(token)
            if self.peek().kind is _Kind.CLOSE:
                raise self.fail("empty parentheses", token.position)
            node = self.parse_or()
            if self.take().kind is not _Kind.CLOSE:
                raise self.fail("unbalanced parenthesis: '(' is never closed", token.position)
            self.depth -= 1
            return node
        if token.kind is _Kind.CLOSE:
            raise self.fail("unbalanced parenthesis: ')' has no matching '('", token.position)
        if token.kind is _Kind.END:
            raise self.fail("the query ends where a term was expected", token.position)
        raise self.fail(f"dangling {token.kind.value}: no term before it", token.position)

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"the query nests deeper than {MAX_DEPTH} levels", token.position)


def _join(kind: type[And] | type[Or], operands: list[QueryNode]) -> QueryNode:
    if len(operands) == 1:
        return operands[0]
    flat: list[QueryNode] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, kind) else (operand,))
    return kind(tuple(flat))


def parse_query(query: str) -> QueryNode:
    """The syntax tree of ``query``. Raises QuerySyntaxError (and nothing else) when invalid."""
    return _Parser(query).parse()
