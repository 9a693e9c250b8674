"""``zava-mcp``: the server over stdio, for MCP clients that launch it.

The principal is ZAVA_RLS_USER_ID from the environment the client sets up. Nothing but MCP
messages is written to stdout.
"""

from __future__ import annotations

import sys

import anyio

from zava_core.domain.errors import ZavaError
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.identity import StaticIdentity
from zava_mcp_adapter.logging_setup import configure_logging
from zava_mcp_adapter.observability import instrument
from zava_mcp_adapter.server import build_server, lifespan_for
from zava_mcp_adapter.settings import load_settings

__all__ = ["main"]


def main() -> None:
    try:
        settings = load_settings()
        configure_logging(settings.log_level, fmt=settings.log_format)
        container = bootstrap(settings)
    except ZavaError as exc:
        print(f"zava-mcp: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    identity = StaticIdentity(settings.rls_user_id)
    server = build_server(lifespan_for(container, identity))
    instrument(server, metrics=container.metrics(), monitor=container.query_monitor(), identity=identity)
    anyio.run(server.run_stdio_async)


if __name__ == "__main__":
    main()
