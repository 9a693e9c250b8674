"""Product search: the request, its results, rank fusion and the embedding compatibility rule.

Similarity is cosine similarity, ``1 - cosine distance``: 1.0 means the same direction, 0.0
unrelated, negative opposed. ``similarity_threshold`` takes values from 0.0 to 1.0 on that scale;
with all-MiniLM-L6-v2 the right products score about 0.2-0.75 against a plain-words question.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from zava_core.domain.errors import ConfigurationError, ValidationError
from zava_core.domain.results import UNTRUSTED_DATA_NOTICE

__all__ = [
    "DEFAULT_SIMILARITY_THRESHOLD",
    "EXACT_MATCH_RANK",
    "MAX_SEARCH_ROWS",
    "SEARCH_MODES",
    "EmbeddingStatus",
    "MatchKind",
    "ProductCandidate",
    "ProductMatch",
    "ProductQuery",
    "ProductSearchResult",
    "ProductText",
    "Recommendations",
    "SearchFilters",
    "SearchMode",
    "StoreStock",
    "check_embedding_compatibility",
    "fuse",
    "reciprocal_rank_fusion",
]

SearchMode = Literal["semantic", "keyword", "hybrid"]
SEARCH_MODES: tuple[str, ...] = get_args(SearchMode)
MAX_SEARCH_ROWS = 100
MAX_QUERY_CHARS = 1000
#: Chosen on the tuning half of the relevance set (docs/search.md): 0.2 kept right answers that
#: score 0.2-0.25 and moved hybrid precision@5 on the held-out half from 0.527 to 0.542.
DEFAULT_SIMILARITY_THRESHOLD = 0.2
#: The keyword score of an exact SKU or product name: above any sum of word weights.
EXACT_MATCH_RANK = 100.0
#: Reciprocal rank fusion's damping constant (Cormack et al. use 60); 10 measured best here, see docs/search.md.
RRF_K = 10
EMBED_COMMAND = "zava embed"


@dataclass(frozen=True, slots=True)
class SearchFilters:
    category: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    in_stock_only: bool = False

    @property
    def any(self) -> bool:
        return bool(self.category or self.min_price is not None or self.max_price is not None or self.in_stock_only)


@dataclass(frozen=True, slots=True)
class ProductQuery:
    """A validated search request; build it with ``ProductQuery.create``."""

    text: str
    max_rows: int = 20
    similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD
    mode: SearchMode = "hybrid"
    filters: SearchFilters = field(default_factory=SearchFilters)

    @classmethod
    def create(
        cls,
        text: str,
        *,
        max_rows: int = 20,
        similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD,
        mode: str = "hybrid",
        category: str | None = None,
        min_price: float | None = None,
        max_price: float | None = None,
        in_stock_only: bool = False,
    ) -> ProductQuery:
        cleaned = " ".join((text or "").split())
        if not cleaned:
            raise ValidationError("query_description is empty.", hint="Describe the product in a few words.")
        if len(cleaned) > MAX_QUERY_CHARS:
            raise ValidationError(f"query_description is longer than {MAX_QUERY_CHARS} characters.")
        if isinstance(max_rows, bool) or not 1 <= max_rows <= MAX_SEARCH_ROWS:
            raise ValidationError(f"max_rows must be from 1 to {MAX_SEARCH_ROWS}, got {max_rows!r}.")
        _check_threshold(similarity_threshold)
        if mode not in SEARCH_MODES:
            raise ValidationError(f"mode must be one of {', '.join(SEARCH_MODES)}; got {mode!r}.")
        for name, price in (("min_price", min_price), ("max_price", max_price)):
            if price is not None and not 0 <= price < 1e9:
                raise ValidationError(f"{name} must be a non-negative amount in USD, got {price!r}.")
        if min_price is not None and max_price is not None and min_price > max_price:
            raise ValidationError(f"min_price ({min_price}) is larger than max_price ({max_price}).")
        category = " ".join(category.split()) if category else None
        filters = SearchFilters(category or None, min_price, max_price, bool(in_stock_only))
        return cls(cleaned, max_rows, float(similarity_threshold), mode, filters)  # type: ignore[arg-type]


def _check_threshold(value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValidationError(f"similarity_threshold must be a number from 0.0 to 1.0, got {value!r}.")
    if 1 < value <= 100:
        raise ValidationError(
            f"similarity_threshold is cosine similarity from 0.0 to 1.0, not a percentage; got {value}.",
            hint=f"Use {value / 100:g} for {value:g}%.",
        )
    if not 0 <= value <= 1:
        raise ValidationError(f"similarity_threshold must be from 0.0 to 1.0 (cosine similarity), got {value}.")


#: Why a result matched: its exact SKU or name, both searches, meaning only, or words only.
MatchKind = Literal["exact", "both", "semantic", "keyword"]


@dataclass(frozen=True, slots=True)
class ProductCandidate:
    """A catalog product as a search step found it. ``similarity`` is set by vector search,
    ``keyword_rank`` by full-text search; either may be None (both are set when hybrid search
    found the product both ways)."""

    product_id: int
    sku: str
    product_name: str
    category: str
    product_type: str
    price: float
    similarity: float | None = None
    keyword_rank: float | None = None

    @property
    def exact(self) -> bool:
        return self.keyword_rank is not None and self.keyword_rank >= EXACT_MATCH_RANK

    @property
    def match(self) -> MatchKind | None:
        """Why search returned it; None for a product that no search step scored."""
        if self.exact:
            return "exact"
        if self.similarity is not None:
            return "both" if self.keyword_rank is not None else "semantic"
        return "keyword" if self.keyword_rank is not None else None


@dataclass(frozen=True, slots=True)
class StoreStock:
    store_name: str
    stock_level: int


@dataclass(frozen=True, slots=True)
class ProductMatch:
    product: ProductCandidate
    score: float
    stock: Sequence[StoreStock] = ()
    orders_together: int | None = None

    def to_dict(self) -> dict[str, Any]:
        p = self.product
        row: dict[str, Any] = {
            "product_id": p.product_id,
            "sku": p.sku,
            "product_name": p.product_name,
            "category": p.category,
            "product_type": p.product_type,
            "price": p.price,
            "similarity": None if p.similarity is None else round(p.similarity, 4),
            "score": round(self.score, 6),
            "stock": [{"store": s.store_name, "stock_level": s.stock_level} for s in self.stock],
            "total_stock": sum(s.stock_level for s in self.stock),
        }
        if p.match is not None:
            row["match"] = p.match
        if self.orders_together is not None:
            row["orders_together"] = self.orders_together
        return row


@dataclass(frozen=True, slots=True)
class ProductSearchResult:
    query: ProductQuery
    products: Sequence[ProductMatch]
    duration_ms: float
    notice: str = UNTRUSTED_DATA_NOTICE

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query.text,
            "mode": self.query.mode,
            "similarity_threshold": self.query.similarity_threshold,
            "products": [m.to_dict() for m in self.products],
            "row_count": len(self.products),
            "duration_ms": round(self.duration_ms, 3),
            "stock_scope": "stores you may see",
            "data_notice": self.notice,
        }


@dataclass(frozen=True, slots=True)
class Recommendations:
    product: ProductMatch
    similar: Sequence[ProductMatch]
    bought_together: Sequence[ProductMatch]
    duration_ms: float
    notice: str = UNTRUSTED_DATA_NOTICE

    def to_dict(self) -> dict[str, Any]:
        return {
            "product": self.product.to_dict() | {"similarity": None, "score": None},
            "similar_products": [m.to_dict() for m in self.similar],
            "bought_together": [m.to_dict() for m in self.bought_together],
            "bought_together_scope": "orders at stores you may see",
            "duration_ms": round(self.duration_ms, 3),
            "data_notice": self.notice,
        }


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], *, k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(id) = sum of weight / (k + rank), rank counted from 1.

    Ties keep the order of first appearance, so the result is deterministic.
    """
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: i for i, item in enumerate(dict.fromkeys(i for r in rankings for i in r))}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def fuse(
    semantic: list[ProductCandidate], keyword: list[ProductCandidate], rows: int, *, k: int = RRF_K
) -> list[ProductMatch]:
    """Hybrid results: exact SKU / name matches first, then reciprocal rank fusion of both lists.

    A product found both ways keeps its similarity and its keyword score, so its ``match`` says
    "both". Exact matches go first whatever fusion says: someone who types a SKU means that
    product, and its vector is rarely near the code.
    """
    found = {c.product_id: c for c in keyword}
    for c in semantic:
        found[c.product_id] = replace(c, keyword_rank=found[c.product_id].keyword_rank) if c.product_id in found else c
    fused = reciprocal_rank_fusion([[c.product_id for c in semantic], [c.product_id for c in keyword]], k=k)
    fused.sort(key=lambda item: not found[item[0]].exact)  # stable: fusion order within each group
    return [ProductMatch(found[pid], score) for pid, score in fused[:rows]]


@dataclass(frozen=True, slots=True)
class ProductText:
    """What the embed job needs of one product, and what it stored last time."""

    product_id: int
    product_name: str
    category: str
    product_type: str
    description: str
    stored_model: str | None = None
    stored_hash: str | None = None

    @property
    def text(self) -> str:
        """The text that is embedded: the description alone. It already names the product, its
        type and its use; prefixing name, type and category scored lower on the relevance set
        (precision@5 0.57 against 0.66, see docs/search.md)."""
        return self.description

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    def needs_embedding(self, model_id: str) -> bool:
        return self.stored_model != model_id or self.stored_hash != self.content_hash


@dataclass(frozen=True, slots=True)
class EmbeddingStatus:
    """The stored embeddings as the start-up check sees them."""

    column_dimensions: int | None
    vectors_by_model: Mapping[str, int]
    products: int

    @property
    def embedded(self) -> int:
        return sum(self.vectors_by_model.values())


def check_embedding_compatibility(status: EmbeddingStatus, model_id: str, dimensions: int) -> list[str]:
    """Raise when the stored vectors cannot serve ``model_id``; return warnings otherwise.

    A different dimension or vectors of another model make every similarity meaningless, so
    start-up stops. Products without a vector only miss from semantic results: a warning.
    """
    fix = f"run `{EMBED_COMMAND}` (it re-embeds the catalog with the configured model)"
    or_configure = "or configure the model that made them (ZAVA_EMBEDDING_PROVIDER, ZAVA_EMBEDDING_MODEL)"
    if status.column_dimensions is None:
        raise ConfigurationError(
            "The product embeddings table is missing.", hint="Run `zava db migrate`, then " + fix + "."
        )
    if status.column_dimensions != dimensions:
        raise ConfigurationError(
            f"The stored product embeddings have {status.column_dimensions} dimensions but the configured "
            f"model {model_id} makes {dimensions}.",
            hint=f"Either {fix}, {or_configure}.",
        )
    others = sorted(m for m in status.vectors_by_model if m != model_id)
    if others:
        raise ConfigurationError(
            f"Stored product embeddings were made by {', '.join(others)}, not by the configured model {model_id}.",
            hint=f"Either {fix}, {or_configure}.",
        )
    missing = status.products - status.embedded
    if missing > 0:
        return [
            f"{missing} of {status.products} products have no embedding yet, so semantic search misses them; {fix}."
        ]
    return []
