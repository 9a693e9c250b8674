"""Issue 8/9: every call is audited once however it ends; transient faults are retried, permanent
ones never; the global admission bound refuses instead of queueing without end."""

from __future__ import annotations

import asyncio
import logging
import uuid
from types import TracebackType
from typing import Self

import pytest

from zava_core.adapters.cache import MemoryCache
from zava_core.domain.errors import (
    DatabaseError,
    DatabaseUnavailable,
    InternalError,
    QueryTimeout,
    ResourceLimitExceeded,
)
from zava_core.domain.principal import Principal
from zava_core.domain.statements import QueryLimits
from zava_core.services.concurrency import PrincipalLimiter, QueryAdmission
from zava_core.services.query_cache import CachedSalesQueries
from zava_core.services.retry import RetryPolicy
from zava_core.services.sales_queries import SalesQueryService
from zava_core.testing.fakes import FakeUnitOfWork, FakeUnitOfWorkFactory, KeywordPolicy, RecordingAuditLog

STORE = uuid.UUID(int=10)
MANAGER = uuid.UUID(int=1)
FAST = RetryPolicy(attempts=3, first_wait_seconds=0.001, max_wait_seconds=0.01, deadline_seconds=5)


class _Failing:
    """A unit of work that fails on entry with the next of ``failures``, then works."""

    def __init__(self, inner: FakeUnitOfWork, failure: BaseException | None) -> None:
        self._inner, self._failure = inner, failure
        self.principal, self.sales, self.catalog = inner.principal, inner.sales, inner.catalog
        self.business, self.products = inner.business, None

    async def __aenter__(self) -> Self:
        if self._failure is not None:
            raise self._failure
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._inner.__aexit__(exc_type, exc, tb)


class FailingFactory:
    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.inner = FakeUnitOfWorkFactory({MANAGER: frozenset({STORE})}, {STORE: 2})
        self.calls = 0

    def __call__(self, principal: Principal, *, statement_timeout_ms: int | None = None) -> _Failing:
        self.calls += 1
        failure = self.failures.pop(0) if self.failures else None
        return _Failing(self.inner(principal), failure)


def service(
    factory: FailingFactory, audit: RecordingAuditLog, admission: QueryAdmission | None = None
) -> SalesQueryService:
    return SalesQueryService(
        factory,  # type: ignore[arg-type]
        KeywordPolicy(),
        QueryLimits(max_rows=5),
        PrincipalLimiter(2),
        audit,
        admission=admission,
        retry=FAST,
    )


async def test_a_transient_fault_is_retried_and_the_call_succeeds_with_one_audit_event() -> None:
    factory, audit = FailingFactory(DatabaseUnavailable("gone")), RecordingAuditLog()
    result = await service(factory, audit).execute(Principal(MANAGER), "SELECT 1")
    assert result.row_count == 2
    assert factory.calls == 2
    assert [(e.outcome, e.code) for e in audit.events] == [("ok", None)]


async def test_a_fault_that_persists_ends_as_database_unavailable_after_the_attempts() -> None:
    factory, audit = FailingFactory(*(DatabaseUnavailable("gone") for _ in range(5))), RecordingAuditLog()
    with pytest.raises(DatabaseUnavailable) as caught:
        await service(factory, audit).execute(Principal(MANAGER), "SELECT 1")
    assert caught.value.retryable
    assert factory.calls == FAST.attempts
    assert [(e.outcome, e.code) for e in audit.events] == [("error", "DATABASE_UNAVAILABLE")]


@pytest.mark.parametrize(
    "error",
    [QueryTimeout("slow"), DatabaseError("no such column"), ResourceLimitExceeded("busy")],
    ids=["timeout", "sql-error", "resource-limit"],
)
async def test_permanent_errors_are_never_retried(error: Exception) -> None:
    factory, audit = FailingFactory(error), RecordingAuditLog()
    with pytest.raises(type(error)):
        await service(factory, audit).execute(Principal(MANAGER), "SELECT 1")
    assert factory.calls == 1
    assert not error.retryable  # type: ignore[attr-defined]
    assert [e.code for e in audit.events] == [error.code]  # type: ignore[attr-defined]


async def test_an_unexpected_exception_becomes_internal_error_audited_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    factory, audit = FailingFactory(KeyError("a bug")), RecordingAuditLog()
    with caplog.at_level(logging.ERROR, logger="zava.audit"), pytest.raises(InternalError) as caught:
        await service(factory, audit).execute(Principal(MANAGER), "SELECT 1")
    assert caught.value.code == "INTERNAL_ERROR"
    assert "a bug" not in str(caught.value)  # the details stay in the log
    assert isinstance(caught.value.__cause__, KeyError)
    (event,) = audit.events
    assert (event.outcome, event.code) == ("error", "INTERNAL_ERROR")
    assert event.fingerprint  # the statement was checked before the failure
    assert "a bug" in caplog.text
    assert str(MANAGER) in caplog.text


async def test_a_cancelled_call_leaves_one_cancelled_event() -> None:
    factory, audit = FailingFactory(), RecordingAuditLog()
    admission = QueryAdmission(limit=1, wait_seconds=60)
    svc = service(factory, audit, admission)
    async with admission.admit():  # every place taken: the call waits for admission
        task = asyncio.create_task(svc.execute(Principal(MANAGER), "SELECT 1"))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert [(e.outcome, e.code) for e in audit.events] == [("cancelled", None)]


async def test_admission_refuses_with_resource_limit_once_its_wait_runs_out() -> None:
    factory, audit = FailingFactory(), RecordingAuditLog()
    admission = QueryAdmission(limit=1, wait_seconds=0.05)
    async with admission.admit():
        with pytest.raises(ResourceLimitExceeded, match="at once"):
            await service(factory, audit, admission).execute(Principal(MANAGER), "SELECT 1")
    assert [(e.outcome, e.code) for e in audit.events] == [("error", "RESOURCE_LIMIT")]
    assert factory.calls == 0  # refused before it took a connection
    # A free place admits again.
    await service(factory, audit, admission).execute(Principal(MANAGER), "SELECT 1")


def test_admission_needs_at_least_one_place() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        QueryAdmission(limit=0)


async def test_the_cached_path_audits_a_failure_before_the_inner_service_once() -> None:
    # The cache's scope look-up fails (a crash in its unit of work): one event, INTERNAL_ERROR.
    factory, audit = FailingFactory(RuntimeError("scope crashed")), RecordingAuditLog()
    inner = service(factory, audit)
    cached = CachedSalesQueries(inner, KeywordPolicy(), factory, MemoryCache(), audit, retry=FAST)  # type: ignore[arg-type]
    with pytest.raises(InternalError):
        await cached.execute(Principal(MANAGER), "SELECT 1")
    assert [(e.outcome, e.code) for e in audit.events] == [("error", "INTERNAL_ERROR")]


async def test_the_cached_path_records_one_event_per_miss_and_per_hit() -> None:
    factory, audit = FailingFactory(), RecordingAuditLog()
    cached = CachedSalesQueries(service(factory, audit), KeywordPolicy(), factory, MemoryCache(), audit)  # type: ignore[arg-type]
    await cached.execute(Principal(MANAGER), "SELECT 1")
    await cached.execute(Principal(MANAGER), "SELECT 1")
    assert [e.outcome for e in audit.events] == ["ok", "cached"]
