"""Attach the observability pieces to a built server (both transports call this)."""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver import MCPServer

from zava_core.domain.errors import ZavaError
from zava_mcp_adapter.identity import IdentitySource
from zava_mcp_adapter.observability.metrics import Metrics
from zava_mcp_adapter.observability.monitor import QueryMonitor
from zava_mcp_adapter.observability.rate_limit import CallRateLimiter, limit_call_rate
from zava_mcp_adapter.observability.tool_calls import observe_tool_calls

__all__ = ["PERFORMANCE_RESOURCE", "instrument"]

PERFORMANCE_RESOURCE = "zava://performance/queries"


def instrument(
    server: MCPServer[Any],
    *,
    metrics: Metrics,
    monitor: QueryMonitor,
    identity: IdentitySource,
    calls_per_minute: int = 0,
) -> None:
    """Observe (and, with ``calls_per_minute``, rate-limit) every tool call, and publish the
    caller's own query performance summary.

    The resource shows only the caller's own queries: how often and how heavily *other* tenants
    query is itself information about them (the operator sees the whole picture in ``/health``
    and ``zava doctor``)."""
    server.middleware.append(observe_tool_calls(metrics))
    if calls_per_minute > 0:
        # Inside the observer, so a refused call is counted and logged like any other error.
        server.middleware.append(limit_call_rate(CallRateLimiter(calls_per_minute), metrics, calls_per_minute))

    @server.resource(
        PERFORMANCE_RESOURCE,
        name="query_performance",
        description="Your queries per operation: count, mean, p95, max (ms) and how many were slow.",
        mime_type="application/json",
    )
    def query_performance() -> str:
        try:
            principal = str(identity.current())
        except ZavaError:
            return json.dumps({"operations": {}})
        return json.dumps({"operations": monitor.summary(principal)})
