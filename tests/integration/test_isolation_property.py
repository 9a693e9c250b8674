"""Hypothesis property over the whole query path (statement check, unit of work, RLS)."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import HEAD_OFFICE, SeededDatabase
from zava_core.adapters.audit import StructlogAuditLog
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID
from zava_core.dataset.reference import load_reference
from zava_core.domain.principal import Principal
from zava_core.domain.statements import QueryLimits
from zava_core.services.concurrency import PrincipalLimiter
from zava_core.services.sales_queries import SalesQueryService
from zava_core.testing.strategies import analytics_queries

pytestmark = pytest.mark.integration

USERS = [s.rls_user_id for s in load_reference().stores] + [REGIONAL_MANAGER_USER_ID, HEAD_OFFICE]
principals = st.one_of(st.sampled_from(USERS), st.uuids())


async def _visible(db: SeededDatabase, user: uuid.UUID) -> set[str]:
    conn = await asyncpg.connect(db.admin_dsn)
    try:
        if user == HEAD_OFFICE:
            rows = await conn.fetch("SELECT store_id FROM retail.stores")
        else:
            rows = await conn.fetch(
                "SELECT store_id FROM retail.stores WHERE rls_user_id = $1 "
                "UNION SELECT store_id FROM retail.principal_stores WHERE user_id = $1",
                user,
            )
        return {str(r["store_id"]) for r in rows}
    finally:
        await conn.close()


async def _run(db: SeededDatabase, user: uuid.UUID, sql: str) -> tuple[list[list[object]], set[str]]:
    engine = create_engine(db.target.app_url, PoolSettings(min_size=1, max_size=1))
    try:
        service = SalesQueryService(
            SqlAlchemyUnitOfWorkFactory(engine, db.target.context_key, 10_000),
            PglastStatementPolicy(EXPOSED_COLUMNS),
            QueryLimits(max_rows=5000),
            PrincipalLimiter(1),
            StructlogAuditLog(),
        )
        result = await service.execute(Principal(user), sql)
        return [list(r) for r in result.rows], await _visible(db, user)
    finally:
        await engine.dispose()


@settings(max_examples=40, deadline=None)
@given(user=principals, sql=analytics_queries())
def test_every_returned_row_belongs_to_the_principals_stores(
    zava_db: SeededDatabase, user: uuid.UUID, sql: str
) -> None:
    """For any principal (known or random) and any query of the schema grammar, the first
    column of every returned row is a store the principal may see."""
    rows, visible = asyncio.run(_run(zava_db, user, sql))
    assert {str(r[0]) for r in rows} <= visible
