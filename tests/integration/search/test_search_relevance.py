"""The relevance set (tests/corpus/relevance.py) against the real catalog and the local model.

The test database holds the same 423-product catalog as ``bench/relevance.py`` (the catalog does
not change with the scale), so the figures asserted here are the bench's, held-out half first:
parameters are chosen on the tuning half only.
"""

from __future__ import annotations

import asyncpg
import pytest

from tests.conftest import HEAD_OFFICE
from tests.corpus.relevance import HELD_OUT, TUNING, RelevanceCase, precision_at
from zava_core.domain.principal import Principal
from zava_core.domain.products import ProductQuery
from zava_core.services.product_search import ProductSearchService

pytestmark = pytest.mark.integration

#: Hybrid precision@5 as measured by bench/relevance.py (0.542 held out, 0.644 tuning), less one
#: question's worth of margin for a different torch build. The issue's goal (0.90 held out) is
#: not reached with all-MiniLM-L6-v2 on these questions; docs/search.md says what was tried.
HELD_OUT_FLOOR = 0.53
TUNING_FLOOR = 0.63


async def mean_precision_at_5(
    search: ProductSearchService, admin: asyncpg.Connection, mode: str, cases: tuple[RelevanceCase, ...]
) -> float:
    rows = await admin.fetch(
        "SELECT p.product_name, p.sku, t.type_name, c.category_name FROM retail.products p"
        " JOIN retail.product_types t USING (type_id) JOIN retail.categories c ON c.category_id = p.category_id"
    )
    catalog = [(r["product_name"], r["type_name"], r["category_name"]) for r in rows]
    sku = {r["product_name"]: r["sku"] for r in rows}
    total = 0.0
    for case in cases:
        result = await search.search(
            Principal(HEAD_OFFICE), ProductQuery.create(case.resolve(sku.__getitem__), max_rows=5, mode=mode)
        )
        found = [(m.product.product_name, m.product.product_type, m.product.category) for m in result.products]
        total += precision_at(case, found, catalog)
    return total / len(cases)


async def test_hybrid_holds_its_measured_precision_on_held_out_questions_and_beats_each_mode_alone(
    search: ProductSearchService, admin_conn: asyncpg.Connection
) -> None:
    modes = ("semantic", "keyword", "hybrid")
    held_out = {mode: await mean_precision_at_5(search, admin_conn, mode, HELD_OUT) for mode in modes}
    assert held_out["hybrid"] >= HELD_OUT_FLOOR, held_out
    assert held_out["hybrid"] > max(held_out["semantic"], held_out["keyword"]), held_out
    tuning = await mean_precision_at_5(search, admin_conn, "hybrid", TUNING)
    assert tuning >= TUNING_FLOOR, tuning


async def test_the_issues_examples_find_the_right_products(search: ProductSearchService) -> None:
    hose = await search.search(
        Principal(HEAD_OFFICE), ProductQuery.create("something to keep the garden hose tidy", max_rows=5)
    )
    assert "Retractable Hose Hanger" in [m.product.product_name for m in hose.products]
    drill = await search.search(
        Principal(HEAD_OFFICE), ProductQuery.create("quiet cordless drill for a small flat", max_rows=5)
    )
    assert drill.products[0].product.product_name == "Cordless Drill 18V Li-Ion"


async def test_an_exact_sku_or_name_comes_first(search: ProductSearchService, admin_conn: asyncpg.Connection) -> None:
    sku = await admin_conn.fetchval("SELECT sku FROM retail.products WHERE product_name = 'Toggle Bolt Set'")
    for text in (sku, sku.lower(), "toggle bolt set"):
        for mode in ("keyword", "hybrid"):
            result = await search.search(Principal(HEAD_OFFICE), ProductQuery.create(text, mode=mode, max_rows=3))
            assert result.products[0].product.product_name == "Toggle Bolt Set", (text, mode)
            assert result.products[0].product.match == "exact", (text, mode)


async def test_filters_are_applied_in_every_mode(search: ProductSearchService) -> None:
    for mode in ("semantic", "keyword", "hybrid"):
        query = ProductQuery.create(
            "drill", mode=mode, category="power tools", min_price=50, max_price=200, max_rows=50
        )
        result = await search.search(Principal(HEAD_OFFICE), query)
        assert result.products, mode
        assert all(m.product.category == "POWER TOOLS" and 50 <= m.product.price <= 200 for m in result.products)
