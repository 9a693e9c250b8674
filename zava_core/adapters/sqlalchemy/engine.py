"""The one async engine of a process, and the start-up check that it may not bypass RLS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from zava_core.adapters.sqlalchemy.values import install_value_codecs
from zava_core.domain.errors import ConfigurationError

__all__ = ["PoolSettings", "create_engine", "verify_least_privilege", "warm_up"]


@dataclass(frozen=True, slots=True)
class PoolSettings:
    min_size: int = 2
    max_size: int = 10
    recycle_seconds: int = 300
    command_timeout_seconds: float = 30.0
    application_name: str = "zava-mcp"
    jit: bool = False
    work_mem: str = "4MB"
    statement_timeout_ms: int = 30_000
    #: Prepared statements SQLAlchemy keeps per connection (LRU). Model statements are mostly
    #: one-off texts: the bound keeps them from piling up in each server backend, and an evicted
    #: statement is closed on the server by asyncpg on the connection's next call.
    prepared_statement_cache_size: int = 100


def create_engine(url: str, pool: PoolSettings) -> AsyncEngine:
    """Build the engine once per process; every call reuses its pooled connections.

    ``min_size`` connections are kept (SQLAlchemy's ``pool_size``) and up to ``max_size`` opened
    under load (the rest as overflow). ``pool_pre_ping`` is off: it would cost a round trip per
    call, and a broken connection surfaces as a clean DATABASE_ERROR instead.
    """
    engine = create_async_engine(
        url,
        # JSON arrives as text: values.py is the one place that parses it, so a value too deep
        # to parse fails there as a coded error instead of inside the driver.
        json_deserializer=_json_as_text,
        pool_size=pool.min_size,
        max_overflow=max(pool.max_size - pool.min_size, 0),
        pool_recycle=pool.recycle_seconds,
        pool_timeout=pool.command_timeout_seconds,
        connect_args={
            "prepared_statement_cache_size": pool.prepared_statement_cache_size,
            "command_timeout": pool.command_timeout_seconds,
            "server_settings": {
                "application_name": pool.application_name,
                "jit": "on" if pool.jit else "off",
                "work_mem": pool.work_mem,
                "statement_timeout": f"{pool.statement_timeout_ms}ms",
                # The statement check parses with these; the server must read strings the same way.
                "standard_conforming_strings": "on",
                "client_encoding": "UTF8",
            },
        },
    )
    event.listen(engine.sync_engine, "connect", _skip_jit_toggle)
    # After the jit switch: registering a codec runs the driver's type introspection.
    event.listen(engine.sync_engine, "connect", install_value_codecs)
    return engine


def _skip_jit_toggle(dbapi_connection: Any, _record: Any) -> None:
    """asyncpg reads and writes ``jit`` with current_setting/set_config around its type
    introspection; the database wall denies both to the application role, and ``jit`` is already
    off for this engine's connections (server_settings), so the toggle is skipped."""
    raw = dbapi_connection.driver_connection
    raw._server_caps = raw._server_caps._replace(jit=False)  # asyncpg has no public switch


def _json_as_text(value: str) -> str:
    return value


async def warm_up(engine: AsyncEngine, connections: int) -> None:
    """Open the pool's minimum number of connections now rather than on the first calls."""
    held = [await engine.connect() for _ in range(connections)]
    for conn in held:
        await conn.close()


_PRIVILEGE_CHECK = text(
    """
    SELECT r.rolsuper, r.rolbypassrls,
           (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'retail' AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owned
    FROM pg_roles r WHERE r.rolname = current_user
    """
)


async def verify_least_privilege(engine: AsyncEngine) -> None:
    """Refuse to serve through a role that row-level security would not bind.

    A superuser, a BYPASSRLS role or the owner of the tables would see every store: the very
    failure this product exists to prevent. Fail closed at start-up instead.
    """
    async with engine.connect() as conn:
        row = (await conn.execute(_PRIVILEGE_CHECK)).one()
        user = (await conn.execute(text("SELECT current_user"))).scalar_one()
    if row.rolsuper or row.rolbypassrls or row.owned:
        reason = "is a superuser" if row.rolsuper else "has BYPASSRLS" if row.rolbypassrls else "owns retail tables"
        raise ConfigurationError(
            f"Refusing to serve: the database role {user!r} {reason}, so row-level security would not apply.",
            hint="Connect as the zava_app role that `zava db migrate` creates (ZAVA_DATABASE_URL).",
        )
