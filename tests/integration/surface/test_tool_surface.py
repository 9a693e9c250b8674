"""Issue 13: every tool through a real in-memory client, typed, annotated and economical."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from mcp import Client
from mcp_types import TextContent

from tests.conftest import HEAD_OFFICE, SEATTLE_MANAGER, SeededDatabase
from tests.helpers import in_memory_client
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID

pytestmark = pytest.mark.integration

PRINCIPALS = {
    "store_manager": SEATTLE_MANAGER,
    "regional_manager": REGIONAL_MANAGER_USER_ID,
    "head_office": HEAD_OFFICE,
}
CORE_TABLES = ["stores", "customers", "categories", "product_types", "products", "inventory", "orders", "order_items"]
TOP_20_PRODUCTS = """SELECT p.product_name, sum(oi.total_amount) AS revenue FROM retail.order_items oi
JOIN retail.products p ON p.product_id = oi.product_id GROUP BY p.product_name ORDER BY revenue DESC LIMIT 20"""

#: One call per tool, as a model would make it.
EXAMPLE_CALLS: dict[str, dict[str, Any]] = {
    "execute_sales_query": {"postgresql_query": "SELECT store_name FROM retail.stores"},
    "get_multiple_table_schemas": {"table_names": ["retail.orders"]},
    "get_current_utc_date": {},
    "semantic_search_products": {"query_description": "cordless drill", "max_rows": 3},
    "get_product_recommendations": {"product_id": 1, "max_rows": 2},
    "store_performance": {},
    "sales_analysis": {"kind": "categories"},
}


def wire_size(result: Any) -> int:
    """Characters of a result as sent: every content block plus the structured content."""
    data = result.model_dump(by_alias=True, exclude_none=True, mode="json")
    compact = {"separators": (",", ":")}
    return len(json.dumps(data["content"], **compact)) + len(  # type: ignore[arg-type]
        json.dumps(data.get("structuredContent"), **compact)  # type: ignore[arg-type]
    )


async def published(client: Client) -> dict[str, Any]:
    return {t.name: t for t in (await client.list_tools()).tools}


@pytest.mark.parametrize("who", list(PRINCIPALS))
async def test_every_tool_answers_with_structured_content_its_output_schema_accepts(
    who: str, zava_db: SeededDatabase, embedded_catalog: Any
) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, PRINCIPALS[who]) as client:
        tools = await published(client)
        assert set(tools) == set(EXAMPLE_CALLS)
        for name, arguments in EXAMPLE_CALLS.items():
            tool = tools[name]
            assert tool.title
            assert tool.annotations is not None
            assert tool.annotations.read_only_hint is True
            assert tool.annotations.open_world_hint is False
            assert tool.output_schema is not None
            assert tool.output_schema["properties"], name  # typed, not an open object
            typed = tool.output_schema["properties"].values()
            assert all(p.get("type") or p.get("items") or p.get("$ref") for p in typed), name
            result = await client.call_tool(name, arguments)
            assert not result.is_error, (name, result.content)
            jsonschema.validate(result.structured_content, tool.output_schema)
            assert isinstance(result.content[0], TextContent), name
            assert result.content[0].text, name


async def test_results_carry_their_data_once_as_compact_text_beside_the_typed_rows(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        result = await client.call_tool("execute_sales_query", {"postgresql_query": TOP_20_PRODUCTS})
    payload = result.structured_content
    assert payload is not None
    assert payload["columns"] == [["product_name", "text"], ["revenue", "numeric"]]
    assert len(payload["rows"]) == 20
    assert payload["truncated"] is False
    assert isinstance(result.content[0], TextContent)
    text = result.content[0].text
    assert text.splitlines()[1] == "product_name|revenue"
    assert "{" not in text  # a table, not the same JSON again
    assert wire_size(result) / 20 <= 75


async def test_schema_of_the_core_tables_teaches_every_column_in_under_6000_characters(
    zava_db: SeededDatabase,
) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        result = await client.call_tool("get_multiple_table_schemas", {"table_names": CORE_TABLES})
    assert not result.is_error
    assert wire_size(result) <= 6000
    payload = result.structured_content
    assert payload is not None
    tables = {t["table"]: t for t in payload["tables"]}
    assert len(tables) == 8
    for table in tables.values():
        assert table["purpose"]
        assert all(meaning for _name, _type, meaning in table["columns"]), table["table"]
    assert tables["retail.stores"]["values"] == {"store_name": ["Zava Retail Seattle"]}
    assert any("total_amount" in hint for hint in tables["retail.orders"]["hints"])
    assert payload["dates"][0] <= payload["dates"][1]


async def test_schema_values_and_dates_are_computed_for_each_principal(
    zava_db: SeededDatabase, admin_conn: Any
) -> None:
    seen = {}
    for who, user in PRINCIPALS.items():
        async with in_memory_client(zava_db.settings, zava_db.target, user) as client:
            result = await client.call_tool("get_multiple_table_schemas", {"table_names": ["stores", "orders"]})
        assert result.structured_content is not None
        seen[who] = result.structured_content
    expected = await admin_conn.fetchrow(
        "SELECT min(order_date)::text, max(order_date)::text FROM retail.orders o"
        " JOIN retail.stores s ON s.store_id = o.store_id WHERE s.rls_user_id = $1",
        SEATTLE_MANAGER,
    )
    assert seen["store_manager"]["dates"] == [expected[0], expected[1]]
    counts = {who: len(p["tables"][0]["values"]["store_name"]) for who, p in seen.items()}
    assert counts == {"store_manager": 1, "regional_manager": 3, "head_office": 8}


async def test_tools_list_with_the_business_tools_is_under_5000_characters(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        listed = await client.list_tools()
    size = len(
        json.dumps(listed.model_dump(by_alias=True, exclude_none=True, mode="json")["tools"], separators=(",", ":"))
    )
    assert size <= 5000
