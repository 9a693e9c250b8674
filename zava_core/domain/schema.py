"""Descriptions of the tables a principal may query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ColumnInfo", "ForeignKey", "TableSchema"]


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    name: str
    type: str
    nullable: bool
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ForeignKey:
    columns: Sequence[str]
    references: str


@dataclass(frozen=True, slots=True)
class TableSchema:
    """One table: its columns, keys and, for low-cardinality columns, the values this principal
    can see (computed under the principal's row-level security, never shared between principals).
    """

    schema: str
    name: str
    description: str | None
    columns: Sequence[ColumnInfo]
    primary_key: Sequence[str]
    foreign_keys: Sequence[ForeignKey]
    row_level_security: bool
    valid_values: dict[str, list[str]] = field(default_factory=dict)

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.qualified_name,
            "description": self.description,
            "row_level_security": self.row_level_security,
            "columns": [
                {"name": c.name, "type": c.type, "nullable": c.nullable, "description": c.description}
                for c in self.columns
            ],
            "primary_key": list(self.primary_key),
            "foreign_keys": [{"columns": list(f.columns), "references": f.references} for f in self.foreign_keys],
            "valid_values": self.valid_values,
        }
