"""Search fixtures: the shared test database embedded once with the bundled local model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from zava_core.services.embedding_job import EmbedReport
from zava_core.services.product_search import ProductSearchService
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.cli.embed import run_embedding
from zava_mcp_adapter.container import Container


@pytest.fixture(scope="session")
async def embedded_catalog(zava_db: Any) -> EmbedReport:
    """Writes embeddings (and nothing else) into the shared database, once per session."""
    return await run_embedding(zava_db.settings, zava_db.target, show_progress=False)


@pytest.fixture(scope="session")
async def search_container(zava_db: Any, embedded_catalog: EmbedReport) -> AsyncIterator[Container]:
    container = bootstrap(zava_db.settings, zava_db.target)
    yield container
    await container.engine().dispose()


@pytest.fixture(scope="session")
def search(search_container: Container) -> ProductSearchService:
    return search_container.product_search()
