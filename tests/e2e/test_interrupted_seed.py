"""A seed killed halfway leaves nothing behind, and running it again completes it.

``zava db seed`` runs as a real process against a fresh database and is killed with SIGKILL
while its COPY is running (no cleanup code of ours can run). The load is one transaction, so the
server rolls it back: no table holds a row and no seed is recorded. Running the same command again
loads every row the generator announces.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import SeededDatabase, make_settings, make_target
from tests.e2e.conftest import server_env
from zava_core.dataset.generator import generate
from zava_mcp_adapter.database.provisioning import create_database_if_missing, prepare_database

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DATABASE = "zava_interrupted"
SEED = 11
SCALE = 0.05
SEED_ARGUMENTS = ("--seed", str(SEED), "--scale", str(SCALE), "--no-embed")
TABLES = ("stores", "customers", "categories", "product_types", "products", "inventory", "orders", "order_items")


def _seed_command(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "zava_mcp_adapter.cli.main", "db", "seed", *SEED_ARGUMENTS],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def _counts(admin: asyncpg.Connection) -> dict[str, int]:
    return {t: int(await admin.fetchval(f"SELECT count(*) FROM retail.{t}")) for t in TABLES}


async def _copy_running(admin: asyncpg.Connection) -> bool:
    return bool(
        await admin.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'COPY%'", DATABASE
        )
    )


async def test_a_seed_killed_during_copy_leaves_nothing_and_reruns_to_completion(
    zava_db: SeededDatabase, tmp_path: Path
) -> None:
    target = make_target(zava_db.server, DATABASE)
    assert target.admin_url is not None
    await create_database_if_missing(target.admin_url, DATABASE)
    await prepare_database(make_settings(target, tmp_path), target)
    env = server_env(zava_db) | {
        "ZAVA_DATABASE_URL": target.app_url,
        "ZAVA_ADMIN_DATABASE_URL": target.admin_url,
        "ZAVA_CONTEXT_KEY": target.context_key,
    }
    admin = await asyncpg.connect(target.admin_dsn)
    try:
        process = _seed_command(env)
        deadline = time.monotonic() + 120
        while not await _copy_running(admin):
            assert process.poll() is None, "the seed ended before its COPY was seen"
            assert time.monotonic() < deadline, "no COPY seen within 120 s"
            await asyncio.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        # The server notices the dead client and rolls its transaction back.
        while await _copy_running(admin):  # noqa: ASYNC110 - the server's state, polled: nothing to await
            await asyncio.sleep(0.05)

        assert await _counts(admin) == dict.fromkeys(TABLES, 0)
        assert await admin.fetchval("SELECT count(*) FROM zava_private.seed_state") == 0

        rerun = _seed_command(env)
        _, stderr = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, stderr.decode()[-2000:]
        expected = generate(seed=SEED, scale=SCALE).row_counts()
        assert await _counts(admin) == {t: expected[t] for t in TABLES}
    finally:
        await admin.close()
        cleanup = await asyncpg.connect(zava_db.admin_dsn)
        try:
            await cleanup.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        finally:
            await cleanup.close()
