"""Load the generated Zava dataset through the administrator connection (COPY)."""

from __future__ import annotations

import asyncpg

from zava_core.adapters.progress import RichProgress
from zava_core.adapters.sqlalchemy.loader import LoadReport, load_dataset
from zava_core.dataset.generator import generate
from zava_mcp_adapter.database.provisioning import DatabaseTarget, driver_dsn

__all__ = ["seed_database"]


async def seed_database(
    target: DatabaseTarget, *, seed: int = 42, scale: float = 1.0, force: bool = False, show_progress: bool = True
) -> LoadReport:
    conn = await asyncpg.connect(driver_dsn(target.require_admin_url("Seeding")))
    try:
        dataset = generate(seed=seed, scale=scale)
        if not show_progress:
            return await load_dataset(conn, dataset, force=force)
        with RichProgress() as progress:
            return await load_dataset(conn, dataset, force=force, progress=progress)
    finally:
        await conn.close()
