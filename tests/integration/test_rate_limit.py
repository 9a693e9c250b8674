"""The per-principal call rate limit through a real MCP client and server."""

from __future__ import annotations

import pytest
from mcp import Client

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from tests.helpers import tool_text
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.identity import StaticIdentity
from zava_mcp_adapter.observability import instrument
from zava_mcp_adapter.server import build_server, lifespan_for

pytestmark = pytest.mark.integration


async def test_calls_over_the_per_minute_limit_are_refused_with_a_hint(zava_db: SeededDatabase) -> None:
    container = bootstrap(zava_db.settings, zava_db.target)
    identity = StaticIdentity(SEATTLE_MANAGER)
    server = build_server(lifespan_for(container, identity))
    metrics = container.metrics()
    instrument(server, metrics=metrics, monitor=container.query_monitor(), identity=identity, calls_per_minute=2)
    async with Client(server) as client:
        results = [await client.call_tool("get_current_utc_date", {}) for _ in range(3)]
    assert [r.is_error for r in results] == [False, False, True]
    refusal = tool_text(results[2])
    assert refusal.startswith("RESOURCE_LIMIT")
    assert "2 per minute" in refusal
    assert "Hint:" in refusal
    assert metrics.registry.get_sample_value("zava_rate_limited_total") == 1
