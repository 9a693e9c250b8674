"""The business layer's rules and its store check, with fakes (no I/O)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from zava_core.domain.business import (
    CONCENTRATION_SHARE,
    GROWTH_THRESHOLD,
    LOW_MARGIN_PERCENT,
    Figures,
    Period,
    Ranked,
    StorePerformance,
    StoreRef,
)
from zava_core.domain.errors import AuthorizationError, ValidationError
from zava_core.domain.principal import Principal
from zava_core.ports.business import BusinessQueries
from zava_core.services.business import BusinessService
from zava_core.testing.fakes import FakeBusinessQueries, FakeUnitOfWorkFactory

JUNE = Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30))
SEATTLE = StoreRef(str(uuid.UUID(int=1)), "Zava Retail Seattle")


def perf(now: Figures, before: Figures, categories: list[Ranked] | None = None) -> StorePerformance:
    return StorePerformance(["Zava Retail Seattle"], JUNE, now, before, categories or [], [])


def test_the_previous_period_has_the_same_length_and_ends_the_day_before() -> None:
    assert JUNE.previous() == Period(dt.date(2026, 5, 2), dt.date(2026, 5, 31))


def test_a_period_defaults_to_the_thirty_days_ending_at_the_latest_order() -> None:
    period = Period.create(None, None, latest=dt.date(2026, 10, 31))
    assert (period.start, period.end, period.days) == (dt.date(2026, 10, 2), dt.date(2026, 10, 31), 30)


def test_a_period_that_ends_before_it_starts_is_refused_with_the_format() -> None:
    with pytest.raises(ValidationError, match="after") as caught:
        Period.create(dt.date(2026, 5, 1), dt.date(2026, 4, 1), latest=None)
    assert caught.value.hint is not None
    assert "YYYY-MM-DD" in caught.value.hint


def test_growth_beyond_the_threshold_is_said_with_both_figures() -> None:
    grown = 1 + (GROWTH_THRESHOLD + 5) / 100
    found = perf(Figures(1000 * grown, 10, 20, 500), Figures(1000, 10, 20, 500)).insights
    assert found[0].startswith("Revenue rose 15%")
    assert "1,000.00 to 1,150.00" in found[0]


def test_a_small_change_is_reported_as_flat() -> None:
    found = perf(Figures(1020, 10, 20, 500), Figures(1000, 10, 20, 500)).insights
    assert found == ["Revenue was flat on the previous period (+2%)."]


def test_one_category_over_the_share_threshold_is_called_a_dependency() -> None:
    big = Ranked("POWER TOOLS", 1000 * (CONCENTRATION_SHARE + 1) / 100, 5)
    found = perf(Figures(1000, 10, 20, 500), Figures(1000, 10, 20, 500), [big]).insights
    assert any(i.startswith("POWER TOOLS brings 41%") for i in found)


def test_a_margin_under_the_threshold_points_at_discounts() -> None:
    cost = 1000 * (1 - (LOW_MARGIN_PERCENT - 5) / 100)
    found = perf(Figures(1000, 10, 20, cost), Figures(1000, 10, 20, 500)).insights
    assert any("Gross margin is 25%" in i for i in found)


def test_no_orders_is_the_only_insight_when_nothing_was_sold() -> None:
    assert perf(Figures(0, 0, 0, 0), Figures(1000, 10, 20, 500)).insights == [
        "No orders from 2026-06-01 to 2026-06-30."
    ]


def test_the_fake_implements_the_port() -> None:
    fake: BusinessQueries = FakeBusinessQueries([SEATTLE])
    assert fake is not None


async def test_another_store_is_refused_before_any_figure_is_read() -> None:
    uows = FakeUnitOfWorkFactory({}, {})
    fake = FakeBusinessQueries([SEATTLE], latest=dt.date(2026, 6, 30))
    uows.business = fake
    with pytest.raises(AuthorizationError) as caught:
        await BusinessService(uows).store_performance(Principal(uuid.UUID(int=9)), store="Zava Retail Bellevue")
    assert caught.value.hint is not None
    assert "Zava Retail Seattle" in caught.value.hint
    assert fake.calls == []


async def test_without_a_store_every_visible_store_is_asked_about() -> None:
    uows = FakeUnitOfWorkFactory({}, {})
    other = StoreRef(str(uuid.UUID(int=2)), "Zava Retail Redmond")
    uows.business = FakeBusinessQueries([SEATTLE, other], {JUNE.start: Figures(100, 2, 3, 50)}, latest=JUNE.end)
    result = await BusinessService(uows).store_performance(Principal(uuid.UUID(int=9)))
    assert result.stores == ["Zava Retail Seattle", "Zava Retail Redmond"]
    assert result.current.revenue == 100
    assert result.current.average_order_value == 50
