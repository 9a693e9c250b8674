"""Domain errors become MCP tool errors with a stable code the model can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mcp.server.mcpserver.exceptions import ToolError

from zava_core.domain.errors import QueryRejected, ZavaError

__all__ = ["tool_errors"]


def format_error(exc: ZavaError) -> str:
    rule = f" [{exc.rule}]" if isinstance(exc, QueryRejected) else ""
    hint = f" Hint: {exc.hint}" if exc.hint else ""
    return f"{exc.code}{rule}: {exc.message}{hint}"


@contextmanager
def tool_errors() -> Iterator[None]:
    try:
        yield
    except ZavaError as exc:
        raise ToolError(format_error(exc)) from exc
