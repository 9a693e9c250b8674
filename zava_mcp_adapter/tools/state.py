"""What every tool reaches through the lifespan: the services, and where identity comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context

from zava_core.services.business import BusinessService
from zava_core.services.product_search import ProductSearchService
from zava_core.services.query_cache import CachedSalesQueries
from zava_core.services.sales_queries import SalesQueryService
from zava_core.services.schema_catalog import SchemaService
from zava_mcp_adapter.identity import IdentitySource

__all__ = ["AppState", "state_of"]


@dataclass(frozen=True)
class AppState:
    sales: SalesQueryService | CachedSalesQueries
    schema: SchemaService
    identity: IdentitySource
    products: ProductSearchService | None = None
    business: BusinessService | None = None


def state_of(ctx: Context[Any, Any]) -> AppState:
    state = ctx.request_context.lifespan_context
    if not isinstance(state, AppState):
        raise TypeError("the server was started without its lifespan")
    return state
