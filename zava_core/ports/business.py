"""The business queries a unit of work answers, under the principal's row-level security."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, Protocol

from zava_core.domain.business import Figures, Period, Ranked, StoreRef

__all__ = ["BusinessQueries", "RankBy"]

RankBy = Literal["category", "product"]


class BusinessQueries(Protocol):
    """Every method reads only ``store_ids`` (which RLS narrows further) and counts revenue
    without cancelled or returned orders."""

    async def stores(self) -> list[StoreRef]:
        """The stores the principal may see, by name (empty when it may see none)."""
        ...

    async def latest_order_date(self) -> dt.date | None:
        """The date of the latest order the principal can see; None when it sees no orders."""
        ...

    async def figures(self, period: Period, store_ids: Sequence[str]) -> Figures:
        """Revenue, orders, units and margin over ``period`` at ``store_ids`` (zeros when none)."""
        ...

    async def ranked(self, by: RankBy, period: Period, store_ids: Sequence[str], limit: int) -> list[Ranked]:
        """The top ``limit`` categories or products by revenue over ``period``, highest first."""
        ...

    async def daily(self, period: Period, store_ids: Sequence[str]) -> list[tuple[dt.date, int, int, float]]:
        """``(day, orders, units, revenue)`` for each day with orders."""
        ...

    async def monthly(self, period: Period, store_ids: Sequence[str]) -> list[tuple[str, int, float]]:
        """``(YYYY-MM, orders, revenue)`` for each month with orders."""
        ...

    async def customers(self, period: Period, store_ids: Sequence[str]) -> list[tuple[str, int, int, float, float]]:
        """``(new|returning, customers, orders, revenue, average lifetime revenue)``."""
        ...

    async def stock_cover(
        self, window: Period, store_ids: Sequence[str], cover_days: int, limit: int
    ) -> list[tuple[str, str, str, int, int]]:
        """``(store, sku, product, stock_level, units sold in window)`` for products whose stock
        lasts fewer than ``cover_days`` at the window's rate of sale, shortest cover first."""
        ...
