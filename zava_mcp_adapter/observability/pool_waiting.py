"""The pool's "waiting" figure: callers that asked for a unit of work and do not hold one yet.

SQLAlchemy reports connections in use and idle but keeps no count of the callers queued for one,
so the count is taken where Zava asks: around entering a unit of work (taking a pooled
connection, then one round trip to begin and bind the principal). A figure that stays above zero
means callers queue for the pool.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from prometheus_client import Gauge

from zava_core.domain.principal import Principal
from zava_core.ports.business import BusinessQueries
from zava_core.ports.products import ProductSearch
from zava_core.ports.unit_of_work import SalesQueries, SchemaCatalog, UnitOfWork, UnitOfWorkFactory

__all__ = ["WaitCountingUnitOfWorkFactory"]


class _CountedUnitOfWork:
    sales: SalesQueries
    catalog: SchemaCatalog
    products: ProductSearch
    business: BusinessQueries

    def __init__(self, inner: UnitOfWork, waiting: Gauge) -> None:
        self._inner = inner
        self._waiting = waiting
        self.principal = inner.principal

    async def __aenter__(self) -> Self:
        with self._waiting.track_inprogress():
            await self._inner.__aenter__()
        self.sales, self.catalog = self._inner.sales, self._inner.catalog
        self.products, self.business = self._inner.products, self._inner.business
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._inner.__aexit__(exc_type, exc, tb)


class WaitCountingUnitOfWorkFactory:
    """A ``UnitOfWorkFactory`` whose units count themselves in ``waiting`` until they are open."""

    def __init__(self, inner: UnitOfWorkFactory, waiting: Gauge) -> None:
        self._inner = inner
        self._waiting = waiting

    def __call__(self, principal: Principal, *, statement_timeout_ms: int | None = None) -> UnitOfWork:
        return _CountedUnitOfWork(self._inner(principal, statement_timeout_ms=statement_timeout_ms), self._waiting)
