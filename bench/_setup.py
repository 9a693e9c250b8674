"""A temporary embedded PostgreSQL with a migrated, seeded Zava database, for benchmarks."""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from zava_mcp_adapter.database import embedded
from zava_mcp_adapter.database.provisioning import DatabaseTarget, create_database_if_missing, prepare_database
from zava_mcp_adapter.database.seeding import seed_database
from zava_mcp_adapter.settings import Settings


@asynccontextmanager
async def seeded_database(scale: float, seed: int = 42) -> AsyncIterator[tuple[DatabaseTarget, Settings]]:
    with tempfile.TemporaryDirectory(prefix="zava-bench-") as tmp:
        data_dir = Path(tmp)
        server = embedded.start(data_dir)
        try:
            target = DatabaseTarget(
                app_url=server.url("zava", "zava_app", "bench-password"),
                admin_url=server.url("zava"),
                context_key="bench-" + uuid.uuid4().hex,
                app_password="bench-password",
                jwt_secret="bench-" + uuid.uuid4().hex,
                embedded=False,
            )
            settings = Settings(
                database_url=target.app_url,  # type: ignore[arg-type]
                admin_database_url=target.admin_url,  # type: ignore[arg-type]
                context_key=target.context_key,  # type: ignore[arg-type]
                jwt_secret=target.jwt_secret,  # type: ignore[arg-type]
                data_dir=data_dir,
            )
            assert target.admin_url is not None
            await create_database_if_missing(target.admin_url, "zava")
            await prepare_database(settings, target)
            started = time.perf_counter()
            report = await seed_database(target, seed=seed, scale=scale, show_progress=False)
            print(
                f"seeded scale {scale}: {sum(report.row_counts.values()):,} rows in {time.perf_counter() - started:.1f} s"
            )
            yield target, settings
        finally:
            embedded.stop(data_dir)
