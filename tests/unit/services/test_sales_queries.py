from __future__ import annotations

import asyncio
import threading
import uuid

import pytest

from zava_core.domain.errors import QueryRejected, ResourceLimitExceeded
from zava_core.domain.principal import Principal
from zava_core.domain.statements import CheckedStatement, QueryLimits
from zava_core.services.concurrency import PrincipalLimiter
from zava_core.services.sales_queries import SalesQueryService
from zava_core.testing.fakes import FakeUnitOfWorkFactory, KeywordPolicy, RecordingAuditLog

STORE_A, STORE_B = uuid.UUID(int=10), uuid.UUID(int=11)
MANAGER_A = uuid.UUID(int=1)


def service(
    audit: RecordingAuditLog, factory: FakeUnitOfWorkFactory, limiter: PrincipalLimiter | None = None
) -> SalesQueryService:
    return SalesQueryService(factory, KeywordPolicy(), QueryLimits(max_rows=5), limiter or PrincipalLimiter(2), audit)


def factory() -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory({MANAGER_A: frozenset({STORE_A})}, {STORE_A: 3, STORE_B: 4})


async def test_each_call_opens_exactly_one_unit_of_work_for_its_principal() -> None:
    uows, audit = factory(), RecordingAuditLog()
    result = await service(audit, uows).execute(Principal(MANAGER_A), "SELECT store_id FROM retail.orders")
    assert result.rows == [[str(STORE_A)]] * 3
    assert [(u.principal.user_id, u.entered, u.exited) for u in uows.opened] == [(MANAGER_A, 1, 1)]


async def test_refused_query_opens_no_transaction_and_is_audited_with_its_rule() -> None:
    uows, audit = factory(), RecordingAuditLog()
    with pytest.raises(QueryRejected):
        await service(audit, uows).execute(Principal(MANAGER_A), "DELETE FROM retail.orders")
    assert uows.opened == []
    assert [(e.outcome, e.code, e.rule) for e in audit.events] == [("refused", "VALIDATION_ERROR", "not_read_only")]


async def test_successful_query_is_audited_with_rows_and_fingerprint() -> None:
    uows, audit = factory(), RecordingAuditLog()
    await service(audit, uows).execute(Principal(MANAGER_A), "SELECT 1")
    (event,) = audit.events
    assert event.outcome == "ok"
    assert event.row_count == 3
    assert event.fingerprint
    assert event.principal == str(MANAGER_A)


async def test_unknown_principal_sees_nothing() -> None:
    result = await service(RecordingAuditLog(), factory()).execute(Principal(uuid.UUID(int=99)), "SELECT 1")
    assert result.rows == []


async def test_one_principal_cannot_run_more_than_its_concurrent_limit() -> None:
    limiter = PrincipalLimiter(per_principal=1, wait_seconds=0.05)
    principal = Principal(MANAGER_A)
    async with limiter.slot(principal):
        with pytest.raises(ResourceLimitExceeded):
            async with limiter.slot(principal):
                pass
        # Another principal is not held up by the first one's slot.
        async with limiter.slot(Principal(uuid.UUID(int=2))):
            pass


async def test_limiter_forgets_idle_principals() -> None:
    limiter = PrincipalLimiter(per_principal=2)
    await asyncio.gather(*(_use(limiter, Principal(uuid.UUID(int=i))) for i in range(50)))
    assert limiter._slots == {}


async def _use(limiter: PrincipalLimiter, principal: Principal) -> None:
    async with limiter.slot(principal):
        await asyncio.sleep(0)


class _ThreadRecordingPolicy(KeywordPolicy):
    """Records the thread each check ran on."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[int] = []

    def check(self, sql: str) -> CheckedStatement:
        self.threads.append(threading.get_ident())
        return super().check(sql)


async def test_statement_check_runs_off_the_event_loop_inside_the_principals_slot() -> None:
    policy = _ThreadRecordingPolicy()
    limiter = PrincipalLimiter(per_principal=1, wait_seconds=0.05)
    sales = SalesQueryService(factory(), policy, QueryLimits(max_rows=5), limiter, RecordingAuditLog())
    principal = Principal(MANAGER_A)
    async with limiter.slot(principal):
        # The slot is taken: the check must not even start before a slot frees up.
        with pytest.raises(ResourceLimitExceeded):
            await sales.execute(principal, "SELECT 1")
    assert policy.threads == []
    await sales.execute(principal, "SELECT 1")
    assert policy.threads
    assert threading.get_ident() not in policy.threads
