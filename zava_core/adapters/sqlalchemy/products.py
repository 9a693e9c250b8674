"""Product search inside the unit of work: vector (HNSW), full-text and stock / basket queries.

Every statement runs in the unit of work's read-only transaction as ``zava_app`` with the
principal's context bound, so ``inventory``, ``stores`` and ``order_items`` pass through
row-level security: stock and "bought together" only ever count the principal's stores. The
catalog tables carry no store and are shared.

Statements are SQLAlchemy Core over ``tables``, built once per shape (which filters are set)
and cached; values are bound at execution, the question's vector as pgvector's ``Vector``.
pgvector's operator is named with its schema (``public``, where migration 0001 creates the
extension), so the statements do not depend on the role's search_path.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    ARRAY,
    Boolean,
    ColumnElement,
    Executable,
    FromClause,
    Integer,
    Numeric,
    Select,
    Text,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION
from sqlalchemy.ext.asyncio import AsyncConnection

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.tables import (
    categories,
    embeddings,
    inventory,
    order_items,
    product_search_postings,
    product_search_terms,
    product_types,
    products,
    stores,
)
from zava_core.domain.products import EXACT_MATCH_RANK, ProductCandidate, SearchFilters, StoreStock
from zava_core.ports.products import VectorSearchTuning

__all__ = ["SqlProductSearch"]

#: With in_stock_only, how many ranked products (times the rows asked) are checked for stock.
_STOCK_FILTER_DEPTH = 10

_P = products
_PRODUCT_COLUMNS = (
    _P.c.product_id,
    _P.c.sku,
    _P.c.product_name,
    categories.c.category_name,
    product_types.c.type_name,
    cast(_P.c.base_price, DOUBLE_PRECISION).label("price"),
)
_CATALOG_JOINS = _P.join(categories, categories.c.category_id == _P.c.category_id).join(
    product_types, product_types.c.type_id == _P.c.type_id
)
_LIMIT = bindparam("limit", type_=Integer)
_ID = bindparam("id", type_=Integer)
_MODEL = bindparam("model", type_=Text)
_QUESTION = bindparam("q", type_=Vector())


def _cosine_distance(left: ColumnElement[Any], right: ColumnElement[Any]) -> ColumnElement[float]:
    return left.op("OPERATOR(public.<=>)", return_type=DOUBLE_PRECISION)(right)


# Transaction-local (SET LOCAL) settings, set by a SECURITY DEFINER function: the application
# role may not call set_config itself (migration 0005).
_TUNE = select(
    func.zava_private.tune_vector_search(
        bindparam("ef", type_=Integer), bindparam("iterative", type_=Boolean), bindparam("max_tuples", type_=Integer)
    )
)


def _catalog_filters(source: FromClause, filters: SearchFilters) -> list[ColumnElement[bool]]:
    """Category and price, on ``source``'s ``category_id`` / ``base_price`` columns."""
    clauses: list[ColumnElement[bool]] = []
    if filters.category:
        category_id = (
            select(categories.c.category_id)
            .where(func.lower(categories.c.category_name) == func.lower(bindparam("category", type_=Text)))
            .correlate(None)
            .scalar_subquery()
        )
        clauses.append(source.c.category_id == category_id)
    if filters.min_price is not None:
        clauses.append(source.c.base_price >= bindparam("min_price", type_=Numeric()))
    if filters.max_price is not None:
        clauses.append(source.c.base_price <= bindparam("max_price", type_=Numeric()))
    return clauses


def _stock_filter(filters: SearchFilters) -> list[ColumnElement[bool]]:
    # RLS on inventory limits this to the principal's stores: no store, nothing in stock.
    if not filters.in_stock_only:
        return []
    return [exists().where(inventory.c.product_id == _P.c.product_id, inventory.c.stock_level > 0)]


def _filter_values(filters: SearchFilters) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if filters.category:
        values["category"] = filters.category
    if filters.min_price is not None:
        values["min_price"] = filters.min_price
    if filters.max_price is not None:
        values["max_price"] = filters.max_price
    return values


def _shape(filters: SearchFilters) -> SearchFilters:
    """What a statement's text depends on: which filters are set, not their values."""
    return SearchFilters(
        category="?" if filters.category else None,
        min_price=0.0 if filters.min_price is not None else None,
        max_price=0.0 if filters.max_price is not None else None,
        in_stock_only=filters.in_stock_only,
    )


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


@functools.cache
def _nearest(shape: SearchFilters, *, exact: bool) -> Select[Any]:
    """Nearest products by cosine distance. The inner query is what the HNSW index answers
    (ORDER BY distance LIMIT); with relaxed_order an iterative scan may return slightly out of
    order, hence the outer sort. ``exact`` orders by an expression the index cannot serve
    (distance + 0), so PostgreSQL computes the distance of every product that passes the filters.
    """
    where = _catalog_filters(_P, shape) + _stock_filter(shape)
    distance = _cosine_distance(embeddings.c.description_embedding, _QUESTION)
    inner = select(embeddings.c.product_id, distance.label("distance"))
    if where:
        inner = inner.join_from(embeddings, _P, _P.c.product_id == embeddings.c.product_id)
    inner = inner.where(embeddings.c.model == _MODEL, *where)
    inner = inner.order_by((distance + 0) if exact else literal_column("distance")).limit(_LIMIT)
    nearest = inner.cte("nearest").prefix_with("MATERIALIZED")
    return (
        select(*_PRODUCT_COLUMNS, (1 - nearest.c.distance).label("similarity"))
        .select_from(nearest.join(_CATALOG_JOINS, _P.c.product_id == nearest.c.product_id))
        .order_by(nearest.c.distance, _P.c.product_id)
    )


@functools.cache
def _keyword(shape: SearchFilters) -> Select[Any]:
    """Keyword relevance: the sum of the inverse document frequencies of the question's words
    that a product contains (migration 0004 keeps the frequencies and the postings). Any one word
    may match: plain-words questions rarely contain every word of a product, so AND
    (websearch_to_tsquery) would find nothing. Postings give every product that contains a term
    (index-only scan); the stock filter, which needs a probe per product, is applied to the best
    ranked ones only."""
    s, postings = product_search_terms, product_search_postings
    question = func.tsvector_to_array(func.to_tsvector(literal_column("'english'"), bindparam("text", type_=Text)))
    idf = func.ln(1 + cast(s.c.products, DOUBLE_PRECISION) / cast(s.c.documents, DOUBLE_PRECISION))
    terms = (
        select(s.c.word, idf.label("idf"))
        .where(s.c.word == any_(question), s.c.documents > 0)
        .cte("terms")
        .prefix_with("MATERIALIZED")
    )
    exact_text = bindparam("exact", type_=Text)
    scored = union_all(
        select(postings.c.product_id, terms.c.idf.label("rank"))
        .join_from(terms, postings, postings.c.word == terms.c.word)
        .where(*_catalog_filters(postings, shape)),
        select(_P.c.product_id, literal(EXACT_MATCH_RANK, DOUBLE_PRECISION)).where(
            or_(func.lower(_P.c.sku) == exact_text, func.lower(_P.c.product_name) == exact_text),
            *_catalog_filters(_P, shape),
        ),
    ).cte("scored")
    total = func.sum(scored.c.rank).label("rank")
    ranked = (
        select(scored.c.product_id, total)
        .group_by(scored.c.product_id)
        .order_by(total.desc(), scored.c.product_id)
        .limit(bindparam("depth", type_=Integer))
        .cte("ranked")
    )
    return (
        select(*_PRODUCT_COLUMNS, ranked.c.rank)
        .select_from(ranked.join(_CATALOG_JOINS, _P.c.product_id == ranked.c.product_id))
        .where(true(), *_stock_filter(shape))
        .order_by(ranked.c.rank.desc(), _P.c.product_id)
        .limit(_LIMIT)
    )


_CATEGORY_NAMES = select(categories.c.category_name).order_by(categories.c.category_name)
_STOCK = (
    select(inventory.c.product_id, stores.c.store_name, inventory.c.stock_level)
    .join_from(inventory, stores, stores.c.store_id == inventory.c.store_id)
    .where(inventory.c.product_id == any_(bindparam("ids", type_=ARRAY(Integer))))
    .order_by(inventory.c.product_id, stores.c.store_name)
)
_PRODUCT = select(*_PRODUCT_COLUMNS).select_from(_CATALOG_JOINS).where(_P.c.product_id == _ID)


def _similar() -> Select[Any]:
    question = embeddings.alias("question")
    their_vector = (
        select(question.c.description_embedding)
        .where(question.c.product_id == _ID, question.c.model == _MODEL)
        .scalar_subquery()
    )
    distance = _cosine_distance(embeddings.c.description_embedding, their_vector).label("distance")
    nearest = (
        select(embeddings.c.product_id, distance)
        .where(embeddings.c.model == _MODEL, embeddings.c.product_id != _ID)
        .order_by(distance)
        .limit(_LIMIT)
        .cte("nearest")
        .prefix_with("MATERIALIZED")
    )
    return (
        select(*_PRODUCT_COLUMNS, (1 - nearest.c.distance).label("similarity"))
        .select_from(nearest.join(_CATALOG_JOINS, _P.c.product_id == nearest.c.product_id))
        .where(nearest.c.distance.is_not(None))
        .order_by(nearest.c.distance, _P.c.product_id)
    )


def _bought_together() -> Select[Any]:
    # Both sides of the self-join pass through RLS: only baskets of the principal's stores.
    mine, other = order_items.alias("mine"), order_items.alias("other")
    orders = func.count(other.c.order_id.distinct()).label("orders")
    basket = (
        select(other.c.product_id, orders)
        .join_from(mine, other, (other.c.order_id == mine.c.order_id) & (other.c.product_id != mine.c.product_id))
        .where(mine.c.product_id == _ID)
        .group_by(other.c.product_id)
        .order_by(orders.desc(), other.c.product_id)
        .limit(_LIMIT)
        .subquery("b")
    )
    return (
        select(*_PRODUCT_COLUMNS, basket.c.orders)
        .select_from(basket.join(_CATALOG_JOINS, _P.c.product_id == basket.c.product_id))
        .order_by(basket.c.orders.desc(), _P.c.product_id)
    )


_SIMILAR = _similar()
_BOUGHT_TOGETHER = _bought_together()


class SqlProductSearch:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def _rows(self, statement: Executable, params: dict[str, Any]) -> Sequence[Any]:
        with translate_errors():
            return (await self._connection.execute(statement, params)).all()

    async def _tune(self, tuning: VectorSearchTuning) -> None:
        await self._rows(
            _TUNE, {"ef": tuning.ef_search, "iterative": tuning.iterative, "max_tuples": tuning.max_scan_tuples}
        )

    async def category_names(self) -> list[str]:
        return [r.category_name for r in await self._rows(_CATEGORY_NAMES, {})]

    async def semantic(
        self, vector: Sequence[float], model_id: str, filters: SearchFilters, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]:
        await self._tune(tuning)
        params = {"q": list(vector), "model": model_id, "limit": limit} | _filter_values(filters)
        shape = _shape(filters)
        rows = await self._rows(_nearest(shape, exact=False), params)
        if filters.any and len(rows) < limit:
            # The iterative scan spent its budget (max_scan_tuples) before finding enough
            # products that pass the filters: they lie far from the question in the graph. An
            # exact search over just the filtered products is then both right and bounded.
            rows = await self._rows(_nearest(shape, exact=True), params)
        return [_candidate(r, similarity=float(r.similarity)) for r in rows]

    async def keyword(self, text_query: str, filters: SearchFilters, limit: int) -> list[ProductCandidate]:
        depth = limit * _STOCK_FILTER_DEPTH if filters.in_stock_only else limit
        params = {
            "text": text_query,
            "exact": text_query.strip().lower(),
            "depth": depth,
            "limit": limit,
        } | _filter_values(filters)
        return [_candidate(r, rank=float(r.rank)) for r in await self._rows(_keyword(_shape(filters)), params)]

    async def stock(self, product_ids: Sequence[int]) -> dict[int, list[StoreStock]]:
        if not product_ids:
            return {}
        stock: dict[int, list[StoreStock]] = {}
        for r in await self._rows(_STOCK, {"ids": list(product_ids)}):
            stock.setdefault(r.product_id, []).append(StoreStock(r.store_name, r.stock_level))
        return stock

    async def product(self, product_id: int) -> ProductCandidate | None:
        rows = await self._rows(_PRODUCT, {"id": product_id})
        return _candidate(rows[0]) if rows else None

    async def similar(
        self, product_id: int, model_id: str, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]:
        await self._tune(tuning)
        rows = await self._rows(_SIMILAR, {"id": product_id, "model": model_id, "limit": limit})
        return [_candidate(r, similarity=float(r.similarity)) for r in rows]

    async def bought_together(self, product_id: int, limit: int) -> list[tuple[ProductCandidate, int]]:
        rows = await self._rows(_BOUGHT_TOGETHER, {"id": product_id, "limit": limit})
        return [(_candidate(r), int(r.orders)) for r in rows]
