"""Descriptions of the tables a principal may query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ColumnInfo", "ForeignKey", "SchemaGuide", "TableSchema"]


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
    hints: Sequence[str] = ()

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
            "hints": list(self.hints),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableSchema:
        """The inverse of ``to_dict`` (for caches)."""
        schema, _, name = data["table"].partition(".")
        return cls(
            schema=schema,
            name=name,
            description=data["description"],
            columns=[ColumnInfo(c["name"], c["type"], c["nullable"], c["description"]) for c in data["columns"]],
            primary_key=list(data["primary_key"]),
            foreign_keys=[ForeignKey(list(f["columns"]), f["references"]) for f in data["foreign_keys"]],
            row_level_security=data["row_level_security"],
            valid_values=dict(data["valid_values"]),
            hints=list(data.get("hints", [])),
        )


@dataclass(frozen=True, slots=True)
class SchemaGuide:
    """Tables as one principal sees them, with the range of order dates that principal can see
    (ISO dates; ``None`` when it sees no orders)."""

    tables: Sequence[TableSchema]
    first_order_date: str | None = None
    last_order_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "tables": [t.to_dict() for t in self.tables],
            "first_order_date": self.first_order_date,
            "last_order_date": self.last_order_date,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SchemaGuide:
        """The inverse of ``to_dict`` (for caches)."""
        tables = [TableSchema.from_dict(t) for t in data["tables"]]
        return cls(tables, data["first_order_date"], data["last_order_date"])
