"""Describe the tables the application role may read, from PostgreSQL's own catalog.

Runs inside the principal's unit of work: "valid values" of low-cardinality columns are read
under the principal's row-level security, so a store manager sees only its own store's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Text, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.tables import SCHEMA, metadata, orders
from zava_core.domain.errors import ValidationError
from zava_core.domain.schema import ColumnInfo, ForeignKey, TableSchema

__all__ = ["EXPOSED_TABLES", "SCHEMA", "VALID_VALUE_COLUMNS", "SqlSchemaCatalog"]

#: The relations model-written SQL may read: exactly what migration 0002/0003 grant the
#: application role (a test keeps the two equal). The access tables are not among them.
EXPOSED_TABLES: dict[str, frozenset[str]] = {
    SCHEMA: frozenset(
        {
            "stores",
            "customers",
            "categories",
            "product_types",
            "products",
            "inventory",
            "orders",
            "order_items",
            "product_description_embeddings",
        }
    )
}

#: Columns whose distinct values help a model write filters; each is small by design. Product
#: types are left out: ~90 names cost ~1,300 characters on every schema call (the guide says how
#: to list them).
VALID_VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "stores": ("store_name",),
    "categories": ("category_name",),
    "orders": ("status",),
}
_MAX_VALID_VALUES = 100

# The catalog queries read PostgreSQL's own catalog (pg_class, pg_attribute…), which has no
# table metadata here: they stay SQL text, with bound parameters only.
_TABLES = text(
    """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'v')
      AND has_table_privilege(c.oid, 'SELECT') ORDER BY c.relname
    """
)
_COLUMNS = text(
    """
    SELECT c.relname AS table_name, obj_description(c.oid, 'pg_class') AS table_description,
           c.relrowsecurity AS rls, a.attname AS column_name,
           format_type(a.atttypid, a.atttypmod) AS column_type, NOT a.attnotnull AS nullable,
           col_description(c.oid, a.attnum) AS column_description
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = :schema AND c.relname = ANY(:names)
    ORDER BY c.relname, a.attnum
    """
)
_CONSTRAINTS = text(
    """
    SELECT c.relname AS table_name, con.contype::text AS kind,
           ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS cols,
           fn.nspname || '.' || fc.relname AS ref_table,
           ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_cols
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class fc ON fc.oid = con.confrelid
    LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
    WHERE n.nspname = :schema AND con.contype IN ('p', 'f') AND c.relname = ANY(:names)
    ORDER BY c.relname, con.conname
    """
)


_ORDER_DATES = select(func.min(orders.c.order_date), func.max(orders.c.order_date))


def normalise_table_name(raw: str) -> str:
    name = raw.strip().strip('"').lower()
    if name.startswith(f"{SCHEMA}."):
        name = name[len(SCHEMA) + 1 :]
    return name.strip('"')


class SqlSchemaCatalog:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def table_names(self) -> list[str]:
        with translate_errors():
            result = await self._connection.execute(_TABLES, {"schema": SCHEMA})
        return [row[0] for row in result]

    async def order_dates(self) -> tuple[dt.date, dt.date] | None:
        """Read under the principal's RLS, like everything in the unit of work."""
        with translate_errors():
            first, last = (await self._connection.execute(_ORDER_DATES)).one()
        return None if first is None else (first, last)

    async def describe(self, table_names: Sequence[str]) -> list[TableSchema]:
        available = await self.table_names()
        wanted = list(dict.fromkeys(normalise_table_name(n) for n in table_names))
        unknown = [n for n in wanted if n not in available]
        if not wanted or unknown:
            raise ValidationError(
                f"Unknown table(s): {', '.join(unknown)}." if unknown else "No table names were given.",
                hint="Available tables: " + ", ".join(f"{SCHEMA}.{t}" for t in available),
            )
        with translate_errors():
            columns = (await self._connection.execute(_COLUMNS, {"schema": SCHEMA, "names": wanted})).all()
            constraints = (await self._connection.execute(_CONSTRAINTS, {"schema": SCHEMA, "names": wanted})).all()
            described = []
            for name in wanted:
                described.append(await self._table(name, columns, constraints))
        return described

    async def _table(self, name: str, columns: Sequence[Row[Any]], constraints: Sequence[Row[Any]]) -> TableSchema:
        cols = [c for c in columns if c.table_name == name]
        cons = [c for c in constraints if c.table_name == name]
        primary = next((list(c.cols) for c in cons if c.kind == "p"), [])
        foreign = [ForeignKey(list(c.cols), f"{c.ref_table}({', '.join(c.ref_cols)})") for c in cons if c.kind == "f"]
        return TableSchema(
            schema=SCHEMA,
            name=name,
            description=cols[0].table_description if cols else None,
            columns=[ColumnInfo(c.column_name, c.column_type, c.nullable, c.column_description) for c in cols],
            primary_key=primary,
            foreign_keys=foreign,
            row_level_security=bool(cols[0].rls) if cols else False,
            valid_values=await self._valid_values(name),
        )

    async def _valid_values(self, table: str) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for column in VALID_VALUE_COLUMNS.get(table, ()):
            # Table and column come from the constant table above, never from the caller.
            value = cast(metadata.tables[f"{SCHEMA}.{table}"].c[column], Text)
            query = select(value).distinct().order_by(value).limit(_MAX_VALID_VALUES)
            result = await self._connection.execute(query)
            values[column] = [row[0] for row in result]
        return values
