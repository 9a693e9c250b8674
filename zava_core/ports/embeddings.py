from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class EmbeddingProvider(Protocol):
    """Turns text into vectors. ``model_id`` names provider and model (``local/all-MiniLM-L6-v2``);
    every vector has ``dimensions`` floats."""

    @property
    def model_id(self) -> str: ...

    @property
    def dimensions(self) -> int: ...

    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...
