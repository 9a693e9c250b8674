"""Product search inside the unit of work: vector (HNSW), full-text and stock / basket queries.

Every statement runs in the unit of work's read-only transaction as ``zava_app`` with the
principal's context bound, so ``inventory``, ``stores`` and ``order_items`` pass through
row-level security: stock and "bought together" only ever count the principal's stores. The
catalog tables carry no store and are shared.

The application role's search_path is ``retail`` alone, so pgvector's type and operators are
named with their schema (``public``, where migration 0001 creates the extension).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.domain.products import EXACT_MATCH_RANK, ProductCandidate, SearchFilters, StoreStock
from zava_core.ports.products import VectorSearchTuning

__all__ = ["SqlProductSearch", "vector_literal"]

_PRODUCT_COLUMNS = "p.product_id, p.sku, p.product_name, c.category_name, t.type_name, p.base_price::float8 AS price"
_CATALOG_JOINS = (
    "JOIN retail.categories c ON c.category_id = p.category_id JOIN retail.product_types t ON t.type_id = p.type_id"
)
# Transaction-local (SET LOCAL) settings, set by a SECURITY DEFINER function: the application
# role may not call set_config itself (migration 0005).
_TUNE = text(
    "SELECT zava_private.tune_vector_search(CAST(:ef AS integer), CAST(:iterative AS boolean), "
    "CAST(:max_tuples AS integer))"
)
# Keyword relevance: the sum of the inverse document frequencies of the question's words that
# a product contains (migration 0004 keeps the frequencies and the postings). Any one word may
# match: plain-words questions rarely contain every word of a product, so AND
# (websearch_to_tsquery) would find nothing.
_TERMS = (
    "SELECT s.word, ln(1 + s.products::float8 / s.documents) AS idf FROM retail.product_search_terms s"
    " WHERE s.word = ANY(tsvector_to_array(to_tsvector('english', :text))) AND s.documents > 0"
)
#: With in_stock_only, how many ranked products (times the rows asked) are checked for stock.
_STOCK_FILTER_DEPTH = 10


def vector_literal(vector: Sequence[float]) -> str:
    """pgvector's text form; cast with ``CAST(:v AS public.vector)``."""
    return "[" + ",".join(f"{float(v):.7g}" for v in vector) + "]"


def _catalog_filters(filters: SearchFilters, params: dict[str, Any]) -> str:
    """Category and price, on columns named ``p.category_id`` / ``p.base_price``."""
    clauses = []
    if filters.category:
        clauses.append(
            "p.category_id = (SELECT category_id FROM retail.categories WHERE lower(category_name) = lower(:category))"
        )
        params["category"] = filters.category
    if filters.min_price is not None:
        clauses.append("p.base_price >= :min_price")
        params["min_price"] = filters.min_price
    if filters.max_price is not None:
        clauses.append("p.base_price <= :max_price")
        params["max_price"] = filters.max_price
    return "".join(" AND " + c for c in clauses)


def _stock_filter(filters: SearchFilters) -> str:
    # RLS on inventory limits this to the principal's stores: no store, nothing in stock.
    if not filters.in_stock_only:
        return ""
    return " AND EXISTS (SELECT 1 FROM retail.inventory i WHERE i.product_id = p.product_id AND i.stock_level > 0)"


def _filters(filters: SearchFilters, params: dict[str, Any]) -> str:
    return _catalog_filters(filters, params) + _stock_filter(filters)


def _candidate(row: Any, *, similarity: float | None = None, rank: float | None = None) -> ProductCandidate:
    return ProductCandidate(
        product_id=row.product_id,
        sku=row.sku,
        product_name=row.product_name,
        category=row.category_name,
        product_type=row.type_name,
        price=float(row.price),
        similarity=similarity,
        keyword_rank=rank,
    )


def _nearest_sql(where: str, *, exact: bool) -> str:
    """Nearest products by cosine distance. The inner query is what the HNSW index answers
    (ORDER BY distance LIMIT); with relaxed_order an iterative scan may return slightly out of
    order, hence the outer sort. ``exact`` orders by an expression the index cannot serve
    (distance + 0), so PostgreSQL computes the distance of every product that passes the filters.
    """
    distance = "e.description_embedding OPERATOR(public.<=>) CAST(:q AS public.vector)"
    order = f"({distance}) + 0" if exact else "distance"
    return (
        f"WITH nearest AS MATERIALIZED (SELECT e.product_id, {distance} AS distance"
        " FROM retail.product_description_embeddings e"
        + (" JOIN retail.products p ON p.product_id = e.product_id" if where else "")
        + f" WHERE e.model = :model{where} ORDER BY {order} LIMIT :limit) "
        f"SELECT {_PRODUCT_COLUMNS}, 1 - n.distance AS similarity FROM nearest n "
        f"JOIN retail.products p ON p.product_id = n.product_id {_CATALOG_JOINS} "
        "ORDER BY n.distance, p.product_id"
    )


class SqlProductSearch:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def _rows(self, sql: str, params: dict[str, Any]) -> Sequence[Any]:
        with translate_errors():
            return (await self._connection.execute(text(sql), params)).all()

    async def _tune(self, tuning: VectorSearchTuning) -> None:
        with translate_errors():
            await self._connection.execute(
                _TUNE,
                {
                    "ef": tuning.ef_search,
                    "iterative": tuning.iterative,
                    "max_tuples": tuning.max_scan_tuples,
                },
            )

    async def category_names(self) -> list[str]:
        rows = await self._rows("SELECT category_name FROM retail.categories ORDER BY category_name", {})
        return [r.category_name for r in rows]

    async def semantic(
        self, vector: Sequence[float], model_id: str, filters: SearchFilters, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]:
        await self._tune(tuning)
        params: dict[str, Any] = {"q": vector_literal(vector), "model": model_id, "limit": limit}
        where = _filters(filters, params)
        rows = await self._rows(_nearest_sql(where, exact=False), params)
        if where and len(rows) < limit:
            # The iterative scan spent its budget (max_scan_tuples) before finding enough
            # products that pass the filters: they lie far from the question in the graph. An
            # exact search over just the filtered products is then both right and bounded.
            rows = await self._rows(_nearest_sql(where, exact=True), params)
        return [_candidate(r, similarity=float(r.similarity)) for r in rows]

    async def keyword(self, text_query: str, filters: SearchFilters, limit: int) -> list[ProductCandidate]:
        params: dict[str, Any] = {"text": text_query, "exact": text_query.strip().lower()}
        catalog = _catalog_filters(filters, params)
        stock = _stock_filter(filters)
        params["depth"] = limit * _STOCK_FILTER_DEPTH if stock else limit
        params["limit"] = limit
        # Postings give every product that contains a term (index-only scan); the stock filter,
        # which needs a probe per product, is applied to the best ranked ones only.
        sql = (
            f"WITH terms AS MATERIALIZED ({_TERMS}), scored AS ("
            " SELECT p.product_id, t.idf AS rank FROM terms t"
            " JOIN retail.product_search_postings p ON p.word = t.word WHERE true"
            + catalog
            + f" UNION ALL SELECT p.product_id, {EXACT_MATCH_RANK} FROM retail.products p"
            " WHERE (lower(p.sku) = :exact OR lower(p.product_name) = :exact)"
            + catalog
            + "), ranked AS (SELECT product_id, sum(rank) AS rank FROM scored GROUP BY product_id"
            " ORDER BY rank DESC, product_id LIMIT :depth) "
            f"SELECT {_PRODUCT_COLUMNS}, k.rank FROM ranked k "
            f"JOIN retail.products p ON p.product_id = k.product_id {_CATALOG_JOINS} "
            "WHERE true" + stock + " ORDER BY k.rank DESC, p.product_id LIMIT :limit"
        )
        return [_candidate(r, rank=float(r.rank)) for r in await self._rows(sql, params)]

    async def stock(self, product_ids: Sequence[int]) -> dict[int, list[StoreStock]]:
        if not product_ids:
            return {}
        rows = await self._rows(
            "SELECT i.product_id, s.store_name, i.stock_level FROM retail.inventory i "
            "JOIN retail.stores s ON s.store_id = i.store_id "
            "WHERE i.product_id = ANY(CAST(:ids AS integer[])) ORDER BY i.product_id, s.store_name",
            {"ids": list(product_ids)},
        )
        stock: dict[int, list[StoreStock]] = {}
        for r in rows:
            stock.setdefault(r.product_id, []).append(StoreStock(r.store_name, r.stock_level))
        return stock

    async def product(self, product_id: int) -> ProductCandidate | None:
        rows = await self._rows(
            f"SELECT {_PRODUCT_COLUMNS} FROM retail.products p {_CATALOG_JOINS} WHERE p.product_id = :id",
            {"id": product_id},
        )
        return _candidate(rows[0]) if rows else None

    async def similar(
        self, product_id: int, model_id: str, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]:
        await self._tune(tuning)
        sql = (
            "WITH nearest AS MATERIALIZED ("
            " SELECT e.product_id, e.description_embedding OPERATOR(public.<=>) (SELECT description_embedding"
            "   FROM retail.product_description_embeddings WHERE product_id = :id AND model = :model) AS distance"
            " FROM retail.product_description_embeddings e"
            " WHERE e.model = :model AND e.product_id <> :id ORDER BY distance LIMIT :limit) "
            f"SELECT {_PRODUCT_COLUMNS}, 1 - n.distance AS similarity FROM nearest n "
            f"JOIN retail.products p ON p.product_id = n.product_id {_CATALOG_JOINS} "
            "WHERE n.distance IS NOT NULL ORDER BY n.distance, p.product_id"
        )
        rows = await self._rows(sql, {"id": product_id, "model": model_id, "limit": limit})
        return [_candidate(r, similarity=float(r.similarity)) for r in rows]

    async def bought_together(self, product_id: int, limit: int) -> list[tuple[ProductCandidate, int]]:
        # Both sides of the self-join pass through RLS: only baskets of the principal's stores.
        sql = (
            f"SELECT {_PRODUCT_COLUMNS}, b.orders FROM ("
            " SELECT other.product_id, count(DISTINCT other.order_id) AS orders"
            " FROM retail.order_items mine JOIN retail.order_items other"
            "   ON other.order_id = mine.order_id AND other.product_id <> mine.product_id"
            " WHERE mine.product_id = :id GROUP BY other.product_id"
            " ORDER BY orders DESC, other.product_id LIMIT :limit) b "
            f"JOIN retail.products p ON p.product_id = b.product_id {_CATALOG_JOINS} "
            "ORDER BY b.orders DESC, p.product_id"
        )
        rows = await self._rows(sql, {"id": product_id, "limit": limit})
        return [(_candidate(r), int(r.orders)) for r in rows]
