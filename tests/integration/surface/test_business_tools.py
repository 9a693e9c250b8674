"""The business tools' figures equal an independent SQL computation by the owner (no RLS)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import pytest

from tests.conftest import HEAD_OFFICE, SEATTLE_MANAGER, SeededDatabase
from tests.helpers import in_memory_client
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID

pytestmark = pytest.mark.integration

PRINCIPALS = {
    "store_manager": SEATTLE_MANAGER,
    "regional_manager": REGIONAL_MANAGER_USER_ID,
    "head_office": HEAD_OFFICE,
}

# Written apart from the adapter's SQL on purpose: joins through stores, NOT IN for statuses.
VISIBLE = """SELECT s.store_id FROM retail.stores s WHERE $1::uuid = $2::uuid OR s.rls_user_id = $1::uuid
   OR s.store_id IN (SELECT ps.store_id FROM retail.principal_stores ps WHERE ps.user_id = $1::uuid)"""
ORDERS = """SELECT coalesce(sum(total_amount), 0)::float8, count(*) FROM retail.orders
   WHERE store_id = ANY($1::uuid[]) AND order_date >= $2 AND order_date <= $3
     AND status NOT IN ('cancelled', 'returned')"""
LINES = """SELECT coalesce(sum(i.quantity), 0), coalesce(sum(i.quantity * p.cost), 0)::float8
   FROM retail.orders o, retail.order_items i, retail.products p
   WHERE i.order_id = o.order_id AND p.product_id = i.product_id AND o.store_id = ANY($1::uuid[])
     AND o.order_date >= $2 AND o.order_date <= $3 AND o.status NOT IN ('cancelled', 'returned')"""
CATEGORIES = """SELECT c.category_name, sum(i.total_amount)::float8 AS revenue
   FROM retail.orders o, retail.order_items i, retail.products p, retail.categories c
   WHERE i.order_id = o.order_id AND p.product_id = i.product_id AND c.category_id = p.category_id
     AND o.store_id = ANY($1::uuid[]) AND o.order_date BETWEEN $2 AND $3
     AND o.status NOT IN ('cancelled', 'returned')
   GROUP BY c.category_name ORDER BY revenue DESC, c.category_name LIMIT 5"""


async def visible_stores(admin: asyncpg.Connection, user: uuid.UUID) -> list[uuid.UUID]:
    return [r[0] for r in await admin.fetch(VISIBLE, user, HEAD_OFFICE)]


async def oracle_period(admin: asyncpg.Connection, stores: list[uuid.UUID]) -> tuple[dt.date, dt.date]:
    end = await admin.fetchval("SELECT max(order_date) FROM retail.orders WHERE store_id = ANY($1::uuid[])", stores)
    return end - dt.timedelta(days=29), end


async def call(user: uuid.UUID, db: SeededDatabase, tool: str, arguments: dict[str, Any]) -> Any:
    async with in_memory_client(db.settings, db.target, user) as client:
        return await client.call_tool(tool, arguments)


@pytest.mark.parametrize("who", list(PRINCIPALS))
async def test_store_performance_equals_the_owners_own_sums(
    who: str, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    stores = await visible_stores(admin_conn, PRINCIPALS[who])
    start, end = await oracle_period(admin_conn, stores)
    result = await call(PRINCIPALS[who], zava_db, "store_performance", {})
    assert not result.is_error, result.content
    out = result.structured_content
    assert out["period"] == [start.isoformat(), end.isoformat()]
    assert len(out["stores"]) == len(stores)
    metrics = {row[0]: row[1:] for row in out["metrics"]["rows"]}
    revenue, orders = await admin_conn.fetchrow(ORDERS, stores, start, end)
    units, cost = await admin_conn.fetchrow(LINES, stores, start, end)
    before_end = start - dt.timedelta(days=1)
    before_revenue, _ = await admin_conn.fetchrow(ORDERS, stores, before_end - dt.timedelta(days=29), before_end)
    assert metrics["revenue"][0] == pytest.approx(revenue, abs=0.01)
    assert metrics["orders"][0] == orders
    assert metrics["units"][0] == units
    assert metrics["aov"][0] == pytest.approx(round(revenue / orders, 2), abs=0.01)
    assert metrics["margin_pct"][0] == pytest.approx(round(100 * (revenue - cost) / revenue, 1), abs=0.05)
    assert metrics["revenue"][1] == pytest.approx(before_revenue, abs=0.01)
    assert metrics["revenue"][2] == pytest.approx(round(100 * (revenue - before_revenue) / before_revenue, 1), abs=0.05)
    expected = [(r[0], r[1]) for r in await admin_conn.fetch(CATEGORIES, stores, start, end)]
    assert [(r[0], pytest.approx(r[1], abs=0.01)) for r in out["categories"]["rows"]] == expected
    assert out["insights"]


@pytest.mark.parametrize("who", list(PRINCIPALS))
async def test_daily_sales_and_customer_segments_equal_the_owners_sums(
    who: str, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    stores = await visible_stores(admin_conn, PRINCIPALS[who])
    start, end = await oracle_period(admin_conn, stores)
    daily = (await call(PRINCIPALS[who], zava_db, "sales_analysis", {"kind": "daily"})).structured_content
    revenue, orders = await admin_conn.fetchrow(ORDERS, stores, start, end)
    assert sum(r[3] for r in daily["rows"]) == pytest.approx(revenue, abs=0.05)
    assert sum(r[1] for r in daily["rows"]) == orders
    customers = (await call(PRINCIPALS[who], zava_db, "sales_analysis", {"kind": "customers"})).structured_content
    buyers = await admin_conn.fetchval(
        """SELECT count(DISTINCT customer_id) FROM retail.orders WHERE store_id = ANY($1::uuid[])
           AND order_date BETWEEN $2 AND $3 AND status NOT IN ('cancelled', 'returned')""",
        stores,
        start,
        end,
    )
    new = await admin_conn.fetchval(
        """SELECT count(*) FROM (SELECT customer_id FROM retail.orders WHERE store_id = ANY($1::uuid[])
           AND order_date <= $3 AND status NOT IN ('cancelled', 'returned') GROUP BY customer_id
           HAVING min(order_date) >= $2 ) firsts""",
        stores,
        start,
        end,
    )
    segments = {r[0]: r[1] for r in customers["rows"]}
    assert sum(segments.values()) == buyers
    assert segments.get("new", 0) == new


@pytest.mark.parametrize("who", list(PRINCIPALS))
async def test_low_stock_lists_exactly_the_products_under_the_cover_threshold(
    who: str, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    stores = await visible_stores(admin_conn, PRINCIPALS[who])
    _, end = await oracle_period(admin_conn, stores)
    start = end - dt.timedelta(days=29)
    expected = await admin_conn.fetchval(
        """SELECT count(*) FROM retail.inventory inv JOIN (
             SELECT i.store_id, i.product_id, sum(i.quantity) AS units FROM retail.order_items i
             JOIN retail.orders o ON o.order_id = i.order_id WHERE o.store_id = ANY($1::uuid[])
               AND o.order_date BETWEEN $2 AND $3 AND o.status NOT IN ('cancelled', 'returned')
             GROUP BY i.store_id, i.product_id) s ON s.store_id = inv.store_id AND s.product_id = inv.product_id
           WHERE inv.stock_level::numeric * 30 / s.units < 14""",
        stores,
        start,
        end,
    )
    arguments = {"kind": "low_stock", "limit": 100}
    out = (await call(PRINCIPALS[who], zava_db, "sales_analysis", arguments)).structured_content
    assert len(out["rows"]) == min(expected, 100)
    assert all(row[5] < 14 for row in out["rows"])
    assert [row[5] for row in out["rows"]] == sorted(row[5] for row in out["rows"])


async def test_a_store_manager_asking_for_another_store_gets_authorization_error(zava_db: SeededDatabase) -> None:
    for tool, arguments in (
        ("store_performance", {"store": "Zava Retail Bellevue"}),
        ("sales_analysis", {"kind": "daily", "store": "Zava Retail Bellevue"}),
        ("sales_analysis", {"kind": "low_stock", "store": "Zava Retail Bellevue"}),
    ):
        result = await call(SEATTLE_MANAGER, zava_db, tool, arguments)
        assert result.is_error
        assert result.content[0].text.startswith("AUTHORIZATION_ERROR: ")
        assert result.structured_content["code"] == "AUTHORIZATION_ERROR"
        assert "Zava Retail Seattle" in result.structured_content["hint"]


async def test_a_regional_manager_may_narrow_to_one_of_its_stores(zava_db: SeededDatabase) -> None:
    result = await call(REGIONAL_MANAGER_USER_ID, zava_db, "store_performance", {"store": "zava retail bellevue"})
    assert not result.is_error, result.content
    assert result.structured_content["stores"] == ["Zava Retail Bellevue"]
