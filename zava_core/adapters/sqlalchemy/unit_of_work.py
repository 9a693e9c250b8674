"""One unit of work = one read-only transaction = one principal.

Entering opens a pooled connection, begins a READ ONLY transaction and proves the principal to
the database with ``set_principal`` (transaction-local settings: they end with the transaction,
so a pooled connection never carries a tenant to the next caller). Leaving rolls back: nothing
here is ever committed.
"""

from __future__ import annotations

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
        if self._connection is None:
            raise RuntimeError("the unit of work is not active")
        return self._connection

    async def __aenter__(self) -> Self:
        with translate_errors():
            connection = await self._engine.connect()
            try:
                connection = await connection.execution_options(postgresql_readonly=True)
                self._transaction = await connection.begin()
                await connection.execute(
                    _BIND_CONTEXT,
                    {"user_id": str(self.principal.user_id), "key": self._context_key, "timeout_ms": self._timeout_ms},
                )
            except BaseException:
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
        try:
            if self._transaction is not None and self._transaction.is_active:
                await self._transaction.rollback()
        finally:
            await connection.close()


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
