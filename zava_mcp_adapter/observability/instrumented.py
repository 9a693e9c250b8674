"""Counting decorators of two ports: cache lookups (hits, misses) and embedding calls (outcome,
latency). They add nothing to behaviour and are wired by the container only."""

from __future__ import annotations

import time
from collections.abc import Sequence

from zava_core.ports.cache import Cache
from zava_core.ports.embeddings import EmbeddingProvider
from zava_mcp_adapter.observability.metrics import Metrics

__all__ = ["InstrumentedCache", "InstrumentedEmbeddings"]


class InstrumentedCache:
    def __init__(self, inner: Cache, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

    async def get(self, key: str) -> bytes | None:
        value = await self._inner.get(key)
        self._metrics.cache_requests.labels(result="miss" if value is None else "hit").inc()
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        await self._inner.set(key, value, ttl_seconds)

    async def close(self) -> None:
        await self._inner.close()


class InstrumentedEmbeddings:
    def __init__(self, inner: EmbeddingProvider, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    @property
    def dimensions(self) -> int:
        return self._inner.dimensions

    async def load(self) -> None:
        """Preload the provider's model when it has one to load (the local model)."""
        load = getattr(self._inner, "load", None)
        if load is not None:
            await load()

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        started = time.perf_counter()
        outcome = "error"
        try:
            vectors = await self._inner.embed(texts)
            outcome = "ok"
            return vectors
        finally:
            self._metrics.embedding_calls.labels(outcome=outcome).inc()
            self._metrics.embedding_duration.observe(time.perf_counter() - started)
