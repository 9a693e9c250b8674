"""The ``execute_sales_query`` use case: check, bound, run under RLS, audit.

The statement check is CPU work of its own (parsing and walking can cost tens of milliseconds, and
far more for a hostile statement), so it runs inside the principal's slot, where one caller's
statements queue behind each other, and in a worker thread, where it cannot stall the event loop
that serves every other caller.
"""

from __future__ import annotations

import asyncio
import time

from zava_core.domain.audit import AuditEvent
from zava_core.domain.errors import QueryRejected, ZavaError
from zava_core.domain.principal import Principal
from zava_core.domain.results import QueryResult
from zava_core.domain.statements import CheckedStatement, QueryLimits
from zava_core.ports.audit import AuditLog
from zava_core.ports.statement_policy import StatementPolicy
from zava_core.ports.unit_of_work import UnitOfWorkFactory
from zava_core.services.concurrency import PrincipalLimiter

__all__ = ["SalesQueryService"]

TOOL = "execute_sales_query"


class SalesQueryService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        policy: StatementPolicy,
        limits: QueryLimits,
        limiter: PrincipalLimiter,
        audit: AuditLog,
    ) -> None:
        self._uow_factory = uow_factory
        self._policy = policy
        self._limits = limits
        self._limiter = limiter
        self._audit = audit

    async def execute(self, principal: Principal, sql: str) -> QueryResult:
        """Check ``sql``, run it under ``principal``'s row-level security within the limits and
        return its rows. Raises ``QueryRejected`` when the check refuses it, ``QueryTimeout``,
        ``DatabaseError`` or ``ResourceLimitExceeded``; refusals, errors and results are audited."""
        started = time.perf_counter()
        checked: CheckedStatement | None = None
        try:
            async with self._limiter.slot(principal):
                checked = await asyncio.to_thread(self._policy.check, sql)
                async with self._uow_factory(principal) as uow:
                    result = await uow.sales.run(checked, self._limits)
        except ZavaError as exc:
            self._audit.record(
                AuditEvent(
                    principal=str(principal),
                    tool=TOOL,
                    outcome="refused" if isinstance(exc, QueryRejected) else "error",
                    fingerprint=checked.fingerprint if checked else None,
                    duration_ms=(time.perf_counter() - started) * 1000,
                    code=exc.code,
                    rule=exc.rule if isinstance(exc, QueryRejected) else None,
                )
            )
            raise
        self._audit.record(
            AuditEvent(
                principal=str(principal),
                tool=TOOL,
                outcome="ok",
                fingerprint=checked.fingerprint,
                duration_ms=(time.perf_counter() - started) * 1000,
                row_count=result.row_count,
                truncated=result.truncated,
            )
        )
        return result
