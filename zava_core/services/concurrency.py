"""A per-principal bound on concurrent queries, so that one caller cannot hold the whole pool."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from zava_core.domain.errors import ResourceLimitExceeded
from zava_core.domain.principal import Principal

__all__ = ["PrincipalLimiter"]


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
