from __future__ import annotations

import math

from zava_core.testing import FakeEmbeddingProvider


async def test_fake_vectors_are_deterministic_unit_vectors_of_the_declared_size() -> None:
    provider = FakeEmbeddingProvider(dimensions=64)
    first, second, empty = await provider.embed(["garden hose hanger", "garden hose hanger", ""])
    assert first == second
    assert len(first) == 64
    assert math.isclose(sum(v * v for v in first), 1.0)
    assert math.isclose(sum(v * v for v in empty), 1.0)


async def test_fake_similarity_follows_shared_words() -> None:
    provider = FakeEmbeddingProvider()
    hose, hanger, paint = await provider.embed(["garden hose", "garden hose hanger", "interior paint"])

    def cos(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cos(hose, hanger) > cos(hose, paint)
