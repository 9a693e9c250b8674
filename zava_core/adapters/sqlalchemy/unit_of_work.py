"""One unit of work = one read-only transaction = one principal.

Entering opens a pooled connection, begins a READ ONLY transaction and proves the principal to
the database with ``set_principal`` (transaction-local settings: they end with the transaction,
so a pooled connection never carries a tenant to the next caller). Leaving rolls back: nothing
here is ever committed.

Every step runs inside the one error translation (``errors.translate_errors``): the pool wait and
the bind on entry, the rollback and the return of the connection on exit. A failure while leaving
never hides the error that is already on its way out; a connection whose rollback failed is
invalidated, so the pool never hands it to the next caller.
"""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from zava_core.adapters.sqlalchemy.business import SqlBusinessQueries
from zava_core.adapters.sqlalchemy.catalog import SqlSchemaCatalog
from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.products import SqlProductSearch
from zava_core.adapters.sqlalchemy.sales import SqlSalesQueries
from zava_core.domain.principal import Principal

__all__ = ["SqlAlchemyUnitOfWork", "SqlAlchemyUnitOfWorkFactory"]

# One round trip binds the principal and the transaction's statement timeout; set_config itself is
# not executable by the application role (migration 0005), so the SECURITY DEFINER function sets it.
_BIND_CONTEXT = text("SELECT zava_private.set_principal(CAST(:user_id AS uuid), :key, CAST(:timeout_ms AS integer))")


class SqlAlchemyUnitOfWork:
    sales: SqlSalesQueries
    catalog: SqlSchemaCatalog
    products: SqlProductSearch
    business: SqlBusinessQueries

    def __init__(self, engine: AsyncEngine, context_key: str, principal: Principal, statement_timeout_ms: int) -> None:
        self.principal = principal
        self._engine = engine
        self._context_key = context_key
        self._timeout_ms = int(statement_timeout_ms)
        self._connection: AsyncConnection | None = None
        self._transaction: AsyncTransaction | None = None

    @property
    def connection(self) -> AsyncConnection:
        """The transaction's connection, already bound to the principal. Not part of the port:
        the service path never needs it; the security tests use it to attack beneath the
        statement check, as a client that bypassed it would."""
        if self._connection is None:
            raise RuntimeError("the unit of work is not active")
        return self._connection

    async def __aenter__(self) -> Self:
        with translate_errors(connecting=True):
            connection = await self._engine.connect()
        with translate_errors():
            try:
                connection = await connection.execution_options(postgresql_readonly=True)
                self._transaction = await connection.begin()
                await connection.execute(
                    _BIND_CONTEXT,
                    {"user_id": str(self.principal.user_id), "key": self._context_key, "timeout_ms": self._timeout_ms},
                )
            except BaseException:
                with suppress(Exception):  # the failure to report is the one above
                    await connection.close()
                raise
        self._connection = connection
        self.sales = SqlSalesQueries(connection)
        self.catalog = SqlSchemaCatalog(connection)
        self.products = SqlProductSearch(connection)
        self.business = SqlBusinessQueries(connection)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        transaction, self._transaction = self._transaction, None
        try:
            with translate_errors():
                try:
                    if transaction is not None and transaction.is_active:
                        await transaction.rollback()
                except Exception:
                    # Nothing is lost (the transaction only read); a connection that cannot roll
                    # back is dropped instead of going back to the pool.
                    await connection.invalidate()
                finally:
                    await connection.close()
        except Exception:
            if exc is None:
                raise
            # The error already leaving the block is the caller's answer; this one adds nothing.


class SqlAlchemyUnitOfWorkFactory:
    """Makes units of work on one engine; the container builds one per process."""

    def __init__(self, engine: AsyncEngine, context_key: str, statement_timeout_ms: int) -> None:
        self._engine = engine
        self._context_key = context_key
        self._statement_timeout_ms = statement_timeout_ms

    def __call__(self, principal: Principal, *, statement_timeout_ms: int | None = None) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(
            self._engine, self._context_key, principal, statement_timeout_ms or self._statement_timeout_ms
        )
