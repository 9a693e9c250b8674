"""The query cache against the real database (and a real Redis that is stopped mid-run)."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from redis.asyncio import Redis
from redis.exceptions import RedisError

from tests.conftest import HEAD_OFFICE, SEATTLE_MANAGER, SeededDatabase
from zava_core.adapters.audit import StructlogAuditLog
from zava_core.adapters.cache import MemoryCache, RedisCache
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID
from zava_core.dataset.reference import load_reference
from zava_core.domain.principal import Principal
from zava_core.domain.statements import QueryLimits
from zava_core.ports.cache import Cache
from zava_core.services.concurrency import PrincipalLimiter
from zava_core.services.query_cache import CachedSalesQueries, bump_generation
from zava_core.services.sales_queries import SalesQueryService
from zava_core.testing.strategies import analytics_queries

pytestmark = pytest.mark.integration

USERS = [s.rls_user_id for s in load_reference().stores] + [REGIONAL_MANAGER_USER_ID, HEAD_OFFICE]
principals = st.one_of(st.sampled_from(USERS), st.uuids())
ORDERS = "SELECT count(*) FROM retail.orders"


@asynccontextmanager
async def services(db: SeededDatabase, cache: Cache) -> AsyncIterator[tuple[CachedSalesQueries, SalesQueryService]]:
    """The cached service and, for the oracle, the same service without a cache."""
    engine = create_engine(db.target.app_url, PoolSettings(min_size=1, max_size=2))
    factory = SqlAlchemyUnitOfWorkFactory(engine, db.target.context_key, 10_000)
    policy = PglastStatementPolicy(EXPOSED_COLUMNS)
    audit = StructlogAuditLog()
    inner = SalesQueryService(factory, policy, QueryLimits(max_rows=5000), PrincipalLimiter(2), audit)
    try:
        yield CachedSalesQueries(inner, policy, factory, cache, audit, ttl_seconds=300), inner
    finally:
        await engine.dispose()


#: One cache for every example: entries written for one principal are there for the next.
SHARED = MemoryCache()


@settings(max_examples=30, deadline=None)
@given(first=principals, second=principals, sql=analytics_queries())
def test_a_cached_result_is_never_served_to_a_principal_of_another_scope(
    zava_db: SeededDatabase, first: uuid.UUID, second: uuid.UUID, sql: str
) -> None:
    """Whoever filled the cache, every principal gets exactly the rows it would get uncached."""

    async def run() -> None:
        async with services(zava_db, SHARED) as (cached, inner):
            await cached.execute(Principal(first), sql)
            served = await cached.execute(Principal(second), sql)
            fresh = await inner.execute(Principal(second), sql)
        assert [list(r) for r in served.rows] == [list(r) for r in fresh.rows]

    asyncio.run(run())


async def test_a_repeated_query_is_served_from_cache_and_says_so(zava_db: SeededDatabase) -> None:
    async with services(zava_db, MemoryCache()) as (cached, _inner):
        first = await cached.execute(Principal(SEATTLE_MANAGER), ORDERS)
        again = await cached.execute(Principal(SEATTLE_MANAGER), ORDERS)
    assert not first.cached
    assert again.cached
    assert again.to_dict()["cached"] is True
    assert again.rows == first.rows


async def test_principals_of_one_scope_share_and_other_scopes_do_not(zava_db: SeededDatabase) -> None:
    """Two users without stores have the same (empty) scope; a store manager has another."""
    async with services(zava_db, MemoryCache()) as (cached, _inner):
        await cached.execute(Principal(uuid.uuid4()), ORDERS)
        stranger = await cached.execute(Principal(uuid.uuid4()), ORDERS)
        manager = await cached.execute(Principal(SEATTLE_MANAGER), ORDERS)
    assert stranger.cached
    assert stranger.rows == [[0]]
    assert not manager.cached
    orders = manager.rows[0][0]
    assert isinstance(orders, int)
    assert orders > 0


async def test_a_new_generation_invalidates_every_entry(zava_db: SeededDatabase) -> None:
    cache = MemoryCache()
    async with services(zava_db, cache) as (cached, _inner):
        await cached.execute(Principal(HEAD_OFFICE), ORDERS)
        await bump_generation(cache)
        after = await cached.execute(Principal(HEAD_OFFICE), ORDERS)
    assert not after.cached


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_calls_keep_succeeding_when_redis_stops_mid_run(zava_db: SeededDatabase) -> None:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603, ASYNC220 - a private Redis on loopback, stopped by this test
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = Redis.from_url(f"redis://127.0.0.1:{port}/0", socket_timeout=0.5, socket_connect_timeout=0.5)
        for _ in range(100):
            try:
                await client.ping()
                break
            except (RedisError, OSError):
                await asyncio.sleep(0.1)
        cache = RedisCache(client, namespace="zava-test", fallback=MemoryCache())
        async with services(zava_db, cache) as (cached, _inner):
            before = await cached.execute(Principal(SEATTLE_MANAGER), ORDERS)
            assert (await cached.execute(Principal(SEATTLE_MANAGER), ORDERS)).cached  # from Redis
            process.terminate()
            await asyncio.to_thread(process.wait, 10)
            during = [await cached.execute(Principal(SEATTLE_MANAGER), ORDERS) for _ in range(3)]
        assert all(r.rows == before.rows for r in during)
        assert during[-1].cached, "the in-memory fallback took over"
        await cache.close()
    finally:
        if process.poll() is None:
            process.kill()
        await asyncio.to_thread(process.wait, 10)
