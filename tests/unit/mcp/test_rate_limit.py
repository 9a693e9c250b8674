from __future__ import annotations

from zava_mcp_adapter.observability.rate_limit import CallRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_principal_gets_its_burst_then_is_refused() -> None:
    limiter = CallRateLimiter(3, clock=Clock())
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]


def test_one_principal_exhausting_its_budget_leaves_others_alone() -> None:
    limiter = CallRateLimiter(1, clock=Clock())
    assert limiter.allow("a")
    assert not limiter.allow("a")
    assert limiter.allow("b")


def test_the_budget_refills_at_the_configured_rate() -> None:
    clock = Clock()
    limiter = CallRateLimiter(60, clock=clock)
    for _ in range(60):
        assert limiter.allow("a")
    assert not limiter.allow("a")
    clock.now += 1.0  # one call per second at 60 per minute
    assert limiter.allow("a")
    assert not limiter.allow("a")
