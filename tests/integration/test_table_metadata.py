"""The Core metadata (``tables.py``) is the migrated ``retail`` schema, and the HNSW index has one home."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.conftest import SeededDatabase
from zava_core.adapters.sqlalchemy import tables

pytestmark = pytest.mark.integration

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]
#: Alembic diff kinds about tables and columns, and the constraints the metadata declares.
#: Left out: indexes (the migrations own them; the HNSW one is checked on its own below) and
#: server defaults (Alembic does not compare those unless asked, and renders them differently
#: from the catalog). Check constraints and comments are outside what compare can express.
_COMPARED = {
    "add_table",
    "remove_table",
    "add_column",
    "remove_column",
    "modify_type",
    "modify_nullable",
    "add_fk",
    "remove_fk",
    "add_constraint",
    "remove_constraint",
}


@pytest.fixture
async def admin_engine(zava_db: SeededDatabase) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(zava_db.target.require_admin_url("The metadata test"))
    yield engine
    await engine.dispose()


def _kind(diff: Any) -> str:
    # compare_metadata gives tuples, and lists of tuples for column modifications.
    first = diff[0] if isinstance(diff, list) else diff
    return str(first[0])


def _diffs(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_schemas": True,
            "include_name": lambda name, kind, _parent: kind != "schema" or name == tables.SCHEMA,
            # The materialized views are not reflected as tables; their columns are compared below.
            "include_object": lambda obj, _name, kind, _reflected, _other: (
                not (kind == "table" and obj.info.get(tables.MATERIALIZED_VIEW))
            ),
        },
    )
    return [d for d in compare_metadata(context, tables.metadata) if _kind(d) in _COMPARED]


async def test_alembic_finds_no_difference_between_metadata_and_migrated_schema(admin_engine: AsyncEngine) -> None:
    async with admin_engine.connect() as conn:
        diffs = await conn.run_sync(_diffs)
    assert diffs == []


def _spelling(type_name: str) -> str:
    spelled = re.sub(r",\s+", ",", type_name.lower())
    # The vector's dimension is the deployment's (tables.py says why); the start-up check
    # compares it with the configured model.
    return re.sub(r"^vector\(\d+\)$", "vector", spelled)


async def test_every_relation_has_the_same_columns_types_and_nullability(
    admin_conn: asyncpg.Connection,
) -> None:
    """Column by column, in the database's order, with types as PostgreSQL spells them: covers
    what reflection cannot see (the materialized views, the tsvector and vector types)."""
    rows = await admin_conn.fetch(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm') ORDER BY c.relname, a.attnum",
        tables.SCHEMA,
    )
    catalog: dict[str, list[tuple[str, str, bool]]] = {}
    for r in rows:
        catalog.setdefault(r["relname"], []).append((r["attname"], _spelling(r["type"]), r["attnotnull"]))

    declared: dict[str, list[tuple[str, str, bool]]] = {}
    for table in tables.metadata.tables.values():
        for column in table.columns:
            spelled = _spelling(column.type.compile(dialect=_DIALECT))
            declared.setdefault(table.name, []).append((column.name, spelled, not column.nullable))
    assert declared == catalog


async def test_the_migrated_hnsw_index_is_the_one_tables_defines(admin_conn: asyncpg.Connection) -> None:
    row = await admin_conn.fetchrow(
        "SELECT am.amname, t.relname AS table_name, a.attname, opc.opcname, i.reloptions "
        "FROM pg_class i JOIN pg_index x ON x.indexrelid = i.oid JOIN pg_class t ON t.oid = x.indrelid "
        "JOIN pg_am am ON am.oid = i.relam JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] "
        "JOIN pg_opclass opc ON opc.oid = x.indclass[0] "
        "WHERE i.relname = $1 AND i.relnamespace = $2::regnamespace",
        tables.HNSW_INDEX.name,
        tables.SCHEMA,
    )
    assert row is not None, "migration 0003 creates the HNSW index"
    index = tables.HNSW_INDEX
    options = index.dialect_options["postgresql"]
    (column,) = index.columns
    assert index.table is not None
    assert (row["amname"], row["table_name"], row["attname"], row["opcname"]) == (
        options["using"],
        index.table.name,
        column.name,
        options["ops"][column.name],
    )
    assert sorted(row["reloptions"]) == sorted(f"{k}={v}" for k, v in options["with"].items())


def test_the_rebuild_statement_is_the_one_migration_0003_ran() -> None:
    assert tables.HNSW_INDEX_SQL == (
        "CREATE INDEX ix_product_embeddings_hnsw ON retail.product_description_embeddings "
        "USING hnsw (description_embedding vector_cosine_ops) WITH (m = 16, ef_construction = 128)"
    )
