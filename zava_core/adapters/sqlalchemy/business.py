"""Business queries on the unit of work's connection: bound parameters only, read under RLS.

Every query repeats ``store_id = ANY(:stores)`` although RLS already narrows the rows: the
service asks about a subset of the principal's stores, and the planner uses the index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    Executable,
    Integer,
    Select,
    Text,
    Uuid,
    all_,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.tables import categories, inventory, order_items, orders, products, stores
from zava_core.domain.business import Figures, Period, Ranked, StoreRef
from zava_core.domain.retail_guide import NON_REVENUE_STATUSES
from zava_core.ports.business import RankBy

__all__ = ["SqlBusinessQueries"]

_START = bindparam("start", type_=Date)
_END = bindparam("end", type_=Date)
_STORE_IDS = bindparam("stores", type_=ARRAY(Uuid(as_uuid=False)))
_EXCLUDED = bindparam("excluded", type_=ARRAY(Text))
_LIMIT = bindparam("limit", type_=Integer)

_O, _OI, _P = orders, order_items, products
_LINES_OF_ORDERS = _OI.join(_O, _O.c.order_id == _OI.c.order_id)


def _at_stores(o: Any) -> ColumnElement[bool]:
    """Orders at the stores asked about that count as revenue (not cancelled or returned)."""
    return and_(o.c.store_id == any_(_STORE_IDS), o.c.status != all_(_EXCLUDED))


def _counted(o: Any) -> ColumnElement[bool]:
    """The orders that count: in the period, at the stores asked about, not cancelled or returned."""
    return and_(o.c.order_date.between(_START, _END), _at_stores(o))


_STORES = select(cast(stores.c.store_id, Text), stores.c.store_name).order_by(stores.c.store_name)
_LATEST = select(func.max(_O.c.order_date))


def _figures() -> Select[Any]:
    by_revenue, by_count = _O.alias("revenue_orders"), _O.alias("counted_orders")
    revenue = select(func.coalesce(func.sum(by_revenue.c.total_amount), 0)).where(_counted(by_revenue))
    count = select(func.count()).select_from(by_count).where(_counted(by_count))
    return (
        select(
            revenue.scalar_subquery(),
            count.scalar_subquery(),
            func.coalesce(func.sum(_OI.c.quantity), 0),
            func.coalesce(func.sum(_OI.c.quantity * _P.c.cost), 0),
        )
        .select_from(_LINES_OF_ORDERS.join(_P, _P.c.product_id == _OI.c.product_id))
        .where(_counted(_O))
    )


def _ranked(by: RankBy) -> Select[Any]:
    lines = _LINES_OF_ORDERS.join(_P, _P.c.product_id == _OI.c.product_id).join(
        categories, categories.c.category_id == _P.c.category_id
    )
    revenue = func.sum(_OI.c.total_amount).label("revenue")
    name, group, tie = (
        (categories.c.category_name, (categories.c.category_name,), categories.c.category_name)
        if by == "category"
        else (_P.c.product_name, (_P.c.product_id, _P.c.product_name), _P.c.product_name)
    )
    return (
        select(name, revenue, func.sum(_OI.c.quantity))
        .select_from(lines)
        .where(_counted(_O))
        .group_by(*group)
        .order_by(revenue.desc(), tie)
        .limit(_LIMIT)
    )


_DAILY = (
    select(
        _O.c.order_date, func.count(_O.c.order_id.distinct()), func.sum(_OI.c.quantity), func.sum(_OI.c.total_amount)
    )
    .select_from(_O.join(_OI, _OI.c.order_id == _O.c.order_id))
    .where(_counted(_O))
    .group_by(_O.c.order_date)
    .order_by(_O.c.order_date)
)
_MONTH = func.to_char(_O.c.order_date, literal_column("'YYYY-MM'")).label("month")
_MONTHLY = (
    select(_MONTH, func.count(), func.sum(_O.c.total_amount)).where(_counted(_O)).group_by(_MONTH).order_by(_MONTH)
)


def _customers() -> Select[Any]:
    """New customers placed their first counted order (at the stores asked about) in the period;
    lifetime revenue is everything they spent there up to the period's end."""
    buyers = (
        select(_O.c.customer_id, func.count().label("orders"), func.sum(_O.c.total_amount).label("revenue"))
        .where(_counted(_O))
        .group_by(_O.c.customer_id)
        .cte("buyers")
    )
    history = (
        select(
            _O.c.customer_id,
            func.min(_O.c.order_date).label("first_order"),
            func.sum(_O.c.total_amount).label("lifetime"),
        )
        .where(_O.c.order_date <= _END, _at_stores(_O), _O.c.customer_id.in_(select(buyers.c.customer_id)))
        .group_by(_O.c.customer_id)
        .cte("history")
    )
    segment = case(
        (history.c.first_order >= _START, literal_column("'new'")), else_=literal_column("'returning'")
    ).label("segment")
    return (
        select(
            segment,
            func.count(),
            func.sum(buyers.c.orders),
            func.sum(buyers.c.revenue),
            func.avg(history.c.lifetime),
        )
        .select_from(buyers.join(history, history.c.customer_id == buyers.c.customer_id))
        .group_by(segment)
        .order_by(segment)
    )


def _stock_cover() -> Select[Any]:
    sold = (
        select(_OI.c.store_id, _OI.c.product_id, func.sum(_OI.c.quantity).label("units"))
        .select_from(_LINES_OF_ORDERS)
        .where(_counted(_O))
        .group_by(_OI.c.store_id, _OI.c.product_id)
        .cte("sold")
    )
    i = inventory
    return (
        select(stores.c.store_name, _P.c.sku, _P.c.product_name, i.c.stock_level, sold.c.units)
        .select_from(
            sold.join(i, (i.c.store_id == sold.c.store_id) & (i.c.product_id == sold.c.product_id))
            .join(stores, stores.c.store_id == i.c.store_id)
            .join(_P, _P.c.product_id == i.c.product_id)
        )
        .where(i.c.stock_level * bindparam("days", type_=Integer) < bindparam("cover", type_=Integer) * sold.c.units)
        # Integer division, as the cover in thousandths of a day: ties fall to the store and SKU.
        .order_by(i.c.stock_level * 1000000 // sold.c.units, stores.c.store_name, _P.c.sku)
        .limit(_LIMIT)
    )


_FIGURES = _figures()
_RANKED: dict[RankBy, Select[Any]] = {"category": _ranked("category"), "product": _ranked("product")}
_CUSTOMERS = _customers()
_STOCK = _stock_cover()


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

    async def _all(self, statement: Executable, params: dict[str, Any]) -> list[Any]:
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
