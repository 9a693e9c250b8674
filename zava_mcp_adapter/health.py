"""Health: is the process alive, and can it serve (database, migrations, embedding provider)?

Used by ``/health/live``, ``/health/ready`` and ``/health`` over HTTP and by ``zava doctor`` in a
terminal, so both say the same thing. Nothing here depends on a principal or returns tenant data.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from zava_core.adapters.sqlalchemy.embedding_store import read_embedding_status
from zava_core.domain.errors import ZavaError
from zava_core.domain.products import check_embedding_compatibility
from zava_core.ports.embeddings import EmbeddingProvider
from zava_mcp_adapter.database.engines import one_shot_engine
from zava_mcp_adapter.database.migrations import alembic_config

__all__ = ["Check", "HealthChecker", "HealthReport", "migration_head"]

#: A probe that hangs is a failed probe: orchestrators time out around a few seconds.
CHECK_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    duration_ms: float


@dataclass(frozen=True)
class HealthReport:
    checks: list[Check]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "unavailable",
            "checks": {c.name: {k: v for k, v in asdict(c).items() if k != "name"} for c in self.checks},
            **self.extra,
        }


def migration_head() -> str | None:
    """The newest migration this code ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


class HealthChecker:
    """Readiness checks. ``probe_embeddings`` really calls the provider (``zava doctor``); the
    HTTP probe does not, because an orchestrator polling it would pay for an embedding call each
    time (or load a local model it may never need)."""

    def __init__(
        self,
        engine: AsyncEngine,
        embeddings: EmbeddingProvider,
        *,
        admin_url: str | None,
        probe_embeddings: bool = False,
    ) -> None:
        self._engine = engine
        self._embeddings = embeddings
        self._admin_url = admin_url
        self._probe = probe_embeddings

    async def ready(self) -> HealthReport:
        checks = await asyncio.gather(
            _timed("database", self._database),
            _timed("migrations", self._migrations),
            _timed("embeddings", self._embeddings_ready),
        )
        return HealthReport(checks=list(checks))

    async def _database(self) -> str:
        async with self._engine.connect() as conn:
            version = (await conn.execute(text("SHOW server_version"))).scalar_one()
        return f"PostgreSQL {version}"

    async def _migrations(self) -> str:
        if self._admin_url is None:
            # The application role may not read alembic's table; without an administrator
            # connection, start-up checks are what stand between old schema and traffic.
            return "not checked (no administrator URL)"
        head = migration_head()
        async with (
            one_shot_engine(self._admin_url, connect_timeout=CHECK_TIMEOUT_SECONDS) as engine,
            engine.connect() as conn,
        ):
            current = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        if current != head:
            raise _Unhealthy(f"database at {current}, code expects {head}: run `zava db migrate`")
        return f"at head ({head})"

    async def _embeddings_ready(self) -> str:
        status = await read_embedding_status(self._engine)
        problems = check_embedding_compatibility(status, self._embeddings.model_id, self._embeddings.dimensions)
        if self._probe:
            started = time.perf_counter()
            vectors = await self._embeddings.embed(["health check"])
            if len(vectors[0]) != self._embeddings.dimensions:
                raise _Unhealthy(f"{self._embeddings.model_id} returned {len(vectors[0])} dimensions")
            problems.append(f"one embedding in {(time.perf_counter() - started) * 1000:.0f} ms")
        return "; ".join([self._embeddings.model_id, *problems])


class _Unhealthy(Exception):
    """A check that ran and found the service unfit (as opposed to failing to run)."""


async def _timed(name: str, check: Callable[[], Awaitable[str]]) -> Check:
    started = time.perf_counter()
    try:
        detail = await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS if name != "embeddings" else 60.0)
        ok = True
    except TimeoutError:
        detail, ok = "timed out", False
    except (_Unhealthy, ZavaError) as exc:
        detail, ok = str(exc), False
    except DBAPIError as exc:
        # Name the server's error itself (UndefinedTableError: ...), not SQLAlchemy's wrapper.
        reason = (exc.orig.__cause__ or exc.orig) if exc.orig is not None else exc
        detail, ok = f"{type(reason).__name__}: {reason}", False
    except Exception as exc:
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return Check(name=name, ok=ok, detail=detail, duration_ms=round((time.perf_counter() - started) * 1000, 1))
