"""The ``get_multiple_table_schemas`` use case, cached per principal."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from zava_core.domain.errors import ValidationError
from zava_core.domain.principal import Principal
from zava_core.domain.retail_guide import TABLE_GUIDES
from zava_core.domain.schema import ColumnInfo, SchemaGuide, TableSchema
from zava_core.ports.cache import Cache
from zava_core.ports.unit_of_work import UnitOfWorkFactory
from zava_core.services.concurrency import PrincipalLimiter

__all__ = ["SchemaService", "annotate"]

_MAX_TABLES = 20


def annotate(table: TableSchema) -> TableSchema:
    """The table with its purpose, the meaning of each column and its hints from the retail
    guide; the database's own comments stay where the guide says nothing."""
    guide = TABLE_GUIDES.get(table.name)
    if guide is None:
        return table
    return dataclasses.replace(
        table,
        description=guide.purpose,
        columns=[
            ColumnInfo(c.name, c.type, c.nullable, guide.columns.get(c.name, c.description)) for c in table.columns
        ],
        hints=list(guide.hints),
    )


class SchemaService:
    """Describes tables. Results hold values read under the principal's RLS ("valid values", the
    date range), so the cache key starts with the principal: one principal's schema is never
    served to another. A described schema costs a transaction and several catalog queries, so
    reading it takes one of the principal's slots, the same ``limiter`` that bounds its queries.
    """

    def __init__(
        self, uow_factory: UnitOfWorkFactory, cache: Cache, ttl_seconds: int, limiter: PrincipalLimiter | None = None
    ) -> None:
        self._uow_factory = uow_factory
        self._cache = cache
        self._ttl = ttl_seconds
        self._limiter = limiter or PrincipalLimiter(per_principal=4)

    async def guide(self, principal: Principal, table_names: Sequence[str]) -> SchemaGuide:
        """The tables, annotated, and the order dates the principal can see."""
        if not table_names:
            raise ValidationError("Give at least one table name.", hint="For example ['retail.orders'].")
        if len(table_names) > _MAX_TABLES:
            raise ValidationError(f"At most {_MAX_TABLES} tables per call.", hint="Split the request.")
        key = "schema:v2:" + str(principal.user_id) + ":" + ",".join(sorted(n.strip().lower() for n in table_names))
        if self._ttl and (cached := await self._cache.get(key)) is not None:
            return SchemaGuide.from_dict(json.loads(cached))
        async with self._limiter.slot(principal), self._uow_factory(principal) as uow:
            tables = [annotate(t) for t in await uow.catalog.describe(table_names)]
            dates = await uow.catalog.order_dates()
        guide = SchemaGuide(tables, *((dates[0].isoformat(), dates[1].isoformat()) if dates else (None, None)))
        if self._ttl:
            await self._cache.set(key, json.dumps(guide.to_dict()).encode(), self._ttl)
        return guide

    async def describe(self, principal: Principal, table_names: Sequence[str]) -> list[dict[str, Any]]:
        """The annotated tables as plain dicts."""
        return [t.to_dict() for t in (await self.guide(principal, table_names)).tables]
