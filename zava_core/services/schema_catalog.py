"""The ``get_multiple_table_schemas`` use case, cached per principal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from zava_core.domain.errors import ValidationError
from zava_core.domain.principal import Principal
from zava_core.ports.cache import Cache
from zava_core.ports.unit_of_work import UnitOfWorkFactory
from zava_core.services.concurrency import PrincipalLimiter

__all__ = ["SchemaService"]

_MAX_TABLES = 20


class SchemaService:
    """Describes tables. Results hold values read under the principal's RLS ("valid values"),
    so the cache key starts with the principal: one principal's schema is never served to another.
    A described schema costs a transaction and several catalog queries, so reading it takes one of
    the principal's slots, the same ``limiter`` that bounds its queries.
    """

    def __init__(
        self, uow_factory: UnitOfWorkFactory, cache: Cache, ttl_seconds: int, limiter: PrincipalLimiter | None = None
    ) -> None:
        self._uow_factory = uow_factory
        self._cache = cache
        self._ttl = ttl_seconds
        self._limiter = limiter or PrincipalLimiter(per_principal=4)

    async def describe(self, principal: Principal, table_names: Sequence[str]) -> list[dict[str, Any]]:
        if not table_names:
            raise ValidationError("Give at least one table name.", hint="For example ['retail.orders'].")
        if len(table_names) > _MAX_TABLES:
            raise ValidationError(f"At most {_MAX_TABLES} tables per call.", hint="Split the request.")
        key = "schema:v1:" + str(principal.user_id) + ":" + ",".join(sorted(n.strip().lower() for n in table_names))
        if self._ttl and (cached := await self._cache.get(key)) is not None:
            return json.loads(cached)  # type: ignore[no-any-return]
        async with self._limiter.slot(principal), self._uow_factory(principal) as uow:
            tables = [t.to_dict() for t in await uow.catalog.describe(table_names)]
        if self._ttl:
            await self._cache.set(key, json.dumps(tables).encode(), self._ttl)
        return tables
