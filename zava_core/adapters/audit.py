"""The audit trail as structured log events (``zava.audit``), one per query."""

from __future__ import annotations

import sys
from dataclasses import asdict

import structlog

from zava_core.domain.audit import AuditEvent

__all__ = ["StructlogAuditLog"]


class StructlogAuditLog:
    def __init__(self, logger_name: str = "zava.audit") -> None:
        if structlog.is_configured():
            self._logger = structlog.get_logger(logger_name)
        else:
            # Unconfigured structlog prints to stdout, which belongs to MCP in stdio mode.
            self._logger = structlog.wrap_logger(
                structlog.PrintLogger(sys.stderr),
                processors=[structlog.processors.add_log_level, structlog.processors.KeyValueRenderer()],
            )

    def record(self, event: AuditEvent) -> None:
        fields = {k: v for k, v in asdict(event).items() if v is not None}
        fields["duration_ms"] = round(event.duration_ms, 3)
        self._logger.info("query", **fields)
