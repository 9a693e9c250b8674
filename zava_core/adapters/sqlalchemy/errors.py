"""Translate driver errors into domain errors at the boundary, without leaking row values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
from sqlalchemy.exc import DBAPIError

from zava_core.domain.errors import AuthorizationError, DatabaseError, QueryTimeout, ResourceLimitExceeded

__all__ = ["redact", "translate_errors"]

_QUOTED = re.compile(r'"((?:[^"]|"")*)"|\'((?:[^\']|\'\')*)\'')
_READ_ONLY_STATES = {"25006"}
_TIMEOUT_STATES = {"57014"}
_AUTH_STATES = {"28000", "42501"}


# What PostgreSQL writes just before a quoted *identifier*: names from the query or the catalog
# (the schema), never from rows. Role and database names are left out on purpose.
_IDENTIFIER_CONTEXT = re.compile(
    r"(?:\b(?:column|relation|table|view|function|type|schema|index|sequence|constraint|operator|"
    r"aggregate|window|collation|column reference|table name|FROM-clause entry for table|"
    r"text search configuration|text search dictionary)\s+)$",
    re.IGNORECASE,
)
#: An identifier as PostgreSQL prints it: dotted names of letters, digits, ``_`` and ``$``.
_IDENTIFIER = re.compile(r"[^\W\d][\w$]*(?:\.[^\W\d][\w$]*){0,2}")


def redact(message: str, sql: str) -> str:
    """Keep identifiers and the caller's own text; replace quoted values that came from rows.

    PostgreSQL quotes identifiers (``column "o.store_id" must appear in the GROUP BY clause``,
    ``Perhaps you meant to reference the column "orders.order_date"``): they are the schema, which
    the model needs to fix its query, so they stay when the words before them say "column",
    "table", "function"... It also quotes offending values (``invalid input syntax for type
    integer: "..."``): any quoted text that is neither such an identifier nor part of the query
    came from data and is withheld, whichever tenant it belongs to.
    """

    def keep_or_hide(match: re.Match[str]) -> str:
        value = match.group(1) if match.group(1) is not None else match.group(2)
        if value and value.lower() in sql.lower():
            return match.group(0)
        quote = match.group(0)[0]
        before = message[: match.start()]
        if quote == '"' and _IDENTIFIER.fullmatch(value or "") and _IDENTIFIER_CONTEXT.search(before):
            return match.group(0)
        return f"{quote}<redacted>{quote}"

    return _QUOTED.sub(keep_or_hide, message)


def _from_postgres(exc: asyncpg.PostgresError, sql: str) -> Exception:
    state = getattr(exc, "sqlstate", None) or ""
    message = redact(str(getattr(exc, "message", None) or exc), sql)
    hint = getattr(exc, "hint", None)
    hint = redact(hint, sql) if hint else None
    if state in _TIMEOUT_STATES:
        return QueryTimeout(
            "The query ran past the time limit and was cancelled.",
            hint="Filter to fewer rows (a date range, one store), aggregate earlier, or avoid cross joins.",
            sqlstate=state,
        )
    if state.startswith("53") or state == "54001":  # insufficient resources, statement too complex
        return ResourceLimitExceeded(
            f"The query hit a server resource limit: {message}",
            hint="Return fewer or smaller rows, aggregate earlier, or avoid cross joins and huge series.",
        )
    if state in _AUTH_STATES:
        return AuthorizationError(f"The database refused: {message}")
    if state in _READ_ONLY_STATES:
        return DatabaseError(f"{message}. Only read queries are allowed.", hint="Use SELECT only.", sqlstate=state)
    position = getattr(exc, "position", None)
    where = f" (at character {position})" if position else ""
    return DatabaseError(f"{message}{where}", hint=hint, sqlstate=state or None)


@contextmanager
def translate_errors(sql: str = "") -> Iterator[None]:
    """Turn asyncpg and SQLAlchemy errors raised inside into domain errors."""
    try:
        yield
    except asyncpg.PostgresError as exc:
        raise _from_postgres(exc, sql) from exc
    except DBAPIError as exc:
        cause = exc.orig.__cause__ if exc.orig is not None else None
        if isinstance(cause, asyncpg.PostgresError):
            raise _from_postgres(cause, sql) from exc
        raise DatabaseError("The database connection failed; try again.") from exc
    except (OSError, asyncpg.InterfaceError) as exc:
        raise DatabaseError("The database connection failed; try again.") from exc
