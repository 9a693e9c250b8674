"""The RLS context cannot be forged from SQL, even by statements that skip the statement check.

Every test here talks to PostgreSQL as the application role directly (no parser in the way):
these are the attacks a statement that slipped past the check could try.
"""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.pool import PoolProxiedConnection

from tests.conftest import HEAD_OFFICE, SEATTLE_MANAGER, SeededDatabase
from tests.helpers import managed_order_count
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.domain.errors import AuthorizationError
from zava_core.domain.principal import Principal
from zava_core.domain.statements import CheckedStatement, QueryLimits

pytestmark = pytest.mark.integration

COUNT_ORDERS = "SELECT count(*) FROM retail.orders"


def _driver(raw: PoolProxiedConnection) -> asyncpg.Connection:
    driver = raw.driver_connection
    assert driver is not None
    return driver


async def bind(conn: asyncpg.Connection, db: SeededDatabase, user: uuid.UUID) -> None:
    await conn.fetchval("SELECT zava_private.set_principal($1, $2)", user, db.target.context_key)


async def write_setting(conn: asyncpg.Connection, name: str, value: str, *, is_local: bool = True) -> None:
    """SET, the one way left to write a setting: set_config is not executable by the app role."""
    quoted = value.replace("'", "''")
    await conn.execute(f"SET {'LOCAL ' if is_local else ''}{name} = '{quoted}'")


async def test_set_config_and_current_setting_are_refused_to_the_app_role(app_conn: asyncpg.Connection) -> None:
    for statement in ("SELECT set_config('zava.principal', 'x', true)", "SELECT current_setting('zava.ctx_sig', true)"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app_conn.fetchval(statement)


async def test_no_context_sees_no_rows(app_conn: asyncpg.Connection) -> None:
    assert await app_conn.fetchval(COUNT_ORDERS) == 0
    # cardinality(): a uuid[] result would make raw asyncpg introspect types with current_setting
    # and set_config, which the database wall denies to the app role (the engine skips that).
    assert await app_conn.fetchval("SELECT cardinality(zava_private.visible_store_ids())") == 0


@pytest.mark.parametrize("is_local", [True, False])
async def test_set_config_of_the_principal_alone_sees_no_rows(app_conn: asyncpg.Connection, is_local: bool) -> None:
    async with app_conn.transaction():
        await write_setting(app_conn, "zava.principal", str(HEAD_OFFICE), is_local=is_local)
        assert await app_conn.fetchval(COUNT_ORDERS) == 0


async def test_invented_nonce_and_signature_see_no_rows(app_conn: asyncpg.Connection) -> None:
    async with app_conn.transaction():
        for name, value in (("principal", str(HEAD_OFFICE)), ("ctx_nonce", str(uuid.uuid4())), ("ctx_sig", "ab" * 32)):
            await write_setting(app_conn, f"zava.{name}", value)
        assert await app_conn.fetchval(COUNT_ORDERS) == 0


async def test_changing_the_principal_after_a_valid_bind_sees_nothing(
    app_conn: asyncpg.Connection, zava_db: SeededDatabase
) -> None:
    async with app_conn.transaction():
        await bind(app_conn, zava_db, SEATTLE_MANAGER)
        assert await app_conn.fetchval(COUNT_ORDERS) > 0
        await write_setting(app_conn, "zava.principal", str(HEAD_OFFICE))
        assert await app_conn.fetchval(COUNT_ORDERS) == 0


async def test_a_context_replayed_in_another_transaction_sees_nothing(
    app_conn: asyncpg.Connection, zava_db: SeededDatabase
) -> None:
    async with app_conn.transaction():
        await bind(app_conn, zava_db, HEAD_OFFICE)
        stolen = {name: await app_conn.fetchval(f"SHOW zava.{name}") for name in ("principal", "ctx_nonce", "ctx_sig")}
    async with app_conn.transaction():
        for name, value in stolen.items():
            await write_setting(app_conn, f"zava.{name}", value)
        assert await app_conn.fetchval(COUNT_ORDERS) == 0


@pytest.mark.parametrize("key", ["", "wrong-key", "test-context-key-", "' OR '1'='1"])
async def test_set_principal_with_a_wrong_key_is_refused(app_conn: asyncpg.Connection, key: str) -> None:
    with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError):
        await app_conn.fetchval("SELECT zava_private.set_principal($1, $2)", HEAD_OFFICE, key)


@pytest.mark.parametrize(
    "statement",
    [
        "SET ROLE zava_owner",
        "SET ROLE zava_security",
        "SET ROLE postgres",
        "SET SESSION AUTHORIZATION postgres",
        "SELECT set_config('role', 'zava_security', false)",
        "SELECT * FROM zava_private.context_keys",
        "SELECT zava_private.context_signature('\\x00'::bytea, 'a', 'b')",
        "UPDATE zava_private.context_keys SET app_key_hash = NULL",
        "ALTER ROLE zava_app BYPASSRLS",
        "ALTER TABLE retail.orders DISABLE ROW LEVEL SECURITY",
        "DROP POLICY store_scope ON retail.orders",
        "CREATE POLICY open ON retail.orders USING (true)",
    ],
)
async def test_the_app_role_cannot_escape_its_privileges(app_conn: asyncpg.Connection, statement: str) -> None:
    with pytest.raises(asyncpg.PostgresError):
        await app_conn.execute(statement)
    assert await app_conn.fetchval(COUNT_ORDERS) == 0


async def test_parallel_plans_keep_the_principals_rows(
    app_conn: asyncpg.Connection, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    expected = await managed_order_count(admin_conn, SEATTLE_MANAGER)
    async with app_conn.transaction():
        for name in ("parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size"):
            await app_conn.execute(f"SET LOCAL {name} = 0")
        await bind(app_conn, zava_db, SEATTLE_MANAGER)
        plan = "\n".join(r[0] for r in await app_conn.fetch("EXPLAIN " + COUNT_ORDERS))
        assert "Gather" in plan
        assert "InitPlan" in plan or "SubPlan" not in plan
        assert await app_conn.fetchval(COUNT_ORDERS) == expected


async def test_policy_is_evaluated_once_per_query_as_an_initplan(
    app_conn: asyncpg.Connection, zava_db: SeededDatabase
) -> None:
    async with app_conn.transaction():
        await bind(app_conn, zava_db, SEATTLE_MANAGER)
        plan = "\n".join(r[0] for r in await app_conn.fetch("EXPLAIN " + COUNT_ORDERS))
    assert "InitPlan" in plan
    assert "SubPlan" not in plan


async def test_nothing_of_a_unit_of_work_survives_on_its_pooled_connection(
    zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    """Session-level settings written by a statement (had it slipped through) do not widen or
    unbound the next caller on the same pooled connection."""
    engine = create_engine(zava_db.target.app_url, PoolSettings(min_size=1, max_size=1, statement_timeout_ms=30_000))
    factory = SqlAlchemyUnitOfWorkFactory(engine, zava_db.target.context_key, 5_000)
    limits = QueryLimits()

    def stmt(sql: str) -> CheckedStatement:
        return CheckedStatement(sql, "", "select", frozenset())

    try:
        async with factory(Principal(HEAD_OFFICE)) as uow:
            with pytest.raises(AuthorizationError):  # the database wall: set_config is not the app's
                await uow.sales.run(stmt("SELECT set_config('statement_timeout', '0', false)"), limits)
        async with factory(Principal(HEAD_OFFICE)) as uow:
            for setting in ("statement_timeout = 0", "zava.principal = 'x'", "search_path = zava_private, retail"):
                await uow.connection.execute(text(f"SET {setting}"))
            # The backend's pid from the protocol: pg_backend_pid() is not the app role's to call.
            before = _driver(await uow.connection.get_raw_connection()).get_server_pid()
        async with factory(Principal(SEATTLE_MANAGER)) as uow:
            same = _driver(await uow.connection.get_raw_connection()).get_server_pid()
            timeout = [[(await uow.connection.exec_driver_sql("SHOW statement_timeout")).scalar_one()]]
            orders = (await uow.sales.run(stmt(COUNT_ORDERS), limits)).rows
        assert same == before  # the same pooled connection served both
        assert timeout == [["5s"]]
        assert orders == [[await managed_order_count(admin_conn, SEATTLE_MANAGER)]]
    finally:
        await engine.dispose()
