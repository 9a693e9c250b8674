"""Issue 13, no cold first search: a search waiting for the model holds no transaction open.

A first search can arrive while the embedding model still loads (seconds, more on a busy
machine). Were it to wait inside its unit of work, the session would sit idle in a transaction
and could pass the database's ``idle_in_transaction_session_timeout``. The provider here holds
every embedding until released; the oracle is ``pg_stat_activity``, read by the administrator.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import asyncpg
import pytest
from dependency_injector import providers
from sqlalchemy.engine import make_url

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from zava_core.domain.principal import Principal
from zava_core.domain.products import ProductQuery
from zava_core.testing.embeddings import FakeEmbeddingProvider
from zava_mcp_adapter.bootstrap import bootstrap

pytestmark = pytest.mark.integration

OPEN_TRANSACTIONS = "SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND xact_start IS NOT NULL"


class LoadingModel(FakeEmbeddingProvider):
    """A provider whose model is still loading: every ``embed`` waits for ``loaded``."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = asyncio.Event()
        self.loaded = asyncio.Event()

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.asked.set()
        await self.loaded.wait()
        return await super().embed(texts)


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
async def test_a_search_waiting_for_the_model_holds_no_transaction(
    zava_db: SeededDatabase, admin_conn: asyncpg.Connection, mode: str
) -> None:
    app_role = make_url(zava_db.target.app_url).username
    model = LoadingModel()
    container = bootstrap(zava_db.settings, zava_db.target)
    container.embeddings.override(providers.Object(model))
    try:
        service = container.product_search()
        # A text no cache has seen, so the search must ask the model.
        query = ProductQuery.create(f"cordless drill {uuid.uuid4().hex[:8]}", max_rows=3, mode=mode)
        search = asyncio.create_task(service.search(Principal(SEATTLE_MANAGER), query))
        await asyncio.wait_for(model.asked.wait(), timeout=10)
        await asyncio.sleep(0.3)  # time enough for a transaction to open, were one to
        assert not search.done()
        assert await admin_conn.fetchval(OPEN_TRANSACTIONS, app_role) == 0
        model.loaded.set()
        result = await asyncio.wait_for(search, timeout=30)
        assert result.query.text == query.text
        assert await admin_conn.fetchval(OPEN_TRANSACTIONS, app_role) == 0
    finally:
        await container.engine().dispose()
