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


#: Refused functions with an accepted way to the same answer.
_INSTEAD = {
    "clock_timestamp": "now() (the transaction's start) or get_current_utc_date",
    "timeofday": "now() (the transaction's start) or get_current_utc_date",
    "current_user": "a plain SELECT ... FROM the tables (the caller's identity comes from authentication)",
    "session_user": "a plain SELECT ... FROM the tables (the caller's identity comes from authentication)",
    "setseed": "ORDER BY random() LIMIT n, or FROM t TABLESAMPLE BERNOULLI (10) REPEATABLE (42)",
    "ts_stat": "SELECT word, count(*) FROM ..., unnest(tsvector_to_array(doc)) AS word GROUP BY word",
    "ts_rewrite": "to_tsquery('english', 'a | b') with the terms written out",
    "pg_typeof": "get_multiple_table_schemas for column types",
    "version": "get_multiple_table_schemas for what the database holds",
    "factorial": "exp(sum(ln(n))) over generate_series(1, n), bounded by the data",
}


def function_not_allowed(name: str) -> QueryRejected:
    instead = _INSTEAD.get(name.rsplit(".", 1)[-1].lower())
    hint = (
        f"Use {instead} instead."
        if instead
        else "Use the read-only analytics functions instead (aggregates, window, date/time, string, "
        "regex, full-text search, math, JSON, array and pgvector functions), for example "
        "date_trunc('month', order_date), string_agg(x, ', '), to_tsvector('english', text)."
    )
    return refuse("function_not_allowed", f"Function {name} is not allowed in queries.", hint)


_CATALOG_PREFIXES = ("information_schema.", "pg_catalog.", "pg_")


def relation_not_allowed(name: str, exposed: Iterable[str]) -> QueryRejected:
    tables = ", ".join(sorted(exposed))
    catalog = name.lower().startswith(_CATALOG_PREFIXES)
    schema_tool = "For tables, columns and their types call the get_multiple_table_schemas tool. " if catalog else ""
    return refuse(
        "relation_not_allowed",
        f"Relation {name} is not available to queries.",
        f"{schema_tool}Query only these tables (schema-qualified or not): {tables}; "
        "or a CTE defined in the same query.",
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
