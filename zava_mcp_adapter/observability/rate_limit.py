"""Calls per minute per principal: a token bucket each, refused calls answered as tool errors.

Beside the per-principal bound on *concurrent* queries (``services.concurrency``), this bounds
the *rate*: one caller looping on a tool cannot take the server's time from everyone else.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext

from zava_core.domain.errors import ResourceLimitExceeded
from zava_mcp_adapter.observability.metrics import Metrics
from zava_mcp_adapter.observability.tool_calls import principal_of
from zava_mcp_adapter.tools.errors import error_result, failure_of_error

__all__ = ["CallRateLimiter", "limit_call_rate"]


class CallRateLimiter:
    """``per_minute`` calls per principal, in bursts of up to ``per_minute``."""

    def __init__(
        self, per_minute: int, max_principals: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self._capacity = float(per_minute)
        self._refill_per_second = per_minute / 60.0
        self._max_principals = max_principals
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, principal: str) -> bool:
        now = self._clock()
        tokens, stamp = self._buckets.get(principal, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - stamp) * self._refill_per_second)
        allowed = tokens >= 1.0
        self._buckets[principal] = (tokens - 1.0 if allowed else tokens, now)
        self._buckets.move_to_end(principal)
        while len(self._buckets) > self._max_principals:
            self._buckets.popitem(last=False)  # the least recently seen: a full bucket by now
        return allowed


def limit_call_rate(limiter: CallRateLimiter, metrics: Metrics, per_minute: int) -> ServerMiddleware[Any]:
    async def middleware(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if ctx.method != "tools/call" or limiter.allow(principal_of(ctx)):
            return await call_next(ctx)
        metrics.rate_limited.inc()
        refusal = ResourceLimitExceeded(
            f"Too many calls for this user (limit {per_minute} per minute).",
            hint="Wait a few seconds, then retry; combine questions into fewer queries where you can.",
        )
        return error_result(failure_of_error(refusal))

    return middleware
