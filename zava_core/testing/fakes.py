"""In-memory fakes of the ports, for unit tests here and in users' projects.

They keep the contracts that matter: a fake unit of work is entered once per call, knows its
principal and sees only the rows of the stores that principal may see. Every port has exactly one
fake here or in ``zava_core.testing.products`` / ``.embeddings``; ``zava_core.testing.conformance``
proves to ``mypy`` that each one implements its port.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Self

from zava_core.domain.audit import AuditEvent
from zava_core.domain.business import Figures, Period, Ranked, StoreRef
from zava_core.domain.errors import QueryRejected, ValidationError
from zava_core.domain.principal import Principal
from zava_core.domain.results import Column, QueryResult
from zava_core.domain.schema import ColumnInfo, TableSchema
from zava_core.domain.statements import CheckedStatement, QueryLimits
from zava_core.ports.business import BusinessQueries, RankBy
from zava_core.testing.products import CatalogProduct, FakeProductSearch

__all__ = [
    "FakeBusinessQueries",
    "FakeCache",
    "FakeCatalog",
    "FakeSalesQueries",
    "FakeUnitOfWork",
    "FakeUnitOfWorkFactory",
    "KeywordPolicy",
    "RecordingAuditLog",
    "RecordingProgress",
]


class KeywordPolicy:
    """Accepts statements that start with SELECT; a stand-in for the parser-based policy."""

    def check(self, sql: str) -> CheckedStatement:
        text = sql.strip().rstrip(";").strip()
        if not text.lower().startswith("select"):
            raise QueryRejected("not_read_only", "Only SELECT is allowed.", hint="Write a SELECT.")
        return CheckedStatement(text, hashlib.sha256(text.encode()).hexdigest()[:16], "select", frozenset())


class FakeSalesQueries:
    """Answers every statement with the ``store_id`` rows visible to the principal."""

    def __init__(self, rows_by_store: Mapping[uuid.UUID, int], visible: frozenset[uuid.UUID]) -> None:
        self._rows_by_store = rows_by_store
        self._visible = visible
        self.statements: list[CheckedStatement] = []

    async def run(self, statement: CheckedStatement, limits: QueryLimits) -> QueryResult:
        self.statements.append(statement)
        rows = [[str(store)] for store in sorted(self._visible) for _ in range(self._rows_by_store.get(store, 0))]
        return QueryResult(
            columns=[Column("store_id", "uuid")],
            rows=rows[: limits.max_rows],
            truncated=len(rows) > limits.max_rows,
            truncated_reason="max_rows" if len(rows) > limits.max_rows else None,
            row_count=min(len(rows), limits.max_rows),
            total_rows=len(rows),
            duration_ms=0.0,
        )


class FakeCatalog:
    """A schema of fixed tables (each with one ``store_id`` column) and fixed order dates."""

    def __init__(
        self, tables: Sequence[str] = ("orders", "stores"), dates: tuple[dt.date, dt.date] | None = None
    ) -> None:
        self._tables = list(tables)
        self.dates = dates
        self.calls = 0

    async def table_names(self) -> list[str]:
        return list(self._tables)

    async def order_dates(self) -> tuple[dt.date, dt.date] | None:
        return self.dates

    async def describe(self, table_names: Sequence[str]) -> list[TableSchema]:
        self.calls += 1
        names = [n.removeprefix("retail.") for n in table_names]
        unknown = [n for n in names if n not in self._tables]
        if unknown:
            raise ValidationError(f"Unknown table(s): {', '.join(unknown)}.")
        return [
            TableSchema("retail", n, None, [ColumnInfo("store_id", "uuid", False)], ["store_id"], [], True)
            for n in names
        ]


class FakeUnitOfWork:
    """All four repositories of one principal; counts how often it was entered and exited."""

    def __init__(
        self,
        principal: Principal,
        sales: FakeSalesQueries,
        catalog: FakeCatalog,
        business: BusinessQueries | None = None,
        products: FakeProductSearch | None = None,
    ) -> None:
        self.principal = principal
        self.sales = sales
        self.catalog = catalog
        self.business: BusinessQueries = business or FakeBusinessQueries([])
        self.products = products or FakeProductSearch([], frozenset(), {})
        self.entered = 0
        self.exited = 0

    async def __aenter__(self) -> Self:
        self.entered += 1
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.exited += 1


class FakeUnitOfWorkFactory:
    """Scopes: user id -> the stores it may see; an unknown user sees none (fail closed).

    Each unit of work answers sales queries from ``rows_by_store`` and product searches from
    ``products`` (stock and ``baskets`` limited to the visible stores, named by ``store_names``);
    the catalog and the business figures are shared by every principal (set them in a test).
    """

    def __init__(
        self,
        scopes: Mapping[uuid.UUID, frozenset[uuid.UUID]],
        rows_by_store: Mapping[uuid.UUID, int] | None = None,
        *,
        products: Sequence[CatalogProduct] = (),
        store_names: Mapping[uuid.UUID, str] | None = None,
        baskets: Sequence[tuple[uuid.UUID, frozenset[int]]] = (),
    ) -> None:
        self._scopes = scopes
        self._rows_by_store = dict(rows_by_store or {})
        self._products = list(products)
        self._store_names = dict(store_names or {})
        self._baskets = list(baskets)
        self.catalog = FakeCatalog()
        #: What ``uow.business`` answers, for every principal (set it in a test).
        self.business: BusinessQueries = FakeBusinessQueries([])
        self.opened: list[FakeUnitOfWork] = []

    def __call__(self, principal: Principal, *, statement_timeout_ms: int | None = None) -> FakeUnitOfWork:
        visible = self._scopes.get(principal.user_id, frozenset())
        uow = FakeUnitOfWork(
            principal,
            FakeSalesQueries(self._rows_by_store, visible),
            self.catalog,
            self.business,
            FakeProductSearch(self._products, visible, self._store_names, self._baskets),
        )
        self.opened.append(uow)
        return uow


class RecordingAuditLog:
    """Keeps every recorded event, in order, in ``events``."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)


class FakeCache:
    """A dict with expiry on an injectable clock (seconds); ``writes`` records each ``set``'s key
    and time to live, and ``closed`` whether ``close`` was called."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[str, tuple[float, bytes]] = {}
        self.writes: list[tuple[str, int]] = []
        self.closed = False

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self._clock():
            return None
        return entry[1]

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        self.writes.append((key, ttl_seconds))
        self._entries[key] = (self._clock() + ttl_seconds, value)

    async def close(self) -> None:
        self.closed = True
        self._entries.clear()


class RecordingProgress:
    """Keeps ``("start", table, total)`` and ``("advance", table, rows)`` events in ``events``."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, int]] = []

    def start(self, table: str, total: int) -> None:
        self.events.append(("start", table, total))

    def advance(self, table: str, rows: int) -> None:
        self.events.append(("advance", table, rows))


class FakeBusinessQueries:
    """Business queries over fixed figures: ``stores`` are those the principal may see, and every
    call is recorded so tests can tell whether figures were read at all."""

    def __init__(
        self,
        stores: Sequence[StoreRef],
        figures: Mapping[dt.date, Figures] | None = None,
        ranked: Sequence[Ranked] = (),
        latest: dt.date | None = None,
    ) -> None:
        self._stores = list(stores)
        self._figures = dict(figures or {})
        self._ranked = list(ranked)
        self._latest = latest
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    async def stores(self) -> list[StoreRef]:
        return list(self._stores)

    async def latest_order_date(self) -> dt.date | None:
        return self._latest

    async def figures(self, period: Period, store_ids: Sequence[str]) -> Figures:
        self.calls.append(("figures", tuple(store_ids)))
        return self._figures.get(period.start, Figures(0.0, 0, 0, 0.0))

    async def ranked(self, by: RankBy, period: Period, store_ids: Sequence[str], limit: int) -> list[Ranked]:
        self.calls.append((by, tuple(store_ids)))
        return self._ranked[:limit]

    async def daily(self, period: Period, store_ids: Sequence[str]) -> list[tuple[dt.date, int, int, float]]:
        self.calls.append(("daily", tuple(store_ids)))
        return []

    async def monthly(self, period: Period, store_ids: Sequence[str]) -> list[tuple[str, int, float]]:
        self.calls.append(("monthly", tuple(store_ids)))
        return []

    async def customers(self, period: Period, store_ids: Sequence[str]) -> list[tuple[str, int, int, float, float]]:
        self.calls.append(("customers", tuple(store_ids)))
        return []

    async def stock_cover(
        self, window: Period, store_ids: Sequence[str], cover_days: int, limit: int
    ) -> list[tuple[str, str, str, int, int]]:
        self.calls.append(("stock_cover", tuple(store_ids)))
        return []
