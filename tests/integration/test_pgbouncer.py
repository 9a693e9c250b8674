"""Zava behind PgBouncer in transaction pooling mode.

With transaction pooling, one server connection serves many clients, one transaction at a time.
Zava's row-level-security context is transaction-local (``set_principal`` sets it with
``set_config(..., true)``), so it lives and dies with the transaction and can never reach the next
client of the same server connection. These tests prove it through a real PgBouncer (Debian's
``pgbouncer``; skipped where it is not installed) with fewer server connections than clients, and
show that a session-level setting, by contrast, does leak there.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import HEAD_OFFICE, NO_ACCESS_USER, SeededDatabase
from zava_core.adapters.audit import StructlogAuditLog
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID
from zava_core.dataset.reference import load_reference
from zava_core.domain.principal import Principal
from zava_core.domain.statements import QueryLimits
from zava_core.services.concurrency import PrincipalLimiter
from zava_core.services.sales_queries import SalesQueryService
from zava_core.testing.strategies import analytics_queries

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("pgbouncer") is None, reason="pgbouncer is not installed"),
]

PGBOUNCER = shutil.which("pgbouncer") or "pgbouncer"
#: Fewer server connections than concurrent clients: every server connection is shared.
SERVER_CONNECTIONS = 2
USERS = [s.rls_user_id for s in load_reference().stores] + [REGIONAL_MANAGER_USER_ID, HEAD_OFFICE, NO_ACCESS_USER]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_port(socket_dir: str) -> int:
    sockets = sorted(Path(socket_dir).glob(".s.PGSQL.*"))
    sockets = [s for s in sockets if not s.name.endswith(".lock")]
    assert sockets, f"no PostgreSQL socket in {socket_dir}"
    return int(sockets[0].name.rsplit(".", 1)[1])


@pytest.fixture(scope="module")
def bouncer(zava_db: SeededDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A PgBouncer in transaction mode in front of the test server; yields its port."""
    folder = tmp_path_factory.mktemp("pgbouncer")
    port = _free_port()
    socket_dir = zava_db.server.socket_dir
    server = f"host={socket_dir} port={_server_port(socket_dir)} dbname=zava_test"
    (folder / "users.txt").write_text('"zava_app" "test-app-password"\n"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"app = {server} user=zava_app password=test-app-password pool_size={SERVER_CONNECTIONS}\n"
        f"admin = {server} user=postgres pool_size=1\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = any\n"
        f"auth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\n"
        "max_client_conn = 200\n"
        "ignore_startup_parameters = extra_float_digits\n"
        # PgBouncer refuses to run as root; started as root, it becomes the user that owns the
        # server's private socket folder, the one user (besides root) that may connect there.
        + (f"user = {Path(socket_dir).owner()}\n" if os.geteuid() == 0 else "")
    )
    log = folder / "pgbouncer.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own config file
            [PGBOUNCER, str(folder / "pgbouncer.ini")], stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"pgbouncer did not start: {log.read_text()}")
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _app_url(port: int) -> str:
    return f"postgresql+asyncpg://zava_app:test-app-password@127.0.0.1:{port}/app"


@pytest.fixture
async def service(zava_db: SeededDatabase, bouncer: int) -> AsyncIterator[SalesQueryService]:
    """The real query path, its engine pointed at PgBouncer with more clients than servers."""
    engine = create_engine(_app_url(bouncer), PoolSettings(min_size=1, max_size=16, pooler="transaction"))
    try:
        yield SalesQueryService(
            SqlAlchemyUnitOfWorkFactory(engine, zava_db.target.context_key, 10_000),
            PglastStatementPolicy(EXPOSED_COLUMNS),
            QueryLimits(max_rows=5000),
            PrincipalLimiter(4),
            StructlogAuditLog(),
        )
    finally:
        await engine.dispose()


async def _visible(admin: asyncpg.Connection, user: uuid.UUID) -> set[str]:
    if user == HEAD_OFFICE:
        rows = await admin.fetch("SELECT store_id FROM retail.stores")
    else:
        rows = await admin.fetch(
            "SELECT store_id FROM retail.stores WHERE rls_user_id = $1 "
            "UNION SELECT store_id FROM retail.principal_stores WHERE user_id = $1",
            user,
        )
    return {str(r["store_id"]) for r in rows}


async def test_a_session_level_setting_leaks_to_the_next_client(bouncer: int) -> None:
    """Why the context must be transaction-local: behind transaction pooling, a session-level
    setting stays on the server connection and the next client reads it."""
    dsn = f"postgresql://postgres@127.0.0.1:{bouncer}/admin"
    first = await asyncpg.connect(dsn, statement_cache_size=0)
    second = await asyncpg.connect(dsn, statement_cache_size=0)
    try:
        await first.execute("SELECT set_config('zava.demo_session', 'store-a', false)")
        assert await second.fetchval("SELECT current_setting('zava.demo_session', true)") == "store-a"

        async with first.transaction():
            await first.execute("SELECT set_config('zava.demo_local', 'store-a', true)")
        assert await second.fetchval("SELECT current_setting('zava.demo_local', true)") in ("", None)
    finally:
        await first.execute("RESET ALL")
        await first.close()
        await second.close()


async def test_many_principals_share_two_server_connections_without_leaking(
    service: SalesQueryService, admin_conn: asyncpg.Connection
) -> None:
    """Every principal sees exactly its own stores while 16 concurrent callers take turns on two
    server connections, interleaving transactions of different principals on each."""
    expected = {user: await _visible(admin_conn, user) for user in USERS}
    sql = "SELECT DISTINCT o.store_id FROM retail.orders o"

    async def ask(user: uuid.UUID) -> tuple[uuid.UUID, set[str]]:
        result = await service.execute(Principal(user), sql)
        return user, {str(row[0]) for row in result.rows}

    semaphore = asyncio.Semaphore(16)

    async def bounded(user: uuid.UUID) -> tuple[uuid.UUID, set[str]]:
        async with semaphore:
            return await ask(user)

    calls = [USERS[i % len(USERS)] for i in range(12 * len(USERS))]
    answers = await asyncio.gather(*(bounded(user) for user in calls))
    assert len(answers) == len(calls)
    for user, stores in answers:
        assert stores == expected[user], f"principal {user} saw {stores - expected[user]} beyond its stores"
    assert expected[NO_ACCESS_USER] == set()


async def test_a_server_connection_carries_no_principal_after_a_transaction(
    service: SalesQueryService, bouncer: int
) -> None:
    """After head office's transaction ends, a raw client of the same (single-statement) server
    connections gets no rows: no identity survives the transaction, so RLS fails closed."""
    for _ in range(2 * SERVER_CONNECTIONS):
        result = await service.execute(Principal(HEAD_OFFICE), "SELECT count(*) FROM retail.orders")
        assert int(str(result.rows[0][0])) > 0
    dsn = f"postgresql://zava_app:test-app-password@127.0.0.1:{bouncer}/app"
    raw = await asyncpg.connect(dsn, statement_cache_size=0)
    try:
        for _ in range(2 * SERVER_CONNECTIONS):
            assert await raw.fetchval("SELECT count(*) FROM retail.orders") == 0
    finally:
        await raw.close()


@settings(max_examples=25, deadline=None)
@given(user=st.one_of(st.sampled_from(USERS), st.uuids()), sql=analytics_queries())
def test_every_row_through_pgbouncer_belongs_to_the_principals_stores(
    zava_db: SeededDatabase, bouncer: int, user: uuid.UUID, sql: str
) -> None:
    """The isolation property of the query path, run through the proxy."""

    async def run() -> tuple[set[str], set[str]]:
        engine = create_engine(_app_url(bouncer), PoolSettings(min_size=1, max_size=2, pooler="transaction"))
        admin = await asyncpg.connect(zava_db.admin_dsn)
        try:
            service = SalesQueryService(
                SqlAlchemyUnitOfWorkFactory(engine, zava_db.target.context_key, 10_000),
                PglastStatementPolicy(EXPOSED_COLUMNS),
                QueryLimits(max_rows=5000),
                PrincipalLimiter(1),
                StructlogAuditLog(),
            )
            result = await service.execute(Principal(user), sql)
            return {str(r[0]) for r in result.rows}, await _visible(admin, user)
        finally:
            await admin.close()
            await engine.dispose()

    seen, visible = asyncio.run(run())
    assert seen <= visible
