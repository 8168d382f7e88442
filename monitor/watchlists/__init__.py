"""Watchlists: boolean keyword queries that select which posts an office monitors."""

from monitor.watchlists.query import (
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
