"""Alembic environment: runs migrations on an async (asyncpg) connection.

`zava db migrate` hands an open connection in through ``config.attributes["connection"]``; a
plain ``alembic upgrade head`` builds one from ZAVA_ADMIN_DATABASE_URL. Migrations must run as a
role that may create roles and extensions (the embedded server's superuser, or an administrator).

This folder ships in the wheel as the package ``zava_migrations`` and runs from there with a
``Config`` built in code (``zava_mcp_adapter.database.migrations``); developers run it here with
``alembic -c alembic.ini``. So it, and every migration, imports only alembic and SQLAlchemy:
never the source tree, which an installed package does not have.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_url(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: run them against a database.")

connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = os.environ.get("ZAVA_ADMIN_DATABASE_URL")
    if not url:
        raise SystemExit("Set ZAVA_ADMIN_DATABASE_URL (postgresql+asyncpg://...) or run `zava db migrate`.")
    asyncio.run(_run_from_url(url))
