"""One middleware around every tool call: a request id, the principal and the tool on every log
line of the call (structlog context variables), its outcome and duration in the metrics."""

from __future__ import annotations

import time
import uuid
from typing import Any

import structlog
from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp_types import CallToolResult

from zava_core.domain.errors import ZavaError
from zava_mcp_adapter.observability.metrics import Metrics

__all__ = ["observe_tool_calls", "principal_of"]


def principal_of(ctx: ServerRequestContext[Any, Any]) -> str:
    """The caller's principal as text, for logs and limits ("anonymous" when there is none)."""
    identity = getattr(ctx.lifespan_context, "identity", None)
    if identity is None:
        return "-"
    try:
        return str(identity.current())
    except ZavaError:
        return "anonymous"


def observe_tool_calls(metrics: Metrics) -> ServerMiddleware[Any]:
    """The middleware for ``MCPServer.middleware``."""
    log = structlog.get_logger("zava.call")

    async def middleware(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if ctx.method != "tools/call":
            return await call_next(ctx)
        name = ctx.params.get("name") if ctx.params else None
        tool = name if isinstance(name, str) else "unknown"
        request_id = uuid.uuid4().hex[:16]
        started = time.perf_counter()
        outcome = "error"
        with structlog.contextvars.bound_contextvars(request_id=request_id, tool=tool, principal=principal_of(ctx)):
            try:
                result = await call_next(ctx)
                outcome = "error" if _is_error(result) else "ok"
                return result
            finally:
                seconds = time.perf_counter() - started
                metrics.tool_calls.labels(tool=tool, outcome=outcome).inc()
                metrics.tool_duration.labels(tool=tool).observe(seconds)
                log.debug("tool call", outcome=outcome, duration_ms=round(seconds * 1000, 1))

    return middleware


def _is_error(result: object) -> bool:
    match result:
        case CallToolResult(is_error=True) | {"isError": True}:
            return True
        case _:
            return False
