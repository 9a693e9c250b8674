"""A statement that passed the check, and the limits it runs under."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CheckedStatement", "QueryLimits"]


@dataclass(frozen=True, slots=True)
class CheckedStatement:
    """SQL that the statement policy accepted.

    ``sql`` is the text exactly as it will be sent (one statement, no trailing semicolon);
    ``fingerprint`` identifies the statement's shape with its constants removed, for the audit log.
    """

    sql: str
    fingerprint: str
    kind: str
    tables: frozenset[str]


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """Bounds on one query's result: rows and bytes returned (the unit of work bounds its time)."""

    max_rows: int = 1000
    max_result_bytes: int = 1_000_000

    def __post_init__(self) -> None:
        if self.max_rows < 1:
            raise ValueError("max_rows must be at least 1")
        if self.max_result_bytes < 1024:
            raise ValueError("max_result_bytes must be at least 1024")
