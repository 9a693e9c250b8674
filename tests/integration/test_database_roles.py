"""The server's role cannot bypass row-level security, and the server refuses one that can."""

from __future__ import annotations

import asyncpg
import pytest

from tests.conftest import SeededDatabase
from zava_core.adapters.sqlalchemy.catalog import EXPOSED_TABLES
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine, verify_least_privilege
from zava_core.domain.errors import ConfigurationError

pytestmark = pytest.mark.integration


async def test_app_role_owns_no_table_and_has_no_bypassrls(admin_conn: asyncpg.Connection) -> None:
    role = await admin_conn.fetchrow(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'zava_app'"
    )
    assert role is not None
    assert dict(role) == {"rolsuper": False, "rolbypassrls": False, "rolcreaterole": False, "rolcreatedb": False}
    owned = await admin_conn.fetchval(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'zava_app'"
    )
    assert owned == 0


async def test_every_table_with_store_id_has_forced_rls_with_using_and_check(admin_conn: asyncpg.Connection) -> None:
    rows = await admin_conn.fetch(
        """
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
               bool_and(p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL) AS complete
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'store_id'
        LEFT JOIN pg_policy p ON p.polrelid = c.oid
        WHERE n.nspname = 'retail' AND c.relkind = 'r'
        GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity
        """
    )
    assert {r["relname"] for r in rows} >= {"stores", "customers", "inventory", "orders", "order_items"}
    for row in rows:
        assert row["relrowsecurity"], row["relname"]
        assert row["relforcerowsecurity"], row["relname"]
        assert row["complete"], row["relname"]


async def test_exposed_tables_are_exactly_what_the_app_role_may_read(admin_conn: asyncpg.Connection) -> None:
    readable = await admin_conn.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'retail' AND c.relkind = 'r' AND has_table_privilege('zava_app', c.oid, 'SELECT')"
    )
    assert {r["relname"] for r in readable} == set(EXPOSED_TABLES["retail"])


async def test_app_role_cannot_read_the_context_secret(app_conn: asyncpg.Connection) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await app_conn.fetch("SELECT * FROM zava_private.context_keys")


async def test_app_role_sessions_default_to_read_only(app_conn: asyncpg.Connection) -> None:
    assert await app_conn.fetchval("SHOW default_transaction_read_only") == "on"
    with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
        await app_conn.execute("DELETE FROM retail.orders")


async def test_server_refuses_to_start_as_superuser(zava_db: SeededDatabase) -> None:
    assert zava_db.target.admin_url is not None
    engine = create_engine(zava_db.target.admin_url, PoolSettings(min_size=1))
    try:
        with pytest.raises(ConfigurationError, match="superuser"):
            await verify_least_privilege(engine)
    finally:
        await engine.dispose()


async def test_server_accepts_the_app_role(zava_db: SeededDatabase) -> None:
    engine = create_engine(zava_db.target.app_url, PoolSettings(min_size=1))
    try:
        await verify_least_privilege(engine)
    finally:
        await engine.dispose()
