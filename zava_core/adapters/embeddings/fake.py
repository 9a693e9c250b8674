"""The deterministic fake provider, re-exported where the other providers live (unit tests only)."""

from zava_core.testing.embeddings import FakeEmbeddingProvider

__all__ = ["FakeEmbeddingProvider"]
