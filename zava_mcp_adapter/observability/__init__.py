"""What an operator sees: Prometheus metrics, the query performance monitor, per-call log context."""

from zava_mcp_adapter.observability.instrumented import InstrumentedCache, InstrumentedEmbeddings
from zava_mcp_adapter.observability.metrics import Metrics
from zava_mcp_adapter.observability.monitor import OperationSummary, QueryMonitor
from zava_mcp_adapter.observability.tool_calls import observe_tool_calls
from zava_mcp_adapter.observability.wiring import PERFORMANCE_RESOURCE, instrument

__all__ = [
    "PERFORMANCE_RESOURCE",
    "InstrumentedCache",
    "InstrumentedEmbeddings",
    "Metrics",
    "OperationSummary",
    "QueryMonitor",
    "instrument",
    "observe_tool_calls",
]
