"""Translate driver errors into domain errors at the boundary, without leaking row values.

One translation for every path of a database call: taking a pooled connection, beginning and
binding the transaction, running the statement, converting its result and rolling back. The
driver's exceptions are read duck-typed (``sqlstate``, ``message``, ``hint``, ``position``), so this
module needs no import of the driver itself:

- a SQLSTATE from the server decides (``57014`` is the statement timeout; connection classes such
  as ``08``, ``57P01``-``57P03`` and ``53300`` are transient and retryable);
- a pool wait that ran out is a resource limit, never a connection failure;
- the client-side command timeout (a backstop above the server's statement timeout) is a query
  timeout; while connecting, a timeout means the database is unreachable;
- any other driver or socket failure means the connection is gone: ``DATABASE_UNAVAILABLE``.

Anything else (a bug) passes through untouched for the service to report as an internal error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from zava_core.domain.errors import (
    AuthorizationError,
    DatabaseError,
    DatabaseUnavailable,
    QueryTimeout,
    ResourceLimitExceeded,
    ZavaError,
)

__all__ = ["redact", "translate", "translate_errors"]

_QUOTED = re.compile(r'"((?:[^"]|"")*)"|\'((?:[^\']|\'\')*)\'')
_READ_ONLY_STATES = {"25006"}
_TIMEOUT_STATES = {"57014"}
_AUTH_STATES = {"28000", "42501"}
#: Connection exceptions, the server shutting down or starting, and a full connection table.
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
_UNAVAILABLE_CLASSES = ("08",)
_DRIVER = "asyncpg"

UNAVAILABLE_MESSAGE = "The database is unavailable right now (the connection failed or was closed)."
UNAVAILABLE_HINT = "This is transient: retry the same call in a few seconds."


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


def _from_postgres(exc: BaseException, state: str, sql: str) -> ZavaError:
    message = redact(str(getattr(exc, "message", None) or exc), sql)
    hint = getattr(exc, "hint", None)
    hint = redact(hint, sql) if isinstance(hint, str) and hint else None
    if state in _TIMEOUT_STATES:
        return _query_timeout(state)
    if state in _UNAVAILABLE_STATES or state.startswith(_UNAVAILABLE_CLASSES):
        return DatabaseUnavailable(UNAVAILABLE_MESSAGE, hint=UNAVAILABLE_HINT, sqlstate=state)
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


def _query_timeout(state: str | None) -> QueryTimeout:
    return QueryTimeout(
        "The query ran past the time limit and was cancelled.",
        hint="Filter to fewer rows (a date range, one store), aggregate earlier, or avoid cross joins.",
        sqlstate=state,
    )


def _sqlstate(exc: BaseException | None) -> str | None:
    state = getattr(exc, "sqlstate", None)
    return state if isinstance(state, str) and state else None


def _from_driver(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] == _DRIVER


def translate(exc: BaseException, sql: str = "", *, connecting: bool = False) -> BaseException:
    """The domain error for ``exc``, or ``exc`` itself when it is not a database failure.

    ``sql`` is the caller's statement (its own literals stay visible in messages); ``connecting``
    says the failure happened while taking or opening a connection, where a timeout means the
    database did not answer rather than that a query ran long.
    """
    if isinstance(exc, ZavaError):
        return exc
    if isinstance(exc, PoolTimeout):
        return ResourceLimitExceeded(
            "Every database connection is busy with other queries; none came free in time.",
            hint="Retry in a few seconds, or make the query cheaper so that connections free up sooner.",
        )
    # SQLAlchemy wraps the driver's exception: ``orig`` carries the SQLSTATE, its cause the rest.
    wrapped = isinstance(exc, DBAPIError)
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    driver = orig.__cause__ if wrapped and orig is not None and orig.__cause__ is not None else orig
    state = _sqlstate(orig) or _sqlstate(driver)
    if driver is not None and state is not None and (wrapped or _from_driver(exc)):
        return _from_postgres(driver, state, sql)
    if isinstance(exc, TimeoutError):  # before OSError, its base class
        return DatabaseUnavailable(UNAVAILABLE_MESSAGE, hint=UNAVAILABLE_HINT) if connecting else _query_timeout(None)
    if isinstance(exc, (DBAPIError, OSError)) or _from_driver(exc):
        return DatabaseUnavailable(UNAVAILABLE_MESSAGE, hint=UNAVAILABLE_HINT)
    return exc


@contextmanager
def translate_errors(sql: str = "", *, connecting: bool = False) -> Iterator[None]:
    """Raise the domain error (see :func:`translate`) for a database failure raised inside."""
    try:
        yield
    except Exception as exc:
        translated = translate(exc, sql, connecting=connecting)
        if translated is exc:
            raise
        raise translated from exc
