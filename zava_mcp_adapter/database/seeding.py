"""Load the generated Zava dataset through the administrator connection (COPY)."""

from __future__ import annotations

from zava_core.adapters.progress import RichProgress
from zava_core.adapters.sqlalchemy.loader import LoadReport, load_dataset
from zava_core.dataset.generator import generate
from zava_mcp_adapter.database.engines import one_shot_engine
from zava_mcp_adapter.database.provisioning import DatabaseTarget

__all__ = ["seed_database"]


async def seed_database(
    target: DatabaseTarget, *, seed: int = 42, scale: float = 1.0, force: bool = False, show_progress: bool = True
) -> LoadReport:
    async with one_shot_engine(target.require_admin_url("Seeding")) as engine:
        dataset = generate(seed=seed, scale=scale)
        if not show_progress:
            return await load_dataset(engine, dataset, force=force)
        with RichProgress() as progress:
            return await load_dataset(engine, dataset, force=force, progress=progress)
