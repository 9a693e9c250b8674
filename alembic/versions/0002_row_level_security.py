"""Row-level security with a context that SQL cannot forge.

The server proves each transaction's principal with ``zava_private.set_principal(user, key)``:
the function checks the application key against a hash the application role cannot read, then
stores the principal, a fresh nonce and a signature (sha256 over a server-side secret, the
principal, the nonce and the transaction's start time) in transaction-local settings.
``visible_store_ids()`` recomputes the signature; anything that does not match — no context, a
context written by ``set_config`` from SQL, one replayed from another transaction — sees no store.

Policies compare ``store_id`` with ``ANY ((SELECT visible_store_ids()))``: the sub-select makes
the planner evaluate it once per query as an InitPlan, and ``PARALLEL SAFE`` keeps parallel plans.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCOPED_TABLES = ("stores", "principal_stores", "customers", "inventory", "orders", "order_items")
READABLE_TABLES = (
    "stores",
    "customers",
    "categories",
    "product_types",
    "products",
    "inventory",
    "orders",
    "order_items",
)

SET_PRINCIPAL = r"""
CREATE FUNCTION zava_private.set_principal(p_user_id uuid, p_app_key text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    k zava_private.context_keys%ROWTYPE;
    nonce text := gen_random_uuid()::text;
BEGIN
    SELECT * INTO k FROM zava_private.context_keys;
    IF k.app_key_hash IS NULL OR p_app_key IS NULL OR p_user_id IS NULL
       OR sha256(convert_to(p_app_key, 'UTF8')) <> k.app_key_hash THEN
        RAISE EXCEPTION 'the RLS context was refused: invalid application key'
            USING ERRCODE = '28000';
    END IF;
    PERFORM set_config('zava.principal', p_user_id::text, true);
    PERFORM set_config('zava.ctx_nonce', nonce, true);
    PERFORM set_config('zava.ctx_sig', zava_private.context_signature(k.secret, p_user_id::text, nonce), true);
    RETURN true;
END
$fn$
"""

SIGNATURE = r"""
CREATE FUNCTION zava_private.context_signature(p_secret bytea, p_user text, p_nonce text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT encode(sha256(p_secret || convert_to(
        p_user || '|' || p_nonce || '|' || extract(epoch FROM transaction_timestamp())::text, 'UTF8')), 'hex')
$fn$
"""

VISIBLE_STORE_IDS = r"""
CREATE FUNCTION zava_private.visible_store_ids() RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    raw_user text := current_setting('zava.principal', true);
    nonce text := current_setting('zava.ctx_nonce', true);
    sig text := current_setting('zava.ctx_sig', true);
    uid uuid;
BEGIN
    IF coalesce(raw_user, '') = '' OR coalesce(nonce, '') = '' OR coalesce(sig, '') = '' THEN
        RETURN '{}';
    END IF;
    IF sig IS DISTINCT FROM (SELECT zava_private.context_signature(k.secret, raw_user, nonce)
                             FROM zava_private.context_keys k) THEN
        RETURN '{}';
    END IF;
    -- Only set_principal can have written a matching signature, and it writes a valid uuid.
    uid := raw_user::uuid;
    IF EXISTS (SELECT 1 FROM retail.principals p WHERE p.user_id = uid AND p.role = 'head_office') THEN
        RETURN ARRAY(SELECT s.store_id FROM retail.stores s);
    END IF;
    RETURN ARRAY(
        SELECT s.store_id FROM retail.stores s WHERE s.rls_user_id = uid
        UNION
        SELECT ps.store_id FROM retail.principal_stores ps WHERE ps.user_id = uid
    );
END
$fn$
"""

#: Built-ins that act outside the row set. PostgreSQL grants them to PUBLIC; in this database
#: nobody but a superuser keeps them. The statement check refuses them first — this is the wall
#: behind it, for a statement that slipped through.
HARDENED_FUNCTIONS = (
    "pg_sleep",
    "pg_sleep_for",
    "pg_sleep_until",
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_advisory_lock",
    "pg_advisory_lock_shared",
    "pg_advisory_xact_lock",
    "pg_advisory_xact_lock_shared",
    "pg_try_advisory_lock",
    "pg_try_advisory_lock_shared",
    "pg_try_advisory_xact_lock",
    "pg_try_advisory_xact_lock_shared",
    "pg_advisory_unlock",
    "pg_advisory_unlock_shared",
    "pg_advisory_unlock_all",
    "txid_current",
    "pg_current_xact_id",
    "pg_notify",
    "query_to_xml",
    "query_to_xmlschema",
    "query_to_xml_and_xmlschema",
    "cursor_to_xml",
    "cursor_to_xmlschema",
    "table_to_xml",
    "table_to_xmlschema",
    "table_to_xml_and_xmlschema",
    "schema_to_xml",
    "schema_to_xmlschema",
    "schema_to_xml_and_xmlschema",
    "database_to_xml",
    "database_to_xmlschema",
    "database_to_xml_and_xmlschema",
)

APP_SETTINGS = {
    "default_transaction_read_only": "on",
    "statement_timeout": "'30s'",
    "idle_in_transaction_session_timeout": "'60s'",
    "search_path": "retail, public",  # a list, not one quoted name; public holds pgvector's operators
}


def upgrade() -> None:
    op.execute("CREATE SCHEMA zava_private AUTHORIZATION zava_security")
    op.execute("REVOKE ALL ON SCHEMA zava_private FROM PUBLIC")
    op.execute(
        "CREATE TABLE zava_private.context_keys ("
        " singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
        " secret bytea NOT NULL,"
        " app_key_hash bytea)"
    )
    # gen_random_uuid() draws from the server's strong random source: two of them give the
    # secret 244 random bits without pgcrypto (which the embedded server does not ship).
    op.execute(
        "INSERT INTO zava_private.context_keys (secret) VALUES (sha256(convert_to("
        "gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')))"
    )
    op.execute("ALTER TABLE zava_private.context_keys OWNER TO zava_security")
    op.execute("REVOKE ALL ON zava_private.context_keys FROM PUBLIC")
    # What `zava db seed` loaded (seed, scale, counts), so that a second run changes nothing.
    op.execute(
        "CREATE TABLE zava_private.seed_state ("
        " singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
        " seed integer NOT NULL, scale double precision NOT NULL,"
        " row_counts jsonb NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())"
    )
    op.execute("ALTER TABLE zava_private.seed_state OWNER TO zava_security")
    op.execute("REVOKE ALL ON zava_private.seed_state FROM PUBLIC")
    for ddl in (SIGNATURE, SET_PRINCIPAL, VISIBLE_STORE_IDS):
        op.execute(ddl)
    for fn in ("context_signature(bytea, text, text)", "set_principal(uuid, text)", "visible_store_ids()"):
        op.execute(f"ALTER FUNCTION zava_private.{fn} OWNER TO zava_security")
        op.execute(f"REVOKE ALL ON FUNCTION zava_private.{fn} FROM PUBLIC")
    op.execute("GRANT USAGE ON SCHEMA retail TO zava_security")
    op.execute("GRANT SELECT ON retail.stores, retail.principals, retail.principal_stores TO zava_security")

    for table in SCOPED_TABLES:
        op.execute(f"ALTER TABLE retail.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE retail.{table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY store_scope ON retail.{table} FOR ALL TO PUBLIC "
            "USING (store_id = ANY ((SELECT zava_private.visible_store_ids())::uuid[])) "
            "WITH CHECK (store_id = ANY ((SELECT zava_private.visible_store_ids())::uuid[]))"
        )

    op.execute("GRANT USAGE ON SCHEMA retail TO zava_app")
    op.execute("GRANT USAGE ON SCHEMA zava_private TO zava_app")
    op.execute(f"GRANT SELECT ON {', '.join('retail.' + t for t in READABLE_TABLES)} TO zava_app")
    op.execute("GRANT EXECUTE ON FUNCTION zava_private.set_principal(uuid, text) TO zava_app")
    op.execute("GRANT EXECUTE ON FUNCTION zava_private.visible_store_ids() TO zava_app")
    _grant_hardened("REVOKE", "FROM")
    # Per database: roles are cluster-wide, and another database may hold another deployment.
    database = op.get_bind().execute(text("SELECT current_database()")).scalar_one()
    for name, value in APP_SETTINGS.items():
        op.execute(f'ALTER ROLE zava_app IN DATABASE "{database}" SET {name} = {value}')
    # temp_file_limit needs a superuser; on a managed server without one the limit is skipped
    # and the operator is told (docs/operations.md).
    op.execute(
        "DO $$ BEGIN EXECUTE format('ALTER ROLE zava_app IN DATABASE %I SET temp_file_limit = %L', "
        "current_database(), '512MB'); "
        "EXCEPTION WHEN insufficient_privilege THEN "
        "RAISE WARNING 'temp_file_limit for zava_app not set: needs a superuser'; END $$"
    )


def _grant_hardened(verb: str, preposition: str) -> None:
    names = ", ".join(f"'{n}'" for n in HARDENED_FUNCTIONS)
    op.execute(
        "DO $$ DECLARE f regprocedure; BEGIN "
        "FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        f"WHERE n.nspname = 'pg_catalog' AND p.proname IN ({names}) LOOP "
        f"EXECUTE format('{verb} EXECUTE ON FUNCTION %s {preposition} PUBLIC', f); END LOOP; END $$"
    )


def downgrade() -> None:
    _grant_hardened("GRANT", "TO")
    op.execute("DO $$ BEGIN EXECUTE format('ALTER ROLE zava_app IN DATABASE %I RESET ALL', current_database()); END $$")
    op.execute(f"REVOKE ALL ON {', '.join('retail.' + t for t in READABLE_TABLES)} FROM zava_app")
    op.execute("REVOKE ALL ON SCHEMA retail FROM zava_app")
    for table in SCOPED_TABLES:
        op.execute(f"DROP POLICY store_scope ON retail.{table}")
        op.execute(f"ALTER TABLE retail.{table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE retail.{table} DISABLE ROW LEVEL SECURITY")
    op.execute("REVOKE ALL ON retail.stores, retail.principals, retail.principal_stores FROM zava_security")
    op.execute("REVOKE ALL ON SCHEMA retail FROM zava_security")
    op.execute("DROP SCHEMA zava_private CASCADE")
