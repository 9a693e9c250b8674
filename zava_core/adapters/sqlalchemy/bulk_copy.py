"""Bulk COPY: the one statement SQLAlchemy cannot send, run on the driver under its connection.

Everything else in the package speaks SQLAlchemy. COPY FROM STDIN streams rows in PostgreSQL's
binary format, which only the driver (asyncpg's ``copy_records_to_table``) can do; going through
``INSERT`` would cost several times as long for the loader's hundreds of thousands of rows. So
this module is the one place that reaches under SQLAlchemy, through one typed accessor, and the
import-linter contract in ``pyproject.toml`` names it as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["copy_records", "driver_connection"]


async def driver_connection(conn: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under ``conn``, inside the same transaction.

    SQLAlchemy's asyncpg adapter sends BEGIN lazily, with the first statement; if none ran yet,
    a no-op statement opens the transaction here, so driver-level work can never escape it (and
    commit on its own) whatever the caller ran before.
    """
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    if not isinstance(driver, asyncpg.Connection):
        raise TypeError(f"Bulk COPY needs the asyncpg driver, not {type(driver).__name__}.")
    if conn.in_transaction() and not driver.is_in_transaction():
        await conn.exec_driver_sql("SELECT")
    return driver


async def copy_records(
    conn: AsyncConnection, *, schema: str, table: str, columns: Sequence[str], records: Iterable[Sequence[object]]
) -> None:
    """COPY ``records`` (tuples in ``columns`` order) into ``schema.table``, in ``conn``'s transaction."""
    driver = await driver_connection(conn)
    await driver.copy_records_to_table(table, schema_name=schema, columns=list(columns), records=records)
