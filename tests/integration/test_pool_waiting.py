"""Issue 10: the pool's "waiting" figure counts callers queued for a pooled connection."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from zava_core.domain.principal import Principal
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.observability import Metrics

pytestmark = pytest.mark.integration


def _waiting(metrics: Metrics) -> float:
    match = re.search(r"^zava_pool_waiting (\S+)$", metrics.exposition().decode(), re.MULTILINE)
    assert match is not None, "zava_pool_waiting is not exposed"
    return float(match.group(1))


async def test_a_caller_queued_behind_a_held_pool_of_one_shows_as_waiting(zava_db: SeededDatabase) -> None:
    settings = zava_db.settings.model_copy(update={"pool_min_size": 1, "pool_max_size": 1})
    container = bootstrap(settings, zava_db.target)
    factory, metrics = container.uow_factory(), container.metrics()
    principal = Principal(user_id=SEATTLE_MANAGER)
    try:
        assert _waiting(metrics) == 0
        async with factory(principal):
            second = asyncio.create_task(factory(principal).__aenter__())
            for _ in range(500):  # until the second caller is queued, however slow the machine
                await asyncio.sleep(0.01)
                if _waiting(metrics) == 1:
                    break
            assert _waiting(metrics) == 1
            assert not second.done()
        unit = await second
        await unit.__aexit__(None, None, None)
        assert _waiting(metrics) == 0
    finally:
        await container.engine().dispose()
