"""The database wall: zava_app may execute only what the statement policy admits.

PostgreSQL reads ``(expr).f`` as ``f(expr)``, so a gap in the statement check became a call to
any one-argument built-in (``current_setting``, ``pg_stat_get_*``, ``ts_stat``…). This migration
makes the database refuse every function and catalog view the policy does not admit, built from
the policy's own list by ``zava_core.adapters.sqlalchemy.privileges`` (imported, not copied: two
lists would drift). ``zava db migrate`` re-runs the same reconciliation after every upgrade, so a
change of the list in code reaches the database without a new migration.

``set_config`` and ``current_setting`` leave ``zava_app``, so what the server set with them moves
into SECURITY DEFINER functions owned by ``zava_security``: ``set_principal(uuid, text, integer)``
binds the principal and the transaction's statement timeout in the same single round trip, and
``tune_vector_search`` sets pgvector's transaction-local search settings from bounded integers.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

from zava_core.adapters.sqlalchemy import privileges

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SET_PRINCIPAL_WITH_TIMEOUT = r"""
CREATE FUNCTION zava_private.set_principal(p_user_id uuid, p_app_key text, p_statement_timeout_ms integer)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF p_statement_timeout_ms IS NULL OR p_statement_timeout_ms < 1 THEN
        RAISE EXCEPTION 'statement timeout must be a positive number of milliseconds'
            USING ERRCODE = '22023';
    END IF;
    PERFORM zava_private.set_principal(p_user_id, p_app_key);
    -- Transaction-local, like the context: it ends with the unit of work.
    PERFORM set_config('statement_timeout', p_statement_timeout_ms::text || 'ms', true);
    RETURN true;
END
$fn$
"""

TUNE_VECTOR_SEARCH = r"""
CREATE FUNCTION zava_private.tune_vector_search(p_ef_search integer, p_iterative boolean, p_max_scan_tuples integer)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF p_ef_search NOT BETWEEN 1 AND 1000 OR p_max_scan_tuples NOT BETWEEN 1 AND 10000000 THEN
        RAISE EXCEPTION 'vector search settings out of range' USING ERRCODE = '22023';
    END IF;
    PERFORM set_config('hnsw.ef_search', p_ef_search::text, true);
    PERFORM set_config('hnsw.iterative_scan', CASE WHEN p_iterative THEN 'relaxed_order' ELSE 'off' END, true);
    PERFORM set_config('hnsw.max_scan_tuples', p_max_scan_tuples::text, true);
    RETURN true;
END
$fn$
"""

FUNCTIONS = {
    "set_principal(uuid, text, integer)": SET_PRINCIPAL_WITH_TIMEOUT,
    "tune_vector_search(integer, boolean, integer)": TUNE_VECTOR_SEARCH,
}


def upgrade() -> None:
    for signature, ddl in FUNCTIONS.items():
        op.execute(ddl)
        op.execute(f"ALTER FUNCTION zava_private.{signature} OWNER TO zava_security")
        op.execute(f"REVOKE ALL ON FUNCTION zava_private.{signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION zava_private.{signature} TO zava_app")
    privileges.reconcile(op.get_bind())


def downgrade() -> None:
    privileges.remove(op.get_bind())
    for signature in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION zava_private.{signature}")
