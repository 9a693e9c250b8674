"""The unit of work: one transaction, one principal, read-only.

Everything a service does for a request happens inside one ``UnitOfWork``: it opens a
transaction, binds the principal's row-level-security context to that transaction only, exposes
the repositories, and ends the transaction on exit (there is nothing to commit: it is read-only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self

from zava_core.domain.principal import Principal
from zava_core.domain.results import QueryResult
from zava_core.domain.schema import TableSchema
from zava_core.domain.statements import CheckedStatement, QueryLimits
from zava_core.ports.business import BusinessQueries
from zava_core.ports.products import ProductSearch


class SalesQueries(Protocol):
    async def run(self, statement: CheckedStatement, limits: QueryLimits) -> QueryResult: ...


class SchemaCatalog(Protocol):
    async def describe(self, table_names: Sequence[str]) -> list[TableSchema]: ...

    async def table_names(self) -> list[str]: ...

    async def order_dates(self) -> tuple[dt.date, dt.date] | None:
        """The first and last order date the principal can see; None when it sees no orders."""
        ...


class UnitOfWork(Protocol):
    # Read-only members: an implementation may hold its own repository types (a protocol's
    # settable attribute would have to be declared with the port's type exactly).
    @property
    def principal(self) -> Principal: ...

    @property
    def sales(self) -> SalesQueries: ...

    @property
    def catalog(self) -> SchemaCatalog: ...

    @property
    def products(self) -> ProductSearch: ...

    @property
    def business(self) -> BusinessQueries: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, principal: Principal, *, statement_timeout_ms: int | None = None) -> UnitOfWork: ...
