"""The query cache: results of ``execute_sales_query`` kept for a while (300 s by default), keyed
by the principal's *scope*, never by a guess about who may share.

A result under row-level security depends on the SQL and on the set of stores the principal may
see, nothing else (the statement check refuses every way of reading the session's identity). So
the key holds the statement text as it will run (literal values included) and a digest of the
visible store ids, read under the principal's own RLS context: two managers of the same store
share entries; two different stores never can, because their scopes differ. A generation number
in the cache itself lets ``zava db seed`` and ``zava embed`` invalidate every entry at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from dataclasses import replace

from zava_core.domain.audit import AuditEvent
from zava_core.domain.errors import QueryRejected
from zava_core.domain.principal import Principal
from zava_core.domain.results import Column, QueryResult
from zava_core.domain.statements import CheckedStatement, QueryLimits
from zava_core.ports.audit import AuditLog
from zava_core.ports.cache import Cache
from zava_core.ports.statement_policy import StatementPolicy
from zava_core.ports.unit_of_work import UnitOfWorkFactory
from zava_core.services.sales_queries import TOOL, SalesQueryService

__all__ = ["GENERATION_KEY", "CachedSalesQueries", "bump_generation"]

GENERATION_KEY = "query-cache:generation"
#: The scope query: the very function the row-level security policies filter with, so equal
#: scopes mean equal results. Our own SQL: it does not go through the statement check, which
#: refuses this function in the model's SQL.
_SCOPE = CheckedStatement(
    sql="SELECT coalesce(array_to_string(ARRAY(SELECT s FROM unnest(zava_private.visible_store_ids()) AS s "
    "ORDER BY 1), ','), '')",
    fingerprint="query-cache-scope",
    kind="select",
    tables=frozenset(),
)
_SCOPE_LIMITS = QueryLimits(max_rows=1, max_result_bytes=1_000_000)
_GENERATION_TTL = 365 * 86400


async def bump_generation(cache: Cache) -> None:
    """Invalidate every cached result (after the data changed)."""
    current = await cache.get(GENERATION_KEY)
    value = int(current or b"0") + 1
    await cache.set(GENERATION_KEY, str(value).encode(), _GENERATION_TTL)


class CachedSalesQueries:
    """``SalesQueryService.execute`` with a cache in front; a hit says ``cached: true``."""

    def __init__(
        self,
        inner: SalesQueryService,
        policy: StatementPolicy,
        uow_factory: UnitOfWorkFactory,
        cache: Cache,
        audit: AuditLog,
        *,
        ttl_seconds: int = 300,
        scope_ttl_seconds: float = 60.0,
        max_scopes: int = 10_000,
    ) -> None:
        self._inner = inner
        self._policy = policy
        self._uow_factory = uow_factory
        self._cache = cache
        self._audit = audit
        self._ttl = ttl_seconds
        self._scope_ttl = scope_ttl_seconds
        self._max_scopes = max_scopes
        self._scopes: OrderedDict[Principal, tuple[float, str]] = OrderedDict()

    async def execute(self, principal: Principal, sql: str) -> QueryResult:
        """As ``SalesQueryService.execute``; a result cached for the same statement and the same
        scope comes back marked ``cached`` and is audited as such."""
        if self._ttl <= 0:
            return await self._inner.execute(principal, sql)
        try:
            # Off the event loop, like the inner service's own check: one tenant's costly
            # statement must not stall the others (the verdict is cached, so the inner check is cheap).
            checked = await asyncio.to_thread(self._policy.check, sql)
        except QueryRejected:
            return await self._inner.execute(principal, sql)  # it refuses, and audits the refusal
        started = time.perf_counter()
        key = await self._key(principal, checked)
        stored = await self._cache.get(key)
        if stored is not None:
            result = _decode(stored)
            self._audit.record(
                AuditEvent(
                    principal=str(principal),
                    tool=TOOL,
                    outcome="cached",
                    fingerprint=checked.fingerprint,
                    duration_ms=(time.perf_counter() - started) * 1000,
                    row_count=result.row_count,
                    truncated=result.truncated,
                )
            )
            return result
        result = await self._inner.execute(principal, sql)
        await self._cache.set(key, _encode(result), self._ttl)
        return result

    async def scope_of(self, principal: Principal) -> str:
        """A digest of the stores ``principal`` may see, as the database says (memoised briefly)."""
        now = time.monotonic()
        known = self._scopes.get(principal)
        if known is not None and now - known[0] < self._scope_ttl:
            self._scopes.move_to_end(principal)
            return known[1]
        async with self._uow_factory(principal) as uow:
            result = await uow.sales.run(_SCOPE, _SCOPE_LIMITS)
        stores = str(result.rows[0][0]) if result.rows else ""
        digest = hashlib.sha256(stores.encode()).hexdigest()[:32]
        self._scopes[principal] = (now, digest)
        self._scopes.move_to_end(principal)
        while len(self._scopes) > self._max_scopes:
            self._scopes.popitem(last=False)
        return digest

    async def _key(self, principal: Principal, checked: CheckedStatement) -> str:
        generation = (await self._cache.get(GENERATION_KEY) or b"0").decode()
        scope = await self.scope_of(principal)
        statement = hashlib.sha256(checked.sql.encode()).hexdigest()
        return f"query:{generation}:{scope}:{statement}"


def _encode(result: QueryResult) -> bytes:
    body = result.to_dict()
    body["columns"] = [[c.name, c.type] for c in result.columns]
    return json.dumps(body, ensure_ascii=False).encode()


def _decode(stored: bytes) -> QueryResult:
    body = json.loads(stored)
    result = QueryResult(
        columns=[Column(name, type_) for name, type_ in body["columns"]],
        rows=body["rows"],
        truncated=body["truncated"],
        row_count=body["row_count"],
        total_rows=body["total_rows"],
        duration_ms=body["duration_ms"],
        truncated_reason=body["truncated_reason"],
    )
    return replace(result, cached=True)
