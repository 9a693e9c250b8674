"""The server over streamable HTTP, with bearer-token authentication on every request."""

from __future__ import annotations

import uvicorn
from starlette.applications import Starlette

from zava_mcp_adapter.auth import auth_for, load_oauth_settings
from zava_mcp_adapter.container import Container
from zava_mcp_adapter.identity import TokenIdentity
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
    server = build_server(lifespan_for(container, TokenIdentity()), token_verifier=auth.verifier, auth=auth.settings)
    # Stateless JSON responses: every call stands alone (identity comes with each request's
    # token), so no per-session state or SSE stream is kept on the server.
    return server.streamable_http_app(
        streamable_http_path=MCP_PATH, stateless_http=True, json_response=True, host=settings.host
    )


def serve_http(container: Container, settings: Settings) -> None:
    app = http_app(container, settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower(), access_log=False)
