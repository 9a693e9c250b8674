from __future__ import annotations

import uuid

import pytest

from zava_core.adapters.cache import MemoryCache
from zava_core.domain.errors import ResourceLimitExceeded, ValidationError
from zava_core.domain.principal import Principal
from zava_core.services.concurrency import PrincipalLimiter
from zava_core.services.schema_catalog import SchemaService
from zava_core.testing.fakes import FakeUnitOfWorkFactory


async def test_schema_is_cached_per_principal_never_shared() -> None:
    uows = FakeUnitOfWorkFactory({}, {})
    schema = SchemaService(uows, MemoryCache(), ttl_seconds=60)
    first, second = Principal(uuid.UUID(int=1)), Principal(uuid.UUID(int=2))
    await schema.describe(first, ["retail.orders"])
    await schema.describe(first, ["retail.orders"])
    assert uows.catalog.calls == 1
    await schema.describe(second, ["retail.orders"])
    assert uows.catalog.calls == 2
    assert [u.principal for u in uows.opened] == [first, second]


@pytest.mark.parametrize("names", [[], [f"t{i}" for i in range(21)]])
async def test_bad_table_lists_are_refused_before_any_transaction(names: list[str]) -> None:
    uows = FakeUnitOfWorkFactory({}, {})
    with pytest.raises(ValidationError):
        await SchemaService(uows, MemoryCache(), 60).describe(Principal(uuid.UUID(int=1)), names)
    assert uows.opened == []


async def test_unknown_table_is_a_validation_error() -> None:
    uows = FakeUnitOfWorkFactory({}, {})
    with pytest.raises(ValidationError, match="nope"):
        await SchemaService(uows, MemoryCache(), 60).describe(Principal(uuid.UUID(int=1)), ["nope"])


async def test_schema_reads_take_a_slot_of_the_principals_limit() -> None:
    uows = FakeUnitOfWorkFactory({}, {})
    limiter = PrincipalLimiter(per_principal=1, wait_seconds=0.05)
    principal = Principal(uuid.UUID(int=1))
    schema = SchemaService(uows, MemoryCache(), ttl_seconds=0, limiter=limiter)
    async with limiter.slot(principal):
        with pytest.raises(ResourceLimitExceeded):
            await schema.describe(principal, ["retail.orders"])
        # Another principal's schema is served meanwhile.
        await schema.describe(Principal(uuid.UUID(int=2)), ["retail.orders"])
    assert [u.principal for u in uows.opened] == [Principal(uuid.UUID(int=2))]
