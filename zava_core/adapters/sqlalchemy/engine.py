"""The one async engine of a process, and the start-up check that it may not bypass RLS."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_delay, wait_random_exponential

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.values import install_value_codecs
from zava_core.domain.errors import ConfigurationError, DatabaseUnavailable

__all__ = [
    "CLIENT_TIMEOUT_MARGIN_SECONDS",
    "PoolSettings",
    "create_engine",
    "verify_least_privilege",
    "wait_for_database",
    "warm_up",
]

logger = logging.getLogger("zava.database")

#: How far the driver's command timeout sits above the server's statement timeout.
CLIENT_TIMEOUT_MARGIN_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 10.0
CLIENT_CHECK_INTERVAL_MS = 1000


@dataclass(frozen=True, slots=True)
class PoolSettings:
    min_size: int = 2
    max_size: int = 10
    recycle_seconds: int = 300
    #: How long a call waits for a pooled connection before RESOURCE_LIMIT: a few seconds, so a
    #: full pool answers quickly instead of stalling every caller.
    pool_timeout_seconds: float = 3.0
    #: The driver's own deadline per command, a backstop for a server that stopped answering.
    #: None derives it from the statement timeout (see ``client_timeout_seconds``).
    command_timeout_seconds: float | None = None
    application_name: str = "zava-mcp"
    jit: bool = False
    work_mem: str = "4MB"
    statement_timeout_ms: int = 30_000
    #: Prepared statements SQLAlchemy keeps per connection (LRU). Model statements are mostly
    #: one-off texts: the bound keeps them from piling up in each server backend, and an evicted
    #: statement is closed on the server by asyncpg on the connection's next call.
    prepared_statement_cache_size: int = 100
    #: ``transaction``: a transaction-pooling proxy (PgBouncer) sits in front of the server. A
    #: server connection then serves other clients between our transactions, so nothing may
    #: outlive one: no cached named statements, and only the start-up parameters such a proxy
    #: passes on (the rest are set per transaction or on the role; see docs/scaling.md).
    pooler: Literal["none", "transaction"] = "none"

    @property
    def client_timeout_seconds(self) -> float:
        """The driver's deadline, always ``CLIENT_TIMEOUT_MARGIN_SECONDS`` past the server's
        statement timeout: the server cancels a long query first and says so (SQLSTATE 57014,
        QUERY_TIMEOUT); were the two equal, the driver would often win the race and drop the
        connection, reporting a connection failure for what is a slow query."""
        floor = self.statement_timeout_ms / 1000 + CLIENT_TIMEOUT_MARGIN_SECONDS
        return max(self.command_timeout_seconds or 0.0, floor)


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
        pool_timeout=pool.pool_timeout_seconds,
        connect_args=_connect_args(pool),
    )
    event.listen(engine.sync_engine, "connect", _skip_jit_toggle)
    # After the jit switch: registering a codec runs the driver's type introspection.
    event.listen(engine.sync_engine, "connect", install_value_codecs)
    return engine


def _connect_args(pool: PoolSettings) -> dict[str, Any]:
    server_settings = {
        "application_name": pool.application_name,
        # The statement check parses with these; the server must read strings the same way.
        "standard_conforming_strings": "on",
        "client_encoding": "UTF8",
    }
    args: dict[str, Any] = {
        "command_timeout": pool.client_timeout_seconds,
        # Opening a connection to a database that does not answer ends as DATABASE_UNAVAILABLE.
        "timeout": CONNECT_TIMEOUT_SECONDS,
        "server_settings": server_settings,
    }
    if pool.pooler == "transaction":
        # Statements are prepared and run inside one transaction, under names no other client of
        # the proxy can collide with, and never cached past it. The statement timeout still
        # holds: set_principal sets it for every transaction.
        args["statement_cache_size"] = 0
        args["prepared_statement_cache_size"] = 0
        args["prepared_statement_name_func"] = _unique_statement_name
        return args
    server_settings |= {
        "jit": "on" if pool.jit else "off",
        "work_mem": pool.work_mem,
        "statement_timeout": f"{pool.statement_timeout_ms}ms",
        # PostgreSQL checks every second that the client of a running query is still there, and
        # cancels the query when it is not: a caller that goes away (a disconnected HTTP client,
        # a killed stdio process, a cancelled call whose connection the driver dropped) does not
        # leave its query running until the statement timeout.
        "client_connection_check_interval": f"{CLIENT_CHECK_INTERVAL_MS}ms",
    }
    args["prepared_statement_cache_size"] = pool.prepared_statement_cache_size
    return args


def _unique_statement_name() -> str:
    return f"__zava_{uuid.uuid4().hex}__"


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


async def wait_for_database(engine: AsyncEngine, wait_seconds: float) -> None:
    """Return once the database answers; until then retry with backoff and jitter (up to 5 s
    apart), logging why each attempt failed, for up to ``wait_seconds``.

    A server that starts next to its database (a container, a reboot) should wait for it rather
    than exit. Past the wait it raises ``DatabaseUnavailable`` saying how long it waited.
    """
    started = time.monotonic()
    host = engine.url.host or engine.url.query.get("host") or "localhost"
    where = f"{host}:{engine.url.port or 5432}"

    def say_why(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        cause = error.__cause__ if error is not None and error.__cause__ is not None else error
        pause = state.next_action.sleep if state.next_action is not None else 0.0
        logger.warning(
            "database at %s is not reachable yet (%s); retrying in %.1f s (waited %.0f of %.0f s)",
            where,
            f"{type(cause).__name__}: {cause}" if cause is not None else "no answer",
            pause,
            time.monotonic() - started,
            wait_seconds,
        )

    retrying = AsyncRetrying(
        retry=retry_if_exception_type(DatabaseUnavailable),
        wait=wait_random_exponential(multiplier=0.5, max=5.0),
        stop=stop_after_delay(wait_seconds),
        before_sleep=say_why,
        reraise=True,
    )
    try:
        async for attempt in retrying:
            with attempt, translate_errors(connecting=True):
                async with engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
    except DatabaseUnavailable as exc:
        raise DatabaseUnavailable(
            f"The database at {where} did not answer within {wait_seconds:.0f} s.",
            hint="Start the database or fix its address, then start the server again (or let it wait longer).",
        ) from exc
    if time.monotonic() - started > 1:
        logger.warning("database at %s answers after %.1f s; serving", where, time.monotonic() - started)


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
