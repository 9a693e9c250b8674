"""The ``semantic_search_products`` and ``get_product_recommendations`` use cases.

The question is embedded before any transaction opens, through a cache keyed by provider, model
and text: the vector does not depend on who asks, so the key holds no principal.
Everything read from the database happens in one unit of work for the principal, so stock and
basket figures only ever cover the stores it may see.
"""

from __future__ import annotations

import hashlib
import time
from array import array

from zava_core.domain.audit import AuditEvent
from zava_core.domain.errors import ValidationError, ZavaError
from zava_core.domain.principal import Principal
from zava_core.domain.products import (
    RRF_K,
    ProductMatch,
    ProductQuery,
    ProductSearchResult,
    Recommendations,
    fuse,
)
from zava_core.ports.audit import AuditLog
from zava_core.ports.cache import Cache
from zava_core.ports.embeddings import EmbeddingProvider
from zava_core.ports.products import ProductSearch, VectorSearchTuning
from zava_core.ports.unit_of_work import UnitOfWorkFactory
from zava_core.services.concurrency import PrincipalLimiter

__all__ = ["MAX_RECOMMENDATIONS", "ProductSearchService", "ef_search_for", "query_embedding_key"]

MAX_RECOMMENDATIONS = 50
#: HNSW candidate list: at least EF_SEARCH_FLOOR (the recall bench's choice), and 2x the rows asked.
EF_SEARCH_FLOOR = 64
#: hnsw.max_scan_tuples for filtered searches: how far an iterative scan may go before the
#: repository gives up on the index and searches the filtered products exactly.
ITERATIVE_SCAN_BUDGET = 1000
EF_SEARCH_CAP = 1000
#: How deep each list goes before hybrid fusion: enough for the keyword list to rescue a product
#: the vector search ranked low, and the other way round.
HYBRID_DEPTH_FACTOR = 2
HYBRID_MIN_DEPTH = 30


def ef_search_for(rows: int) -> int:
    """HNSW's candidate list size for a search that returns ``rows``: twice the rows, within
    ``EF_SEARCH_FLOOR`` and ``EF_SEARCH_CAP``."""
    return min(EF_SEARCH_CAP, max(EF_SEARCH_FLOOR, 2 * rows))


def query_embedding_key(model_id: str, text: str) -> str:
    """The cache key of ``text``'s vector by ``model_id``: it names the model, never the principal."""
    digest = hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()
    return f"qemb:v1:{model_id}:{digest}"


class ProductSearchService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        embeddings: EmbeddingProvider,
        cache: Cache,
        *,
        limiter: PrincipalLimiter | None = None,
        audit: AuditLog | None = None,
        embedding_cache_ttl_seconds: int = 7 * 24 * 3600,
        rrf_k: int = RRF_K,
    ) -> None:
        self._uow_factory = uow_factory
        self._embeddings = embeddings
        self._cache = cache
        self._limiter = limiter or PrincipalLimiter(per_principal=4)
        self._audit = audit
        self._ttl = embedding_cache_ttl_seconds
        self._rrf_k = rrf_k

    async def embed_query(self, text: str) -> list[float]:
        """The question's vector, from the cache when this provider and model saw the text before."""
        key = query_embedding_key(self._embeddings.model_id, text)
        if self._ttl and (cached := await self._cache.get(key)) is not None:
            values = array("f")
            values.frombytes(cached)
            if len(values) == self._embeddings.dimensions:
                return values.tolist()
        (vector,) = await self._embeddings.embed([text])
        if self._ttl:
            await self._cache.set(key, array("f", vector).tobytes(), self._ttl)
        return vector

    async def search(self, principal: Principal, query: ProductQuery) -> ProductSearchResult:
        """Products matching ``query`` (semantic, keyword or both fused), best first, each with
        its stock at the principal's stores. Raises ``ValidationError`` for an unknown category,
        ``ResourceLimitExceeded`` when the principal's slots stay busy; audited either way."""
        started = time.perf_counter()
        try:
            # Embedded before the unit of work opens: a question that arrives while the model
            # still loads waits with no transaction open, so it can never outlast the database's
            # idle_in_transaction_session_timeout (a warm encode is milliseconds).
            embedding = await self.embed_query(query.text) if query.mode != "keyword" else None
            async with self._limiter.slot(principal), self._uow_factory(principal) as uow:
                repo = uow.products
                await self._check_category(repo, query)
                matches = await self._search(repo, query, embedding)
                stock = await repo.stock([m.product.product_id for m in matches])
        except ZavaError as exc:
            self._record(principal, "semantic_search_products", started, error=exc)
            raise
        products = [ProductMatch(m.product, m.score, stock.get(m.product.product_id, ())) for m in matches]
        self._record(principal, "semantic_search_products", started, rows=len(products))
        return ProductSearchResult(query, products, (time.perf_counter() - started) * 1000)

    async def _check_category(self, repo: ProductSearch, query: ProductQuery) -> None:
        category = query.filters.category
        if category is None:
            return
        names = await repo.category_names()
        if category.lower() not in {n.lower() for n in names}:
            raise ValidationError(f"Unknown category {category!r}.", hint="Use one of: " + ", ".join(names) + ".")

    async def _search(
        self, repo: ProductSearch, query: ProductQuery, embedding: list[float] | None
    ) -> list[ProductMatch]:
        rows, filters = query.max_rows, query.filters
        depth = rows if query.mode != "hybrid" else max(HYBRID_MIN_DEPTH, HYBRID_DEPTH_FACTOR * rows)
        keyword = await repo.keyword(query.text, filters, depth) if query.mode != "semantic" else []
        if embedding is None:
            return [ProductMatch(c, c.keyword_rank or 0.0) for c in keyword[:rows]]
        tuning = VectorSearchTuning(ef_search_for(depth), iterative=filters.any, max_scan_tuples=ITERATIVE_SCAN_BUDGET)
        found = await repo.semantic(embedding, self._embeddings.model_id, filters, depth, tuning)
        semantic = [c for c in found if c.similarity is not None and c.similarity >= query.similarity_threshold]
        if query.mode == "semantic":
            return [ProductMatch(c, c.similarity or 0.0) for c in semantic[:rows]]
        return fuse(semantic, keyword, rows, k=self._rrf_k)

    async def recommendations(self, principal: Principal, product_id: int, max_rows: int = 10) -> Recommendations:
        """The product, up to ``max_rows`` similar products and up to ``max_rows`` bought with it
        at the principal's stores, each with stock. Raises ``ValidationError`` for a bad id or
        ``max_rows`` or a product that does not exist; audited either way."""
        if isinstance(product_id, bool) or not isinstance(product_id, int) or product_id < 1:
            raise ValidationError(f"product_id must be a positive integer, got {product_id!r}.")
        if isinstance(max_rows, bool) or not 1 <= max_rows <= MAX_RECOMMENDATIONS:
            raise ValidationError(f"max_rows must be from 1 to {MAX_RECOMMENDATIONS}, got {max_rows!r}.")
        started = time.perf_counter()
        try:
            async with self._limiter.slot(principal), self._uow_factory(principal) as uow:
                repo = uow.products
                product = await repo.product(product_id)
                if product is None:
                    raise ValidationError(
                        f"There is no product with id {product_id}.",
                        hint="Find ids with semantic_search_products.",
                    )
                tuning = VectorSearchTuning(ef_search_for(max_rows))
                similar = await repo.similar(product_id, self._embeddings.model_id, max_rows, tuning)
                together = await repo.bought_together(product_id, max_rows)
                ids = [product_id, *(c.product_id for c in similar), *(c.product_id for c, _ in together)]
                stock = await repo.stock(list(dict.fromkeys(ids)))
        except ZavaError as exc:
            self._record(principal, "get_product_recommendations", started, error=exc)
            raise
        self._record(principal, "get_product_recommendations", started, rows=len(similar) + len(together))
        return Recommendations(
            product=ProductMatch(product, 1.0, stock.get(product_id, ())),
            similar=[ProductMatch(c, c.similarity or 0.0, stock.get(c.product_id, ())) for c in similar],
            bought_together=[
                ProductMatch(c, float(n), stock.get(c.product_id, ()), orders_together=n) for c, n in together
            ],
            duration_ms=(time.perf_counter() - started) * 1000,
        )

    def _record(
        self, principal: Principal, tool: str, started: float, *, rows: int = 0, error: ZavaError | None = None
    ) -> None:
        if self._audit is None:
            return
        self._audit.record(
            AuditEvent(
                principal=str(principal),
                tool=tool,
                outcome="ok" if error is None else "error",
                fingerprint=None,
                duration_ms=(time.perf_counter() - started) * 1000,
                row_count=rows,
                code=None if error is None else error.code,
            )
        )
