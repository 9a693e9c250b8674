from __future__ import annotations

import logging
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError

from zava_core.ports.cache import Cache

__all__ = ["RedisCache"]

logger = logging.getLogger(__name__)

#: An outage is reported once per this many seconds, not once per call.
_REPORT_EVERY_SECONDS = 60.0


class RedisCache:
    """The shared cache of several server processes. A Redis failure never fails a call: with a
    ``fallback`` (an in-memory cache) the process carries on with its own cache, else the lookup
    is a miss. The cache only ever saves work."""

    def __init__(self, client: Redis, namespace: str = "zava", fallback: Cache | None = None) -> None:
        self._client = client
        self._namespace = namespace
        self._fallback = fallback
        self._reported_at: float | None = None

    @classmethod
    def from_url(cls, url: str, namespace: str = "zava", fallback: Cache | None = None) -> RedisCache:
        return cls(Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5), namespace, fallback)

    def _key(self, key: str) -> str:
        return f"{self._namespace}:{key}"

    def _outage(self, action: str, exc: RedisError) -> None:
        now = time.monotonic()
        if self._reported_at is None or now - self._reported_at >= _REPORT_EVERY_SECONDS:
            self._reported_at = now
            where = "the in-memory cache" if self._fallback is not None else "no cache"
            logger.warning("redis %s failed, using %s: %s", action, where, exc)

    async def get(self, key: str) -> bytes | None:
        try:
            value = await self._client.get(self._key(key))
        except RedisError as exc:
            self._outage("get", exc)
            return await self._fallback.get(key) if self._fallback is not None else None
        return value if isinstance(value, bytes) else None

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        try:
            await self._client.set(self._key(key), value, ex=max(ttl_seconds, 1))
        except RedisError as exc:
            self._outage("set", exc)
            if self._fallback is not None:
                await self._fallback.set(key, value, ttl_seconds)

    async def close(self) -> None:
        await self._client.aclose()
        if self._fallback is not None:
            await self._fallback.close()
