"""What every command needs: settings that fail with a clear message, errors that exit cleanly."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from zava_core.domain.errors import ZavaError

if TYPE_CHECKING:
    from zava_mcp_adapter.database.provisioning import DatabaseTarget
    from zava_mcp_adapter.settings import Settings

# The command modules import what a command needs when it runs, not when the command line is
# built: `zava --help` must not pay for the settings, the database stack or the MCP SDK.

__all__ = ["err", "invalidate_query_cache", "out", "prepared_target", "settings_or_exit", "user_errors"]

out = Console()
err = Console(stderr=True)


@contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except ZavaError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None


def settings_or_exit() -> Settings:
    from zava_mcp_adapter.logging_setup import configure_logging
    from zava_mcp_adapter.settings import load_settings

    with user_errors():
        settings = load_settings()
    configure_logging(settings.log_level, fmt=settings.log_format)
    return settings


def prepared_target(settings: Settings) -> DatabaseTarget:
    """Start (embedded), create and migrate the database, one command at a time per data folder."""
    from zava_mcp_adapter.database.provisioning import prepare_database, resolve_target
    from zava_mcp_adapter.lifecycle import provisioning_lock

    with provisioning_lock(settings.data_dir):
        target = resolve_target(settings)
        asyncio.run(prepare_database(settings, target))
    return target


def invalidate_query_cache(settings: Settings) -> None:
    """After the data changed: every server sharing the Redis cache drops its cached results.
    (An in-memory cache lives in the server process; its entries expire within their TTL.)"""
    if settings.redis_url is None:
        return
    from zava_core.adapters.cache import RedisCache
    from zava_core.services.query_cache import bump_generation

    async def bump() -> None:
        cache = RedisCache.from_url(settings.redis_url.get_secret_value())  # type: ignore[union-attr]
        try:
            await bump_generation(cache)
        finally:
            await cache.close()

    asyncio.run(bump())
