from __future__ import annotations

from typing import Protocol


class Cache(Protocol):
    """A byte cache shared by the server's workers. Keys are built by the caller and must include
    everything that makes a value differ, the principal first among them."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None: ...

    async def close(self) -> None: ...
