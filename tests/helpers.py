"""Helpers shared by integration and end-to-end tests."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from mcp import Client

from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.database.provisioning import DatabaseTarget
from zava_mcp_adapter.identity import StaticIdentity
from zava_mcp_adapter.server import build_server, lifespan_for
from zava_mcp_adapter.settings import Settings


@asynccontextmanager
async def in_memory_client(settings: Settings, target: DatabaseTarget, user: uuid.UUID | None) -> AsyncIterator[Client]:
    """A real MCP client connected in-process to a server acting for ``user`` (as over stdio)."""
    container = bootstrap(settings, target)
    server = build_server(lifespan_for(container, StaticIdentity(user)))
    async with Client(server) as client:
        yield client


async def query(client: Client, sql: str) -> dict[str, Any]:
    """Run SQL through the tool and return its structured result; fail on a tool error."""
    result = await client.call_tool("execute_sales_query", {"postgresql_query": sql})
    assert not result.is_error, tool_text(result)
    return result_payload(result)


def result_payload(result: Any) -> dict[str, Any]:
    if isinstance(result.structured_content, dict):
        return result.structured_content
    return json.loads(tool_text(result))  # type: ignore[no-any-return]


def tool_text(result: Any) -> str:
    """The text of a result; for an error, without the SDK's "Error executing tool x: " prefix."""
    text = "".join(getattr(block, "text", "") for block in result.content)
    if result.is_error and text.startswith("Error executing tool ") and ": " in text:
        return text.split(": ", 1)[1]
    return text


async def tool_error(client: Client, sql: str) -> str:
    """Run SQL that must be refused; return the error text."""
    result = await client.call_tool("execute_sales_query", {"postgresql_query": sql})
    assert result.is_error, f"expected an error for {sql!r}, got {tool_text(result)[:300]}"
    return tool_text(result)


async def managed_order_count(admin: asyncpg.Connection, manager: uuid.UUID) -> int:
    """The oracle: orders of the stores ``manager`` runs, counted by the administrator (no RLS)."""
    return int(
        await admin.fetchval(
            "SELECT count(*) FROM retail.orders o JOIN retail.stores s USING (store_id) WHERE s.rls_user_id = $1",
            manager,
        )
    )
