"""Document frequencies of the catalog's search terms, for keyword ranking.

Keyword search scores a product by the inverse document frequency of the question's words it
contains: "tidy" (a few products) then counts for more than "garden" (dozens), which plain
ts_rank cannot do. The counts come from ``ts_stat`` over ``products.search_document``; the view
is refreshed by ``zava embed`` (which ``zava db seed`` runs), and a stale count only shifts
weights, never which products match.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL ROLE zava_owner")
    op.execute(
        "CREATE MATERIALIZED VIEW retail.product_search_terms AS "
        "SELECT s.word, s.ndoc AS documents, (SELECT count(*) FROM retail.products) AS products "
        "FROM ts_stat('SELECT search_document FROM retail.products') AS s"
    )
    op.execute("CREATE UNIQUE INDEX ix_product_search_terms_word ON retail.product_search_terms (word)")
    op.execute(
        "COMMENT ON MATERIALIZED VIEW retail.product_search_terms IS "
        "'How many products contain each search term (refreshed by zava embed); weights keyword search.'"
    )
    op.execute("RESET ROLE")
    op.execute("GRANT SELECT ON retail.product_search_terms TO zava_app")


def downgrade() -> None:
    op.execute("DROP MATERIALIZED VIEW retail.product_search_terms")
