"""Security issue 7, item 5: keys that count. A store manager, through the tool, cannot read the
other stores' volumes from customer, order or line keys: they are random uuids, with no
arithmetic, no order that follows time, and no sequence behind them."""

from __future__ import annotations

import asyncpg
import pytest

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from tests.helpers import in_memory_client, managed_order_count, query, result_payload, tool_error, tool_text

pytestmark = pytest.mark.integration

#: The oracle that worked on integer keys: the other stores' orders between my first and last.
GAP_ORACLE = "SELECT max(order_id) - min(order_id) + 1 - count(*) AS others FROM retail.orders"
#: Spearman's rank correlation between key order and date order (1.0 for keys from a sequence).
KEY_DATE_CORRELATION = (
    "SELECT count(*) AS orders, corr(by_key, by_date) AS rho FROM ("
    " SELECT rank() OVER (ORDER BY {key})::float8 AS by_key, rank() OVER (ORDER BY order_date)::float8 AS by_date"
    " FROM retail.{table}{join}) ranked"
)


async def test_key_gap_arithmetic_is_impossible_for_a_store_manager(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        for sql in (
            GAP_ORACLE,
            "SELECT max(customer_id) - min(customer_id) FROM retail.customers",
            "SELECT max(order_item_id) - count(*) FROM retail.order_items",
            "SELECT order_id + 1 FROM retail.orders LIMIT 1",
        ):
            error = await tool_error(client, sql)
            assert "uuid" in error, sql


@pytest.mark.parametrize(
    ("table", "key", "join"),
    [
        ("orders", "order_id", ""),
        ("orders", "customer_id", ""),
        ("order_items", "i.order_item_id", " i JOIN retail.orders o USING (order_id)"),
    ],
)
async def test_key_order_does_not_follow_time_for_a_store_manager(
    zava_db: SeededDatabase, admin_conn: asyncpg.Connection, table: str, key: str, join: str
) -> None:
    sql = KEY_DATE_CORRELATION.format(table=table, key=key, join=join)
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        (orders, rho), *_ = (await query(client, sql))["rows"]
    assert orders >= await managed_order_count(admin_conn, SEATTLE_MANAGER) > 100
    # Random keys: about 0, with a standard error of 1/sqrt(n) (0.04 for Seattle's ~600 orders).
    assert abs(rho) < 0.2


async def test_no_sequence_is_left_to_number_customers_orders_or_lines(admin_conn: asyncpg.Connection) -> None:
    sequences = await admin_conn.fetch("SELECT sequencename FROM pg_sequences WHERE schemaname = 'retail' ORDER BY 1")
    assert [r["sequencename"] for r in sequences] == [
        "categories_category_id_seq",
        "product_types_type_id_seq",
        "products_product_id_seq",
    ]
    defaults = await admin_conn.fetch(
        "SELECT table_name, column_default FROM information_schema.columns WHERE table_schema = 'retail' "
        "AND (table_name, column_name) IN (('customers', 'customer_id'), ('orders', 'order_id'), "
        "('order_items', 'order_item_id'))"
    )
    assert {(r["table_name"], r["column_default"]) for r in defaults} == {
        ("customers", "gen_random_uuid()"),
        ("orders", "gen_random_uuid()"),
        ("order_items", "gen_random_uuid()"),
    }


async def test_schema_tool_tells_a_model_that_order_keys_do_not_follow_time(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        result = await client.call_tool("get_multiple_table_schemas", {"table_names": ["retail.orders"]})
    assert not result.is_error, tool_text(result)
    (orders,) = result_payload(result)["tables"]
    _name, type_, meaning = next(column for column in orders["columns"] if column[0] == "order_id")
    assert type_ == "uuid"
    assert "order_date" in meaning
