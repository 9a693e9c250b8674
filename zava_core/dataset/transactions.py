"""Customers, orders, order items and inventory: the part of the dataset that grows with the scale.

Generation runs in two steps. ``plan_orders`` draws, in bulk, what decides the row counts: each
customer's store, each customer's number of orders, each order's date and number of lines. The
counts are therefore known exactly before a single row is built. ``order_blocks`` then builds
the rows block by block, so memory stays bounded at any scale.

Customers, orders and order lines are keyed by random UUIDs drawn from streams of their own
(``keys.py``): a key says nothing of when the row was made or how many rows other stores have,
and the other streams draw exactly what they drew before keys were random.

Rows are plain tuples in COPY column order and amounts are computed in integer cents: an
order's subtotal, discount and total are sums of its lines' exact values, never of rounded
floats. Each step reads its own random stream, and every row consumes a fixed number of draws
regardless of block size, so the same seed gives the same rows however they are chunked.
"""

from __future__ import annotations

import random
import uuid
from array import array
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import TypeVar

from zava_core.dataset.keys import KeyTable, key_maker
from zava_core.dataset.names import AREA_CODES, FIRST_NAMES, LAST_NAMES
from zava_core.dataset.reference import StoreProfile

__all__ = [
    "BASE_CUSTOMERS",
    "CustomerRow",
    "InventoryRow",
    "OrderItemRow",
    "OrderPlan",
    "OrderRow",
    "customer_count",
    "customer_rows",
    "expected_item_count",
    "expected_order_count",
    "inventory_rows",
    "order_blocks",
    "orders_for_draw",
    "plan_orders",
]

BASE_CUSTOMERS = 50_000
FIRST_ORDER_DATE = date(2020, 1, 1)
LAST_ORDER_DATE = date(2026, 10, 31)
ORDERS_PER_CUSTOMER_WEIGHTS = (20, 40, 20, 10, 7, 3)  # 0..5 orders before the store multiplier
# 2.1 lines per order on average: the original's 414,241 items over 197,665 orders.
ITEMS_PER_ORDER_WEIGHTS = (40, 30, 15, 10, 5)  # 1..5 lines
QUANTITY_WEIGHTS = (55, 25, 10, 6, 4)  # 1..5 units per line
DISCOUNTED_LINE_SHARE = 0.15
DISCOUNT_PERCENTS = (5, 10, 15, 20, 25)
PRICE_JITTER = 0.05  # a line's unit price is the store price +/- 5 %
# Order status by the order's age in days at LAST_ORDER_DATE: recent orders are still on their way.
STATUS_BANDS: tuple[tuple[int, tuple[tuple[str, int], ...]], ...] = (
    (3, (("pending", 45), ("processing", 45), ("cancelled", 10))),
    (10, (("processing", 25), ("shipped", 65), ("cancelled", 10))),
    (30, (("shipped", 20), ("delivered", 72), ("cancelled", 4), ("returned", 4))),
    (1 << 30, (("delivered", 91), ("returned", 5), ("cancelled", 4))),
)

CustomerRow = tuple[uuid.UUID, uuid.UUID, str, str, str, str]
OrderRow = tuple[uuid.UUID, uuid.UUID, uuid.UUID, date, str, Decimal, Decimal, Decimal]
OrderItemRow = tuple[uuid.UUID, uuid.UUID, uuid.UUID, int, int, Decimal, Decimal, Decimal, Decimal]
InventoryRow = tuple[uuid.UUID, int, int]

_ZERO = Decimal("0.00")
T = TypeVar("T")


def customer_count(scale: float) -> int:
    return max(1, round(BASE_CUSTOMERS * scale))


def orders_for_draw(draw: int, multiplier: float) -> int:
    """A customer who drew no orders keeps none; any other draw is scaled, rounded, at least 1."""
    return 0 if draw == 0 else max(1, int(draw * multiplier + 0.5))


def expected_order_count(stores: Sequence[StoreProfile], scale: float) -> float:
    """The mean number of orders at ``scale`` (what ``plan_orders`` draws around)."""
    total_weight = sum(s.customer_weight for s in stores)
    weights_total = sum(ORDERS_PER_CUSTOMER_WEIGHTS)
    per_customer = sum(
        s.customer_weight
        / total_weight
        * sum(w * orders_for_draw(d, s.order_frequency_multiplier) for d, w in enumerate(ORDERS_PER_CUSTOMER_WEIGHTS))
        / weights_total
        for s in stores
    )
    return customer_count(scale) * per_customer


def expected_item_count(stores: Sequence[StoreProfile], scale: float) -> float:
    lines = sum(n * w for n, w in enumerate(ITEMS_PER_ORDER_WEIGHTS, start=1)) / sum(ITEMS_PER_ORDER_WEIGHTS)
    return expected_order_count(stores, scale) * lines


def _lookup(weighted: Sequence[tuple[T, int]]) -> list[T]:
    """A table of 100 slots filled by integer percent weights: one draw, one index, no bisect."""
    table = [value for value, weight in weighted for _ in range(weight)]
    if len(table) != 100:
        raise ValueError("lookup weights must add up to 100")
    return table


@dataclass(frozen=True, slots=True)
class OrderPlan:
    """What decides the row counts. Index i of ``order_keys`` / ``item_counts`` is the i-th order
    by date (its primary key is random, drawn when the row is built).

    An order key is ``day_offset * customers + customer_index``: one sortable integer, so that
    sorting the keys puts orders in date order without a list of tuples.
    """

    customers: int
    customer_stores: array[int]
    order_keys: array[int]
    item_counts: array[int]

    @property
    def order_count(self) -> int:
        return len(self.order_keys)

    @property
    def item_count(self) -> int:
        return sum(self.item_counts)


def _year_ranges(year_weights: Sequence[tuple[int, float]]) -> list[tuple[int, int, float]]:
    """(first day offset, days, weight) per year, clipped to the order date range."""
    ranges = []
    for year, weight in year_weights:
        first = max(date(year, 1, 1), FIRST_ORDER_DATE)
        last = min(date(year, 12, 31), LAST_ORDER_DATE)
        if first <= last:
            ranges.append(((first - FIRST_ORDER_DATE).days, (last - first).days + 1, weight))
    return ranges


def plan_orders(
    stores: Sequence[StoreProfile],
    year_weights: Sequence[tuple[int, float]],
    customers: int,
    store_rng: random.Random,
    order_rng: random.Random,
) -> OrderPlan:
    customer_stores = store_rng.choices(
        range(len(stores)), cum_weights=list(accumulate(s.customer_weight for s in stores)), k=customers
    )
    per_store = [[orders_for_draw(d, s.order_frequency_multiplier) for d in range(6)] for s in stores]
    draws = order_rng.choices(range(6), cum_weights=list(accumulate(ORDERS_PER_CUSTOMER_WEIGHTS)), k=customers)
    years = _year_ranges(year_weights)
    year_cw = list(accumulate(w for _, _, w in years))
    rnd = order_rng.random
    keys: list[int] = []
    for customer, (store, draw) in enumerate(zip(customer_stores, draws, strict=True)):
        for _ in range(per_store[store][draw]):
            first, days, _ = years[bisect(year_cw, rnd() * year_cw[-1])]
            keys.append((first + int(rnd() * days)) * customers + customer)
    keys.sort()
    item_counts = order_rng.choices(range(1, 6), cum_weights=list(accumulate(ITEMS_PER_ORDER_WEIGHTS)), k=len(keys))
    return OrderPlan(customers, array("B", customer_stores), array("q", keys), array("B", item_counts))


def customer_rows(
    plan: OrderPlan,
    stores: Sequence[StoreProfile],
    store_ids: Sequence[uuid.UUID],
    customer_keys: KeyTable,
    rng: random.Random,
) -> Iterator[CustomerRow]:
    """One row per customer; ``customer_keys[i]`` is the key of the plan's customer i."""
    codes = [AREA_CODES.get(s.city) for s in stores]
    all_codes = sorted(set(AREA_CODES.values()))
    choice, randrange = rng.choice, rng.randrange
    # The e-mail's number counts within the store (store number, then the store's own count):
    # unique, and it tells a store manager nothing the store's own rows do not.
    per_store = [0] * len(stores)
    for index, store in enumerate(plan.customer_stores):
        first, last = choice(FIRST_NAMES), choice(LAST_NAMES)
        area = codes[store] or choice(all_codes)
        per_store[store] += 1
        email = f"{first}.{last}.{store + 1}.{per_store[store]}@example.com".lower()
        phone = f"({area}) 555-{randrange(10_000):04d}"
        yield (customer_keys[index], store_ids[store], first, last, email, phone)


def order_blocks(
    plan: OrderPlan,
    *,
    stores: Sequence[StoreProfile],
    store_ids: Sequence[uuid.UUID],
    base_prices_cents: Sequence[int],
    customer_keys: KeyTable,
    rng: random.Random,
    order_key_rng: random.Random,
    item_key_rng: random.Random,
    block: int = 10_000,
) -> Iterator[tuple[list[OrderRow], list[OrderItemRow]]]:
    """Orders with their lines, ``block`` orders at a time (orders first: the lines reference them).

    Each order and each line takes one draw from its key stream, so the keys, like the rows,
    do not depend on the block size.
    """
    # Cheaper products sell more often: popularity falls with the square root of the price.
    product_cw = list(accumulate(1.0 / (price / 100) ** 0.5 for price in base_prices_cents))
    product_total = product_cw[-1]
    store_prices = [[price * s.order_value_multiplier for price in base_prices_cents] for s in stores]
    quantities = _lookup(list(zip(range(1, 6), QUANTITY_WEIGHTS, strict=True)))
    bands = [(limit, _lookup(weights)) for limit, weights in STATUS_BANDS]
    dates = [FIRST_ORDER_DATE + timedelta(days=d) for d in range((LAST_ORDER_DATE - FIRST_ORDER_DATE).days + 1)]
    last_day = len(dates) - 1
    percents = [(p, Decimal(p).quantize(_ZERO)) for p in DISCOUNT_PERCENTS]
    rnd, customers = rng.random, plan.customers
    keys, counts, customer_stores = plan.order_keys, plan.item_counts, plan.customer_stores
    next_order_key, next_item_key = key_maker(order_key_rng), key_maker(item_key_rng)
    for start in range(0, len(keys), block):
        orders: list[OrderRow] = []
        items: list[OrderItemRow] = []
        for index in range(start, min(start + block, len(keys))):
            day, customer = divmod(keys[index], customers)
            store = customer_stores[customer]
            store_id, prices = store_ids[store], store_prices[store]
            order_id = next_order_key()
            subtotal = discount = 0
            for _ in range(counts[index]):
                product = bisect(product_cw, rnd() * product_total)
                quantity = quantities[int(rnd() * 100)]
                unit = int(prices[product] * (1 - PRICE_JITTER + 2 * PRICE_JITTER * rnd()) + 0.5)
                gross = unit * quantity
                if rnd() < DISCOUNTED_LINE_SHARE:
                    percent, percent_value = percents[int(rnd() * len(percents))]
                    off = (gross * percent + 50) // 100
                else:
                    percent_value, off = _ZERO, 0
                items.append(
                    (
                        next_item_key(),
                        order_id,
                        store_id,
                        product + 1,
                        quantity,
                        Decimal(unit).scaleb(-2),
                        percent_value,
                        Decimal(off).scaleb(-2) if off else _ZERO,
                        Decimal(gross - off).scaleb(-2),
                    )
                )
                subtotal += gross
                discount += off
            age = last_day - day
            statuses = next(table for limit, table in bands if age < limit)
            status = statuses[int(rnd() * 100)]
            orders.append(
                (
                    order_id,
                    customer_keys[customer],
                    store_id,
                    dates[day],
                    status,
                    Decimal(subtotal).scaleb(-2),
                    Decimal(discount).scaleb(-2) if discount else _ZERO,
                    Decimal(subtotal - discount).scaleb(-2),
                )
            )
        yield orders, items


def inventory_rows(
    stores: Sequence[StoreProfile],
    store_ids: Sequence[uuid.UUID],
    discontinued: Sequence[bool],
    rng: random.Random,
) -> Iterator[InventoryRow]:
    """Every store stocks every product; bigger stores hold more, a few shelves are empty."""
    for store, store_id in zip(stores, store_ids, strict=True):
        typical = 20 + 4 * store.customer_weight
        for index, gone in enumerate(discontinued):
            if gone:
                stock = int(rng.random() * 6)
            elif rng.random() < 0.03:
                stock = 0
            else:
                stock = max(0, int(rng.gauss(typical, typical * 0.35)))
            yield (store_id, index + 1, stock)
