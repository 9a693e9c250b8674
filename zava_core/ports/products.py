"""Ports of product search: the repository inside the unit of work, and the embed job's store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from zava_core.domain.products import ProductCandidate, ProductText, SearchFilters, StoreStock

__all__ = ["EmbeddingStore", "ProductSearch", "VectorSearchTuning"]


@dataclass(frozen=True, slots=True)
class VectorSearchTuning:
    """How hard the approximate index works for one query (see docs/search.md).

    ``ef_search`` is HNSW's candidate list size; ``iterative`` lets the index keep scanning
    when filters would otherwise starve the result, up to ``max_scan_tuples`` index tuples.
    """

    ef_search: int
    iterative: bool = False
    max_scan_tuples: int = 20_000


class ProductSearch(Protocol):
    """Runs inside the unit of work: stock and order figures pass through row-level security,
    so they only ever cover the stores the principal may see."""

    async def category_names(self) -> list[str]: ...

    async def semantic(
        self, vector: Sequence[float], model_id: str, filters: SearchFilters, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]: ...

    async def keyword(self, text: str, filters: SearchFilters, limit: int) -> list[ProductCandidate]: ...

    async def stock(self, product_ids: Sequence[int]) -> dict[int, list[StoreStock]]: ...

    async def product(self, product_id: int) -> ProductCandidate | None: ...

    async def similar(
        self, product_id: int, model_id: str, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]: ...

    async def bought_together(self, product_id: int, limit: int) -> list[tuple[ProductCandidate, int]]: ...


class EmbeddingStore(Protocol):
    """Where the embed job reads product text and writes vectors (an administrator connection:
    the application role is read-only)."""

    async def ensure_dimensions(self, dimensions: int) -> bool: ...

    async def products(self) -> list[ProductText]: ...

    async def refresh_search_terms(self) -> None: ...

    async def save(self, model_id: str, items: Sequence[tuple[ProductText, Sequence[float]]]) -> None: ...
