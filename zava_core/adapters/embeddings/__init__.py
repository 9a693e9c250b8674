"""Embedding providers: the bundled local model (here) and OpenAI / Azure OpenAI (``.openai``,
optional dependency). The deterministic fake for tests is ``zava_core.testing.FakeEmbeddingProvider``."""

from zava_core.adapters.embeddings.local import LOCAL_DIMENSIONS, LOCAL_MODEL, LocalEmbeddingProvider

__all__ = ["LOCAL_DIMENSIONS", "LOCAL_MODEL", "LocalEmbeddingProvider"]
