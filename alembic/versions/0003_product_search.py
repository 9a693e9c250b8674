"""Product description embeddings (pgvector, HNSW cosine) and full-text search.

The vector dimension follows the configured embedding model: ``zava db migrate`` passes it as
``embedding_dimensions`` (384 for the local all-MiniLM-L6-v2, 1536 for text-embedding-3-small).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import context, op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DEFAULT_DIMENSIONS = 384


def _dimensions() -> int:
    configured = context.config.attributes.get("embedding_dimensions")
    if configured is None:
        configured = context.get_x_argument(as_dictionary=True).get("embedding_dimensions", DEFAULT_DIMENSIONS)
    dimensions = int(configured)
    if not 1 <= dimensions <= 2000:
        raise ValueError(f"embedding_dimensions must be 1..2000 for an HNSW index, got {dimensions}")
    return dimensions


def upgrade() -> None:
    op.execute("SET LOCAL ROLE zava_owner")
    op.execute(
        "CREATE TABLE retail.product_description_embeddings ("
        " product_id integer PRIMARY KEY REFERENCES retail.products (product_id) ON DELETE CASCADE,"
        " model text NOT NULL,"
        f" description_embedding vector({_dimensions()}) NOT NULL,"
        " content_hash text NOT NULL,"
        " updated_at timestamptz NOT NULL DEFAULT now())"
    )
    op.execute(
        "COMMENT ON TABLE retail.product_description_embeddings IS "
        "'One embedding of each product description; model names the model that made it.'"
    )
    # m=16 with ef_construction=128 (pgvector's default is 64): on 100,000 clustered vectors it
    # reaches recall@10 0.99 at ef_search 64 where 64 needs ef_search 150; docs/search.md has the
    # measurements. zava embed rebuilds the index with the same settings when the model changes.
    op.execute(
        "CREATE INDEX ix_product_embeddings_hnsw ON retail.product_description_embeddings "
        "USING hnsw (description_embedding vector_cosine_ops) WITH (m = 16, ef_construction = 128)"
    )
    op.execute(
        "ALTER TABLE retail.products ADD COLUMN search_document tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', coalesce(product_name, '')), 'A') || "
        "setweight(to_tsvector('simple', coalesce(sku, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(product_description, '')), 'B')) STORED"
    )
    op.execute("CREATE INDEX ix_products_search_document ON retail.products USING gin (search_document)")
    op.execute("RESET ROLE")
    op.execute("GRANT SELECT ON retail.product_description_embeddings TO zava_app")


def downgrade() -> None:
    op.execute("DROP INDEX retail.ix_products_search_document")
    op.execute("ALTER TABLE retail.products DROP COLUMN search_document")
    op.execute("DROP TABLE retail.product_description_embeddings")
