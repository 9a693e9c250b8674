"""A principal's product search shows stock and baskets of its own stores only.

The oracle is the administrator connection (it bypasses RLS) filtered by hand to the stores the
principal may see; the search runs through the service as the application role.
"""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from tests.conftest import HEAD_OFFICE, NO_ACCESS_USER, SEATTLE_MANAGER
from zava_core.dataset import REGIONAL_MANAGER_STORES, REGIONAL_MANAGER_USER_ID
from zava_core.domain.principal import Principal
from zava_core.domain.products import ProductQuery
from zava_core.services.product_search import ProductSearchService

pytestmark = pytest.mark.integration

QUESTIONS = ("cordless drill", "garden hose", "paint for a bedroom", "PTFE tape", "storage shelves")


async def _visible_stores(admin: asyncpg.Connection, user: uuid.UUID) -> set[str]:
    if user == HEAD_OFFICE:
        return {r["store_name"] for r in await admin.fetch("SELECT store_name FROM retail.stores")}
    if user == REGIONAL_MANAGER_USER_ID:
        return set(REGIONAL_MANAGER_STORES)
    rows = await admin.fetch("SELECT store_name FROM retail.stores WHERE rls_user_id = $1", user)
    return {r["store_name"] for r in rows}


@pytest.mark.parametrize("user", [SEATTLE_MANAGER, REGIONAL_MANAGER_USER_ID, HEAD_OFFICE, NO_ACCESS_USER])
async def test_search_shows_exactly_the_stock_of_the_stores_the_principal_may_see(
    search: ProductSearchService, admin_conn: asyncpg.Connection, user: uuid.UUID
) -> None:
    visible = await _visible_stores(admin_conn, user)
    for question in QUESTIONS:
        result = await search.search(Principal(user), ProductQuery.create(question, max_rows=10))
        assert result.products, question
        for match in result.products:
            expected = await admin_conn.fetch(
                "SELECT s.store_name, i.stock_level FROM retail.inventory i JOIN retail.stores s USING (store_id)"
                " WHERE i.product_id = $1 ORDER BY s.store_name",
                match.product.product_id,
            )
            assert [(s.store_name, s.stock_level) for s in match.stock] == [
                (r["store_name"], r["stock_level"]) for r in expected if r["store_name"] in visible
            ]


async def test_a_store_manager_never_sees_another_stores_stock(search: ProductSearchService) -> None:
    seen: set[str] = set()
    for question in QUESTIONS:
        result = await search.search(Principal(SEATTLE_MANAGER), ProductQuery.create(question, max_rows=50))
        seen |= {s.store_name for m in result.products for s in m.stock}
    assert seen == {"Zava Retail Seattle"}


async def test_in_stock_only_fails_closed_for_a_principal_without_stores(search: ProductSearchService) -> None:
    result = await search.search(Principal(NO_ACCESS_USER), ProductQuery.create("drill", in_stock_only=True))
    assert result.products == []


@pytest.mark.parametrize("user", [SEATTLE_MANAGER, HEAD_OFFICE, NO_ACCESS_USER])
async def test_bought_together_counts_only_orders_of_visible_stores(
    search: ProductSearchService, admin_conn: asyncpg.Connection, user: uuid.UUID
) -> None:
    visible = await _visible_stores(admin_conn, user)
    product_id = await admin_conn.fetchval(
        "SELECT product_id FROM retail.order_items GROUP BY product_id ORDER BY count(*) DESC, product_id LIMIT 1"
    )
    expected = await admin_conn.fetch(
        "SELECT other.product_id, count(DISTINCT other.order_id) AS n FROM retail.order_items mine"
        " JOIN retail.order_items other ON other.order_id = mine.order_id AND other.product_id <> mine.product_id"
        " JOIN retail.stores s ON s.store_id = mine.store_id"
        " WHERE mine.product_id = $1 AND s.store_name = ANY($2::text[])"
        " GROUP BY other.product_id ORDER BY n DESC, other.product_id LIMIT 10",
        product_id,
        sorted(visible),
    )
    result = await search.recommendations(Principal(user), product_id, 10)
    assert [(m.product.product_id, m.orders_together) for m in result.bought_together] == [
        (r["product_id"], r["n"]) for r in expected
    ]
    assert {s.store_name for m in [result.product, *result.similar] for s in m.stock} <= visible
    if user == NO_ACCESS_USER:
        assert result.bought_together == []
        assert result.similar
