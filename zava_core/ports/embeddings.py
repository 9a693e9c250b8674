from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class EmbeddingProvider(Protocol):
    """Turns text into vectors. ``model_id`` names provider and model (``local/all-MiniLM-L6-v2``);
    every vector has ``dimensions`` floats."""

    @property
    def model_id(self) -> str:
        """Provider and model, as stored beside each vector (``local/all-MiniLM-L6-v2``)."""
        ...

    @property
    def dimensions(self) -> int:
        """How many floats each vector has."""
        ...

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order. Raises ``ConfigurationError`` when the provider is
        misconfigured and ``ResourceLimitExceeded`` when its quota or rate limit stops it."""
        ...
