"""``zava-mcp``: the server over stdio, for MCP clients that launch it.

The principal is ZAVA_RLS_USER_ID from the environment the client sets up. Nothing but MCP
messages is written to stdout.
"""

from __future__ import annotations

import sys

import anyio

from zava_core.domain.errors import ZavaError
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.database import embedded
from zava_mcp_adapter.identity import StaticIdentity
from zava_mcp_adapter.logging_setup import configure_logging
from zava_mcp_adapter.observability import instrument
from zava_mcp_adapter.observability.tracing import configure_tracing
from zava_mcp_adapter.server import build_server, lifespan_for
from zava_mcp_adapter.settings import Settings, load_settings

__all__ = ["main", "stdio_settings"]

#: Settings that only the HTTP transport reads. A stdio server takes their defaults instead of
#: the environment's values, so it never refuses to start over a setting it does not use.
HTTP_ONLY_SETTINGS = ("host", "port", "jwt_secret", "metrics_enabled", "shutdown_grace_seconds")


def stdio_settings() -> Settings:
    return load_settings(**{name: Settings.model_fields[name].default for name in HTTP_ONLY_SETTINGS})


def main() -> None:
    try:
        settings = stdio_settings()
        configure_logging(settings.log_level, fmt=settings.log_format)
        configure_tracing(settings.otel_exporter)
        was_running = not settings.embedded or embedded.server_status(settings.data_dir).startswith("running")
        container = bootstrap(settings)
    except ZavaError as exc:
        print(f"zava-mcp: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if not was_running:
        # The client shows this in its server log: the database outlives this process on purpose
        # (the next launch is fast, and other clients share it), so say how to stop it.
        print(
            f"zava-mcp: started the embedded PostgreSQL server in {settings.data_dir}; it keeps running "
            "after this client exits (`zava db down` stops it).",
            file=sys.stderr,
        )
    identity = StaticIdentity(settings.rls_user_id)
    server = build_server(lifespan_for(container, identity))
    instrument(
        server,
        metrics=container.metrics(),
        monitor=container.query_monitor(),
        identity=identity,
        calls_per_minute=settings.calls_per_minute_per_principal,
    )
    anyio.run(server.run_stdio_async)


if __name__ == "__main__":
    main()
