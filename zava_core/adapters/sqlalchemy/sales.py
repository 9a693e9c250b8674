"""Run a checked statement inside the unit of work's transaction, bounded in rows and bytes."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.values import to_json_value
from zava_core.domain.results import Column, JsonValue, QueryResult
from zava_core.domain.statements import CheckedStatement, QueryLimits

__all__ = ["SqlSalesQueries"]

#: How far past the row cap to count rows when the result was cut ("the total when cheap").
_COUNT_AHEAD = 100_000


class SqlSalesQueries:
    """Executes model-written SQL through asyncpg's extended protocol.

    The statement is prepared (one statement per protocol message: a second statement in the
    text is a protocol error, not a second command) and read through a portal, so at most
    ``max_rows + 1`` rows ever leave the server however large the result.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def run(self, statement: CheckedStatement, limits: QueryLimits) -> QueryResult:
        started = time.perf_counter()
        raw = await self._connection.get_raw_connection()
        driver: Any = raw.driver_connection
        with translate_errors(statement.sql):
            prepared = await driver.prepare(statement.sql)
            cursor = await prepared.cursor()
            records = await cursor.fetch(limits.max_rows + 1)
            over_cap = len(records) > limits.max_rows
            total: int | None = None
            if over_cap:
                skipped = await cursor.forward(_COUNT_AHEAD)
                total = limits.max_rows + 1 + skipped if skipped < _COUNT_AHEAD else None
        columns = [Column(a.name, a.type.name) for a in prepared.get_attributes()]
        rows, size_cut = _bounded_rows(records[: limits.max_rows], columns, limits.max_result_bytes)
        if not over_cap:
            total = len(records)
        reason = "max_result_bytes" if size_cut else "max_rows" if over_cap else None
        return QueryResult(
            columns=columns,
            rows=rows,
            truncated=reason is not None,
            truncated_reason=reason,
            row_count=len(rows),
            total_rows=total,
            duration_ms=(time.perf_counter() - started) * 1000,
        )


def _bounded_rows(records: list[Any], columns: list[Column], max_bytes: int) -> tuple[list[list[JsonValue]], bool]:
    types = [c.type for c in columns]
    rows: list[list[JsonValue]] = []
    size = 0
    for record in records:
        row = [to_json_value(value, types[i]) for i, value in enumerate(record)]
        size += len(json.dumps(row, ensure_ascii=False, default=str)) + 1
        if size > max_bytes:
            return rows, True
        rows.append(row)
    return rows, False
