"""Migration 0006 (random uuid keys) on a populated database: not a row or a relationship lost.

The database is filled at the revision before 0006, with integer keys as it had then: the
generated dataset with each customer, order and line numbered in generation order. Checksums
that do not depend on the key values (per store: counts, quantities, join counts, and a digest
of every order with its customer's e-mail and its lines) must be the same after the upgrade,
after the downgrade and after the upgrade again; so must the indexes, constraints, policies,
grants and comments.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from tests.conftest import SeededDatabase, make_target
from zava_core.dataset import TABLES, generate
from zava_mcp_adapter.database.provisioning import DatabaseTarget, create_database_if_missing, migrate

pytestmark = pytest.mark.integration

DATABASE = "zava_uuid_keys"
REVISION = "0006"
SCRIPT = ScriptDirectory.from_config(Config(str(Path(__file__).resolve().parents[2] / "alembic.ini"))).get_revision(
    REVISION
)
assert SCRIPT is not None
assert isinstance(SCRIPT.down_revision, str)
PREVIOUS = SCRIPT.down_revision  # the chain decides: the test follows a migration inserted before 0006
KEY_COMMENTS: dict[str, str] = SCRIPT.module.KEY_COMMENTS
KEYED = {
    "customers": ("customer_id",),
    "orders": ("order_id", "customer_id"),
    "order_items": ("order_item_id", "order_id"),
}
COMMENT = "The order key; a comment added before 0006 that the migration keeps."
COMMENT_OF_ORDER_ID = (
    "SELECT col_description(a.attrelid, a.attnum) FROM pg_attribute a "
    "WHERE a.attrelid = 'retail.orders'::regclass AND a.attname = 'order_id'"
)
KEY_SEQUENCES = (
    "SELECT count(*) FROM pg_sequences WHERE schemaname = 'retail' AND sequencename IN "
    "('customers_customer_id_seq', 'orders_order_id_seq', 'order_items_order_item_id_seq')"
)

# Key-free fingerprints: every figure is computed without looking at a key's value.
PER_STORE = """
SELECT s.store_name,
       (SELECT count(*) FROM retail.customers c WHERE c.store_id = s.store_id) AS customers,
       (SELECT count(*) FROM retail.orders o WHERE o.store_id = s.store_id) AS orders,
       (SELECT count(*) FROM retail.order_items i WHERE i.store_id = s.store_id) AS lines,
       (SELECT coalesce(sum(i.quantity), 0) FROM retail.order_items i WHERE i.store_id = s.store_id) AS units,
       (SELECT count(*) FROM retail.orders o JOIN retail.order_items i ON i.order_id = o.order_id
        JOIN retail.customers c ON c.customer_id = o.customer_id
        WHERE o.store_id = s.store_id AND c.store_id = s.store_id) AS joined
FROM retail.stores s ORDER BY s.store_name
"""
ORDERS_DIGEST = """
SELECT md5(string_agg(f, E'\\n' ORDER BY f)) FROM (
    SELECT concat_ws('|', c.email, o.store_id, o.order_date, o.status, o.total_amount,
        (SELECT string_agg(concat_ws(':', i.product_id, i.quantity, i.total_amount), ','
                ORDER BY i.product_id, i.quantity, i.total_amount)
         FROM retail.order_items i WHERE i.order_id = o.order_id)) AS f
    FROM retail.orders o JOIN retail.customers c ON c.customer_id = o.customer_id) x
"""
STRUCTURE = {
    "indexes": "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
    "WHERE indrelid::regclass::text LIKE 'retail.%' ORDER BY 1",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = 'retail'::regnamespace ORDER BY 1, 2",
    "policies": "SELECT polrelid::regclass::text, polname, pg_get_expr(polqual, polrelid) FROM pg_policy ORDER BY 1, 2",
    "security": "SELECT relname, relrowsecurity, relforcerowsecurity, relacl::text, obj_description(oid, 'pg_class') "
    "FROM pg_class WHERE relnamespace = 'retail'::regnamespace AND relkind IN ('r', 'm') ORDER BY 1",
    "columns": "SELECT c.relname, a.attname, a.attnotnull, a.attacl::text, col_description(c.oid, a.attnum) "
    "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
    "WHERE c.relnamespace = 'retail'::regnamespace AND c.relkind = 'r' ORDER BY 1, 2",
}


async def fingerprint(conn: asyncpg.Connection) -> dict[str, Any]:
    """What the migration must keep: data and relationships by store, and the schema around the keys."""
    shape: dict[str, Any] = {"per_store": [tuple(r) for r in await conn.fetch(PER_STORE)]}
    shape["orders_digest"] = await conn.fetchval(ORDERS_DIGEST)
    for name, sql in STRUCTURE.items():
        shape[name] = [tuple(r) for r in await conn.fetch(sql)]
    return shape


def with_key_comments(shape: dict[str, Any]) -> dict[str, Any]:
    """``shape`` as the upgrade leaves it: a key column without a comment gets the migration's."""
    keys = {(table, columns[0]) for table, columns in KEYED.items()}
    columns = [
        (*row[:4], KEY_COMMENTS[row[0]] if (row[0], row[1]) in keys and row[4] is None else row[4])
        for row in shape["columns"]
    ]
    return {**shape, "columns": columns}


async def key_types(conn: asyncpg.Connection) -> dict[str, str]:
    rows = await conn.fetch(
        "SELECT table_name || '.' || column_name AS col, data_type FROM information_schema.columns "
        "WHERE table_schema = 'retail' AND table_name = ANY($1::text[]) AND column_name = ANY($2::text[])",
        list(KEYED),
        sorted({c for cols in KEYED.values() for c in cols}),
    )
    return {r["col"]: r["data_type"] for r in rows}


async def load_with_integer_keys(conn: asyncpg.Connection) -> None:
    """The generated dataset as it was stored before 0006: keys numbered in generation order."""
    dataset = generate(11, 0.005)
    numbers: dict[str, dict[object, int]] = {name: {} for name in KEYED}
    referenced = {"customer_id": "customers", "order_id": "orders"}
    for spec, rows in dataset.chunks(1_000):
        if spec.name in KEYED:
            own = numbers[spec.name]
            converted: list[tuple[object, ...]] = []
            for row in rows:
                own[row[0]] = len(own) + 1
                fields = list(row)
                fields[0] = own[row[0]]
                for position, column in enumerate(spec.columns[1:], start=1):
                    if column in referenced:
                        fields[position] = numbers[referenced[column]][row[position]]
                converted.append(tuple(fields))
        else:
            converted = list(rows)
        await conn.copy_records_to_table(spec.name, schema_name="retail", columns=list(spec.columns), records=converted)
    for name, columns in KEYED.items():
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('retail.{name}', '{columns[0]}'), {len(numbers[name])})"
        )
    assert [spec.name for spec in TABLES if spec.name in KEYED] == list(KEYED)


@pytest.fixture(scope="module")
async def target(zava_db: SeededDatabase) -> DatabaseTarget:
    target = make_target(zava_db.server, DATABASE)
    assert target.admin_url is not None
    await create_database_if_missing(target.admin_url, DATABASE)
    await asyncio.to_thread(migrate, target.admin_url, revision=PREVIOUS)
    conn = await asyncpg.connect(target.admin_dsn)
    try:
        await load_with_integer_keys(conn)
        # Column-level extras an earlier migration could have added; the swap must carry them.
        await conn.execute(f"COMMENT ON COLUMN retail.orders.order_id IS '{COMMENT}'")
        await conn.execute("GRANT SELECT (order_id) ON retail.orders TO zava_security")
        await conn.execute(
            "CREATE INDEX ix_test_returned_by_customer ON retail.orders (customer_id) WHERE status = 'returned'"
        )
    finally:
        await conn.close()
    return target


async def _migrate(target: DatabaseTarget, revision: str, *, down: bool = False) -> None:
    assert target.admin_url is not None
    await asyncio.to_thread(migrate, target.admin_url, revision=revision, down=down)


async def test_upgrade_downgrade_upgrade_keeps_every_row_and_relationship(target: DatabaseTarget) -> None:
    conn = await asyncpg.connect(target.admin_dsn)
    try:
        before = await fingerprint(conn)
        assert set((await key_types(conn)).values()) == {"bigint"}
        assert all(row[2] > 0 and row[5] == row[3] for row in before["per_store"])  # every line joins

        await _migrate(target, REVISION)
        assert set((await key_types(conn)).values()) == {"uuid"}
        upgraded = with_key_comments(before)
        assert upgraded != before
        assert await fingerprint(conn) == upgraded
        assert await conn.fetchval(COMMENT_OF_ORDER_ID) == COMMENT
        assert await conn.fetchval(KEY_SEQUENCES) == 0
        assert await conn.fetchval(
            "SELECT bool_and(uuid_extract_version(order_id) = 4 AND uuid_extract_version(customer_id) = 4) "
            "FROM retail.orders"
        )

        await _migrate(target, PREVIOUS, down=True)
        assert set((await key_types(conn)).values()) == {"bigint"}
        assert await fingerprint(conn) == before
        assert await conn.fetchval(KEY_SEQUENCES) == len(KEYED)
        for table, (key, *_) in KEYED.items():
            low, high, rows = await conn.fetchrow(f"SELECT min({key}), max({key}), count(*) FROM retail.{table}")
            assert (low, high) == (1, rows), table  # renumbered from 1 without gaps
        probe = conn.transaction()
        await probe.start()
        try:
            new_id = await conn.fetchval(
                "INSERT INTO retail.customers (store_id, first_name, last_name, email) "
                "SELECT store_id, 'New', 'Customer', 'new.customer@example.com' FROM retail.stores LIMIT 1 "
                "RETURNING customer_id"
            )
            assert new_id == sum(row[1] for row in before["per_store"]) + 1  # the identity continues
        finally:
            await probe.rollback()

        await _migrate(target, REVISION)
        assert set((await key_types(conn)).values()) == {"uuid"}
        assert await fingerprint(conn) == upgraded
    finally:
        await conn.close()
