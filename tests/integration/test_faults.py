"""Issue 8/9: faults against the real database end in honest, coded answers, each audited once.

Every test builds its own container (small pools, short limits) on the shared seeded database; the
faults are real: a statement the server cancels, a pool held empty, a backend terminated from an
administrator's connection mid-query, ten heavy queries at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import socket
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from dependency_injector import providers
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from zava_core.adapters.sqlalchemy.engine import wait_for_database
from zava_core.domain.errors import DatabaseUnavailable, InternalError, QueryTimeout, ResourceLimitExceeded
from zava_core.domain.principal import Principal
from zava_core.domain.statements import CheckedStatement
from zava_core.services.query_cache import CachedSalesQueries
from zava_core.services.sales_queries import SalesQueryService
from zava_core.testing.fakes import RecordingAuditLog
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.container import Container

pytestmark = pytest.mark.integration

#: Seconds of work for the server (a cross join it cannot shortcut); cancelled by any short limit.
HEAVY = "SELECT count(*) FROM generate_series(1,100000) a, generate_series(1,100000) b"
SEATTLE = Principal(SEATTLE_MANAGER)


@asynccontextmanager
async def _container(
    zava_db: SeededDatabase, **overrides: object
) -> AsyncIterator[tuple[Container, RecordingAuditLog]]:
    settings = zava_db.settings.model_copy(update={"pool_min_size": 1, **overrides})
    container = bootstrap(settings, zava_db.target)
    audit = RecordingAuditLog()
    container.query_monitor.override(providers.Object(audit))
    try:
        yield container, audit
    finally:
        await container.engine().dispose()


def _codes(audit: RecordingAuditLog) -> list[tuple[str, str | None]]:
    return [(e.outcome, e.code) for e in audit.events]


async def test_a_statement_timeout_is_query_timeout_never_a_connection_failure(zava_db: SeededDatabase) -> None:
    async with _container(zava_db, statement_timeout_ms=300) as (container, audit):
        started = time.perf_counter()
        with pytest.raises(QueryTimeout) as caught:
            await container.sales().execute(SEATTLE, HEAVY)
        assert caught.value.sqlstate == "57014"  # the server cancelled it, not the driver
        assert time.perf_counter() - started < 10
        assert _codes(audit) == [("error", "QUERY_TIMEOUT")]
        # The pooled connection survived the cancellation and serves the next call.
        result = await container.sales().execute(SEATTLE, "SELECT 1 AS one")
        assert result.rows == [[1]]


async def test_a_pool_wait_that_runs_out_is_resource_limit_quickly_and_audited(zava_db: SeededDatabase) -> None:
    async with _container(zava_db, pool_max_size=1, pool_timeout_seconds=0.5, query_cache_ttl_seconds=0) as (
        container,
        audit,
    ):
        factory = container.uow_factory()
        async with factory(Principal(uuid.uuid4())):  # holds the only connection
            started = time.perf_counter()
            with pytest.raises(ResourceLimitExceeded, match="busy"):
                await container.sales().execute(SEATTLE, "SELECT 1")
            waited = time.perf_counter() - started
        assert waited < 5  # the bounded pool wait, not the old 30 s
        assert _codes(audit) == [("error", "RESOURCE_LIMIT")]
        (event,) = audit.events
        assert event.fingerprint  # checked, then refused a connection


async def test_an_unexpected_exception_is_internal_error_and_audited(zava_db: SeededDatabase) -> None:
    class CrashingPolicy:
        def check(self, sql: str) -> CheckedStatement:
            raise ZeroDivisionError("a bug in a policy")

    async with _container(zava_db, query_cache_ttl_seconds=0) as (container, audit):
        service = SalesQueryService(
            container.uow_factory(), CrashingPolicy(), container.limits(), container.limiter(), audit
        )
        with pytest.raises(InternalError) as caught:
            await service.execute(SEATTLE, "SELECT 1")
        assert caught.value.code == "INTERNAL_ERROR"
        assert "bug" not in caught.value.message
        assert _codes(audit) == [("error", "INTERNAL_ERROR")]


async def _terminate_once(admin: asyncpg.Connection, marker: str) -> int:
    """Terminate the first backend seen running a statement that contains ``marker``."""
    for _ in range(1000):
        pid = await admin.fetchval(
            "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
            f"%{marker}%",
        )
        if pid is not None:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
            return int(pid)
        await asyncio.sleep(0.01)
    raise AssertionError("the query never showed up in pg_stat_activity")


async def test_a_connection_killed_mid_query_is_retried_and_the_call_succeeds(
    zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    marker = "fault_marker_" + uuid.uuid4().hex[:8]
    # About a second of work: long enough to be seen and killed, short enough to finish the retry.
    sql = f"SELECT count(*) AS {marker} FROM generate_series(1,2500) a, generate_series(1,2500) b"
    async with _container(zava_db, query_cache_ttl_seconds=0) as (container, audit):
        call = asyncio.create_task(container.sales().execute(SEATTLE, sql))
        killed = await _terminate_once(admin_conn, marker)
        result = await call
        assert result.rows == [[2500 * 2500]]
        assert _codes(audit) == [("ok", None)]  # one event: the retry is inside the call
        still_there = await admin_conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", killed)
        assert still_there == 0


async def test_a_database_that_stays_away_ends_as_database_unavailable(zava_db: SeededDatabase) -> None:
    # A port nothing listens on: every attempt is refused, the retries run out within the deadline.
    target = zava_db.target
    dead = dataclasses.replace(target, app_url=target.app_url.replace(f":{_port(target.app_url)}/", ":1/"))
    settings = zava_db.settings.model_copy(update={"pool_min_size": 1, "query_cache_ttl_seconds": 0})
    container = bootstrap(settings, dead)
    audit = RecordingAuditLog()
    container.query_monitor.override(providers.Object(audit))
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            await container.sales().execute(SEATTLE, "SELECT 1")
        assert caught.value.retryable
        assert _codes(audit) == [("error", "DATABASE_UNAVAILABLE")]
    finally:
        await container.engine().dispose()


def _port(url: str) -> str:
    return url.rsplit(":", 1)[1].split("/", 1)[0]


async def test_a_point_query_of_another_principal_completes_while_ten_heavy_queries_run(
    zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    async with _container(zava_db, pool_max_size=4, max_concurrent_queries=3, statement_timeout_ms=4000) as (
        container,
        audit,
    ):
        sales = container.sales()
        assert isinstance(sales, CachedSalesQueries)
        # Ten principals (any token names one), each with one heavy query.
        heavy = [asyncio.create_task(sales.execute(Principal(uuid.uuid4()), HEAVY)) for _ in range(10)]
        for _ in range(1000):  # until the admitted heavy queries hold their connections
            running = await admin_conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() "
                "AND query LIKE '%generate_series(1,100000)%'"
            )
            if running >= 3:
                break
            await asyncio.sleep(0.02)
        assert running == 3  # the admission bound, below the pool size of 4
        # Another principal's point query gets the connection the bound keeps free.
        async with container.uow_factory()(SEATTLE) as uow:
            tables = await uow.catalog.table_names()
        assert "orders" in tables or "retail.orders" in tables
        assert not all(t.done() for t in heavy)  # it completed while the heavy queries ran
        outcomes = await asyncio.gather(*heavy, return_exceptions=True)
        assert all(isinstance(o, QueryTimeout | ResourceLimitExceeded) for o in outcomes), outcomes
        assert len(audit.events) == 10


async def _forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


def _unix_socket(folder: str) -> Path:
    (found,) = Path(folder).glob(".s.PGSQL.*[0-9]")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_start_up_waits_for_a_database_that_comes_later_then_serves(
    zava_db: SeededDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    """The database "arrives" after a second: a forwarder to it starts listening on a port the
    engine was already trying."""
    pg_socket = _unix_socket(zava_db.server.socket_dir)
    port = _free_port()
    engine = create_async_engine(make_url(zava_db.target.app_url).set(host="127.0.0.1", port=port, query={}))

    async def relay(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_unix_connection(pg_socket)
        await asyncio.gather(_forward(client_reader, server_writer), _forward(server_reader, client_writer))

    async def arrive_later() -> asyncio.Server:
        await asyncio.sleep(1.0)
        return await asyncio.start_server(relay, "127.0.0.1", port)

    try:
        with caplog.at_level(logging.WARNING, logger="zava.database"):
            arrival = asyncio.create_task(arrive_later())
            await wait_for_database(engine, wait_seconds=30)
            relay_server = await arrival
        assert "not reachable yet" in caplog.text
        assert f"127.0.0.1:{port}" in caplog.text
        assert "serving" in caplog.text
        relay_server.close()
    finally:
        await engine.dispose()


async def test_start_up_gives_up_with_a_clear_coded_error(zava_db: SeededDatabase) -> None:
    engine = create_async_engine(make_url(zava_db.target.app_url).set(host="127.0.0.1", port=_free_port(), query={}))
    try:
        started = time.perf_counter()
        with pytest.raises(DatabaseUnavailable, match=r"did not answer within 1 s"):
            await wait_for_database(engine, wait_seconds=1)
        assert time.perf_counter() - started < 10
    finally:
        await engine.dispose()
