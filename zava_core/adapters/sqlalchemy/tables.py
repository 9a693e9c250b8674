"""The ``retail`` schema as SQLAlchemy Core metadata: what the migrations create, in one place.

The migrations stay the source of truth for the database (they are frozen history and never
import this module); ``tests/integration/test_table_metadata.py`` proves the two agree, table by
table and column by column, after ``alembic upgrade head``. The server's own statements (search,
business figures) are built over these tables, so a renamed column fails where it is used.

The embedding column is ``vector`` without a dimension: the dimension is chosen per deployment
(``zava db migrate`` passes the configured model's) and is read back by the start-up check.
The two materialized views are described as tables too (PostgreSQL reads them like tables);
``MATERIALIZED_VIEW`` in their ``info`` tells a schema comparison to leave them out.
"""

from __future__ import annotations

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex

__all__ = [
    "HNSW_INDEX",
    "HNSW_INDEX_SQL",
    "MATERIALIZED_VIEW",
    "SCHEMA",
    "categories",
    "customers",
    "embeddings",
    "inventory",
    "metadata",
    "order_items",
    "orders",
    "principal_stores",
    "principals",
    "product_search_postings",
    "product_search_terms",
    "product_types",
    "products",
    "stores",
]

SCHEMA = "retail"
#: ``Table.info`` key of the relations that are materialized views, not tables.
MATERIALIZED_VIEW = "materialized_view"

metadata = MetaData(schema=SCHEMA)


def _uuid_key(name: str) -> Column[object]:
    return Column(name, Uuid, primary_key=True, server_default=func.gen_random_uuid())


def _created_at(name: str = "created_at") -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=False, server_default=func.now())


# Columns are listed in the database's order: migration 0006 put the uuid keys last.
stores = Table(
    "stores",
    metadata,
    _uuid_key("store_id"),
    Column("store_name", Text, nullable=False, unique=True),
    Column("location", Text, nullable=False),
    Column("is_online", Boolean, nullable=False, server_default=false()),
    Column("rls_user_id", Uuid, nullable=False),
    _created_at(),
    _created_at("updated_at"),
)

principals = Table(
    "principals",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    Column("display_name", Text, nullable=False),
    Column("role", Text, nullable=False),
    _created_at(),
)

principal_stores = Table(
    "principal_stores",
    metadata,
    Column("user_id", Uuid, ForeignKey(principals.c.user_id, ondelete="CASCADE"), nullable=False),
    Column("store_id", Uuid, ForeignKey(stores.c.store_id, ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("user_id", "store_id"),
)

customers = Table(
    "customers",
    metadata,
    Column("store_id", Uuid, ForeignKey(stores.c.store_id), nullable=False),
    Column("first_name", Text, nullable=False),
    Column("last_name", Text, nullable=False),
    Column("email", Text, nullable=False, unique=True),
    Column("phone", Text),
    _created_at(),
    _uuid_key("customer_id"),
)

categories = Table(
    "categories",
    metadata,
    Column("category_id", Integer, Identity(), primary_key=True),
    Column("category_name", Text, nullable=False, unique=True),
)

product_types = Table(
    "product_types",
    metadata,
    Column("type_id", Integer, Identity(), primary_key=True),
    Column("category_id", Integer, ForeignKey(categories.c.category_id), nullable=False),
    Column("type_name", Text, nullable=False),
    UniqueConstraint("category_id", "type_name"),
)

products = Table(
    "products",
    metadata,
    Column("product_id", Integer, Identity(), primary_key=True),
    Column("sku", Text, nullable=False, unique=True),
    Column("product_name", Text, nullable=False),
    Column("category_id", Integer, ForeignKey(categories.c.category_id), nullable=False),
    Column("type_id", Integer, ForeignKey(product_types.c.type_id), nullable=False),
    Column("cost", Numeric(10, 2), nullable=False),
    Column("base_price", Numeric(10, 2), nullable=False),
    Column("gross_margin_percent", Numeric(5, 2), nullable=False),
    Column("product_description", Text, nullable=False),
    Column("discontinued", Boolean, nullable=False, server_default=false()),
    _created_at(),
    # Migration 0003; keyword search reads it through the postings view.
    Column(
        "search_document",
        postgresql.TSVECTOR,
        Computed(
            "setweight(to_tsvector('english', coalesce(product_name, '')), 'A') || "
            "setweight(to_tsvector('simple', coalesce(sku, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(product_description, '')), 'B')",
            persisted=True,
        ),
    ),
)

inventory = Table(
    "inventory",
    metadata,
    Column("store_id", Uuid, ForeignKey(stores.c.store_id), nullable=False),
    Column("product_id", Integer, ForeignKey(products.c.product_id), nullable=False),
    Column("stock_level", Integer, nullable=False),
    PrimaryKeyConstraint("store_id", "product_id"),
)

orders = Table(
    "orders",
    metadata,
    Column("store_id", Uuid, ForeignKey(stores.c.store_id), nullable=False),
    Column("order_date", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("subtotal", Numeric(12, 2), nullable=False),
    Column("discount_amount", Numeric(12, 2), nullable=False, server_default=text("0")),
    Column("total_amount", Numeric(12, 2), nullable=False),
    _created_at(),
    _uuid_key("order_id"),
    Column("customer_id", Uuid, ForeignKey(customers.c.customer_id), nullable=False),
)

order_items = Table(
    "order_items",
    metadata,
    Column("store_id", Uuid, ForeignKey(stores.c.store_id), nullable=False),
    Column("product_id", Integer, ForeignKey(products.c.product_id), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Numeric(10, 2), nullable=False),
    Column("discount_percent", Numeric(5, 2), nullable=False, server_default=text("0")),
    Column("discount_amount", Numeric(10, 2), nullable=False, server_default=text("0")),
    Column("total_amount", Numeric(10, 2), nullable=False),
    _uuid_key("order_item_id"),
    Column("order_id", Uuid, ForeignKey(orders.c.order_id, ondelete="CASCADE"), nullable=False),
)

embeddings = Table(
    "product_description_embeddings",
    metadata,
    Column("product_id", Integer, ForeignKey(products.c.product_id, ondelete="CASCADE"), primary_key=True),
    Column("model", Text, nullable=False),
    Column("description_embedding", Vector(), nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

#: The HNSW index over the embeddings: cosine distance, m=16 with ef_construction=128 (on 100,000
#: clustered vectors it reaches recall@10 0.99 at ef_search 64; docs/search.md has the
#: measurements). Migration 0003 wrote the same definition out; a test keeps them equal.
HNSW_INDEX = Index(
    "ix_product_embeddings_hnsw",
    embeddings.c.description_embedding,
    postgresql_using="hnsw",
    postgresql_ops={"description_embedding": "vector_cosine_ops"},
    postgresql_with={"m": 16, "ef_construction": 128},
)
#: What ``zava embed`` runs when it rebuilds the index for a model of another dimension.
HNSW_INDEX_SQL = str(CreateIndex(HNSW_INDEX).compile(dialect=postgresql.dialect()))  # type: ignore[no-untyped-call]

# Materialized views of migration 0004 (refreshed by ``zava embed``): their columns may be NULL.
product_search_terms = Table(
    "product_search_terms",
    metadata,
    Column("word", Text),
    Column("documents", Integer),
    Column("products", BigInteger),
    info={MATERIALIZED_VIEW: True},
)

product_search_postings = Table(
    "product_search_postings",
    metadata,
    Column("word", Text),
    Column("product_id", Integer),
    Column("category_id", Integer),
    Column("base_price", Numeric(10, 2)),
    info={MATERIALIZED_VIEW: True},
)
