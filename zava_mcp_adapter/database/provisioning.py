"""Resolve where the database is, create it, migrate it and hand the application its credentials."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from alembic import command
from sqlalchemy import Connection, text

from zava_core.adapters.sqlalchemy import privileges
from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.database import embedded
from zava_mcp_adapter.database.engines import one_shot_engine
from zava_mcp_adapter.database.migrations import alembic_config
from zava_mcp_adapter.database.secrets import load_or_create
from zava_mcp_adapter.settings import Settings

__all__ = ["DatabaseTarget", "driver_dsn", "migrate", "prepare_database", "resolve_target"]

logger = logging.getLogger("zava.database")

APP_ROLE = "zava_app"


@dataclass(frozen=True)
class DatabaseTarget:
    app_url: str
    admin_url: str | None
    context_key: str
    app_password: str | None
    jwt_secret: str | None
    embedded: bool

    @property
    def app_dsn(self) -> str:
        """The application URL for asyncpg itself (no SQLAlchemy driver suffix)."""
        return driver_dsn(self.app_url)

    @property
    def admin_dsn(self) -> str:
        """The administrator URL for asyncpg itself; refused when there is none."""
        return driver_dsn(self.require_admin_url("This"))

    def require_admin_url(self, purpose: str) -> str:
        """The administrator URL, or the one refusal saying that ``purpose`` needs it."""
        if self.admin_url is None:
            raise ConfigurationError(
                f"{purpose} needs an administrator connection.",
                hint="Set ZAVA_ADMIN_DATABASE_URL (postgresql+asyncpg://...) to a role that may create roles, "
                "extensions and load data (see docs/operations.md).",
            )
        return self.admin_url


def resolve_target(settings: Settings) -> DatabaseTarget:
    """Where to connect. With no ZAVA_DATABASE_URL this starts the embedded server."""
    if settings.database_url is not None:
        if settings.context_key is None:
            raise ConfigurationError("ZAVA_CONTEXT_KEY must be set with ZAVA_DATABASE_URL.")
        return DatabaseTarget(
            app_url=settings.database_url.get_secret_value(),
            admin_url=settings.admin_database_url.get_secret_value() if settings.admin_database_url else None,
            context_key=settings.context_key.get_secret_value(),
            app_password=settings.app_password.get_secret_value() if settings.app_password else None,
            jwt_secret=settings.jwt_secret.get_secret_value() if settings.jwt_secret else None,
            embedded=False,
        )
    local = load_or_create(settings.data_dir)
    server = embedded.start(settings.data_dir)
    password = settings.app_password.get_secret_value() if settings.app_password else local.app_password
    return DatabaseTarget(
        app_url=server.url(settings.database_name, APP_ROLE, password),
        admin_url=server.url(settings.database_name),
        context_key=settings.context_key.get_secret_value() if settings.context_key else local.context_key,
        app_password=password,
        jwt_secret=settings.jwt_secret.get_secret_value() if settings.jwt_secret else local.jwt_secret,
        embedded=True,
    )


def driver_dsn(url: str) -> str:
    """A SQLAlchemy ``postgresql+asyncpg://`` URL as the plain DSN that asyncpg takes."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def create_database_if_missing(admin_url: str, name: str) -> bool:
    """Create database ``name`` through the maintenance database; True when it was created."""
    maintenance = admin_url.replace(f"/{name}?", "/postgres?", 1) if f"/{name}?" in admin_url else admin_url
    # CREATE DATABASE may not run inside a transaction block.
    async with one_shot_engine(maintenance, autocommit=True) as engine, engine.connect() as conn:
        exists = (
            await conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        ).scalar_one_or_none()
        if not exists:
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return not exists


def migrate(admin_url: str, *, revision: str = "head", embedding_dimensions: int = 384, down: bool = False) -> None:
    """Run Alembic on ``admin_url`` (synchronously; call it from a thread in async code).

    After an upgrade to head the database wall is reconciled with the statement policy's list
    (``privileges.reconcile``): migration 0005 built it once, and this keeps it equal to the code
    that runs now, so that widening or narrowing the list needs no new migration and functions a
    PostgreSQL or pgvector upgrade added lose PUBLIC's EXECUTE at the next migrate.
    """

    def run(connection: Connection) -> None:
        config = alembic_config(embedding_dimensions=embedding_dimensions)
        config.attributes["connection"] = connection
        if down:
            command.downgrade(config, revision)
            return
        command.upgrade(config, revision)
        if revision == "head":
            report_wall(privileges.reconcile(connection))

    async def main() -> None:
        async with one_shot_engine(admin_url) as engine, engine.begin() as conn:
            await conn.run_sync(run)

    asyncio.run(main())


def report_wall(report: privileges.WallReport) -> None:
    """Say on stderr what the wall could not apply (a managed server without a superuser)."""
    for failure in report.failed:
        logger.warning("database wall: could not apply %s", failure)
    if report.gaps:
        logger.warning(
            "database wall incomplete: %s can still use %s. Revoking them needs the owner of pg_catalog "
            "(a superuser); see docs/operations.md, 'Managed servers without a superuser'.",
            privileges.APP_ROLE,
            ", ".join(report.gaps),
        )


async def install_credentials(admin_url: str, *, context_key: str, app_password: str | None) -> None:
    """Give the application role its password and the database the hash of the context key."""
    async with one_shot_engine(admin_url) as engine, engine.begin() as conn:
        await conn.execute(
            text("UPDATE zava_private.context_keys SET app_key_hash = sha256(convert_to(:key, 'UTF8'))"),
            {"key": context_key},
        )
        if app_password is not None:
            # ALTER ROLE takes no bind parameters; quote_literal does the quoting server-side.
            quoted = (await conn.execute(text("SELECT quote_literal(:p)"), {"p": app_password})).scalar_one()
            await conn.exec_driver_sql(f"ALTER ROLE {APP_ROLE} LOGIN PASSWORD {quoted}")


async def prepare_database(settings: Settings, target: DatabaseTarget, *, embedding_dimensions: int = 384) -> None:
    """Create (embedded only), migrate and credential the database. Idempotent."""
    if target.admin_url is None:
        raise ConfigurationError(
            "Migrations need an administrator connection.",
            hint="Set ZAVA_ADMIN_DATABASE_URL to a role that may create roles and extensions.",
        )
    if target.embedded:
        await create_database_if_missing(target.admin_url, settings.database_name)
    await asyncio.to_thread(migrate, target.admin_url, embedding_dimensions=embedding_dimensions)
    await install_credentials(target.admin_url, context_key=target.context_key, app_password=target.app_password)
