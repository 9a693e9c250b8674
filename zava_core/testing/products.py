"""In-memory fakes of the product search ports, for unit tests here and in users' projects.

``FakeProductSearch`` keeps the contract that matters: stock and baskets are limited to the
stores the principal may see (as row-level security limits them in the real repository). A unit
of work holding it comes from ``zava_core.testing.fakes.FakeUnitOfWorkFactory``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from zava_core.domain.products import ProductCandidate, ProductText, SearchFilters, StoreStock
from zava_core.ports.products import VectorSearchTuning

__all__ = ["CatalogProduct", "FakeEmbeddingStore", "FakeProductSearch"]


@dataclass(frozen=True)
class CatalogProduct:
    """A product as the fakes hold it: its candidate row, vector, words and stock per store."""

    candidate: ProductCandidate
    vector: Sequence[float]
    words: frozenset[str]
    stock: Mapping[uuid.UUID, int] = field(default_factory=dict)  # store id -> level


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / ((math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))) or 1.0)


class FakeProductSearch:
    """Searches ``products`` in memory: cosine similarity for vectors, shared words for keywords."""

    def __init__(
        self,
        products: Sequence[CatalogProduct],
        visible: frozenset[uuid.UUID],
        store_names: Mapping[uuid.UUID, str],
        baskets: Sequence[tuple[uuid.UUID, frozenset[int]]] = (),
    ) -> None:
        self._products = {p.candidate.product_id: p for p in products}
        self._visible = visible
        self._names = store_names
        self._baskets = [items for store, items in baskets if store in visible]
        self.tunings: list[VectorSearchTuning] = []

    def _keep(self, p: CatalogProduct, f: SearchFilters) -> bool:
        c = p.candidate
        return (
            (f.category is None or c.category.lower() == f.category.lower())
            and (f.min_price is None or c.price >= f.min_price)
            and (f.max_price is None or c.price <= f.max_price)
            and (not f.in_stock_only or any(p.stock.get(s, 0) > 0 for s in self._visible))
        )

    async def category_names(self) -> list[str]:
        return sorted({p.candidate.category for p in self._products.values()})

    async def semantic(
        self, vector: Sequence[float], model_id: str, filters: SearchFilters, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]:
        self.tunings.append(tuning)
        scored = [
            replace(p.candidate, similarity=_cosine(vector, p.vector))
            for p in self._products.values()
            if self._keep(p, filters)
        ]
        return sorted(scored, key=lambda c: (-(c.similarity or 0.0), c.product_id))[:limit]

    async def keyword(self, text: str, filters: SearchFilters, limit: int) -> list[ProductCandidate]:
        words = set(text.lower().split())
        exact = text.strip().lower()
        found = []
        for p in self._products.values():
            hits = len(words & p.words) + (
                100 if exact in (p.candidate.sku.lower(), p.candidate.product_name.lower()) else 0
            )
            if hits and self._keep(p, filters):
                found.append(replace(p.candidate, keyword_rank=float(hits)))
        return sorted(found, key=lambda c: (-(c.keyword_rank or 0.0), c.product_id))[:limit]

    async def stock(self, product_ids: Sequence[int]) -> dict[int, list[StoreStock]]:
        out: dict[int, list[StoreStock]] = {}
        for pid in product_ids:
            levels = self._products[pid].stock if pid in self._products else {}
            rows = [StoreStock(self._names[s], n) for s, n in levels.items() if s in self._visible]
            if rows:
                out[pid] = sorted(rows, key=lambda r: r.store_name)
        return out

    async def product(self, product_id: int) -> ProductCandidate | None:
        p = self._products.get(product_id)
        return p.candidate if p else None

    async def similar(
        self, product_id: int, model_id: str, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]:
        me = self._products[product_id]
        found = await self.semantic(me.vector, model_id, SearchFilters(), limit + 1, tuning)
        return [c for c in found if c.product_id != product_id][:limit]

    async def bought_together(self, product_id: int, limit: int) -> list[tuple[ProductCandidate, int]]:
        counts: dict[int, int] = {}
        for items in self._baskets:
            if product_id in items:
                for other in items - {product_id}:
                    counts[other] = counts.get(other, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(self._products[pid].candidate, n) for pid, n in ranked]


class FakeEmbeddingStore:
    """Products and stored vectors in memory."""

    def __init__(self, products: Sequence[ProductText], dimensions: int = 384) -> None:
        self.products_by_id = {p.product_id: p for p in products}
        self.dimensions = dimensions
        self.vectors: dict[int, Sequence[float]] = {}
        self.saved_batches: list[list[int]] = []
        self.refreshed = 0

    async def ensure_dimensions(self, dimensions: int) -> bool:
        if dimensions == self.dimensions:
            return False
        self.dimensions = dimensions
        self.vectors.clear()
        self.products_by_id = {
            k: replace(p, stored_model=None, stored_hash=None) for k, p in self.products_by_id.items()
        }
        return True

    async def products(self) -> list[ProductText]:
        return list(self.products_by_id.values())

    async def refresh_search_terms(self) -> None:
        self.refreshed += 1

    async def save(self, model_id: str, items: Sequence[tuple[ProductText, Sequence[float]]]) -> None:
        self.saved_batches.append([p.product_id for p, _ in items])
        for p, vector in items:
            self.vectors[p.product_id] = vector
            self.products_by_id[p.product_id] = replace(p, stored_model=model_id, stored_hash=p.content_hash)
