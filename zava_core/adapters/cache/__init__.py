"""Cache adapters: Redis when configured, in-process memory otherwise."""

from zava_core.adapters.cache.memory import MemoryCache
from zava_core.adapters.cache.redis import RedisCache

__all__ = ["MemoryCache", "RedisCache"]
