"""Migrations go down as cleanly as they go up, on a seeded database; the database wall
(migration 0005) goes down to exactly the privileges it found and is reconciled on every migrate."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from tests.conftest import SeededDatabase, make_target
from zava_core.adapters.sqlalchemy import privileges
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_mcp_adapter.database.provisioning import (
    DatabaseTarget,
    create_database_if_missing,
    install_credentials,
    migrate,
    report_wall,
)
from zava_mcp_adapter.database.seeding import seed_database

pytestmark = pytest.mark.integration

DATABASE = "zava_migrations"


async def _shape(dsn: str) -> dict[str, object]:
    conn = await asyncpg.connect(dsn)
    try:
        tables = await conn.fetch(
            "SELECT c.relname, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'retail' AND c.relkind = 'r' ORDER BY 1"
        )
        policies = await conn.fetchval("SELECT count(*) FROM pg_policy")
        functions = await conn.fetchval(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'zava_private'"
        )
        version = (
            await conn.fetchval("SELECT version_num FROM alembic_version")
            if await conn.fetchval("SELECT to_regclass('public.alembic_version') IS NOT NULL")
            else None
        )
        return {"tables": [tuple(r) for r in tables], "policies": policies, "functions": functions, "version": version}
    finally:
        await conn.close()


async def test_downgrade_to_base_then_upgrade_head_on_seeded_database(zava_db: SeededDatabase) -> None:
    target = make_target(zava_db.server, DATABASE)
    assert target.admin_url is not None
    admin_dsn = target.admin_dsn
    await create_database_if_missing(target.admin_url, DATABASE)
    await asyncio.to_thread(migrate, target.admin_url)
    await install_credentials(target.admin_url, context_key=target.context_key, app_password=target.app_password)
    report = await seed_database(target, scale=0.005, show_progress=False)
    assert report.row_counts["orders"] > 0
    before = await _shape(admin_dsn)

    await asyncio.to_thread(migrate, target.admin_url, revision="base", down=True)
    emptied = await _shape(admin_dsn)
    assert emptied["tables"] == []
    assert emptied["policies"] == 0
    assert emptied["functions"] == 0

    await asyncio.to_thread(migrate, target.admin_url)
    await install_credentials(target.admin_url, context_key=target.context_key, app_password=target.app_password)
    assert await _shape(admin_dsn) == before
    again = await seed_database(target, scale=0.005, show_progress=False)
    assert again.row_counts == report.row_counts


async def test_other_database_keeps_working_after_a_downgrade_elsewhere(zava_db: SeededDatabase) -> None:
    """Roles are cluster-wide: downgrading one database must not break another one's server."""
    conn = await asyncpg.connect(zava_db.app_dsn)
    try:
        assert await conn.fetchval("SHOW default_transaction_read_only") == "on"
    finally:
        await conn.close()


WALL_DATABASE = "zava_wall_migrations"

_ACL_SNAPSHOT = """
SELECT 'f' AS kind, p.oid::regprocedure::text AS ident, a.grantee::regrole::text AS grantee, a.privilege_type
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
     aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
WHERE n.nspname IN ('pg_catalog', 'information_schema', 'public')
UNION ALL
SELECT 'r', c.oid::regclass::text, a.grantee::regrole::text, a.privilege_type
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
     aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
WHERE n.nspname IN ('pg_catalog', 'information_schema')
UNION ALL
SELECT 'c', c.oid::regclass::text || '.' || t.attname, a.grantee::regrole::text, a.privilege_type
FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace,
     aclexplode(t.attacl) a
WHERE n.nspname IN ('pg_catalog', 'information_schema')
"""


async def _acls(dsn: str) -> set[tuple[str, ...]]:
    conn = await asyncpg.connect(dsn)
    try:
        return {tuple(r) for r in await conn.fetch(_ACL_SNAPSHOT)}
    finally:
        await conn.close()


async def _wall_database(zava_db: SeededDatabase) -> DatabaseTarget:
    target = make_target(zava_db.server, WALL_DATABASE)
    assert target.admin_url is not None
    await create_database_if_missing(target.admin_url, WALL_DATABASE)
    await asyncio.to_thread(migrate, target.admin_url)
    await install_credentials(target.admin_url, context_key=target.context_key, app_password=target.app_password)
    return target


async def test_the_wall_goes_down_to_exactly_the_privileges_it_found(zava_db: SeededDatabase) -> None:
    target = await _wall_database(zava_db)
    assert target.admin_url is not None
    await asyncio.to_thread(migrate, target.admin_url, revision="0004", down=True)
    without = await _acls(target.admin_dsn)
    await asyncio.to_thread(migrate, target.admin_url)
    walled = await _acls(target.admin_dsn)
    assert ("f", "current_setting(text)", "-", "EXECUTE") in without  # "-" is PUBLIC
    assert ("f", "current_setting(text)", "-", "EXECUTE") not in walled
    await asyncio.to_thread(migrate, target.admin_url, revision="0004", down=True)
    assert await _acls(target.admin_dsn) == without
    await asyncio.to_thread(migrate, target.admin_url)
    assert await _acls(target.admin_dsn) == walled


async def test_every_migrate_reconciles_the_wall_with_the_list_in_code(
    zava_db: SeededDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    """Grants the list does not name (an operator's hand, an old list) are taken back by the
    next migrate, and until then both the migrate report and the start-up probe name them."""
    target = await _wall_database(zava_db)
    assert target.admin_url is not None
    admin = await asyncpg.connect(target.admin_dsn)
    try:
        await admin.execute("GRANT EXECUTE ON FUNCTION pg_catalog.current_setting(text) TO zava_app")
        await admin.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) TO PUBLIC")
        await admin.execute("GRANT SELECT ON pg_catalog.pg_stats TO PUBLIC")
    finally:
        await admin.close()
    engine = create_engine(target.app_url, PoolSettings(min_size=1, max_size=1))
    try:
        gaps = await privileges.probe_as_app(engine)
        assert set(gaps) == {
            "pg_catalog.current_setting(text)",
            "pg_catalog.pg_stat_get_live_tuples(oid)",
            "pg_catalog.pg_stats",
        }
        report_wall(privileges.WallReport(gaps=gaps))
        assert "pg_catalog.pg_stats" in caplog.text
        assert "docs/operations.md" in caplog.text
        await asyncio.to_thread(migrate, target.admin_url)
        assert await privileges.probe_as_app(engine) == []
    finally:
        await engine.dispose()
