"""Product search tools: the original sample's ``semantic_search_products`` and recommendations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult
from pydantic import Field

from zava_core.domain.errors import ConfigurationError
from zava_core.domain.products import DEFAULT_SIMILARITY_THRESHOLD, MAX_SEARCH_ROWS, ProductQuery
from zava_core.services.product_search import MAX_RECOMMENDATIONS, ProductSearchService
from zava_mcp_adapter.schemas import (
    DATA_NOTICE,
    SearchOut,
    Table,
    recommendations_of,
    search_of,
)
from zava_mcp_adapter.surface import READ_ONLY, structured
from zava_mcp_adapter.tools.rendering import table_text
from zava_mcp_adapter.tools.state import AppState, state_of

__all__ = ["register"]

SEARCH_DESCRIPTION = "Products for a use in plain words, a name or a SKU, with stock at your stores."

RECOMMEND_DESCRIPTION = "Products like product_id, and those most often bought with it."


def _service(state: AppState) -> ProductSearchService:
    if state.products is None:
        raise ConfigurationError("Product search is not configured on this server.")
    return state.products


def register(server: MCPServer[Any]) -> None:
    @server.tool(
        name="semantic_search_products", title="Search products", description=SEARCH_DESCRIPTION, annotations=READ_ONLY
    )
    async def semantic_search_products(  # noqa: PLR0917 - the sample's parameters, by name or position
        query_description: Annotated[str, Field(min_length=1, max_length=1000)],
        ctx: Context[Any, Any],
        max_rows: Annotated[int, Field(ge=1, le=MAX_SEARCH_ROWS)] = 20,
        similarity_threshold: Annotated[float, Field(ge=0.0, le=1.0)] = DEFAULT_SIMILARITY_THRESHOLD,
        mode: Annotated[Literal["hybrid", "semantic", "keyword"], Field()] = "hybrid",
        category: Annotated[str | None, Field(description="e.g. POWER TOOLS", max_length=100)] = None,
        min_price: Annotated[float | None, Field(ge=0)] = None,
        max_price: Annotated[float | None, Field(ge=0)] = None,
        in_stock_only: Annotated[bool, Field()] = False,
    ) -> Annotated[CallToolResult, SearchOut]:
        state = state_of(ctx)
        query = ProductQuery.create(
            query_description,
            max_rows=max_rows,
            similarity_threshold=similarity_threshold,
            mode=mode,
            category=category,
            min_price=min_price,
            max_price=max_price,
            in_stock_only=in_stock_only,
        )
        out = search_of(await _service(state).search(state.identity.current(), query))
        return structured(out, f"{DATA_NOTICE}\n{table_text(out)}")

    @server.tool(
        name="get_product_recommendations",
        title="Related products",
        description=RECOMMEND_DESCRIPTION,
        annotations=READ_ONLY,
    )
    async def get_product_recommendations(
        product_id: Annotated[int, Field(ge=1)],
        ctx: Context[Any, Any],
        max_rows: Annotated[int, Field(ge=1, le=MAX_RECOMMENDATIONS)] = 10,
    ) -> Annotated[CallToolResult, Table]:
        state = state_of(ctx)
        out = recommendations_of(await _service(state).recommendations(state.identity.current(), product_id, max_rows))
        return structured(out, f"{DATA_NOTICE}\n{table_text(out)}")
