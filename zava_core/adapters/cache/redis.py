from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["RedisCache"]

logger = logging.getLogger(__name__)


class RedisCache:
    """The shared cache of several server processes. A Redis failure degrades to a cache miss:
    the cache only ever saves work, so losing it must not fail a call."""

    def __init__(self, client: Redis, namespace: str = "zava") -> None:
        self._client = client
        self._namespace = namespace

    @classmethod
    def from_url(cls, url: str, namespace: str = "zava") -> RedisCache:
        return cls(Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5), namespace)

    def _key(self, key: str) -> str:
        return f"{self._namespace}:{key}"

    async def get(self, key: str) -> bytes | None:
        try:
            value = await self._client.get(self._key(key))
        except RedisError as exc:
            logger.warning("cache get failed, treated as a miss: %s", exc)
            return None
        return value if isinstance(value, bytes) else None

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        try:
            await self._client.set(self._key(key), value, ex=max(ttl_seconds, 1))
        except RedisError as exc:
            logger.warning("cache set failed, value not cached: %s", exc)

    async def close(self) -> None:
        await self._client.aclose()
