"""The unit of work of the administrator's writes: the bulk load and the embed job.

One connection, one transaction, and nothing kept unless ``commit()`` is awaited: leaving the
block any other way (an error, an early return) rolls back. The statements of a write take the
unit of work's ``connection`` and never commit themselves, so the use case alone decides where a
transaction ends (the load: once, at the end; the embed job: once per batch).

Reads for the model go through the read-only ``unit_of_work`` instead; this one exists for the
roles that may write (the application role is read-only).
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

__all__ = ["SqlAlchemyWriteUnitOfWork"]


class SqlAlchemyWriteUnitOfWork:
    """``async with SqlAlchemyWriteUnitOfWork(engine) as uow: ...; await uow.commit()``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._transaction: AsyncTransaction | None = None

    @property
    def connection(self) -> AsyncConnection:
        """The connection the writes run on, inside the unit of work's transaction."""
        if self._connection is None:
            raise RuntimeError("The write unit of work is not open: use it in `async with`.")
        return self._connection

    async def __aenter__(self) -> Self:
        connection = await self._engine.connect()
        try:
            self._transaction = await connection.begin()
        except BaseException:
            await connection.close()
            raise
        self._connection = connection
        return self

    async def commit(self) -> None:
        """Keep every write made so far; the unit of work's transaction ends here."""
        await self._active_transaction().commit()

    async def rollback(self) -> None:
        """Discard every write made so far; the unit of work's transaction ends here."""
        await self._active_transaction().rollback()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        connection, transaction = self._connection, self._transaction
        self._connection = self._transaction = None
        if connection is None:
            return
        try:
            if transaction is not None and transaction.is_active:
                await transaction.rollback()
        finally:
            await connection.close()

    def _active_transaction(self) -> AsyncTransaction:
        if self._transaction is None or not self._transaction.is_active:
            raise RuntimeError("The write unit of work has no open transaction (not entered, or already ended).")
        return self._transaction
