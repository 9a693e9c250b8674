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

    async def category_names(self) -> list[str]:
        """Every product category, sorted."""
        ...

    async def semantic(
        self, vector: Sequence[float], model_id: str, filters: SearchFilters, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]:
        """Up to ``limit`` products passing ``filters`` nearest to ``vector`` among those embedded
        by ``model_id``, most similar first, each with its ``similarity``."""
        ...

    async def keyword(self, text: str, filters: SearchFilters, limit: int) -> list[ProductCandidate]:
        """Up to ``limit`` products passing ``filters`` that match ``text`` (an exact SKU or name
        first), best first, each with its ``keyword_rank``; empty when nothing matches."""
        ...

    async def stock(self, product_ids: Sequence[int]) -> dict[int, list[StoreStock]]:
        """Stock per visible store for each product that has any; absent ids are left out."""
        ...

    async def product(self, product_id: int) -> ProductCandidate | None:
        """The product with that id; None when there is none."""
        ...

    async def similar(
        self, product_id: int, model_id: str, limit: int, tuning: VectorSearchTuning
    ) -> list[ProductCandidate]:
        """Up to ``limit`` other products nearest to this one's ``model_id`` vector, most
        similar first; empty when it has no such vector."""
        ...

    async def bought_together(self, product_id: int, limit: int) -> list[tuple[ProductCandidate, int]]:
        """Up to ``limit`` products ordered with this one at the visible stores, with the number
        of such orders, most frequent first."""
        ...


class EmbeddingStore(Protocol):
    """Where the embed job reads product text and writes vectors (an administrator connection:
    the application role is read-only)."""

    async def ensure_dimensions(self, dimensions: int) -> bool:
        """Make the vector column hold ``dimensions`` floats, dropping stored vectors of another
        size; True when it had to change."""
        ...

    async def products(self) -> list[ProductText]:
        """Every product's text, with the model and text hash of its stored vector if any."""
        ...

    async def refresh_search_terms(self) -> None:
        """Recount the keyword search's term frequencies after the catalog changed."""
        ...

    async def save(self, model_id: str, items: Sequence[tuple[ProductText, Sequence[float]]]) -> None:
        """Store each product's vector, recording ``model_id`` and the hash of the text embedded."""
        ...
