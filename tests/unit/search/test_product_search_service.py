from __future__ import annotations

import uuid

import pytest

from zava_core.adapters.cache import MemoryCache
from zava_core.domain.errors import ValidationError
from zava_core.domain.principal import Principal
from zava_core.domain.products import ProductCandidate, ProductQuery
from zava_core.services.product_search import ProductSearchService, ef_search_for, query_embedding_key
from zava_core.testing import FakeEmbeddingProvider
from zava_core.testing.fakes import FakeUnitOfWorkFactory, RecordingAuditLog
from zava_core.testing.products import CatalogProduct

SEATTLE, TACOMA = uuid.UUID(int=101), uuid.UUID(int=102)
MANAGER, HEAD_OFFICE, STRANGER = (Principal(uuid.UUID(int=n)) for n in (1, 2, 3))
NAMES = {SEATTLE: "Seattle", TACOMA: "Tacoma"}
PROVIDER = FakeEmbeddingProvider()

ITEMS = [
    (1, "GO-HSE-0001", "Garden Hose 50-foot", "GARDEN & OUTDOOR", 30.0, "garden hose for watering"),
    (2, "SO-HKS-0002", "Retractable Hose Hanger", "STORAGE & ORGANIZATION", 45.0, "keeps a garden hose tidy"),
    (3, "PT-DRL-0003", "Cordless Drill 18V", "POWER TOOLS", 120.0, "quiet cordless drill battery"),
    (4, "PF-PNT-0004", "Interior Paint", "PAINT & FINISHES", 35.0, "paint for walls"),
]


def _catalog() -> list[CatalogProduct]:
    return [
        CatalogProduct(
            ProductCandidate(pid, sku, name, category, category.title(), price),
            PROVIDER.vector(f"{name} {text}"),
            frozenset(f"{name} {text}".lower().split()),
            {SEATTLE: pid * 10, TACOMA: 0 if pid == 3 else pid},
        )
        for pid, sku, name, category, price, text in ITEMS
    ]


def _service(
    audit: RecordingAuditLog | None = None,
) -> tuple[ProductSearchService, FakeUnitOfWorkFactory, FakeEmbeddingProvider]:
    uows = FakeUnitOfWorkFactory(
        {MANAGER.user_id: frozenset({SEATTLE}), HEAD_OFFICE.user_id: frozenset({SEATTLE, TACOMA})},
        products=_catalog(),
        store_names=NAMES,
        baskets=[(SEATTLE, frozenset({1, 2})), (SEATTLE, frozenset({1, 2, 4})), (TACOMA, frozenset({1, 3}))],
    )
    provider = FakeEmbeddingProvider()
    return ProductSearchService(uows, provider, MemoryCache(), audit=audit), uows, provider


async def test_a_repeated_question_pays_for_the_model_once() -> None:
    service, _, provider = _service()
    await service.search(MANAGER, ProductQuery.create("garden hose tidy"))
    await service.search(HEAD_OFFICE, ProductQuery.create("garden hose tidy", mode="semantic"))
    assert provider.calls == [["garden hose tidy"]]


def test_the_query_cache_key_names_provider_and_model_never_the_principal() -> None:
    key = query_embedding_key("local/all-MiniLM-L6-v2", "drill")
    assert key.startswith("qemb:v1:local/all-MiniLM-L6-v2:")
    assert key != query_embedding_key("openai/text-embedding-3-small", "drill")
    assert str(MANAGER.user_id) not in key


async def test_keyword_mode_never_calls_the_model() -> None:
    service, _, provider = _service()
    result = await service.search(MANAGER, ProductQuery.create("PT-DRL-0003", mode="keyword"))
    assert provider.calls == []
    assert result.products[0].product.product_name == "Cordless Drill 18V"


async def test_hybrid_finds_an_exact_sku_first() -> None:
    service, _, _ = _service()
    result = await service.search(MANAGER, ProductQuery.create("so-hks-0002"))
    assert result.products[0].product.product_id == 2


async def test_stock_covers_only_the_stores_the_principal_may_see() -> None:
    service, _, _ = _service()
    manager = await service.search(MANAGER, ProductQuery.create("garden hose"))
    assert {s.store_name for m in manager.products for s in m.stock} == {"Seattle"}
    head = await service.search(HEAD_OFFICE, ProductQuery.create("garden hose"))
    assert {s.store_name for m in head.products for s in m.stock} == {"Seattle", "Tacoma"}
    stranger = await service.search(STRANGER, ProductQuery.create("garden hose"))
    assert stranger.products
    assert all(not m.stock for m in stranger.products)


async def test_in_stock_only_is_judged_at_the_principals_stores() -> None:
    service, _, _ = _service()
    stranger = await service.search(STRANGER, ProductQuery.create("drill", in_stock_only=True))
    assert stranger.products == []
    manager = await service.search(MANAGER, ProductQuery.create("cordless drill", in_stock_only=True))
    assert [m.product.product_id for m in manager.products][:1] == [3]


async def test_semantic_mode_drops_matches_below_the_threshold() -> None:
    service, _, _ = _service()
    result = await service.search(
        MANAGER, ProductQuery.create("cordless drill", mode="semantic", similarity_threshold=0.3)
    )
    assert [m.product.product_id for m in result.products] == [3]
    assert all((m.product.similarity or 0) >= 0.3 for m in result.products)


async def test_filters_reach_the_repository_and_turn_on_iterative_scans() -> None:
    service, uows, _ = _service()
    result = await service.search(
        MANAGER,
        ProductQuery.create("hose", mode="semantic", similarity_threshold=0, max_price=40, category="garden & outdoor"),
    )
    assert [m.product.product_id for m in result.products] == [1]
    assert uows.opened[-1].products.tunings[-1].iterative
    plain = await service.search(MANAGER, ProductQuery.create("hose", mode="semantic"))
    assert plain.products
    assert not uows.opened[-1].products.tunings[-1].iterative


async def test_an_unknown_category_lists_the_valid_ones() -> None:
    service, _, _ = _service()
    with pytest.raises(ValidationError, match="Unknown category") as caught:
        await service.search(MANAGER, ProductQuery.create("hose", category="Toys"))
    assert caught.value.hint is not None
    assert "POWER TOOLS" in caught.value.hint


def test_ef_search_grows_with_the_rows_asked_and_is_capped() -> None:
    assert ef_search_for(5) == ef_search_for(20) == 64
    assert ef_search_for(300) == 600
    assert ef_search_for(10_000) == 1000


async def test_results_are_marked_as_untrusted_data_and_audited() -> None:
    audit = RecordingAuditLog()
    service, _, _ = _service(audit=audit)
    payload = (await service.search(MANAGER, ProductQuery.create("paint"))).to_dict()
    assert "not instructions" in payload["data_notice"]
    assert {"product_name", "category", "product_type", "price", "similarity", "stock"} <= payload["products"][0].keys()
    assert audit.events[-1].tool == "semantic_search_products"
    assert audit.events[-1].outcome == "ok"


async def test_recommendations_count_baskets_of_visible_stores_only() -> None:
    service, _, _ = _service()
    manager = await service.recommendations(MANAGER, 1, 5)
    assert [(m.product.product_id, m.orders_together) for m in manager.bought_together] == [(2, 2), (4, 1)]
    head = await service.recommendations(HEAD_OFFICE, 1, 5)
    assert (3, 1) in [(m.product.product_id, m.orders_together) for m in head.bought_together]
    assert all(m.product.product_id != 1 for m in manager.similar)
    assert {s.store_name for s in manager.product.stock} == {"Seattle"}


@pytest.mark.parametrize(("product_id", "rows"), [(0, 5), (1, 0), (1, 51), (999, 5)])
async def test_bad_recommendation_requests_are_refused(product_id: int, rows: int) -> None:
    service, _, _ = _service()
    with pytest.raises(ValidationError):
        await service.recommendations(MANAGER, product_id, rows)
