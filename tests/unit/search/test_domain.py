from __future__ import annotations

import math

import pytest

from zava_core.domain.errors import ConfigurationError, ValidationError
from zava_core.domain.products import (
    DEFAULT_SIMILARITY_THRESHOLD,
    EXACT_MATCH_RANK,
    EmbeddingStatus,
    ProductCandidate,
    ProductMatch,
    ProductQuery,
    ProductText,
    check_embedding_compatibility,
    fuse,
    reciprocal_rank_fusion,
)

MODEL = "local/all-MiniLM-L6-v2"


def test_query_defaults_match_the_sample_parameters() -> None:
    query = ProductQuery.create("  quiet   cordless drill ")
    assert query.text == "quiet cordless drill"
    assert (query.max_rows, query.mode, query.similarity_threshold) == (20, "hybrid", DEFAULT_SIMILARITY_THRESHOLD)
    assert not query.filters.any


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"text": "   "}, "empty"),
        ({"text": "x" * 1001}, "longer than"),
        ({"max_rows": 0}, "max_rows"),
        ({"max_rows": 101}, "max_rows"),
        ({"max_rows": True}, "max_rows"),
        ({"similarity_threshold": -0.1}, "0.0 to 1.0"),
        ({"similarity_threshold": math.nan}, "number"),
        ({"mode": "fuzzy"}, "semantic, keyword, hybrid"),
        ({"min_price": -1}, "min_price"),
        ({"min_price": 50, "max_price": 10}, "larger than max_price"),
    ],
)
def test_bad_requests_say_what_to_fix(kwargs: dict[str, object], fragment: str) -> None:
    text = kwargs.pop("text", "drill")
    with pytest.raises(ValidationError, match=fragment):
        ProductQuery.create(text, **kwargs)  # type: ignore[arg-type]


def test_a_percentage_threshold_gets_a_hint_with_the_right_value() -> None:
    with pytest.raises(ValidationError) as caught:
        ProductQuery.create("drill", similarity_threshold=30)
    assert caught.value.hint is not None
    assert "0.3" in caught.value.hint


def test_filters_are_normalised() -> None:
    query = ProductQuery.create("drill", category="  power   tools ", min_price=10, max_price=10, in_stock_only=True)
    assert query.filters.category == "power tools"
    assert query.filters.any


def test_rrf_ranks_items_found_by_both_lists_first_and_is_deterministic() -> None:
    """An item near the top of both lists beats one at the top of only one list."""
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 4, 1]], k=10)
    assert [item for item, _ in fused][:2] == [2, 1]
    assert fused == reciprocal_rank_fusion([[1, 2, 3], [2, 4, 1]], k=10)
    weighted = reciprocal_rank_fusion([[1], [2]], k=10, weights=[1.0, 2.0])
    assert weighted[0][0] == 2
    assert reciprocal_rank_fusion([[], []]) == []


def test_rrf_ties_keep_first_appearance_order() -> None:
    assert [i for i, _ in reciprocal_rank_fusion([[5], [7]])] == [5, 7]


def _found(product_id: int, *, similarity: float | None = None, rank: float | None = None) -> ProductCandidate:
    return ProductCandidate(product_id, f"SKU-{product_id}", f"P{product_id}", "C", "T", 1.0, similarity, rank)


def test_hybrid_results_say_whether_meaning_words_or_both_found_them() -> None:
    semantic = [_found(1, similarity=0.6), _found(2, similarity=0.5)]
    keyword = [_found(2, rank=3.0), _found(3, rank=2.0)]
    matches = {m.product.product_id: m.product for m in fuse(semantic, keyword, 10)}
    assert {pid: p.match for pid, p in matches.items()} == {1: "semantic", 2: "both", 3: "keyword"}
    assert (matches[2].similarity, matches[2].keyword_rank) == (0.5, 3.0)
    assert ProductMatch(matches[2], 0.1).to_dict()["match"] == "both"


def test_an_exact_sku_or_name_comes_first_in_hybrid_results_whatever_fusion_says() -> None:
    semantic = [_found(1, similarity=0.9), _found(2, similarity=0.8)]
    keyword = [_found(1, rank=5.0), _found(9, rank=EXACT_MATCH_RANK)]
    fused = fuse(semantic, keyword, 2)
    assert [m.product.product_id for m in fused] == [9, 1]
    assert fused[0].product.match == "exact"


def test_a_product_no_search_scored_carries_no_match_field() -> None:
    assert "match" not in ProductMatch(_found(4), 1.0, orders_together=3).to_dict()


def _text(**changes: object) -> ProductText:
    values: dict[str, object] = {
        "product_id": 1,
        "product_name": "Drill",
        "category": "POWER TOOLS",
        "product_type": "Drills",
        "description": "A drill.",
    }
    values.update(changes)
    return ProductText(**values)  # type: ignore[arg-type]


def test_a_product_needs_embedding_when_its_text_or_the_model_changed() -> None:
    fresh = _text()
    stored = _text(stored_model=MODEL, stored_hash=fresh.content_hash)
    assert fresh.needs_embedding(MODEL)
    assert not stored.needs_embedding(MODEL)
    assert stored.needs_embedding("openai/text-embedding-3-small")
    assert _text(description="Another drill.", stored_model=MODEL, stored_hash=fresh.content_hash).needs_embedding(
        MODEL
    )


def test_compatible_embeddings_pass_and_missing_ones_only_warn() -> None:
    assert check_embedding_compatibility(EmbeddingStatus(384, {MODEL: 10}, 10), MODEL, 384) == []
    (warning,) = check_embedding_compatibility(EmbeddingStatus(384, {MODEL: 7}, 10), MODEL, 384)
    assert "3 of 10" in warning
    assert "zava embed" in warning
    assert check_embedding_compatibility(EmbeddingStatus(384, {}, 0), MODEL, 384) == []


@pytest.mark.parametrize(
    ("status", "model", "dims", "fragment"),
    [
        (EmbeddingStatus(384, {MODEL: 10}, 10), "openai/text-embedding-3-small", 1536, "have 384 dimensions"),
        (EmbeddingStatus(384, {"local/other": 9, MODEL: 1}, 10), MODEL, 384, "made by local/other"),
        (EmbeddingStatus(None, {}, 0), MODEL, 384, "missing"),
    ],
)
def test_a_mismatch_stops_start_up_and_names_the_fix(
    status: EmbeddingStatus, model: str, dims: int, fragment: str
) -> None:
    with pytest.raises(ConfigurationError, match=fragment) as caught:
        check_embedding_compatibility(status, model, dims)
    assert "zava embed" in str(caught.value)
