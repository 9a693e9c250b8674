"""A deterministic embedding provider for unit tests: no model, no network, no randomness.

Each word is hashed into a few of ``dimensions`` buckets (signed), and the vector is normalised,
so texts that share words are similar and the same text always gives the same vector. It knows
nothing of meaning: use it to test plumbing, never relevance.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence

__all__ = ["FakeEmbeddingProvider"]

_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbeddingProvider:
    def __init__(self, dimensions: int = 384, model_id: str = "fake/hashed-words") -> None:
        self._dimensions = dimensions
        self._model_id = model_id
        self.calls: list[list[str]] = []

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return [self.vector(t) for t in texts]

    def vector(self, text: str) -> list[float]:
        values = [0.0] * self._dimensions
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=12).digest()
            for i in range(0, 12, 4):
                bucket = int.from_bytes(digest[i : i + 3], "big") % self._dimensions
                values[bucket] += 1.0 if digest[i + 3] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        if norm == 1.0 and not any(values):
            values[0] = 1.0  # an empty text still gets a unit vector
        return [v / norm for v in values]
