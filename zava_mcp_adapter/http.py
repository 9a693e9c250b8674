"""The server over streamable HTTP, with bearer-token authentication on every request."""

from __future__ import annotations

import uvicorn
from starlette.applications import Starlette

from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.container import Container
from zava_mcp_adapter.identity import JwtTokenVerifier, TokenIdentity
from zava_mcp_adapter.server import build_server, lifespan_for
from zava_mcp_adapter.settings import Settings

__all__ = ["http_app", "serve_http"]

MCP_PATH = "/mcp"


def http_app(container: Container, settings: Settings) -> Starlette:
    target = container.target()
    if not target.jwt_secret:
        raise ConfigurationError(
            "HTTP needs a token secret.", hint="Set ZAVA_JWT_SECRET (tokens are minted with `zava token issue`)."
        )
    verifier = JwtTokenVerifier(target.jwt_secret, audience=settings.jwt_audience, issuer=settings.jwt_issuer)
    url = f"http://{settings.host}:{settings.port}{MCP_PATH}"
    server = build_server(lifespan_for(container, TokenIdentity()), token_verifier=verifier, resource_url=url)
    # Stateless JSON responses: every call stands alone (identity comes with each request's
    # token), so no per-session state or SSE stream is kept on the server.
    return server.streamable_http_app(
        streamable_http_path=MCP_PATH, stateless_http=True, json_response=True, host=settings.host
    )


def serve_http(container: Container, settings: Settings) -> None:
    app = http_app(container, settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower(), access_log=False)
