"""Fakes of the library's ports, for its own unit tests and for users' tests.

``zava_core.testing.fakes`` (sales, schema, audit), ``zava_core.testing.embeddings`` (a
deterministic embedding provider) and ``zava_core.testing.products`` (product search).
"""

from zava_core.testing.embeddings import FakeEmbeddingProvider

__all__ = ["FakeEmbeddingProvider"]
