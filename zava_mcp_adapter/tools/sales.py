"""The sample's tool names, so prompts written for the original Zava server work unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult
from pydantic import Field

from zava_mcp_adapter.schemas import DATA_NOTICE, RowsOut, TablesOut, rows_of, tables_of
from zava_mcp_adapter.surface import READ_ONLY, structured
from zava_mcp_adapter.tools.rendering import table
from zava_mcp_adapter.tools.schema_text import tables_text
from zava_mcp_adapter.tools.state import state_of

__all__ = ["register", "rows_text"]

EXECUTE_DESCRIPTION = "One PostgreSQL SELECT on schema retail; you see only your stores' rows."

SCHEMA_DESCRIPTION = "Columns, joins, values and hints of retail tables; your orders' dates."


def rows_text(out: RowsOut) -> str:
    """The notice, the rows as a pipe table, and a line saying when the rows were cut."""
    cut = f"\n(truncated; {out.total or 'more'} rows in all)" if out.truncated else ""
    return f"{DATA_NOTICE}\n{table([c[0] for c in out.columns], out.rows)}{cut}"


def register(server: MCPServer[Any]) -> None:
    @server.tool(
        name="execute_sales_query", title="Run a SQL query", description=EXECUTE_DESCRIPTION, annotations=READ_ONLY
    )
    async def execute_sales_query(
        postgresql_query: Annotated[str, Field(max_length=20_000)],
        ctx: Context[Any, Any],
    ) -> Annotated[CallToolResult, RowsOut]:
        state = state_of(ctx)
        out = rows_of(await state.sales.execute(state.identity.current(), postgresql_query))
        return structured(out, rows_text(out))

    @server.tool(
        name="get_multiple_table_schemas",
        title="Describe tables",
        description=SCHEMA_DESCRIPTION,
        annotations=READ_ONLY,
    )
    async def get_multiple_table_schemas(
        table_names: Annotated[list[str], Field(min_length=1, max_length=20)],
        ctx: Context[Any, Any],
    ) -> Annotated[CallToolResult, TablesOut]:
        state = state_of(ctx)
        out = tables_of(await state.schema.guide(state.identity.current(), table_names))
        return structured(out, tables_text(out))

    @server.tool(
        name="get_current_utc_date",
        title="Current UTC time",
        description="Now, UTC, ISO 8601.",
        annotations=READ_ONLY,
    )
    async def get_current_utc_date() -> str:
        return dt.datetime.now(dt.UTC).isoformat()
