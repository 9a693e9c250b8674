"""The column list the statement check resolves names against is the catalog's, exactly."""

from __future__ import annotations

import asyncpg
import pytest

from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS

pytestmark = pytest.mark.integration


async def test_exposed_columns_are_the_columns_of_the_exposed_tables(admin_conn: asyncpg.Connection) -> None:
    for schema, tables in EXPOSED_COLUMNS.items():
        rows = await admin_conn.fetch(
            "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY c.relname, a.attnum",
            schema,
            list(tables),
        )
        catalog: dict[str, tuple[str, ...]] = {}
        for row in rows:
            catalog[row["relname"]] = (*catalog.get(row["relname"], ()), row["attname"])
        assert catalog == dict(tables)
