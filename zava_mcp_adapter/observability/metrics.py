"""The server's Prometheus series, in a registry of its own (several servers in one test process
must not collide in the global one)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["Metrics"]

# Tool calls run from ~1 ms (date) to the statement timeout (30 s by default).
_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.tool_calls = Counter(
            "zava_tool_calls", "MCP tool calls by tool and outcome.", ["tool", "outcome"], registry=self.registry
        )
        self.tool_duration = Histogram(
            "zava_tool_duration_seconds",
            "MCP tool call duration.",
            ["tool"],
            buckets=_DURATION_BUCKETS,
            registry=self.registry,
        )
        self.query_duration = Histogram(
            "zava_query_duration_seconds",
            "Database query duration (executed queries).",
            ["operation"],
            buckets=_DURATION_BUCKETS,
            registry=self.registry,
        )
        self.slow_queries = Counter(
            "zava_slow_queries", "Queries over the slow-query threshold.", ["operation"], registry=self.registry
        )
        self.refusals = Counter("zava_refusals", "Queries refused, by rule id.", ["rule"], registry=self.registry)
        self.cache_requests = Counter(
            "zava_cache_requests", "Cache lookups by result.", ["result"], registry=self.registry
        )
        self.embedding_calls = Counter(
            "zava_embedding_calls", "Embedding provider calls by outcome.", ["outcome"], registry=self.registry
        )
        self.embedding_duration = Histogram(
            "zava_embedding_duration_seconds",
            "Embedding provider call duration.",
            buckets=_DURATION_BUCKETS,
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "zava_rate_limited", "Calls refused by the per-principal rate limit.", registry=self.registry
        )
        # SQLAlchemy counts no waiters: see pool_waiting.py for where this is measured.
        self.pool_waiting = Gauge(
            "zava_pool_waiting", "Callers waiting for a pooled database connection.", registry=self.registry
        )

    def watch_pool(self, engine: AsyncEngine) -> None:
        """Report the connection pool at each scrape (in use, idle, overflow)."""
        self.registry.register(_PoolCollector(engine))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _PoolCollector(Collector):
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def collect(self) -> Iterable[GaugeMetricFamily]:
        pool = self._engine.pool
        family = GaugeMetricFamily("zava_pool_connections", "Database pool connections by state.", labels=["state"])
        # QueuePool reports these; other pool classes (NullPool in tests) report nothing.
        for state, reader in (("in_use", "checkedout"), ("idle", "checkedin"), ("overflow", "overflow")):
            method = getattr(pool, reader, None)
            if callable(method):
                family.add_metric([state], max(float(method()), 0.0))
        yield family
