"""The business tools: answers a manager asks for every week, without writing SQL."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Final, Literal, get_args

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult
from pydantic import Field

from zava_core.services.business import ANALYSIS_KINDS, BusinessService
from zava_mcp_adapter.schemas import DATA_NOTICE, AnalysisOut, PerformanceOut, analysis_of, performance_of
from zava_mcp_adapter.surface import READ_ONLY, structured
from zava_mcp_adapter.tools.rendering import table_text
from zava_mcp_adapter.tools.state import AppState, state_of

__all__ = ["register"]

# Said once in each tool's description rather than on every parameter: tools/list is paid on
# every conversation.
Store = Annotated[str | None, Field(max_length=100)]
Day = dt.date | None
_SCOPE = " Default: all your stores, last 30 days of orders."
#: Inventory is one more kind of the analysis rather than a tool of its own: a tool costs ~600
#: characters of every ``tools/list`` (docs/decisions.md).
LOW_STOCK: Final = "low_stock"
Kind = Literal["daily", "products", "categories", "customers", "trends", "low_stock"]


if set(get_args(Kind)) != {*ANALYSIS_KINDS, LOW_STOCK}:  # pragma: no cover - a kind added to the service
    raise RuntimeError("sales_analysis.kind must list the service's analysis kinds and low_stock")


def _service(state: AppState) -> BusinessService:
    if state.business is None:
        raise RuntimeError("the business service is not wired")
    return state.business


def performance_text(out: PerformanceOut) -> str:
    """The notice, header, insights, then the three tables."""
    return "\n".join(
        [
            DATA_NOTICE,
            f"{', '.join(out.stores)} {out.period[0]}..{out.period[1]} vs {out.previous[0]}..{out.previous[1]}",
            *(f"- {i}" for i in out.insights),
            table_text(out.metrics),
            "top categories:\n" + table_text(out.categories),
            "top products:\n" + table_text(out.products),
        ]
    )


def register(server: MCPServer[Any]) -> None:
    @server.tool(
        title="Store performance",
        description="Revenue, orders, AOV, units, margin and their growth; top sellers; insights." + _SCOPE,
        annotations=READ_ONLY,
    )
    async def store_performance(
        ctx: Context[Any, Any],
        store: Store = None,
        start: Day = None,
        end: Day = None,
        limit: Annotated[int, Field(ge=1, le=100)] = 5,
    ) -> Annotated[CallToolResult, PerformanceOut]:
        state = state_of(ctx)
        perf = await _service(state).store_performance(
            state.identity.current(), store=store, start=start, end=end, limit=limit
        )
        out = performance_of(perf)
        return structured(out, performance_text(out))

    @server.tool(
        title="Sales analysis",
        description="Daily sales, top products or categories, customers (new vs returning, lifetime value), "
        "monthly trends, or low_stock: under cover_days of stock at the last 30 days' rate." + _SCOPE,
        annotations=READ_ONLY,
    )
    async def sales_analysis(  # noqa: PLR0917 - the tool's arguments, by name or position
        kind: Kind,
        ctx: Context[Any, Any],
        store: Store = None,
        start: Day = None,
        end: Day = None,
        limit: Annotated[int, Field(ge=1, le=100)] = 20,
        cover_days: Annotated[int, Field(ge=1, le=365)] = 14,
    ) -> Annotated[CallToolResult, AnalysisOut]:
        state = state_of(ctx)
        service, principal = _service(state), state.identity.current()
        if kind == LOW_STOCK:
            window, tabular = await service.low_stock(principal, store=store, cover_days=cover_days, limit=limit)
            out = analysis_of(window, tabular)
            return structured(out, f"{DATA_NOTICE}\nsales {out.period[0]}..{out.period[1]}\n{table_text(out)}")
        period, tabular = await service.sales_analysis(principal, kind, store=store, start=start, end=end, limit=limit)
        out = analysis_of(period, tabular)
        return structured(out, f"{DATA_NOTICE}\n{out.period[0]}..{out.period[1]}\n{table_text(out)}")
