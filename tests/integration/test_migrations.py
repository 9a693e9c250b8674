"""Migrations go down as cleanly as they go up, on a seeded database."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from tests.conftest import SeededDatabase, make_target
from zava_mcp_adapter.database.provisioning import create_database_if_missing, install_credentials, migrate
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
