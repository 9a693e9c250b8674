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
    """Runs checked statements under the unit of work's principal."""

    async def run(self, statement: CheckedStatement, limits: QueryLimits) -> QueryResult:
        """The rows of ``statement``, cut to ``limits`` (and marked truncated when cut). Raises
        ``QueryTimeout``, ``AuthorizationError`` or ``DatabaseError`` as the database refuses."""
        ...


class SchemaCatalog(Protocol):
    """The exposed tables, as the principal sees them."""

    async def describe(self, table_names: Sequence[str]) -> list[TableSchema]:
        """Columns, keys and valid values of each named table (``retail.`` prefix optional), in
        order; raises ``ValidationError`` naming any table that is not exposed."""
        ...

    async def table_names(self) -> list[str]:
        """The names of the exposed tables."""
        ...

    async def order_dates(self) -> tuple[dt.date, dt.date] | None:
        """The first and last order date the principal can see; None when it sees no orders."""
        ...


class UnitOfWork(Protocol):
    """Enter it (``async with``) before touching a repository; they read inside its transaction."""

    # Read-only members: an implementation may hold its own repository types (a protocol's
    # settable attribute would have to be declared with the port's type exactly).
    @property
    def principal(self) -> Principal:
        """Whose row-level-security context the transaction is bound to."""
        ...

    @property
    def sales(self) -> SalesQueries:
        """The checked-statement runner."""
        ...

    @property
    def catalog(self) -> SchemaCatalog:
        """The schema repository."""
        ...

    @property
    def products(self) -> ProductSearch:
        """The product search repository."""
        ...

    @property
    def business(self) -> BusinessQueries:
        """The business figures repository."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes one unit of work per call of a use case."""

    def __call__(self, principal: Principal, *, statement_timeout_ms: int | None = None) -> UnitOfWork:
        """A new, not yet entered unit of work for ``principal``; its statements time out after
        ``statement_timeout_ms`` (the factory's default when None). Entering it may raise
        ``DatabaseError`` or ``ResourceLimitExceeded``."""
        ...
