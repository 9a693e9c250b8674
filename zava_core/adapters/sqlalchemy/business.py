"""Business queries on the unit of work's connection: bound parameters only, read under RLS.

Every query repeats ``store_id = ANY(:stores)`` although RLS already narrows the rows: the
service asks about a subset of the principal's stores, and the planner uses the index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.domain.business import Figures, Period, Ranked, StoreRef
from zava_core.domain.retail_guide import NON_REVENUE_STATUSES
from zava_core.ports.business import RankBy

__all__ = ["SqlBusinessQueries"]

# The orders that count: in the period, at the stores asked about, not cancelled or returned.
_COUNTED = """o.order_date BETWEEN :start AND :end AND o.store_id = ANY(CAST(:stores AS uuid[]))
    AND o.status <> ALL(CAST(:excluded AS text[]))"""

_STORES = text("SELECT CAST(store_id AS text), store_name FROM retail.stores ORDER BY store_name")
_LATEST = text("SELECT max(order_date) FROM retail.orders")
_FIGURES = text(
    f"""
    SELECT (SELECT coalesce(sum(o.total_amount), 0) FROM retail.orders o WHERE {_COUNTED}),
           (SELECT count(*) FROM retail.orders o WHERE {_COUNTED}),
           coalesce(sum(oi.quantity), 0), coalesce(sum(oi.quantity * p.cost), 0)
    FROM retail.order_items oi
    JOIN retail.orders o ON o.order_id = oi.order_id
    JOIN retail.products p ON p.product_id = oi.product_id
    WHERE {_COUNTED}
    """
)
_LINES = f"""FROM retail.order_items oi
    JOIN retail.orders o ON o.order_id = oi.order_id
    JOIN retail.products p ON p.product_id = oi.product_id
    JOIN retail.categories c ON c.category_id = p.category_id
    WHERE {_COUNTED}"""
_RANKED = {
    "category": text(
        f"SELECT c.category_name, sum(oi.total_amount) AS revenue, sum(oi.quantity) {_LINES} "
        "GROUP BY c.category_name ORDER BY revenue DESC, c.category_name LIMIT :limit"
    ),
    "product": text(
        f"SELECT p.product_name, sum(oi.total_amount) AS revenue, sum(oi.quantity) {_LINES} "
        "GROUP BY p.product_id, p.product_name ORDER BY revenue DESC, p.product_name LIMIT :limit"
    ),
}
_DAILY = text(
    f"""
    SELECT o.order_date, count(DISTINCT o.order_id), sum(oi.quantity), sum(oi.total_amount)
    FROM retail.orders o JOIN retail.order_items oi ON oi.order_id = o.order_id
    WHERE {_COUNTED} GROUP BY o.order_date ORDER BY o.order_date
    """
)
_MONTHLY = text(
    f"""
    SELECT to_char(o.order_date, 'YYYY-MM') AS month, count(*), sum(o.total_amount)
    FROM retail.orders o WHERE {_COUNTED} GROUP BY month ORDER BY month
    """
)
# New customers placed their first counted order (at the stores asked about) in the period;
# lifetime revenue is everything they spent there up to the period's end.
_CUSTOMERS = text(
    f"""
    WITH buyers AS (
        SELECT o.customer_id, count(*) AS orders, sum(o.total_amount) AS revenue
        FROM retail.orders o WHERE {_COUNTED} GROUP BY o.customer_id
    ), history AS (
        SELECT o.customer_id, min(o.order_date) AS first_order, sum(o.total_amount) AS lifetime
        FROM retail.orders o
        WHERE o.order_date <= :end AND o.store_id = ANY(CAST(:stores AS uuid[]))
          AND o.status <> ALL(CAST(:excluded AS text[]))
          AND o.customer_id IN (SELECT customer_id FROM buyers)
        GROUP BY o.customer_id
    )
    SELECT CASE WHEN h.first_order >= :start THEN 'new' ELSE 'returning' END AS segment,
           count(*), sum(b.orders), sum(b.revenue), avg(h.lifetime)
    FROM buyers b JOIN history h ON h.customer_id = b.customer_id
    GROUP BY segment ORDER BY segment
    """
)
_STOCK = text(
    f"""
    WITH sold AS (
        SELECT oi.store_id, oi.product_id, sum(oi.quantity) AS units
        FROM retail.order_items oi JOIN retail.orders o ON o.order_id = oi.order_id
        WHERE {_COUNTED} GROUP BY oi.store_id, oi.product_id
    )
    SELECT s.store_name, p.sku, p.product_name, i.stock_level, sold.units
    FROM sold
    JOIN retail.inventory i ON i.store_id = sold.store_id AND i.product_id = sold.product_id
    JOIN retail.stores s ON s.store_id = i.store_id
    JOIN retail.products p ON p.product_id = i.product_id
    WHERE i.stock_level * :days < :cover * sold.units
    ORDER BY i.stock_level * 1000000 / sold.units, s.store_name, p.sku
    LIMIT :limit
    """
)


def _money(value: Any) -> float:
    return round(float(value or 0), 2)


class SqlBusinessQueries:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @staticmethod
    def _bind(period: Period, store_ids: Sequence[str]) -> dict[str, Any]:
        return {
            "start": period.start,
            "end": period.end,
            "stores": list(store_ids),
            "excluded": list(NON_REVENUE_STATUSES),
        }

    async def _all(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        with translate_errors():
            return list((await self._connection.execute(statement, params)).all())

    async def stores(self) -> list[StoreRef]:
        return [StoreRef(r[0], r[1]) for r in await self._all(_STORES, {})]

    async def latest_order_date(self) -> dt.date | None:
        rows = await self._all(_LATEST, {})
        return rows[0][0] if rows else None

    async def figures(self, period: Period, store_ids: Sequence[str]) -> Figures:
        revenue, orders, units, cost = (await self._all(_FIGURES, self._bind(period, store_ids)))[0]
        return Figures(_money(revenue), int(orders), int(units), _money(cost))

    async def ranked(self, by: RankBy, period: Period, store_ids: Sequence[str], limit: int) -> list[Ranked]:
        rows = await self._all(_RANKED[by], self._bind(period, store_ids) | {"limit": limit})
        return [Ranked(r[0], _money(r[1]), int(r[2])) for r in rows]

    async def daily(self, period: Period, store_ids: Sequence[str]) -> list[tuple[dt.date, int, int, float]]:
        rows = await self._all(_DAILY, self._bind(period, store_ids))
        return [(r[0], int(r[1]), int(r[2]), _money(r[3])) for r in rows]

    async def monthly(self, period: Period, store_ids: Sequence[str]) -> list[tuple[str, int, float]]:
        rows = await self._all(_MONTHLY, self._bind(period, store_ids))
        return [(r[0], int(r[1]), _money(r[2])) for r in rows]

    async def customers(self, period: Period, store_ids: Sequence[str]) -> list[tuple[str, int, int, float, float]]:
        rows = await self._all(_CUSTOMERS, self._bind(period, store_ids))
        return [(r[0], int(r[1]), int(r[2]), _money(r[3]), _money(r[4])) for r in rows]

    async def stock_cover(
        self, window: Period, store_ids: Sequence[str], cover_days: int, limit: int
    ) -> list[tuple[str, str, str, int, int]]:
        params = self._bind(window, store_ids) | {"days": window.days, "cover": cover_days, "limit": limit}
        return [(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in await self._all(_STOCK, params)]
