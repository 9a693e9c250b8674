"""A caller that goes away takes its query with it.

When an HTTP client disconnects or a stdio client dies, the query it started stops running in
PostgreSQL within a second or two and the principal's slots are free again: an impatient client
that retries does not lock itself out.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from tests.e2e.conftest import HttpServer, server_env, start_http_server, stop_http_server
from tests.e2e.test_http_transport import HEADERS, http_client, token_for
from tests.helpers import query
from zava_mcp_adapter.disconnect import BODY_DEADLINE_SECONDS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: Accepted by the statement check, and far longer than any test waits (the server's limit: 60 s).
HEAVY = "SELECT count(*) FROM generate_series(1, 100000) AS a, generate_series(1, 100000) AS b"
MARK = "generate_series(1, 100000) AS a"
#: How long a query may outlive its caller; the goal is a second, the bound allows a busy machine.
GONE_WITHIN_S = 5.0


def _call(request_id: int, sql: str) -> dict[str, object]:
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "tools/call",
        "params": {"name": "execute_sales_query", "arguments": {"postgresql_query": sql}},
    }


async def _running(admin: asyncpg.Connection) -> int:
    return int(
        await admin.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%' || $1 || '%' "
            "AND pid <> pg_backend_pid()",
            MARK,
        )
    )


async def _wait_until(admin: asyncpg.Connection, running: bool, within: float) -> float:
    """Seconds until the heavy query is (or is no longer) running; fails past ``within``."""
    started = time.monotonic()
    while (await _running(admin) > 0) != running:
        assert time.monotonic() - started < within, f"heavy query {'never started' if running else 'still running'}"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture(scope="module")
def slow_server(zava_db: SeededDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpServer]:
    env = server_env(zava_db, ZAVA_STATEMENT_TIMEOUT_MS="60000", ZAVA_MAX_CONCURRENT_QUERIES_PER_PRINCIPAL="2")
    with (tmp_path_factory.mktemp("cancel") / "server.log").open("wb") as log:
        server = start_http_server(env, log=log)
        yield server
        stop_http_server(server)


async def test_an_http_client_that_disconnects_cancels_its_query(
    slow_server: HttpServer, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    headers = HEADERS | {"Authorization": f"Bearer {token_for(zava_db, SEATTLE_MANAGER)}"}
    for _ in range(3):  # more abandoned calls than the principal has slots
        async with httpx.AsyncClient(timeout=httpx.Timeout(1.0)) as http:
            with pytest.raises(httpx.TimeoutException):
                await http.post(slow_server.url, json=_call(1, HEAVY), headers=headers)
        gone = await _wait_until(admin_conn, running=False, within=GONE_WITHIN_S)
        print(f"\nhttp disconnect: query gone {gone:.2f} s after the client left")
    # The slots are free: the same principal's next call is answered at once.
    async with http_client(slow_server, token_for(zava_db, SEATTLE_MANAGER)) as client:
        assert (await query(client, "SELECT 1 AS one"))["rows"] == [[1]]


def test_a_body_shorter_than_its_content_length_is_not_held_open(slow_server: HttpServer) -> None:
    """A client that announces more body than it sends gets 408 once the body deadline passes,
    instead of holding a request (and the server's attention) open for ever."""
    host, port = slow_server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=BODY_DEADLINE_SECONDS + 20) as conn:
        conn.sendall(
            b"POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Accept: application/json, text/event-stream\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\""
        )
        started = time.monotonic()
        answer = conn.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 408"), answer[:200]
    assert "did not arrive in time" in answer
    assert time.monotonic() - started < BODY_DEADLINE_SECONDS + 15


async def test_a_stdio_client_that_dies_cancels_its_query(
    zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    env = server_env(zava_db, ZAVA_RLS_USER_ID=str(SEATTLE_MANAGER), ZAVA_STATEMENT_TIMEOUT_MS="60000")
    process = subprocess.Popen(  # noqa: ASYNC220 - a child process the test drives and then kills
        [sys.executable, "-m", "zava_mcp_adapter.stdio"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None
    initialize = {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    }
    messages = [initialize, {"jsonrpc": "2.0", "method": "notifications/initialized"}, _call(1, HEAVY)]
    process.stdin.write("".join(json.dumps(m) + "\n" for m in messages).encode())
    process.stdin.flush()
    try:
        await _wait_until(admin_conn, running=True, within=60)
        process.stdin.close()  # the client is gone: its end of the pipe closes
        gone = await _wait_until(admin_conn, running=False, within=GONE_WITHIN_S)
        print(f"\nstdio client gone: query gone {gone:.2f} s later")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
