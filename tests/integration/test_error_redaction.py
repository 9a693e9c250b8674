"""Issue 12: a database error through the tool names the columns to fix and no row's value."""

from __future__ import annotations

import asyncpg
import pytest

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from tests.helpers import in_memory_client, tool_error

pytestmark = pytest.mark.integration


async def test_identifiers_are_shown_and_values_hidden(zava_db: SeededDatabase, admin_conn: asyncpg.Connection) -> None:
    names = [r["store_name"] for r in await admin_conn.fetch("SELECT store_name FROM retail.stores")]
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        group_by = await tool_error(client, "SELECT o.store_id, count(*) FROM retail.orders o GROUP BY o.order_date")
        misspelt = await tool_error(client, "SELECT order_dat FROM retail.orders")
        value = await tool_error(client, "SELECT s.store_name::int FROM retail.stores s")
    assert 'column "o.store_id" must appear in the GROUP BY clause' in group_by
    assert 'Perhaps you meant to reference the column "orders.order_date"' in misspelt, misspelt
    assert "<redacted>" in value
    assert not any(name in value for name in names), value
