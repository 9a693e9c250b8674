"""Transient database faults retried inside the library, within the call's deadline.

Every query Zava runs only reads, so repeating one after a dropped connection is safe. Only
``DatabaseUnavailable`` (a connection failed or closed, the server restarting) is retried, with
exponential backoff and full jitter so that callers who failed together do not return together;
permanent errors (SQL errors, refusals, timeouts, resource limits) are raised at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

from zava_core.domain.errors import DatabaseUnavailable

__all__ = ["RetryPolicy", "retry_transient"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How transient faults are retried: ``attempts`` in all, the waits growing from
    ``first_wait_seconds`` up to ``max_wait_seconds`` (randomised), and no retry that would start
    past ``deadline_seconds`` after the first attempt began."""

    attempts: int = 3
    first_wait_seconds: float = 0.1
    max_wait_seconds: float = 1.0
    deadline_seconds: float = 5.0


async def retry_transient(call: Callable[[], Awaitable[T]], policy: RetryPolicy) -> T:
    """``await call()``, repeated on ``DatabaseUnavailable`` as ``policy`` allows; the last
    error is raised as it is when the attempts or the deadline run out."""
    retrying = AsyncRetrying(
        retry=retry_if_exception_type(DatabaseUnavailable),
        wait=wait_random_exponential(multiplier=policy.first_wait_seconds, max=policy.max_wait_seconds),
        stop=stop_after_attempt(policy.attempts) | stop_before_delay(policy.deadline_seconds),
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            return await call()
    raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover
