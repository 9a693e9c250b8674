"""Bounds on concurrent queries: per principal (one caller cannot hold the whole pool) and across
all principals (no set of callers can: see ``QueryAdmission``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from zava_core.domain.errors import ResourceLimitExceeded
from zava_core.domain.principal import Principal

__all__ = ["PrincipalLimiter", "QueryAdmission"]


class PrincipalLimiter:
    """At most ``per_principal`` queries run at once for one principal; a further call waits up
    to ``wait_seconds`` for a slot and is then refused (never queued without bound)."""

    def __init__(self, per_principal: int, wait_seconds: float = 5.0) -> None:
        self._per_principal = per_principal
        self._wait_seconds = wait_seconds
        self._slots: dict[Principal, asyncio.Semaphore] = {}
        self._users: dict[Principal, int] = {}

    @asynccontextmanager
    async def slot(self, principal: Principal) -> AsyncIterator[None]:
        """Hold one of ``principal``'s slots for the ``async with`` block; raises
        ``ResourceLimitExceeded`` when none frees up within ``wait_seconds``."""
        semaphore = self._slots.setdefault(principal, asyncio.Semaphore(self._per_principal))
        self._users[principal] = self._users.get(principal, 0) + 1
        try:
            try:
                await asyncio.wait_for(semaphore.acquire(), self._wait_seconds)
            except TimeoutError:
                raise ResourceLimitExceeded(
                    f"Too many queries at once for this user (limit {self._per_principal}).",
                    hint="Wait for the running queries to finish, then retry.",
                ) from None
            try:
                yield
            finally:
                semaphore.release()
        finally:
            self._users[principal] -= 1
            if not self._users[principal]:  # forget idle principals: the map stays small
                del self._users[principal]
                del self._slots[principal]


class QueryAdmission:
    """At most ``limit`` model-written queries run at once across every principal.

    Set below the pool size, it keeps ``pool size - limit`` connections for the short calls
    (schemas, searches, the cache's scope look-up) whatever the heavy queries do: principals are
    cheap to come by (any valid token), so a per-principal bound alone cannot protect the pool.
    A query that finds every place taken waits up to ``wait_seconds`` and is then refused with
    RESOURCE_LIMIT, an honest answer, instead of queueing without bound for a connection.
    """

    def __init__(self, limit: int, wait_seconds: float = 5.0) -> None:
        if limit < 1:
            raise ValueError("the admission limit must be at least 1")
        self._limit = limit
        self._wait_seconds = wait_seconds
        self._semaphore = asyncio.Semaphore(limit)

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """Hold one of the server's query places for the block; raises ``ResourceLimitExceeded``
        when none frees up within the wait."""
        try:
            await asyncio.wait_for(self._semaphore.acquire(), self._wait_seconds)
        except TimeoutError:
            raise ResourceLimitExceeded(
                f"The server is running as many queries as it admits at once ({self._limit}).",
                hint="Retry in a few seconds; cheaper queries (filtered, aggregated) free places sooner.",
            ) from None
        try:
            yield
        finally:
            self._semaphore.release()
