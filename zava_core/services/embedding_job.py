"""``zava embed``: (re)compute product embeddings, only where the text or the model changed."""

from __future__ import annotations

import time
from dataclasses import dataclass

from zava_core.dataset.progress import Progress
from zava_core.domain.errors import ConfigurationError
from zava_core.ports.embeddings import EmbeddingProvider
from zava_core.ports.products import EmbeddingStore

__all__ = ["EmbedReport", "embed_catalog"]

PROGRESS_LABEL = "embeddings"


@dataclass(frozen=True, slots=True)
class EmbedReport:
    model_id: str
    products: int
    embedded: int
    up_to_date: int
    resized: bool
    seconds: float


async def embed_catalog(
    store: EmbeddingStore,
    provider: EmbeddingProvider,
    *,
    batch_size: int = 128,
    force: bool = False,
    progress: Progress | None = None,
) -> EmbedReport:
    """Embed every product whose stored vector is missing, stale (its text changed) or made
    by another model; ``force`` re-embeds all. Each batch is saved as soon as it is computed.
    The keyword search's term frequencies are recounted at the end."""
    if batch_size < 1:
        raise ConfigurationError(f"batch_size must be at least 1, got {batch_size}.")
    started = time.perf_counter()
    resized = await store.ensure_dimensions(provider.dimensions)
    products = await store.products()
    pending = [p for p in products if force or resized or p.needs_embedding(provider.model_id)]
    if progress is not None:
        progress.start(PROGRESS_LABEL, len(pending))
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        vectors = await provider.embed([p.text for p in batch])
        if len(vectors) != len(batch) or any(len(v) != provider.dimensions for v in vectors):
            raise ConfigurationError(
                f"The embedding provider {provider.model_id} returned vectors of the wrong size or number.",
                hint=f"It must return {provider.dimensions} floats per text.",
            )
        await store.save(provider.model_id, list(zip(batch, vectors, strict=True)))
        if progress is not None:
            progress.advance(PROGRESS_LABEL, len(batch))
    await store.refresh_search_terms()
    return EmbedReport(
        model_id=provider.model_id,
        products=len(products),
        embedded=len(pending),
        up_to_date=len(products) - len(pending),
        resized=resized,
        seconds=time.perf_counter() - started,
    )
