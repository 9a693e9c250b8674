from __future__ import annotations

from typing import Protocol


class Cache(Protocol):
    """A byte cache shared by the server's workers. Keys are built by the caller and must include
    everything that makes a value differ, the principal first among them."""

    async def get(self, key: str) -> bytes | None:
        """The value stored under ``key``; None when absent or expired (and, for a shared
        cache, when it cannot be reached: a cache outage is a miss, never an error)."""
        ...

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        """Store ``value`` under ``key`` for ``ttl_seconds``. Never raises: a failed write is
        a later miss."""
        ...

    async def close(self) -> None:
        """Release connections; the cache is not used afterwards."""
        ...
