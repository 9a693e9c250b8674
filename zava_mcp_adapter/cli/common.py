"""What every command needs: settings that fail with a clear message, errors that exit cleanly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from zava_core.domain.errors import ZavaError
from zava_mcp_adapter.logging_setup import configure_logging
from zava_mcp_adapter.settings import Settings, load_settings

__all__ = ["err", "out", "settings_or_exit", "user_errors"]

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
    with user_errors():
        settings = load_settings()
    configure_logging(settings.log_level, fmt=settings.log_format)
    return settings
