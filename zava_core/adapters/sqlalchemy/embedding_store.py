"""The embed job's reads and writes, and the start-up check of the stored vectors.

The job writes through the administrator connection (the application role is read-only), in
one short transaction per batch, so an interrupted run keeps what it finished and the next run
only does the rest. Every statement goes through SQLAlchemy; vectors are bound with pgvector's
``Vector`` type, which renders them for the driver.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pgvector.sqlalchemy import Vector
from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from zava_core.adapters.sqlalchemy.errors import translate_errors
from zava_core.adapters.sqlalchemy.tables import HNSW_INDEX_SQL
from zava_core.adapters.sqlalchemy.write_unit_of_work import SqlAlchemyWriteUnitOfWork
from zava_core.domain.products import EmbeddingStatus, ProductText, check_embedding_compatibility

__all__ = ["SqlAlchemyEmbeddingStore", "read_embedding_status", "verify_embeddings"]

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
_PRODUCT_TEXTS = text(
    "SELECT p.product_id, p.product_name, c.category_name, t.type_name, p.product_description,"
    " e.model, e.content_hash FROM retail.products p"
    " JOIN retail.categories c ON c.category_id = p.category_id"
    " JOIN retail.product_types t ON t.type_id = p.type_id"
    f" LEFT JOIN {TABLE} e ON e.product_id = p.product_id ORDER BY p.product_id"
)
_VIEW_EXISTS = text("SELECT to_regclass(:view) IS NOT NULL")
_UPSERT = text(
    f"INSERT INTO {TABLE} (product_id, model, description_embedding, content_hash, updated_at)"
    " VALUES (:product_id, :model, :embedding, :content_hash, now())"
    " ON CONFLICT (product_id) DO UPDATE SET model = EXCLUDED.model,"
    " description_embedding = EXCLUDED.description_embedding,"
    " content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at"
).bindparams(bindparam("embedding", type_=Vector()))


async def read_embedding_status(engine: AsyncEngine) -> EmbeddingStatus:
    """What is stored, read with the application role (catalog tables only: no principal needed)."""
    with translate_errors():
        async with engine.connect() as conn:
            dims = (await conn.execute(text(_COLUMN_DIMENSIONS))).scalar_one_or_none()
            if dims is None:
                return EmbeddingStatus(None, {}, 0)
            row = (await conn.execute(text(_COUNTS))).one()
    return EmbeddingStatus(int(dims), {k: int(v) for k, v in json.loads(row.models).items()}, int(row.products))


class SqlAlchemyEmbeddingStore:
    """The ``EmbeddingStore`` port on an administrator engine. Each write is one
    ``SqlAlchemyWriteUnitOfWork``, committed when it is whole; the statements never commit."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def ensure_dimensions(self, dimensions: int) -> bool:
        """Make the vector column ``vector(dimensions)``; True when it had to change (the stored
        vectors of the other size are dropped with it, the index rebuilt)."""
        with translate_errors():
            async with SqlAlchemyWriteUnitOfWork(self._engine) as uow:
                conn = uow.connection
                if (await conn.execute(text(_COLUMN_DIMENSIONS))).scalar_one_or_none() == dimensions:
                    return False
                await conn.exec_driver_sql("SET LOCAL ROLE zava_owner")
                await conn.exec_driver_sql("DROP INDEX IF EXISTS retail.ix_product_embeddings_hnsw")
                await conn.exec_driver_sql(f"TRUNCATE {TABLE}")
                await conn.exec_driver_sql(
                    f"ALTER TABLE {TABLE} ALTER COLUMN description_embedding TYPE vector({int(dimensions)})"
                )
                await conn.exec_driver_sql(HNSW_INDEX_SQL)
                await conn.exec_driver_sql("RESET ROLE")
                await uow.commit()
        return True

    async def products(self) -> list[ProductText]:
        """Every product's text, with the model and content hash of its stored vector, if any."""
        with translate_errors():
            async with self._engine.connect() as conn:
                rows = (await conn.execute(_PRODUCT_TEXTS)).all()
        return [
            ProductText(
                r.product_id,
                r.product_name,
                r.category_name,
                r.type_name,
                r.product_description,
                r.model,
                r.content_hash,
            )
            for r in rows
        ]

    async def refresh_search_terms(self) -> None:
        """Recount the keyword-search terms and postings (migration 0004) after the catalog changed."""
        with translate_errors():
            async with self._engine.connect() as conn:
                # VACUUM may not run inside a transaction: each statement commits on its own.
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                for view in ("product_search_terms", "product_search_postings"):
                    if (await conn.execute(_VIEW_EXISTS, {"view": f"retail.{view}"})).scalar_one():
                        await conn.exec_driver_sql(f"REFRESH MATERIALIZED VIEW retail.{view}")
                        # Index-only scans need the visibility map, which only VACUUM sets.
                        await conn.exec_driver_sql(f"VACUUM (ANALYZE) retail.{view}")

    async def save(self, model_id: str, items: Sequence[tuple[ProductText, Sequence[float]]]) -> None:
        """Store one batch of vectors, all or none, replacing what the products had."""
        if not items:
            return
        rows = [
            {"product_id": p.product_id, "model": model_id, "embedding": list(v), "content_hash": p.content_hash}
            for p, v in items
        ]
        with translate_errors():
            async with SqlAlchemyWriteUnitOfWork(self._engine) as uow:
                await uow.connection.execute(_UPSERT, rows)
                await uow.commit()


async def verify_embeddings(engine: AsyncEngine, model_id: str, dimensions: int) -> list[str]:
    """The start-up check: raise ``ConfigurationError`` (naming ``zava embed``) when the stored
    vectors do not fit the configured model; return warnings (missing vectors) otherwise."""
    return check_embedding_compatibility(await read_embedding_status(engine), model_id, dimensions)
