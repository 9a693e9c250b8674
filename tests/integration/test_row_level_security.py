"""Issue 2 acceptance through a real in-memory MCP client: each principal sees its own stores."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from tests.conftest import HEAD_OFFICE, NO_ACCESS_USER, SEATTLE_MANAGER, SeededDatabase
from tests.helpers import in_memory_client, managed_order_count, query, result_payload, tool_error, tool_text
from zava_core.dataset.generator import REGIONAL_MANAGER_STORES, REGIONAL_MANAGER_USER_ID

pytestmark = pytest.mark.integration


async def count(client: object, sql: str) -> int:
    payload = await query(client, sql)  # type: ignore[arg-type]
    return int(payload["rows"][0][0])


async def test_head_office_counts_all_eight_stores(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, HEAD_OFFICE) as client:
        assert await count(client, "SELECT count(*) FROM retail.stores") == 8


async def test_seattle_manager_counts_only_seattle_orders(
    zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    expected = await managed_order_count(admin_conn, SEATTLE_MANAGER)
    total = await admin_conn.fetchval("SELECT count(*) FROM retail.orders")
    assert 0 < expected < total
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        assert await count(client, "SELECT count(*) FROM retail.orders") == expected
        stores = await query(client, "SELECT store_name FROM retail.stores")
        assert stores["rows"] == [["Zava Retail Seattle"]]


async def test_store_manager_never_sees_other_stores_order_items(
    zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        payload = await query(client, "SELECT DISTINCT store_id FROM retail.order_items")
        payload_customers = await query(client, "SELECT DISTINCT store_id FROM retail.customers")
        payload_inventory = await query(client, "SELECT DISTINCT store_id FROM retail.inventory")
    seattle = await admin_conn.fetchval("SELECT store_id FROM retail.stores WHERE rls_user_id = $1", SEATTLE_MANAGER)
    for rows in (payload["rows"], payload_customers["rows"], payload_inventory["rows"]):
        assert rows == [[str(seattle)]]


async def test_regional_manager_sees_exactly_their_stores(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, REGIONAL_MANAGER_USER_ID) as client:
        payload = await query(client, "SELECT store_name FROM retail.stores ORDER BY 1")
    assert sorted(r[0] for r in payload["rows"]) == sorted(REGIONAL_MANAGER_STORES)


@pytest.mark.parametrize("user", [NO_ACCESS_USER, uuid.UUID(int=1)])
async def test_user_without_access_sees_no_store_rows(zava_db: SeededDatabase, user: uuid.UUID) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, user) as client:
        for table in ("stores", "orders", "order_items", "customers", "inventory"):
            assert await count(client, f"SELECT count(*) FROM retail.{table}") == 0


async def test_server_without_principal_refuses_every_query(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, None) as client:
        message = await tool_error(client, "SELECT count(*) FROM retail.orders")
    assert message.startswith("AUTHORIZATION_ERROR")
    assert "ZAVA_RLS_USER_ID" in message


async def test_catalog_tables_are_shared_by_every_principal(zava_db: SeededDatabase) -> None:
    counts = []
    for user in (HEAD_OFFICE, SEATTLE_MANAGER, NO_ACCESS_USER):
        async with in_memory_client(zava_db.settings, zava_db.target, user) as client:
            counts.append(await count(client, "SELECT count(*) FROM retail.products"))
    assert counts[0] > 400
    assert len(set(counts)) == 1


async def test_schema_tool_describes_keys_and_only_the_principals_valid_values(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        result = await client.call_tool(
            "get_multiple_table_schemas", {"table_names": ["retail.stores", "order_items", "retail.orders"]}
        )
    assert not result.is_error, tool_text(result)
    tables = {t["table"]: t for t in result_payload(result)["tables"]}
    assert tables["retail.stores"]["key"] == ["store_id"]
    assert tables["retail.stores"]["values"] == {"store_name": ["Zava Retail Seattle"]}
    assert "orders" in tables["retail.order_items"]["joins"]


async def test_schema_tool_names_the_available_tables_for_an_unknown_one(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        result = await client.call_tool("get_multiple_table_schemas", {"table_names": ["retail.principals"]})
    assert result.is_error
    message = tool_text(result)
    assert message.startswith("VALIDATION_ERROR")
    assert "retail.orders" in message
