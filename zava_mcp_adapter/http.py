"""The server over streamable HTTP, with bearer-token authentication on every request."""

from __future__ import annotations

import socket

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zava_mcp_adapter.auth import auth_for, load_oauth_settings
from zava_mcp_adapter.container import Container
from zava_mcp_adapter.disconnect import CancelOnDisconnect
from zava_mcp_adapter.health import HealthChecker
from zava_mcp_adapter.identity import TokenIdentity
from zava_mcp_adapter.observability import instrument
from zava_mcp_adapter.observability.tracing import configure_tracing
from zava_mcp_adapter.ops_routes import health_routes
from zava_mcp_adapter.server import build_server, lifespan_for
from zava_mcp_adapter.settings import Settings

__all__ = ["http_app", "serve_http"]

MCP_PATH = "/mcp"


def http_app(container: Container, settings: Settings) -> Starlette:
    target = container.target()
    auth = auth_for(
        settings,
        load_oauth_settings(),
        jwt_secret=target.jwt_secret,
        resource_url=f"http://{settings.host}:{settings.port}{MCP_PATH}",
    )
    identity = TokenIdentity()
    server = build_server(lifespan_for(container, identity), token_verifier=auth.verifier, auth=auth.settings)
    metrics, monitor = container.metrics(), container.query_monitor()
    instrument(
        server,
        metrics=metrics,
        monitor=monitor,
        identity=identity,
        calls_per_minute=settings.calls_per_minute_per_principal,
    )
    # Stateless JSON responses: every call stands alone (identity comes with each request's
    # token), so no per-session state or SSE stream is kept on the server.
    app = server.streamable_http_app(
        streamable_http_path=MCP_PATH, stateless_http=True, json_response=True, host=settings.host
    )
    # Outermost: a request is read whole (or refused) before anything else sees it, and its
    # handling ends when its client goes away.
    app.add_middleware(CancelOnDisconnect)
    checker = HealthChecker(container.engine(), container.embeddings(), admin_url=target.admin_url)
    app.router.routes.extend(health_routes(checker, lambda: {"queries": monitor.summary()}))
    if settings.metrics_enabled:
        metrics.watch_pool(container.engine())

        async def exposition(_request: Request) -> Response:
            return Response(metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")

        app.router.routes.append(Route("/metrics", exposition, methods=["GET"]))
    return app


def serve_http(container: Container, settings: Settings, sock: socket.socket | None = None) -> None:
    """Serve until SIGINT/SIGTERM; ``sock`` is the port already bound (see ``lifecycle.bind_port``).

    Tracing (``ZAVA_OTEL_EXPORTER``) is set up here, once per process, not in ``http_app``.
    On shutdown uvicorn stops accepting, lets in-flight calls finish for up to
    ``shutdown_grace_seconds``, then cancels them; the lifespan then closes the pool.
    """
    configure_tracing(settings.otel_exporter)
    app = http_app(container, settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # uvicorn's loggers go through our pipeline instead of its own handlers
        access_log=False,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )
    uvicorn.Server(config).run(sockets=[sock] if sock is not None else None)
