"""The ``execute_sales_query`` use case: check, bound, run under RLS, audit.

The statement check is CPU work of its own (parsing and walking can cost tens of milliseconds, and
far more for a hostile statement), so it runs inside the principal's slot, where one caller's
statements queue behind each other, and in a worker thread, where it cannot stall the event loop
that serves every other caller.
"""

from __future__ import annotations

import asyncio

from zava_core.domain.principal import Principal
from zava_core.domain.results import QueryResult
from zava_core.domain.statements import CheckedStatement, QueryLimits
from zava_core.ports.audit import AuditLog
from zava_core.ports.statement_policy import StatementPolicy
from zava_core.ports.unit_of_work import UnitOfWorkFactory
from zava_core.services.audit_trail import audited
from zava_core.services.concurrency import PrincipalLimiter, QueryAdmission
from zava_core.services.retry import RetryPolicy, retry_transient

__all__ = ["SalesQueryService"]

TOOL = "execute_sales_query"


class SalesQueryService:
    """Runs model-written SQL for one principal: checked, admitted, run in one read-only unit of
    work (repeated on a transient fault), and audited once however it ends."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        policy: StatementPolicy,
        limits: QueryLimits,
        limiter: PrincipalLimiter,
        audit: AuditLog,
        *,
        admission: QueryAdmission | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._policy = policy
        self._limits = limits
        self._limiter = limiter
        self._audit = audit
        self._admission = admission
        self._retry = retry or RetryPolicy()

    async def execute(self, principal: Principal, sql: str) -> QueryResult:
        """Check ``sql``, run it under ``principal``'s row-level security and return the bounded
        result; every failure is a ``ZavaError`` with a stable code, and every call one audit event."""
        async with audited(self._audit, principal, TOOL) as call, self._limiter.slot(principal):
            checked = await asyncio.to_thread(self._policy.check, sql)
            call.fingerprint = checked.fingerprint
            call.result = result = await self._run(principal, checked)
        return result

    async def _run(self, principal: Principal, checked: CheckedStatement) -> QueryResult:
        if self._admission is None:
            return await self._attempts(principal, checked)
        async with self._admission.admit():
            return await self._attempts(principal, checked)

    async def _attempts(self, principal: Principal, checked: CheckedStatement) -> QueryResult:
        async def attempt() -> QueryResult:
            async with self._uow_factory(principal) as uow:
                return await uow.sales.run(checked, self._limits)

        return await retry_transient(attempt, self._retry)
