"""The operator's HTTP endpoints beside ``/mcp``: health probes (no token: orchestrators and load
balancers call them) and, when enabled, Prometheus metrics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from zava_core import __version__
from zava_mcp_adapter.health import HealthChecker

__all__ = ["health_routes"]


def health_routes(checker: HealthChecker, details: Callable[[], dict[str, Any]] = dict) -> list[Route]:
    """``/health/live`` (the process answers), ``/health/ready`` (it can serve: 200 or 503) and
    ``/health`` (the same checks with details: pool, query summary)."""

    async def live(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(_request: Request) -> JSONResponse:
        report = await checker.ready()
        body = {"status": "ok" if report.ok else "unavailable", "checks": {c.name: c.ok for c in report.checks}}
        return JSONResponse(body, status_code=200 if report.ok else 503)

    async def full(_request: Request) -> JSONResponse:
        report = await checker.ready()
        body = {**report.to_dict(), "version": __version__, **details()}
        return JSONResponse(body, status_code=200 if report.ok else 503)

    return [
        Route("/health/live", live, methods=["GET"]),
        Route("/health/ready", ready, methods=["GET"]),
        Route("/health", full, methods=["GET"]),
    ]
