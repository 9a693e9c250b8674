"""The query performance monitor: every audited query feeds the metrics, a slow one is logged
(fingerprint, principal, duration, rows: never the SQL's literals), and a per-operation summary
(count, mean, p95, max, slow count) is kept for ``/health``, ``zava doctor`` and a resource."""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

import structlog

from zava_core.domain.audit import AuditEvent
from zava_core.ports.audit import AuditLog
from zava_mcp_adapter.observability.metrics import Metrics

__all__ = ["OperationSummary", "QueryMonitor"]

#: Durations kept per operation for the p95: recent enough to move, small enough not to matter.
_WINDOW = 1000
#: Principals whose own summary is kept (least recently active forgotten first).
_MAX_PRINCIPALS = 1000


@dataclass
class OperationSummary:
    count: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0
    slow: int = 0
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=_WINDOW))

    def add(self, duration_ms: float, *, slow: bool) -> None:
        self.count += 1
        self.total_ms += duration_ms
        self.max_ms = max(self.max_ms, duration_ms)
        self.slow += int(slow)
        self.recent.append(duration_ms)

    def to_dict(self) -> dict[str, Any]:
        ordered = sorted(self.recent)
        p95 = ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)] if ordered else 0.0
        return {
            "count": self.count,
            "mean_ms": round(self.total_ms / self.count, 2) if self.count else 0.0,
            "p95_ms": round(p95, 2),
            "max_ms": round(self.max_ms, 2),
            "slow_count": self.slow,
        }


class QueryMonitor:
    """An ``AuditLog`` in front of another: it records, then passes the event on."""

    def __init__(self, inner: AuditLog, metrics: Metrics, *, slow_query_seconds: float = 1.0) -> None:
        self._inner = inner
        self._metrics = metrics
        self._slow_ms = slow_query_seconds * 1000
        self._operations: dict[str, OperationSummary] = {}
        self._by_principal: OrderedDict[str, dict[str, OperationSummary]] = OrderedDict()
        self._log = structlog.get_logger("zava.slow_query")

    def record(self, event: AuditEvent) -> None:
        if event.outcome == "refused":
            self._metrics.refusals.labels(rule=event.rule or "unknown").inc()
        elif event.outcome == "ok":
            self._observe(event)
        self._inner.record(event)

    def _observe(self, event: AuditEvent) -> None:
        slow = event.duration_ms >= self._slow_ms
        self._metrics.query_duration.labels(operation=event.tool).observe(event.duration_ms / 1000)
        self._operations.setdefault(event.tool, OperationSummary()).add(event.duration_ms, slow=slow)
        mine = self._by_principal.setdefault(event.principal, {})
        self._by_principal.move_to_end(event.principal)
        if len(self._by_principal) > _MAX_PRINCIPALS:
            self._by_principal.popitem(last=False)
        mine.setdefault(event.tool, OperationSummary()).add(event.duration_ms, slow=slow)
        if slow:
            self._metrics.slow_queries.labels(operation=event.tool).inc()
            self._log.warning(
                "slow query",
                operation=event.tool,
                fingerprint=event.fingerprint,
                principal=event.principal,
                duration_ms=round(event.duration_ms, 1),
                rows=event.row_count,
                threshold_ms=self._slow_ms,
            )

    def summary(self, principal: str | None = None) -> dict[str, dict[str, Any]]:
        """Per operation; for one principal only when given (what a tenant may see of its own)."""
        source = self._operations if principal is None else self._by_principal.get(principal, {})
        return {name: s.to_dict() for name, s in sorted(source.items())}
