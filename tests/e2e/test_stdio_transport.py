"""stdio: the client launches ``zava-mcp``; the principal is the process's configuration and
stdout carries nothing but MCP messages."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import asyncpg
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.conftest import HEAD_OFFICE, NO_ACCESS_USER, SEATTLE_MANAGER, SeededDatabase
from tests.e2e.conftest import server_env
from tests.helpers import managed_order_count, query, tool_error

pytestmark = pytest.mark.e2e


def stdio_params(db: SeededDatabase, user: uuid.UUID | None) -> StdioServerParameters:
    extra = {"ZAVA_RLS_USER_ID": str(user)} if user else {}
    return StdioServerParameters(
        command=sys.executable, args=["-m", "zava_mcp_adapter.stdio"], env=server_env(db, **extra)
    )


async def test_principals_over_stdio(zava_db: SeededDatabase, admin_conn: asyncpg.Connection) -> None:
    expected = await managed_order_count(admin_conn, SEATTLE_MANAGER)
    async with Client(stdio_params(zava_db, HEAD_OFFICE)) as client:
        assert (await query(client, "SELECT count(*) FROM retail.stores"))["rows"] == [[8]]
    async with Client(stdio_params(zava_db, SEATTLE_MANAGER)) as client:
        assert (await query(client, "SELECT count(*) FROM retail.orders"))["rows"] == [[expected]]
    async with Client(stdio_params(zava_db, NO_ACCESS_USER)) as client:
        assert (await query(client, "SELECT count(*) FROM retail.orders"))["rows"] == [[0]]


async def test_stdio_without_configured_principal_fails_closed(zava_db: SeededDatabase) -> None:
    async with Client(stdio_params(zava_db, None)) as client:
        message = await tool_error(client, "SELECT count(*) FROM retail.orders")
    assert message.startswith("AUTHORIZATION_ERROR")


def test_stdout_carries_only_protocol_messages(zava_db: SeededDatabase) -> None:
    requests = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "execute_sales_query", "arguments": {"postgresql_query": "SELECT 1 AS one"}},
        },
    ]
    completed = subprocess.run(
        [sys.executable, "-m", "zava_mcp_adapter.stdio"],
        input="".join(json.dumps(r) + "\n" for r in requests).encode(),
        env=server_env(zava_db, ZAVA_RLS_USER_ID=str(SEATTLE_MANAGER), ZAVA_LOG_LEVEL="DEBUG"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    lines = [line for line in completed.stdout.decode().splitlines() if line.strip()]
    messages = [json.loads(line) for line in lines]
    assert all(m.get("jsonrpc") == "2.0" for m in messages)
    assert {m.get("id") for m in messages} >= {1, 2}
    assert completed.stderr  # the DEBUG logs went somewhere: stderr
