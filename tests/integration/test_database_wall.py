"""The database wall: with the statement check switched off, PostgreSQL alone refuses every
function and catalog view the statement policy does not admit.

Each attack here talks to PostgreSQL as the application role on a raw connection, in a
transaction bound by ``set_principal`` exactly as the unit of work binds it: these are the
statements a gap in the parser would let through. Each must end in insufficient_privilege.
"""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from tests.conftest import NO_ACCESS_USER, SEATTLE_MANAGER, SeededDatabase
from zava_core.adapters.sql_policy.functions import ALLOWED_FUNCTIONS, OPERATOR_SCHEMAS, WALL_WITHHELD_TYPES
from zava_core.adapters.sqlalchemy import privileges
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID

pytestmark = pytest.mark.integration

PRINCIPALS = {
    "store_manager": SEATTLE_MANAGER,
    "regional_manager": REGIONAL_MANAGER_USER_ID,
    "no_access": NO_ACCESS_USER,
}
TIMEOUT_MS = 30_000

# The attacker's report against the landed code, in attribute notation and in several clauses.
ATTACKS = {
    "current_setting_attribute": "SELECT ('zava.ctx_sig'::text).current_setting",
    "current_setting_in_where": "SELECT 1 WHERE ('zava.ctx_sig'::text).current_setting IS NOT NULL",
    "current_setting_in_order_by": "SELECT 1 ORDER BY ('zava.principal'::text).current_setting",
    "current_setting_plain": "SELECT current_setting('zava.ctx_sig', true)",
    "set_config": "SELECT set_config('statement_timeout', '0', true)",
    "live_tuples_of_another_table": "SELECT (('retail.orders'::regclass)::oid).pg_stat_get_live_tuples",
    "live_tuples_in_cte": (
        "WITH t AS (SELECT (('retail.customers'::regclass)::oid).pg_stat_get_live_tuples AS n) SELECT n FROM t"
    ),
    "backend_activity": "SELECT (g).pg_stat_get_backend_activity FROM generate_series(1, 3) g",
    "backend_activity_in_lateral": (
        "SELECT a.q FROM generate_series(1, 3) g, LATERAL (SELECT (g).pg_stat_get_backend_activity AS q) a"
    ),
    "ts_stat_runs_any_sql": "SELECT (s.r).word FROM (SELECT ('select 1'::text).ts_stat AS r) s",
    "query_to_xml": "SELECT query_to_xml('SELECT * FROM retail.customers', true, false, '')",
    "setseed": "SELECT (0.5).setseed",
    "factorial": "SELECT (20).factorial",
    # random() is admitted (issue 12); what runs a SQL string or reads a setting around it is not.
    "ts_rewrite_runs_sql": "SELECT ts_rewrite('a'::tsquery, 'SELECT ''a''::tsquery, ''b''::tsquery')",
    "current_text_search_config": "SELECT get_current_ts_config()",
    "xact_tuples_returned": (
        "SELECT (c.oid).pg_stat_get_xact_tuples_returned FROM pg_catalog.pg_class c WHERE c.relname = 'orders'"
    ),
    "relation_size": "SELECT (c.oid).pg_relation_size FROM pg_catalog.pg_class c WHERE c.relname = 'orders'",
    "relation_size_in_join": (
        "SELECT 1 FROM retail.stores s JOIN pg_catalog.pg_class c ON pg_relation_size(c.oid) > 0 LIMIT 1"
    ),
    "reltuples": "SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.relname = 'orders'",
    "relpages": "SELECT c.relpages FROM pg_catalog.pg_class c WHERE c.relname = 'customers'",
    "pg_stat_activity": "SELECT query FROM pg_catalog.pg_stat_activity",
    "pg_stat_user_tables": "SELECT n_live_tup FROM pg_catalog.pg_stat_user_tables",
    "pg_stats_histograms": "SELECT histogram_bounds FROM pg_catalog.pg_stats WHERE tablename = 'customers'",
    "pg_settings": "SELECT setting FROM pg_catalog.pg_settings WHERE name = 'data_directory'",
    "pg_locks": "SELECT count(*) FROM pg_catalog.pg_locks",
    "information_schema": "SELECT table_name FROM information_schema.tables",
    "backend_pid": "SELECT pg_backend_pid()",
}


async def bind(conn: asyncpg.Connection, db: SeededDatabase, user: uuid.UUID) -> None:
    await conn.fetchval("SELECT zava_private.set_principal($1, $2, $3)", user, db.target.context_key, TIMEOUT_MS)


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("attack", ATTACKS)
async def test_the_database_refuses_what_the_policy_does_not_admit(
    app_conn: asyncpg.Connection, zava_db: SeededDatabase, principal: str, attack: str
) -> None:
    async with app_conn.transaction():
        await bind(app_conn, zava_db, PRINCIPALS[principal])
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app_conn.fetch(ATTACKS[attack])


async def _executable(admin: asyncpg.Connection, role: str) -> set[str]:
    rows = await admin.fetch(
        "SELECT p.oid::regprocedure::text AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = ANY($1::text[]) AND has_function_privilege($2, p.oid, 'EXECUTE')",
        list(privileges.WALLED_SCHEMAS),
        role,
    )
    return {r["f"] for r in rows}


async def _expected_for_app(admin: asyncpg.Connection) -> set[str]:
    """Computed here from the one list, independently of the module that applies it."""
    refused = sorted(WALL_WITHHELD_TYPES | {"_" + t for t in WALL_WITHHELD_TYPES})
    rows = await admin.fetch(
        """
        WITH support AS (
            SELECT o.oprcode AS f, ARRAY[o.oprleft, o.oprright, o.oprresult] AS types
            FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE n.nspname = ANY($3::text[])
            UNION ALL
            SELECT c.castfunc, ARRAY[c.castsource, c.casttarget] FROM pg_cast c WHERE c.castfunc <> 0
            UNION ALL
            SELECT f.f, ARRAY[t.oid] FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace,
                unnest(ARRAY[t.typinput, t.typoutput]) f(f) WHERE n.nspname = ANY($3::text[])
            UNION ALL
            SELECT a.amproc::oid, ARRAY[a.amproclefttype, a.amprocrighttype] FROM pg_amproc a)
        SELECT p.oid::regprocedure::text AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($1::text[]) AND (p.proname = ANY($2::text[]) OR p.oid IN (
            SELECT s.f FROM support s WHERE NOT EXISTS (
                SELECT FROM pg_type t WHERE t.oid = ANY(s.types) AND t.typname = ANY($4::text[]))))
        """,
        list(privileges.WALLED_SCHEMAS),
        sorted(ALLOWED_FUNCTIONS | privileges.SERVER_FUNCTIONS),
        sorted(OPERATOR_SCHEMAS),
        refused,
    )
    return {r["f"] for r in rows}


async def test_the_application_executes_exactly_what_the_one_list_derives(admin_conn: asyncpg.Connection) -> None:
    executable = await _executable(admin_conn, privileges.APP_ROLE)
    expected = await _expected_for_app(admin_conn)
    assert executable - expected == set(), "executable beyond the list"
    assert expected - executable == set(), "listed but not executable"
    names = {f.split("(")[0].rsplit(".", 1)[-1] for f in executable}
    for refused in ("current_setting", "set_config", "ts_stat", "ts_rewrite", "query_to_xml", "setseed", "factorial"):
        assert refused not in names


async def test_every_function_the_policy_names_is_executable(admin_conn: asyncpg.Connection) -> None:
    """The two walls agree: nothing the check admits fails on permissions."""
    missing = await admin_conn.fetch(
        "SELECT DISTINCT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = ANY($1::text[]) AND p.proname = ANY($2::text[]) "
        "AND NOT has_function_privilege('zava_app', p.oid, 'EXECUTE')",
        list(privileges.WALLED_SCHEMAS),
        sorted(ALLOWED_FUNCTIONS),
    )
    assert [r["proname"] for r in missing] == []


async def test_public_executes_nothing_in_the_walled_schemas(admin_conn: asyncpg.Connection) -> None:
    public = await admin_conn.fetchval(
        "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = ANY($1::text[]) AND EXISTS (SELECT FROM aclexplode(coalesce(p.proacl, "
        "acldefault('f', p.proowner))) a WHERE a.grantee = 0)",
        list(privileges.WALLED_SCHEMAS),
    )
    assert public == 0


async def test_the_application_reads_only_the_listed_catalogs(admin_conn: asyncpg.Connection) -> None:
    rows = await admin_conn.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v', 'm', 'p', 'f') "
        "AND has_table_privilege('zava_app', c.oid, 'SELECT')"
    )
    assert {r["relname"] for r in rows} == set(privileges.APP_CATALOG_RELATIONS + privileges.APP_ROLE_VIEWS)
    columns = await admin_conn.fetch(
        "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = 'pg_catalog.pg_class'::regclass AND a.attnum > 0 "
        "AND has_column_privilege('zava_app', a.attrelid, a.attnum, 'SELECT')"
    )
    assert {r["attname"] for r in columns} == set(privileges.APP_PG_CLASS_COLUMNS)


async def test_the_definer_role_keeps_what_the_scope_functions_call(admin_conn: asyncpg.Connection) -> None:
    executable = {f.split("(")[0] for f in await _executable(admin_conn, "zava_security")}
    assert {"set_config", "current_setting", "sha256", "gen_random_uuid"} <= executable
    assert "pg_stat_get_live_tuples" not in executable


async def test_the_start_up_probe_finds_no_gap(zava_db: SeededDatabase) -> None:
    engine = create_engine(zava_db.target.app_url, PoolSettings(min_size=1, max_size=1))
    try:
        assert await privileges.probe_as_app(engine) == []
    finally:
        await engine.dispose()


async def test_the_bind_sets_the_statement_timeout_without_set_config(
    app_conn: asyncpg.Connection, zava_db: SeededDatabase
) -> None:
    async with app_conn.transaction():
        await app_conn.fetchval(
            "SELECT zava_private.set_principal($1, $2, $3)", SEATTLE_MANAGER, zava_db.target.context_key, 1234
        )
        assert await app_conn.fetchval("SHOW statement_timeout") == "1234ms"
    assert await app_conn.fetchval("SHOW statement_timeout") != "1234ms"


async def _store_of(admin: asyncpg.Connection, manager: uuid.UUID) -> object:
    return await admin.fetchval("SELECT store_id FROM retail.stores WHERE rls_user_id = $1", manager)


async def test_the_email_count_oracle_is_refused_and_a_range_count_sees_only_the_callers_store(
    app_conn: asyncpg.Connection, admin_conn: asyncpg.Connection, zava_db: SeededDatabase
) -> None:
    """The extraction technique: an index on customers.email counts the entries a range scan
    visits BEFORE row-level security filters rows, so reading the index's tuples-returned counter
    around ``WHERE email >= $prefix`` bisects another store's e-mail addresses one character at a
    time. The counter is refused; the count the caller may run counts only its own store."""
    index = await admin_conn.fetchval(
        "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
        "WHERE i.indrelid = 'retail.customers'::regclass AND a.attname = 'email' LIMIT 1"
    )
    assert index is not None
    prefix = await admin_conn.fetchval(
        "SELECT left(email, 3) FROM retail.customers WHERE store_id <> $1 ORDER BY email LIMIT 1",
        await _store_of(admin_conn, SEATTLE_MANAGER),
    )
    async with app_conn.transaction():
        await bind(app_conn, zava_db, SEATTLE_MANAGER)
        counted = await app_conn.fetchval("SELECT count(*) FROM retail.customers WHERE email >= $1", prefix)
        for oracle in (
            f"SELECT pg_stat_get_xact_tuples_returned('{index}'::regclass::oid)",
            f"SELECT (('{index}'::regclass)::oid).pg_stat_get_xact_tuples_returned",
            f"SELECT (('{index}'::regclass)::oid).pg_stat_get_xact_tuples_fetched",
            f"SELECT (('{index}'::regclass)::oid).pg_stat_get_tuples_returned",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                async with app_conn.transaction():  # a savepoint: the refusal must not end the bind
                    await app_conn.fetchval(oracle)
    own = await admin_conn.fetchval(
        "SELECT count(*) FROM retail.customers WHERE email >= $1 AND store_id = $2",
        prefix,
        await _store_of(admin_conn, SEATTLE_MANAGER),
    )
    everyone = await admin_conn.fetchval("SELECT count(*) FROM retail.customers WHERE email >= $1", prefix)
    assert counted == own
    assert counted < everyone


# PostgreSQL turns ``x = ANY(array)`` over nine or more elements into a hashed lookup, whose hash
# function is EXECUTE-checked like an operator's; the search tool's stock lookup hit this.
LONG_IN_LISTS = {
    "int": "SELECT count(*) FROM retail.products WHERE product_id = ANY(ARRAY[1,2,3,4,5,6,7,8,9,10,11,12])",
    "text": (
        "SELECT count(*) FROM retail.orders WHERE status IN "
        "('a','b','c','d','e','f','g','h','delivered','shipped','cancelled','returned')"
    ),
    "numeric": "SELECT count(*) FROM retail.products WHERE round(base_price) IN (1,2,3,4,5,6,7,8,9,10,11,12.5)",
    "date": (
        "SELECT count(*) FROM retail.orders WHERE order_date = ANY(SELECT d::date FROM "
        "generate_series(date '2024-01-01', date '2024-01-20', interval '1 day') d)"
    ),
    "uuid": "SELECT count(*) FROM retail.stores WHERE store_id = ANY(ARRAY(SELECT store_id FROM retail.stores))",
}


@pytest.mark.parametrize("query", LONG_IN_LISTS)
async def test_long_in_lists_run_under_the_wall(
    app_conn: asyncpg.Connection, zava_db: SeededDatabase, query: str
) -> None:
    async with app_conn.transaction():
        await bind(app_conn, zava_db, SEATTLE_MANAGER)
        assert await app_conn.fetchval(LONG_IN_LISTS[query]) >= 0
