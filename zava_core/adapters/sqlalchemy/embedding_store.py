"""The embed job's reads and writes, and the start-up check of the stored vectors.

The job writes through the administrator connection (the application role is read-only), in
one short transaction per batch, so an interrupted run keeps what it finished and the next run
only does the rest. The module speaks asyncpg like the loader: bulk writes need no ORM.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import asyncpg
from pgvector import Vector
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.tables import HNSW_INDEX_SQL
from zava_core.domain.products import EmbeddingStatus, ProductText, check_embedding_compatibility

__all__ = ["AsyncpgEmbeddingStore", "read_embedding_status", "verify_embeddings"]

TABLE = "retail.product_description_embeddings"
_COLUMN_DIMENSIONS = (
    "SELECT a.atttypmod FROM pg_attribute a WHERE a.attrelid = to_regclass('retail.product_description_embeddings')"
    " AND a.attname = 'description_embedding' AND NOT a.attisdropped"
)
_COUNTS = (
    "SELECT (SELECT count(*) FROM retail.products) AS products, "
    "(SELECT coalesce(json_object_agg(model, n), '{}')::text FROM "
    " (SELECT model, count(*) AS n FROM retail.product_description_embeddings GROUP BY model) m) AS models"
)


async def read_embedding_status(engine: AsyncEngine) -> EmbeddingStatus:
    """What is stored, read with the application role (catalog tables only: no principal needed)."""
    with translate_errors():
        async with engine.connect() as conn:
            dims = (await conn.execute(text(_COLUMN_DIMENSIONS))).scalar_one_or_none()
            if dims is None:
                return EmbeddingStatus(None, {}, 0)
            row = (await conn.execute(text(_COUNTS))).one()
    return EmbeddingStatus(int(dims), {k: int(v) for k, v in json.loads(row.models).items()}, int(row.products))


class AsyncpgEmbeddingStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def status(self) -> EmbeddingStatus:
        with translate_errors():
            dims = await self._conn.fetchval(_COLUMN_DIMENSIONS)
            if dims is None:
                return EmbeddingStatus(None, {}, 0)
            row = await self._conn.fetchrow(_COUNTS)
        models = json.loads(row["models"]) if row is not None else {}
        products = int(row["products"]) if row is not None else 0
        return EmbeddingStatus(int(dims), {k: int(v) for k, v in models.items()}, products)

    async def ensure_dimensions(self, dimensions: int) -> bool:
        """Make the vector column ``vector(dimensions)``; True when it had to change (the stored
        vectors of the other size are dropped with it, the index rebuilt)."""
        with translate_errors():
            current = await self._conn.fetchval(_COLUMN_DIMENSIONS)
            if current == dimensions:
                return False
            async with self._conn.transaction():
                await self._conn.execute("SET LOCAL ROLE zava_owner")
                await self._conn.execute("DROP INDEX IF EXISTS retail.ix_product_embeddings_hnsw")
                await self._conn.execute(f"TRUNCATE {TABLE}")
                await self._conn.execute(
                    f"ALTER TABLE {TABLE} ALTER COLUMN description_embedding TYPE vector({int(dimensions)})"
                )
                await self._conn.execute(HNSW_INDEX_SQL)
                await self._conn.execute("RESET ROLE")
        return True

    async def products(self) -> list[ProductText]:
        with translate_errors():
            rows = await self._conn.fetch(
                "SELECT p.product_id, p.product_name, c.category_name, t.type_name, p.product_description,"
                " e.model, e.content_hash FROM retail.products p"
                " JOIN retail.categories c ON c.category_id = p.category_id"
                " JOIN retail.product_types t ON t.type_id = p.type_id"
                f" LEFT JOIN {TABLE} e ON e.product_id = p.product_id ORDER BY p.product_id"
            )
        return [
            ProductText(
                r["product_id"],
                r["product_name"],
                r["category_name"],
                r["type_name"],
                r["product_description"],
                r["model"],
                r["content_hash"],
            )
            for r in rows
        ]

    async def refresh_search_terms(self) -> None:
        """Recount the keyword-search terms and postings (migration 0004) after the catalog changed."""
        with translate_errors():
            for view in ("product_search_terms", "product_search_postings"):
                if await self._conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f"retail.{view}"):
                    await self._conn.execute(f"REFRESH MATERIALIZED VIEW retail.{view}")
                    # Index-only scans need the visibility map, which only VACUUM sets.
                    await self._conn.execute(f"VACUUM (ANALYZE) retail.{view}")

    async def save(self, model_id: str, items: Sequence[tuple[ProductText, Sequence[float]]]) -> None:
        if not items:
            return
        with translate_errors():
            async with self._conn.transaction():
                await self._conn.execute(
                    f"INSERT INTO {TABLE} (product_id, model, description_embedding, content_hash, updated_at)"
                    " SELECT u.id, $1, CAST(u.v AS vector), u.h, now()"
                    " FROM unnest($2::integer[], $3::text[], $4::text[]) AS u(id, v, h)"
                    " ON CONFLICT (product_id) DO UPDATE SET model = EXCLUDED.model,"
                    " description_embedding = EXCLUDED.description_embedding,"
                    " content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at",
                    model_id,
                    [p.product_id for p, _ in items],
                    [Vector(list(v)).to_text() for _, v in items],
                    [p.content_hash for p, _ in items],
                )


async def verify_embeddings(engine: AsyncEngine, model_id: str, dimensions: int) -> list[str]:
    """The start-up check: raise ``ConfigurationError`` (naming ``zava embed``) when the stored
    vectors do not fit the configured model; return warnings (missing vectors) otherwise."""
    return check_embedding_compatibility(await read_embedding_status(engine), model_id, dimensions)
