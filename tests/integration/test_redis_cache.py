"""The shared cache against a real Redis (the one CI starts on 127.0.0.1:6379)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from tests.conftest import SEATTLE_MANAGER, SeededDatabase, make_settings
from tests.helpers import in_memory_client, result_payload
from zava_core.adapters.cache import RedisCache

pytestmark = pytest.mark.integration

REDIS_URL = os.environ.get("ZAVA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def redis_cache() -> AsyncIterator[RedisCache]:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (RedisError, OSError):
        await client.aclose()
        pytest.skip(f"no Redis at {REDIS_URL} (CI starts one; set ZAVA_TEST_REDIS_URL to use another)")
    cache = RedisCache(client, namespace=f"zava-test-{uuid.uuid4().hex}")
    yield cache
    await cache.close()


async def test_values_round_trip_and_expire(redis_cache: RedisCache) -> None:
    await redis_cache.set("k", b"value", ttl_seconds=1)
    assert await redis_cache.get("k") == b"value"
    await asyncio.sleep(1.2)
    assert await redis_cache.get("k") is None


async def test_namespaces_do_not_see_each_other(redis_cache: RedisCache) -> None:
    other = RedisCache(Redis.from_url(REDIS_URL), namespace=f"zava-test-{uuid.uuid4().hex}")
    try:
        await redis_cache.set("k", b"mine", 60)
        assert await other.get("k") is None
    finally:
        await other.close()


async def test_an_unreachable_redis_degrades_to_misses_not_failures() -> None:
    cache = RedisCache.from_url("redis://127.0.0.1:1/0")
    try:
        await cache.set("k", b"v", 60)
        assert await cache.get("k") is None
    finally:
        await cache.close()


async def test_schema_served_from_redis_is_per_principal(zava_db: SeededDatabase, redis_cache: RedisCache) -> None:
    """Two servers share Redis; the head office's cached schema never reaches the store manager."""
    settings = make_settings(zava_db.target, zava_db.settings.data_dir, redis_url=REDIS_URL)
    names: dict[str, list[str]] = {}
    for label, user in (("head_office", uuid.UUID(int=0)), ("seattle", SEATTLE_MANAGER)):
        async with in_memory_client(settings, zava_db.target, user) as client:
            result = await client.call_tool("get_multiple_table_schemas", {"table_names": ["retail.stores"]})
            names[label] = result_payload(result)["tables"][0]["values"]["store_name"]
    assert len(names["head_office"]) == 8
    assert names["seattle"] == ["Zava Retail Seattle"]
