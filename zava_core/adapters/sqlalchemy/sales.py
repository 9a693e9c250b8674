"""Run a checked statement inside the unit of work's transaction, bounded in rows and bytes."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.ext.asyncio import AsyncConnection

from zava_core.adapters.sqlalchemy.bounded_sql import BOUND_COLUMNS, bounded_statement
from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.values import BUILTIN_TYPE_NAMES, to_json_value
from zava_core.domain.errors import ResultConversionError
from zava_core.domain.results import Column, JsonValue, QueryResult
from zava_core.domain.statements import CheckedStatement, QueryLimits

__all__ = ["SqlSalesQueries"]

#: Key of the per-connection cache of type names in SQLAlchemy's connection ``info``.
_TYPE_NAMES_KEY = "zava_type_names"
_TYPE_NAMES = text("SELECT t.oid::int8, t.typname FROM pg_catalog.pg_type t WHERE t.oid::int8 = ANY(:oids)").bindparams(
    bindparam("oids", type_=ARRAY(BIGINT))
)


class SqlSalesQueries:
    """Executes model-written SQL through SQLAlchemy (``exec_driver_sql``: the text is sent as
    written, with no ``:name`` parsing), bounded inside PostgreSQL by :func:`bounded_statement`
    and fetched in one go, so parallel plans survive and no row or value past the byte budget
    is ever read into this process."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def run(self, statement: CheckedStatement, limits: QueryLimits) -> QueryResult:
        """Run ``statement`` under ``limits``; the result says whether and why it was cut."""
        started = time.perf_counter()
        wrapped = statement.kind != "explain"
        sql = bounded_statement(statement.sql, limits.max_rows, limits.max_result_bytes) if wrapped else statement.sql
        with translate_errors(statement.sql):
            result = await self._connection.exec_driver_sql(sql)
            # Read before the rows: fetching the last row closes the cursor and its description.
            description = result.cursor.description if result.cursor is not None else None
            records = result.all()
            # The asyncpg dialect puts each column's type OID in the description's type code.
            oids = [d[1] if isinstance(d[1], int) else 0 for d in description or ()]
            names = [str(d[0]) for d in description or ()]
            if wrapped:
                oids, names = oids[:-BOUND_COLUMNS], names[:-BOUND_COLUMNS]
            types = await self._type_names(oids)
        columns = [Column(n, t) for n, t in zip(names, types, strict=True)]
        over_cap = len(records) > limits.max_rows
        records = records[: limits.max_rows]
        byte_cut = wrapped and bool(records) and int(records[-1][-1]) > limits.max_result_bytes
        if byte_cut:
            records = records[:-1]
        width = len(columns)
        rows, size_cut = _bounded_rows([r[:width] for r in records], types, limits.max_result_bytes)
        reason = "max_result_bytes" if byte_cut or size_cut else "max_rows" if over_cap else None
        return QueryResult(
            columns=columns,
            rows=rows,
            truncated=reason is not None,
            truncated_reason=reason,
            row_count=len(rows),
            # The count past the cap would cost reading those rows; only an uncut result knows it.
            total_rows=None if reason else len(rows),
            duration_ms=(time.perf_counter() - started) * 1000,
        )

    async def _type_names(self, oids: list[int]) -> list[str]:
        """PostgreSQL's type names for result columns: built-ins from the driver's table, others
        (extension types such as ``vector``, arrays, enums) asked once per pooled connection."""
        cache: dict[int, str] = self._connection.info.setdefault(_TYPE_NAMES_KEY, {})
        missing = sorted({o for o in oids if o not in BUILTIN_TYPE_NAMES and o not in cache})
        if missing:
            found = await self._connection.execute(_TYPE_NAMES, {"oids": missing})
            cache.update({int(oid): str(name) for oid, name in found})
        return [BUILTIN_TYPE_NAMES.get(o) or cache.get(o, "unknown") for o in oids]


def _bounded_rows(
    records: Sequence[Sequence[object]], types: list[str], max_bytes: int
) -> tuple[list[list[JsonValue]], bool]:
    rows: list[list[JsonValue]] = []
    size = 0
    try:
        for record in records:
            row = [to_json_value(value, types[i]) for i, value in enumerate(record)]
            size += len(json.dumps(row, ensure_ascii=False, default=str)) + 1
            if size > max_bytes:
                return rows, True
            rows.append(row)
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        raise ResultConversionError(
            "The query ran, but a value in its result could not be converted to JSON "
            f"({type(exc).__name__}: it may be nested too deeply).",
            hint="Return the value as text (value::text), or extract the part you need (value #> '{a,b}').",
        ) from exc
    return rows, False
