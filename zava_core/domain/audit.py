"""What the audit trail records about every query, executed or refused."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AuditEvent"]


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One query's outcome. Never the SQL's literal values nor any row: the fingerprint
    identifies the statement's shape, so the trail itself cannot leak another tenant's data."""

    principal: str
    tool: str
    outcome: str  # "ok", "refused", "error"
    fingerprint: str | None
    duration_ms: float
    row_count: int = 0
    truncated: bool = False
    code: str | None = None
    rule: str | None = None
