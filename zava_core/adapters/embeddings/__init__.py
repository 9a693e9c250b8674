"""Embedding providers: the bundled local model, OpenAI / Azure OpenAI, and a cache in front."""

from zava_core.adapters.embeddings.local import LOCAL_DIMENSIONS, LOCAL_MODEL, LocalEmbeddingProvider
from zava_core.testing.embeddings import FakeEmbeddingProvider

__all__ = ["LOCAL_DIMENSIONS", "LOCAL_MODEL", "FakeEmbeddingProvider", "LocalEmbeddingProvider"]
