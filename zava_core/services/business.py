"""The design's business layer: store performance, sales analysis and stock cover.

Each use case runs in one unit of work (one read-only, RLS-bound transaction). Store access is
checked here as well as by RLS: a store the principal may not see is refused with
``AuthorizationError`` before any figure is read, so the answer is a refusal, not zeros.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, get_args

from zava_core.domain.business import (
    Period,
    StorePerformance,
    StoreRef,
    Tabular,
    change_percent,
)
from zava_core.domain.errors import AuthorizationError, ValidationError
from zava_core.domain.principal import Principal
from zava_core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = ["ANALYSIS_KINDS", "AnalysisKind", "BusinessService"]

AnalysisKind = Literal["daily", "products", "categories", "customers", "trends"]
ANALYSIS_KINDS: tuple[str, ...] = get_args(AnalysisKind)
MAX_LIMIT = 100
#: The window whose rate of sale gives days of cover.
COVER_WINDOW_DAYS = 30


def _scope(visible: Sequence[StoreRef], store: str | None) -> list[StoreRef]:
    if store is None:
        return list(visible)
    wanted = " ".join(store.split()).casefold()
    chosen = [s for s in visible if s.name.casefold() == wanted]
    if not chosen:
        raise AuthorizationError(
            f"You may not see a store named {store[:80]!r}.",
            hint="Your stores: " + (", ".join(s.name for s in visible) or "none") + ". Or omit store for all of them.",
        )
    return chosen


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be from 1 to {MAX_LIMIT}, got {limit}.")
    return limit


class BusinessService:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    @staticmethod
    async def _period(uow: UnitOfWork, start: dt.date | None, end: dt.date | None) -> Period:
        latest = None if end else await uow.business.latest_order_date()
        return Period.create(start, end, latest=latest)

    async def store_performance(
        self,
        principal: Principal,
        *,
        store: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int = 5,
    ) -> StorePerformance:
        """Revenue, orders, AOV, units, margin and growth on the previous period of the same
        length, top categories and products, and insights, at one store or all the principal's."""
        limit = _limit(limit)
        async with self._uow_factory(principal) as uow:
            scope = _scope(await uow.business.stores(), store)
            ids = [s.store_id for s in scope]
            period = await self._period(uow, start, end)
            return StorePerformance(
                stores=[s.name for s in scope],
                period=period,
                current=await uow.business.figures(period, ids),
                previous=await uow.business.figures(period.previous(), ids),
                categories=await uow.business.ranked("category", period, ids, limit),
                products=await uow.business.ranked("product", period, ids, limit),
            )

    async def sales_analysis(
        self,
        principal: Principal,
        kind: AnalysisKind,
        *,
        store: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int = 20,
    ) -> tuple[Period, Tabular]:
        """One analysis of the period at one store or all the principal's (see ``ANALYSIS_KINDS``)."""
        if kind not in ANALYSIS_KINDS:
            raise ValidationError(f"kind must be one of {', '.join(ANALYSIS_KINDS)}.")
        limit = _limit(limit)
        async with self._uow_factory(principal) as uow:
            ids = [s.store_id for s in _scope(await uow.business.stores(), store)]
            period = await self._period(uow, start, end)
            b = uow.business
            if kind == "daily":
                rows: list[list[object]] = [
                    [d.isoformat(), o, u, r, round(r / o, 2)] for d, o, u, r in await b.daily(period, ids)
                ]
                cols = [
                    ("day", "date"),
                    ("orders", "int"),
                    ("units", "int"),
                    ("revenue", "numeric"),
                    ("aov", "numeric"),
                ]
            elif kind in ("products", "categories"):
                ranked = await b.ranked("product" if kind == "products" else "category", period, ids, limit)
                total = (await b.figures(period, ids)).revenue
                rows = [
                    [r.name, r.units, r.revenue, round(100 * r.revenue / total, 1) if total else None] for r in ranked
                ]
                cols = [
                    (kind[:-1] if kind == "products" else "category", "text"),
                    ("units", "int"),
                    ("revenue", "numeric"),
                    ("share_pct", "numeric"),
                ]
            elif kind == "customers":
                rows = [list(r) for r in await b.customers(period, ids)]
                cols = [
                    ("segment", "text"),
                    ("customers", "int"),
                    ("orders", "int"),
                    ("revenue", "numeric"),
                    ("avg_lifetime_revenue", "numeric"),
                ]
            else:
                months = await b.monthly(period, ids)
                rows = [
                    [m, o, r, change_percent(r, months[i - 1][2]) if i else None] for i, (m, o, r) in enumerate(months)
                ]
                cols = [("month", "text"), ("orders", "int"), ("revenue", "numeric"), ("change_pct", "numeric")]
        return period, Tabular(cols, rows)

    async def low_stock(
        self, principal: Principal, *, store: str | None = None, cover_days: int = 14, limit: int = 20
    ) -> tuple[Period, Tabular]:
        """Products whose stock lasts fewer than ``cover_days`` at the rate they sold over the
        last ``COVER_WINDOW_DAYS`` days of orders, shortest cover first."""
        limit = _limit(limit)
        if not 1 <= cover_days <= 365:
            raise ValidationError(f"cover_days must be from 1 to 365, got {cover_days}.")
        async with self._uow_factory(principal) as uow:
            ids = [s.store_id for s in _scope(await uow.business.stores(), store)]
            window = await self._period(uow, None, None)
            window = Period.create(window.end - dt.timedelta(days=COVER_WINDOW_DAYS - 1), window.end, latest=None)
            found = await uow.business.stock_cover(window, ids, cover_days, limit)
        rows = [
            [store_name, sku, name, stock, round(sold / window.days, 2), round(stock * window.days / sold, 1)]
            for store_name, sku, name, stock, sold in found
        ]
        cols = [
            ("store", "text"),
            ("sku", "text"),
            ("product", "text"),
            ("stock", "int"),
            ("daily_units", "numeric"),
            ("days_of_cover", "numeric"),
        ]
        return window, Tabular(cols, rows)
