"""From settings to a ready container: resolve the database, then wire."""

from __future__ import annotations

from zava_mcp_adapter.container import Container
from zava_mcp_adapter.database.provisioning import DatabaseTarget, resolve_target
from zava_mcp_adapter.settings import Settings

__all__ = ["bootstrap"]


def bootstrap(settings: Settings, target: DatabaseTarget | None = None) -> Container:
    container = Container()
    container.settings.override(settings)
    container.target.override(target or resolve_target(settings))
    return container
