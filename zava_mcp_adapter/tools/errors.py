"""One mapping from every failure of a tool call to one tool error.

Refusals, database errors, bad arguments, unknown tools and crashes all come back the same way:
text that starts with a stable code (what a text-only client reads) and structured content
``{code, rule?, message, hint?, field?, retryable?}`` (what a program reads). The reader is often a model
that will retry, so each says what to change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import pydantic
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent

from zava_core.domain.errors import QueryRejected, ValidationError, ZavaError
from zava_mcp_adapter.schemas import Failure

__all__ = ["error_result", "failure_of", "failure_of_error", "render_failure"]

logger = logging.getLogger("zava.tools")

UNKNOWN_TOOL = "unknown_tool"
#: The next step when the error itself names none; the core's messages never name tools.
DEFAULT_HINTS = {
    "DATABASE_ERROR": "Check table and column names with get_multiple_table_schemas, then retry.",
    "QUERY_TIMEOUT": "Narrow the period or aggregate more, then retry.",
    "RESOURCE_LIMIT": "Wait for your other queries to finish, or ask for fewer rows.",
    "DATABASE_UNAVAILABLE": "The database is briefly unavailable; retry the same call in a few seconds.",
}
INTERNAL_MESSAGE = "The tool failed unexpectedly; the failure was logged on the server."


def _cause(exc: BaseException) -> BaseException:
    """The innermost exception the SDK wrapped (it wraps once per layer, always ``from``)."""
    while isinstance(exc, ToolError) and exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


def _argument_failure(exc: pydantic.ValidationError, input_schema: Mapping[str, Any] | None) -> Failure:
    errors = exc.errors(include_url=False, include_input=False)
    properties: Mapping[str, Any] = (input_schema or {}).get("properties", {})
    fields = [".".join(str(p) for p in e["loc"]) or "arguments" for e in errors]
    # The rejected values are the caller's data: name the argument and the rule, never echo it.
    message = "; ".join(f"{f}: {e['msg']}" for f, e in zip(fields, errors, strict=True)) + "."
    first, kind = fields[0], errors[0]["type"]
    if kind == "missing":
        required = ", ".join((input_schema or {}).get("required", []))
        hint = f"Required arguments: {required}." if required else None
    else:
        spec = properties.get(first.split(".")[0], {})
        allowed = {k: v for k, v in spec.items() if k not in ("title", "description", "default")}
        hint = f"{first} accepts {allowed}." if allowed else None
    return Failure(code=ValidationError.code, rule="invalid_argument", message=message, hint=hint, field=first)


def failure_of_error(error: ZavaError) -> Failure:
    """The failure a client sees for one of the library's errors."""
    return Failure(
        code=error.code,
        rule=error.rule if isinstance(error, QueryRejected) else None,
        message=error.message,
        hint=error.hint or DEFAULT_HINTS.get(error.code),
        field=getattr(error, "field", None),
        retryable=True if error.retryable else None,
    )


def failure_of(
    exc: ToolError, tool: str, known_tools: Iterable[str], input_schema: Mapping[str, Any] | None
) -> Failure:
    """The failure a client sees for ``exc``, raised by the SDK around a call of ``tool``."""
    cause = _cause(exc)
    if isinstance(cause, ZavaError):
        return failure_of_error(cause)
    if isinstance(cause, pydantic.ValidationError):
        return _argument_failure(cause, input_schema)
    names = sorted(known_tools)
    if tool not in names:
        return Failure(
            code=ValidationError.code,
            rule=UNKNOWN_TOOL,
            message=f"There is no tool named {tool[:80]!r}.",
            hint="Tools: " + ", ".join(names) + ".",
            field="name",
        )
    # The one place that catches everything: the details stay in the server's log.
    logger.error("tool %s failed", tool, exc_info=cause)
    return Failure(code=ZavaError.code, message=INTERNAL_MESSAGE, hint="Retry once; if it fails again, report it.")


def render_failure(failure: Failure) -> str:
    """``CODE [rule]: message Hint: hint`` - the code first, so that it is the first thing read."""
    rule = f" [{failure.rule}]" if failure.rule else ""
    hint = f" Hint: {failure.hint}" if failure.hint else ""
    return f"{failure.code}{rule}: {failure.message}{hint}"


def error_result(failure: Failure) -> CallToolResult:
    """An ``is_error`` result carrying the failure as text and as structured content."""
    return CallToolResult(
        content=[TextContent(type="text", text=render_failure(failure))],
        structured_content=failure.model_dump(exclude_none=True),
        is_error=True,
    )
