"""Issue 3 acceptance: real analysts' SQL is accepted, and under RLS it returns exactly what the
owner gets with an explicit store filter."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import pytest

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from tests.corpus.analytics import ANALYTICS_CASES, AnalyticsCase
from tests.helpers import in_memory_client, result_payload, tool_text
from zava_core.adapters.sqlalchemy.values import register_value_codecs, to_json_value
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID

pytestmark = pytest.mark.integration

PRINCIPALS = {"store_manager": SEATTLE_MANAGER, "regional_manager": REGIONAL_MANAGER_USER_ID}


async def store_array(admin: asyncpg.Connection, user: uuid.UUID) -> str:
    ids = await admin.fetch(
        "SELECT store_id FROM retail.stores WHERE rls_user_id = $1 "
        "UNION SELECT store_id FROM retail.principal_stores WHERE user_id = $1 ORDER BY 1",
        user,
    )
    return "ARRAY[" + ", ".join(f"'{r['store_id']}'" for r in ids) + "]::uuid[]"


async def owner_rows(admin: asyncpg.Connection, sql: str) -> list[list[Any]]:
    """The owner's result in the tool's JSON form (types as PostgreSQL reports them)."""
    await register_value_codecs(admin)
    statement = await admin.prepare(sql)
    types = [a.type.name for a in statement.get_attributes()]
    return [[to_json_value(v, types[i]) for i, v in enumerate(r.values())] for r in await statement.fetch()]


@pytest.mark.parametrize("case", ANALYTICS_CASES, ids=lambda c: c.id)
@pytest.mark.parametrize("who", list(PRINCIPALS))
async def test_analytics_query_is_accepted_and_matches_explicit_filter(
    case: AnalyticsCase, who: str, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, PRINCIPALS[who]) as client:
        result = await client.call_tool("execute_sales_query", {"postgresql_query": case.sql})
    assert not result.is_error, f"{case.id}: {tool_text(result)}"
    payload = result_payload(result)
    assert not payload["truncated"]
    if not case.compare_rows:
        assert len(payload["rows"]) > 0
        return
    reference = case.reference.format(stores=await store_array(admin_conn, PRINCIPALS[who]))
    expected = await owner_rows(admin_conn, reference)
    assert payload["rows"] == expected
