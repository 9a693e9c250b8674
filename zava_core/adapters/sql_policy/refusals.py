"""The refusals the check raises: one rule id, a message that names the problem, a hint that teaches.

The caller is usually a language model that will try again, so every hint says what to write
instead. Messages name the offending function, relation or clause but never echo the query.
"""

from __future__ import annotations

from collections.abc import Iterable

from zava_core.domain.errors import QueryRejected

__all__ = [
    "column_not_resolved",
    "display",
    "field_selection",
    "function_not_allowed",
    "refuse",
    "relation_not_allowed",
]

_MAX_NAME = 64


def display(*parts: str | None) -> str:
    """Render an identifier for a message: dotted, printable and short whatever the query held."""
    text = ".".join(p for p in parts if p)
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= _MAX_NAME else clean[: _MAX_NAME - 3] + "..."


def refuse(rule: str, message: str, hint: str) -> QueryRejected:
    return QueryRejected(rule, message, hint=hint)


def function_not_allowed(name: str) -> QueryRejected:
    return refuse(
        "function_not_allowed",
        f"Function {name} is not allowed in queries.",
        "Only read-only analytics functions are allowed (aggregates, window, date/time, string, "
        "math, JSON, array and pgvector functions). Remove the call or compute the value another way.",
    )


def relation_not_allowed(name: str, exposed: Iterable[str]) -> QueryRejected:
    tables = ", ".join(sorted(exposed))
    return refuse(
        "relation_not_allowed",
        f"Relation {name} is not available to queries.",
        f"Query only these tables (schema-qualified or not): {tables}; or a CTE defined in the same query.",
    )


def column_not_resolved(name: str) -> QueryRejected:
    return refuse(
        "column_not_resolved",
        f"{name} does not name a column of a table, CTE or sub-select in FROM that the check can see.",
        "Write alias.column only for a column the aliased table, CTE or sub-select has; name computed "
        "columns (expr AS name, or AS t(a, b)) and call functions with parentheses: f(x), not x.f.",
    )


def field_selection(field: str) -> QueryRejected:
    return refuse(
        "field_selection",
        f"Field selection .{display(field)} is allowed only as (alias).column on a range item with that column.",
        "Write alias.column for a table, CTE or sub-select in FROM, and call functions with "
        "parentheses: f(expr), not (expr).f.",
    )
