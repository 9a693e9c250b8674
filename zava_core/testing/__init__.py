"""Fakes of the library's ports, for its own unit tests and for users' tests: exactly one per port.

``zava_core.testing.fakes`` (unit of work and its sales, schema and business repositories, the
unit-of-work factory, statement policy, audit log, cache, progress), ``zava_core.testing.products``
(product search, embedding store), ``zava_core.testing.embeddings`` (a deterministic embedding
provider). ``zava_core.testing.conformance`` is read by ``mypy`` only: it assigns every adapter
and every fake to its port.
"""

from zava_core.testing.embeddings import FakeEmbeddingProvider

__all__ = ["FakeEmbeddingProvider"]
