"""Embedding providers: the bundled local model (here), OpenAI / Azure OpenAI (``.openai``, optional
dependency) and the deterministic fake for unit tests (``.fake``)."""

from zava_core.adapters.embeddings.local import LOCAL_DIMENSIONS, LOCAL_MODEL, LocalEmbeddingProvider
from zava_core.testing.embeddings import FakeEmbeddingProvider

__all__ = ["LOCAL_DIMENSIONS", "LOCAL_MODEL", "FakeEmbeddingProvider", "LocalEmbeddingProvider"]
