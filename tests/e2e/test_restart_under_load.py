"""PostgreSQL restarts while clients keep calling: every call ends in rows or in a coded error
with a message, none runs past the statement timeout plus a margin, and calls succeed again soon
after the database is back, without restarting Zava.

The test has its own embedded server (a restart must not disturb the shared one) and its own
seeded database, and drives a real ``zava serve`` process over streamable HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import HEAD_OFFICE, SEATTLE_MANAGER, SeededDatabase, make_settings, make_target
from tests.e2e.conftest import HttpServer, server_env, start_http_server
from tests.e2e.test_http_transport import http_client, token_for
from tests.helpers import tool_text
from zava_mcp_adapter.database import embedded
from zava_mcp_adapter.database.provisioning import create_database_if_missing, prepare_database
from zava_mcp_adapter.database.seeding import seed_database

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STATEMENT_TIMEOUT_S = 5
#: The longest a call may take: the statement timeout plus the margin the issue allows.
CALL_BOUND_S = STATEMENT_TIMEOUT_S + 5
#: A generous bound on recovery for a noisy machine; the goal (reported) is 2 s.
RECOVERY_BOUND_S = 30
CODED = re.compile(r"^[A-Z][A-Z_]+: \S")
#: A different literal on every call: the query cache must not answer for the database.
SQL = "SELECT o.store_id, count(*) FROM retail.orders o WHERE o.total_amount > {} GROUP BY 1"


@dataclass(frozen=True)
class Call:
    started: float
    ended: float
    outcome: str
    text: str


@pytest.fixture(scope="module")
async def restartable(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[SeededDatabase, Path]]:
    data_dir = tmp_path_factory.mktemp("restartable")
    server = embedded.start(data_dir)
    try:
        target = make_target(server, "zava_restart")
        settings = make_settings(target, data_dir)
        assert target.admin_url is not None
        await create_database_if_missing(target.admin_url, "zava_restart")
        await prepare_database(settings, target)
        await seed_database(target, seed=7, scale=0.01, show_progress=False)
        yield SeededDatabase(target=target, settings=settings, server=server), data_dir
    finally:
        embedded.stop(data_dir)


@pytest.fixture(scope="module")
def zava(restartable: tuple[SeededDatabase, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpServer]:
    db, _ = restartable
    env = server_env(
        db, ZAVA_STATEMENT_TIMEOUT_MS=str(STATEMENT_TIMEOUT_S * 1000), ZAVA_CALLS_PER_MINUTE_PER_PRINCIPAL="0"
    )
    with (tmp_path_factory.mktemp("restart-log") / "server.log").open("wb") as log:
        server = start_http_server(env, log=log)
        try:
            yield server
        finally:
            server.process.terminate()
            server.process.wait(timeout=30)


async def test_calls_end_coded_and_recover_after_a_database_restart(
    restartable: tuple[SeededDatabase, Path], zava: HttpServer
) -> None:
    db, data_dir = restartable
    calls: list[Call] = []
    stop = asyncio.Event()
    literals = itertools.count()
    recovered_event = asyncio.Event()
    back_at: float | None = None

    async def caller(user: uuid.UUID) -> None:
        async with http_client(zava, token_for(db, user)) as client:
            while not stop.is_set():
                started = time.monotonic()
                sql = SQL.format(next(literals))
                result = await client.call_tool("execute_sales_query", {"postgresql_query": sql})
                text = tool_text(result)
                outcome = text.split(":", 1)[0] if result.is_error else "ok"
                calls.append(Call(started, time.monotonic(), outcome, text))
                if outcome == "ok" and back_at is not None and started >= back_at:
                    recovered_event.set()
                await asyncio.sleep(0.02)

    workers = [asyncio.create_task(caller(user)) for user in (SEATTLE_MANAGER, HEAD_OFFICE) * 3]
    await asyncio.sleep(2)
    assert any(c.outcome == "ok" for c in calls), [c.text for c in calls[:3]]

    down_at = time.monotonic()
    assert await asyncio.to_thread(embedded.stop, data_dir), "the database was not running"
    assert embedded.server_status(data_dir) == "stopped"
    await asyncio.sleep(2)
    await asyncio.to_thread(embedded.start, data_dir)
    back_at = time.monotonic()

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(recovered_event.wait(), RECOVERY_BOUND_S)
    await asyncio.sleep(1)
    stop.set()
    await asyncio.gather(*workers)

    during = [c for c in calls if c.ended >= down_at and c.started <= back_at]
    recovered = [c for c in calls if c.started >= back_at and c.outcome == "ok"]
    recovery = min(c.ended for c in recovered) - back_at if recovered else float("inf")
    print(  # the figures the note reports
        f"\nrestart: {len(calls)} calls, outcomes {dict(Counter(c.outcome for c in calls))}, "
        f"{len(during)} overlapped the outage, recovery {recovery:.2f} s after the database was back"
    )
    late = [c.text for c in calls if c.started >= back_at and c.outcome != "ok"]
    print("late errors:", Counter(late).most_common(3))
    for call in calls:
        assert call.outcome == "ok" or CODED.match(call.text), f"uncoded error: {call.text[:200]!r}"
        assert call.ended - call.started <= CALL_BOUND_S, f"a call took {call.ended - call.started:.1f} s"
    assert recovery <= RECOVERY_BOUND_S
