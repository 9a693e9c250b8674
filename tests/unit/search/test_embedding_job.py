from __future__ import annotations

import pytest

from zava_core.domain.errors import ConfigurationError
from zava_core.domain.products import ProductText
from zava_core.services.embedding_job import PROGRESS_LABEL, embed_catalog
from zava_core.testing import FakeEmbeddingProvider
from zava_core.testing.fakes import RecordingProgress
from zava_core.testing.products import FakeEmbeddingStore


def _products(n: int = 5) -> list[ProductText]:
    return [ProductText(i, f"Product {i}", "HARDWARE", "Screws", f"Screw number {i}.") for i in range(1, n + 1)]


async def test_only_new_or_changed_products_are_embedded_in_batches() -> None:
    store, provider, progress = FakeEmbeddingStore(_products()), FakeEmbeddingProvider(), RecordingProgress()
    first = await embed_catalog(store, provider, batch_size=2, progress=progress)
    assert (first.embedded, first.up_to_date) == (5, 0)
    assert store.saved_batches == [[1, 2], [3, 4], [5]]
    assert progress.events[0] == ("start", PROGRESS_LABEL, 5)
    assert store.refreshed == 1

    again = await embed_catalog(store, provider)
    assert (again.embedded, again.up_to_date) == (0, 5)

    changed = store.products_by_id[3]
    store.products_by_id[3] = ProductText(
        3,
        changed.product_name,
        changed.category,
        changed.product_type,
        "A longer screw.",
        changed.stored_model,
        changed.stored_hash,
    )
    third = await embed_catalog(store, provider)
    assert third.embedded == 1
    assert store.saved_batches[-1] == [3]


async def test_another_model_re_embeds_everything_and_resizes_the_column() -> None:
    store = FakeEmbeddingStore(_products(), dimensions=384)
    await embed_catalog(store, FakeEmbeddingProvider())
    report = await embed_catalog(
        store, FakeEmbeddingProvider(dimensions=1536, model_id="openai/text-embedding-3-small")
    )
    assert report.resized
    assert report.embedded == 5
    assert store.dimensions == 1536
    assert all(len(v) == 1536 for v in store.vectors.values())


async def test_force_re_embeds_all_and_bad_batch_sizes_are_refused() -> None:
    store, provider = FakeEmbeddingStore(_products()), FakeEmbeddingProvider()
    await embed_catalog(store, provider)
    assert (await embed_catalog(store, provider, force=True)).embedded == 5
    with pytest.raises(ConfigurationError):
        await embed_catalog(store, provider, batch_size=0)


async def test_a_provider_returning_the_wrong_size_is_caught_before_anything_is_saved() -> None:
    class Liar(FakeEmbeddingProvider):
        @property
        def dimensions(self) -> int:
            return 10

    store = FakeEmbeddingStore(_products(), dimensions=10)
    with pytest.raises(ConfigurationError, match="wrong size"):
        await embed_catalog(store, Liar(dimensions=8))
    assert store.saved_batches == []
