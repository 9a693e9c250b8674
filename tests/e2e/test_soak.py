"""Isolation under load, over streamable HTTP against a real server process.

Many clients, every kind of principal (each store manager, the regional manager, head office, a
user with no stores, unknown users), each calling concurrently; every returned row names its store
and is checked against what the administrator says the principal may see. ``make test`` runs a
reduced size; ``make soak`` the full one (``ZAVA_SOAK_CALLS=10000 ZAVA_SOAK_CLIENTS=32``).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import HEAD_OFFICE, NO_ACCESS_USER, SeededDatabase
from tests.e2e.conftest import HttpServer, server_env, start_http_server
from tests.e2e.test_http_transport import http_client, token_for
from tests.helpers import result_payload, tool_text
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID
from zava_core.dataset.reference import load_reference

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CALLS = int(os.environ.get("ZAVA_SOAK_CALLS", "400"))
CLIENTS = int(os.environ.get("ZAVA_SOAK_CLIENTS", "8"))

#: Queries whose first column is the store each row belongs to.
QUERIES = (
    "SELECT o.store_id, count(*) FROM retail.orders o GROUP BY 1",
    "SELECT oi.store_id, sum(oi.total_amount) FROM retail.order_items oi GROUP BY 1",
    "SELECT i.store_id, i.product_id, i.stock_level FROM retail.inventory i WHERE i.stock_level < 15 LIMIT 300",
    "SELECT c.store_id, count(*) FROM retail.customers c GROUP BY 1",
    "SELECT o.store_id, date_trunc('month', o.order_date) AS month, sum(o.total_amount) "
    "FROM retail.orders o GROUP BY 1, 2 ORDER BY 2 DESC LIMIT 50",
    "SELECT s.store_id, s.store_name FROM retail.stores s",
    "SELECT o.store_id, o.order_id, o.total_amount FROM retail.orders o ORDER BY o.total_amount DESC LIMIT 25",
)


@dataclass
class Tally:
    calls: int = 0
    rows_checked: int = 0
    foreign_rows: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


def principals() -> list[uuid.UUID]:
    stores = [s.rls_user_id for s in load_reference().stores]
    return [*stores, REGIONAL_MANAGER_USER_ID, HEAD_OFFICE, NO_ACCESS_USER, uuid.uuid4()]


async def visible_stores(admin: asyncpg.Connection, user: uuid.UUID) -> set[str]:
    """The oracle: the stores ``user`` may see, read by the administrator (no RLS)."""
    if user == HEAD_OFFICE:
        rows = await admin.fetch("SELECT store_id FROM retail.stores")
    else:
        rows = await admin.fetch(
            "SELECT store_id FROM retail.stores WHERE rls_user_id = $1 "
            "UNION SELECT store_id FROM retail.principal_stores WHERE user_id = $1",
            user,
        )
    return {str(r["store_id"]) for r in rows}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@pytest.fixture(scope="module")
def soak_server(zava_db: SeededDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpServer]:
    # The per-minute limit is a defence against one caller; a soak is many honest callers at once.
    env = server_env(zava_db, ZAVA_CALLS_PER_MINUTE_PER_PRINCIPAL="0", ZAVA_POOL_MAX_SIZE="10")
    with (tmp_path_factory.mktemp("soak") / "server.log").open("wb") as log:
        server = start_http_server(env, log=log)
        try:
            yield server
        finally:
            server.process.terminate()
            server.process.wait(timeout=30)


async def test_no_principal_sees_a_foreign_row_under_load(
    soak_server: HttpServer, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    users = principals()
    expected = {user: await visible_stores(admin_conn, user) for user in users}
    tally = Tally()
    per_client = max(CALLS // CLIENTS, 1)
    rss_before = rss_kib(soak_server.process.pid)

    async def client_loop(index: int) -> None:
        user = users[index % len(users)]
        rng = random.Random(index)
        async with http_client(soak_server, token_for(zava_db, user)) as client:
            for _ in range(per_client):
                result = await client.call_tool("execute_sales_query", {"postgresql_query": rng.choice(QUERIES)})
                tally.calls += 1
                if result.is_error:
                    tally.outcomes[tool_text(result).split(":", 1)[0]] += 1
                    continue
                tally.outcomes["ok"] += 1
                for row in result_payload(result)["rows"]:
                    tally.rows_checked += 1
                    if str(row[0]) not in expected[user]:
                        tally.foreign_rows += 1

    started = time.perf_counter()
    await asyncio.gather(*(client_loop(i) for i in range(CLIENTS)))
    seconds = time.perf_counter() - started
    rss_after = rss_kib(soak_server.process.pid)
    print(  # the figures `make soak` reports
        f"\nsoak: {tally.calls} calls, {CLIENTS} clients, {len(users)} principals, {seconds:.1f} s "
        f"({tally.calls / seconds:.0f}/s), {tally.rows_checked} rows checked, {tally.foreign_rows} foreign, "
        f"outcomes {dict(tally.outcomes)}, server RSS {rss_before // 1024} -> {rss_after // 1024} MiB"
    )
    assert tally.calls == per_client * CLIENTS
    assert tally.foreign_rows == 0
    assert tally.rows_checked > 0
    # Every call ends in rows or in a coded refusal that a caller can act on, never a bare failure.
    assert set(tally.outcomes) <= {"ok", "RESOURCE_LIMIT"}, tally.outcomes
    assert tally.outcomes["ok"] >= 0.95 * tally.calls
