"""Engines for one piece of administrative work: create a database, migrate, load, embed, check.

The server's own engine (``zava_core.adapters.sqlalchemy.engine``) is pooled and lives as long as
the process. Commands and probes connect once or twice and exit, so theirs keep no pool: each
connection is opened when asked for, closed when released, and the engine is disposed on exit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

__all__ = ["one_shot_engine"]


@asynccontextmanager
async def one_shot_engine(
    url: str, *, autocommit: bool = False, connect_timeout: float | None = None
) -> AsyncIterator[AsyncEngine]:
    """An unpooled engine on ``url`` (a ``postgresql+asyncpg://`` URL), disposed on exit.

    ``autocommit`` runs each statement on its own, for those that may not run in a transaction
    (CREATE DATABASE). ``connect_timeout`` bounds, in seconds, how long connecting may take.
    """
    options: dict[str, Any] = {"poolclass": NullPool}
    if autocommit:
        options["isolation_level"] = "AUTOCOMMIT"
    if connect_timeout is not None:
        options["connect_args"] = {"timeout": connect_timeout}
    engine = create_async_engine(url, **options)
    try:
        yield engine
    finally:
        await engine.dispose()
