"""The embed job's store on SQLAlchemy: vectors bound with pgvector's type arrive intact."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest

from zava_core.adapters.sqlalchemy.embedding_store import SqlAlchemyEmbeddingStore
from zava_core.services.embedding_job import EmbedReport
from zava_mcp_adapter.container import embedding_provider_for
from zava_mcp_adapter.database.engines import one_shot_engine

pytestmark = pytest.mark.integration


async def test_stored_vectors_are_the_provider_s_to_float32_precision(
    zava_db: Any, embedded_catalog: EmbedReport, admin_conn: asyncpg.Connection
) -> None:
    rows = await admin_conn.fetch(
        "SELECT product_id, model, description_embedding::text AS v FROM retail.product_description_embeddings"
        " ORDER BY product_id LIMIT 3"
    )
    assert len(rows) == 3
    async with one_shot_engine(zava_db.target.admin_url) as engine:
        texts = {p.product_id: p for p in await SqlAlchemyEmbeddingStore(engine).products()}
    provider = embedding_provider_for(zava_db.settings)
    computed = await provider.embed([texts[r["product_id"]].text for r in rows])
    for row, expected in zip(rows, computed, strict=True):
        stored = json.loads(row["v"])
        assert row["model"] == embedded_catalog.model_id
        assert texts[row["product_id"]].stored_model == embedded_catalog.model_id
        assert len(stored) == len(expected) == provider.dimensions
        assert stored == pytest.approx(expected, rel=1e-6, abs=1e-7)


async def test_the_column_already_of_the_model_s_size_is_left_alone(
    zava_db: Any, embedded_catalog: EmbedReport, admin_conn: asyncpg.Connection
) -> None:
    count = "SELECT count(*) FROM retail.product_description_embeddings"
    before = await admin_conn.fetchval(count)
    async with one_shot_engine(zava_db.target.admin_url) as engine:
        store = SqlAlchemyEmbeddingStore(engine)
        assert not await store.ensure_dimensions(embedding_provider_for(zava_db.settings).dimensions)
        await store.save(embedded_catalog.model_id, [])  # an empty batch writes nothing
    assert await admin_conn.fetchval(count) == before == embedded_catalog.products
