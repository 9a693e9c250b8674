"""Compact text renderings of tool results, for clients that read only the text block.

A pipe table costs about what the rows do and reads well for a model; the structured content
beside it carries the typed data once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from zava_mcp_adapter.schemas import Table

__all__ = ["cell", "table", "table_text"]


def cell(value: Any) -> str:
    """One value on one line: ``|`` and line breaks inside text cannot fake a column or a row."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    if isinstance(value, int | float):
        return str(value)
    return cell(json.dumps(value, separators=(",", ":"), default=str))


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header line and one line per row, cells separated by ``|``."""
    return "\n".join(["|".join(columns), *("|".join(cell(v) for v in row) for row in rows)])


def table_text(out: Table) -> str:
    """A wire table as a pipe table."""
    return table([c[0] for c in out.columns], out.rows)
