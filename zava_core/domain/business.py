"""The business layer's facts: periods, a store's figures, and the rules that turn figures into
plain-language insights.

Revenue is the sum of ``orders.total_amount`` (discounts already taken off) over orders that are
not cancelled or returned; units and cost come from the same orders' lines. Every insight is a
rule over these numbers with a threshold below, so a test can state when it must appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from zava_core.domain.errors import ValidationError

__all__ = [
    "CONCENTRATION_SHARE",
    "DEFAULT_PERIOD_DAYS",
    "GROWTH_THRESHOLD",
    "LOW_MARGIN_PERCENT",
    "MAX_PERIOD_DAYS",
    "Figures",
    "Period",
    "Ranked",
    "StorePerformance",
    "StoreRef",
    "Tabular",
    "change_percent",
    "insights",
]

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 3 * 366
#: A change in revenue or order value smaller than this (in %) is reported as flat.
GROWTH_THRESHOLD = 10.0
#: One category with at least this share (in %) of revenue is called out as a dependency.
CONCENTRATION_SHARE = 40.0
#: Gross margin below this (in %) is called out: list prices carry ~33 %, discounts eat into it.
LOW_MARGIN_PERCENT = 30.0


@dataclass(frozen=True, slots=True)
class Period:
    """Days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def create(cls, start: dt.date | None, end: dt.date | None, *, latest: dt.date | None) -> Period:
        """The asked period; a missing end is the latest order date visible, a missing start
        ``DEFAULT_PERIOD_DAYS`` before the end."""
        end = end or latest or dt.datetime.now(dt.UTC).date()
        start = start or end - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if start > end:
            raise ValidationError(f"start ({start}) is after end ({end}).", hint="Give start <= end, as YYYY-MM-DD.")
        if (end - start).days >= MAX_PERIOD_DAYS:
            raise ValidationError(
                f"The period is longer than {MAX_PERIOD_DAYS} days.", hint="Ask for a shorter period."
            )
        return cls(start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def as_list(self) -> list[str]:
        return [self.start.isoformat(), self.end.isoformat()]


@dataclass(frozen=True, slots=True)
class Figures:
    """One period's totals at the stores asked about."""

    revenue: float
    orders: int
    units: int
    cost: float

    @property
    def average_order_value(self) -> float | None:
        return round(self.revenue / self.orders, 2) if self.orders else None

    @property
    def gross_margin_percent(self) -> float | None:
        return round(100 * (self.revenue - self.cost) / self.revenue, 1) if self.revenue else None


def change_percent(now: float | None, before: float | None) -> float | None:
    """Change from ``before`` to ``now`` in %, or None when there is nothing to compare with."""
    if now is None or not before:
        return None
    return round(100 * (now - before) / before, 1)


@dataclass(frozen=True, slots=True)
class Ranked:
    name: str
    revenue: float
    units: int


@dataclass(frozen=True, slots=True)
class StorePerformance:
    stores: Sequence[str]
    period: Period
    current: Figures
    previous: Figures
    categories: Sequence[Ranked]
    products: Sequence[Ranked]

    @property
    def growth_percent(self) -> float | None:
        return change_percent(self.current.revenue, self.previous.revenue)

    @property
    def insights(self) -> list[str]:
        return insights(self)


def _trend(label: str, change: float | None, now: float | None, before: float | None) -> str | None:
    if change is None or abs(change) < GROWTH_THRESHOLD:
        return None
    verb = "rose" if change > 0 else "fell"
    return f"{label} {verb} {abs(change):g}% on the previous period ({before:,.2f} to {now:,.2f})."


def insights(perf: StorePerformance) -> list[str]:
    """Plain-language findings, each from one rule over the figures (thresholds above)."""
    now, before = perf.current, perf.previous
    if now.orders == 0:
        return [f"No orders from {perf.period.start} to {perf.period.end}."]
    found: list[str] = []
    growth = perf.growth_percent
    if growth is None:
        found.append("No orders in the previous period to compare with.")
    elif abs(growth) < GROWTH_THRESHOLD:
        found.append(f"Revenue was flat on the previous period ({growth:+g}%).")
    else:
        found.append(_trend("Revenue", growth, now.revenue, before.revenue) or "")
    aov = _trend(
        "Average order value",
        change_percent(now.average_order_value, before.average_order_value),
        now.average_order_value,
        before.average_order_value,
    )
    if aov:
        found.append(aov)
    if perf.categories and now.revenue:
        top = perf.categories[0]
        share = round(100 * top.revenue / now.revenue, 1)
        if share >= CONCENTRATION_SHARE:
            found.append(f"{top.name} brings {share:g}% of revenue: the result depends on one category.")
    margin = now.gross_margin_percent
    if margin is not None and margin < LOW_MARGIN_PERCENT:
        found.append(f"Gross margin is {margin:g}%, under {LOW_MARGIN_PERCENT:g}%: check discounts.")
    return found


@dataclass(frozen=True, slots=True)
class StoreRef:
    store_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Tabular:
    """A small result: ``(name, type)`` columns and rows of JSON-safe values."""

    columns: Sequence[tuple[str, str]]
    rows: Sequence[Sequence[object]]
