"""The parser-based statement check: what it accepts, what it refuses, and why."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pglast import keywords, parse_sql
from pglast.ast import FuncCall, ResTarget, SelectStmt

from tests.corpus.adversarial import ADVERSARIAL_CASES, CATEGORIES, AdversarialCase
from tests.corpus.analytics import ANALYTICS_CASES, AnalyticsCase
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sql_policy.functions import ALLOWED_FUNCTIONS
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.domain.errors import QueryRejected
from zava_core.ports.statement_policy import StatementPolicy

EXPOSED = EXPOSED_COLUMNS
POLICY: StatementPolicy = PglastStatementPolicy(EXPOSED)
ZERO = "00000000-0000-0000-0000-000000000000"
SAMPLE_STORES = "ARRAY['00000000-0000-0000-0000-000000000001']::uuid[]"


def rule_of(sql: str, policy: StatementPolicy = POLICY) -> str:
    with pytest.raises(QueryRejected) as caught:
        policy.check(sql)
    assert caught.value.message
    assert caught.value.hint
    return caught.value.rule


# --- the shared corpora --------------------------------------------------------------------------

REFUSED = [c for c in ADVERSARIAL_CASES if c.check_refuses]
DB_BOUNDED = [c for c in ADVERSARIAL_CASES if not c.check_refuses]


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_adversarial_case_is_refused_by_the_named_rule(case: AdversarialCase) -> None:
    assert rule_of(case.sql) == case.rule


@pytest.mark.parametrize("case", DB_BOUNDED, ids=lambda c: c.id)
def test_adversarial_case_left_to_the_database_is_accepted(case: AdversarialCase) -> None:
    assert POLICY.check(case.sql).kind == "select"


@pytest.mark.parametrize("case", ANALYTICS_CASES, ids=lambda c: c.id)
def test_analytics_query_is_accepted(case: AnalyticsCase) -> None:
    checked = POLICY.check(case.sql)
    assert checked.kind == ("explain" if case.sql.upper().startswith("EXPLAIN") else "select")
    assert checked.tables <= {f"retail.{t}" for t in EXPOSED["retail"]}


@pytest.mark.parametrize("case", ANALYTICS_CASES, ids=lambda c: c.id)
def test_analytics_reference_parses_once_formatted(case: AnalyticsCase) -> None:
    assert len(parse_sql(case.reference.format(stores=SAMPLE_STORES))) == 1


def test_corpora_are_large_and_cover_every_threat_category() -> None:
    assert len(ADVERSARIAL_CASES) >= 70
    assert len(ANALYTICS_CASES) >= 45
    assert {c.category for c in ADVERSARIAL_CASES} == set(CATEGORIES)
    for category in CATEGORIES:
        assert sum(c.category == category for c in ADVERSARIAL_CASES) >= 5, category
    assert len({c.id for c in ADVERSARIAL_CASES}) == len(ADVERSARIAL_CASES)
    assert len({c.id for c in ANALYTICS_CASES}) == len(ANALYTICS_CASES)
    assert sum(c.check_refuses for c in ADVERSARIAL_CASES) > 0.8 * len(ADVERSARIAL_CASES)


# --- statement shape ------------------------------------------------------------------------------


@pytest.mark.parametrize("sql", ["", "   \n", ";", ";;", "-- only a comment", "/* nothing */ ;"])
def test_empty_statement_is_refused(sql: str) -> None:
    assert rule_of(sql) == "empty_statement"


@pytest.mark.parametrize("sql", ["SELECT 1; SELECT 2", "SELECT 1;SELECT 2;", "COMMIT; DROP TABLE retail.orders"])
def test_more_than_one_statement_is_refused(sql: str) -> None:
    assert rule_of(sql) == "single_statement"


def test_query_longer_than_the_limit_is_refused_before_parsing() -> None:
    policy = PglastStatementPolicy(EXPOSED, max_sql_length=30)
    assert rule_of("SELECT 1 /* padding padding padding */", policy) == "too_long"
    assert policy.check("SELECT 1").sql == "SELECT 1"


def test_syntax_error_carries_postgres_message_and_cursor_position() -> None:
    with pytest.raises(QueryRejected) as caught:
        POLICY.check("SELECT FROM FROM")
    assert caught.value.rule == "syntax_error"
    assert 'syntax error at or near "FROM"' in caught.value.message
    assert "character 13" in caught.value.message


def test_syntax_error_message_does_not_echo_a_long_literal() -> None:
    with pytest.raises(QueryRejected) as caught:
        POLICY.check("SELECT '" + "secret " * 500)
    assert caught.value.rule == "syntax_error"
    assert len(caught.value.message) < 300


def test_nul_character_is_refused_because_the_parser_would_stop_at_it() -> None:
    assert rule_of("SELECT 1\x00; DROP TABLE retail.orders") == "syntax_error"


@pytest.mark.parametrize(
    "sql",
    ["SET search_path = public", "SHOW zava.principal", "BEGIN", "VACUUM retail.orders", "NOTIFY zava", "EXECUTE p"],
)
def test_utility_statements_are_refused_as_not_read_only(sql: str) -> None:
    assert rule_of(sql) == "not_read_only"


@pytest.mark.parametrize(
    "sql",
    [
        "EXPLAIN ANALYZE SELECT 1",
        "EXPLAIN ANALYSE SELECT 1",
        "EXPLAIN (ANALYZE) SELECT 1",
        "EXPLAIN (analyse on, costs off) SELECT 1",
        "EXPLAIN (ANALYZE false) SELECT 1",
    ],
)
def test_explain_analyze_is_refused_in_every_spelling(sql: str) -> None:
    assert rule_of(sql) == "explain_analyze"


def test_explain_options_that_need_analyze_are_refused() -> None:
    assert rule_of("EXPLAIN (WAL) SELECT 1") == "explain_option"
    assert rule_of("EXPLAIN (TIMING) SELECT 1") == "explain_option"


def test_explain_of_a_select_is_accepted_as_kind_explain() -> None:
    checked = POLICY.check("EXPLAIN (VERBOSE, COSTS false, FORMAT JSON) SELECT count(*) FROM orders")
    assert checked.kind == "explain"
    assert checked.tables == {"retail.orders"}


def test_explain_of_a_write_is_refused() -> None:
    assert rule_of("EXPLAIN INSERT INTO retail.orders DEFAULT VALUES") == "not_read_only"


def test_values_and_set_operations_are_read_queries() -> None:
    assert POLICY.check("VALUES (1), (2)").kind == "select"
    checked = POLICY.check("SELECT order_id FROM orders INTERSECT SELECT order_id FROM order_items EXCEPT SELECT 1")
    assert checked.tables == {"retail.orders", "retail.order_items"}


# --- returned statement ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("  SELECT 1 ;  ;\n", "SELECT 1"),
        ("SELECT 1;", "SELECT 1"),
        ("\n\tSELECT 'a;b' AS x\n", "SELECT 'a;b' AS x"),
        ("SELECT /* kept */ 1", "SELECT /* kept */ 1"),
        ("-- why\nSELECT 1 -- trailing\n", "SELECT 1"),
        ("SELECT $$;$$;", "SELECT $$;$$"),
    ],
)
def test_returned_sql_is_the_original_text_without_trailing_semicolons(sql: str, expected: str) -> None:
    checked = POLICY.check(sql)
    assert checked.sql == expected
    assert not checked.sql.endswith(";")


def test_returned_sql_equals_the_stripped_input_when_there_are_no_comments() -> None:
    sql = "  select o.order_id FROM retail.orders o WHERE o.status = 'x'  ;  "
    assert POLICY.check(sql).sql == sql.strip().rstrip(";").strip()


def test_fingerprint_ignores_constants_but_not_shape() -> None:
    a = POLICY.check("SELECT * FROM retail.orders WHERE store_id = 'a' LIMIT 5").fingerprint
    b = POLICY.check("select * from retail.orders where store_id = 'b' limit 10;").fingerprint
    c = POLICY.check("SELECT * FROM retail.orders WHERE status = 'a' LIMIT 5").fingerprint
    assert a == b
    assert a != c


def test_tables_lists_every_exposed_table_read_but_no_cte() -> None:
    checked = POLICY.check(
        "WITH big AS (SELECT * FROM orders WHERE total_amount > 100) "
        "SELECT s.store_name FROM big JOIN Retail.Stores s USING (store_id) "
        "WHERE EXISTS (SELECT 1 FROM retail.order_items oi WHERE oi.order_id = big.order_id)"
    )
    assert checked.tables == {"retail.orders", "retail.stores", "retail.order_items"}


# --- functions ------------------------------------------------------------------------------------


def test_refused_function_is_named_and_the_hint_teaches() -> None:
    with pytest.raises(QueryRejected) as caught:
        POLICY.check("SELECT pg_sleep(1)")
    assert caught.value.rule == "function_not_allowed"
    assert caught.value.message == "Function pg_sleep is not allowed in queries."
    assert "aggregates" in (caught.value.hint or "")


def test_pglast_decodes_unicode_escaped_and_quoted_identifiers() -> None:
    for sql in [r'SELECT U&"\0073et_config"()', 'SELECT "set_config"()', "SELECT SET_CONFIG/**/()"]:
        stmt = parse_sql(sql)[0].stmt
        assert isinstance(stmt, SelectStmt)
        target = stmt.targetList[0] if stmt.targetList else None
        assert isinstance(target, ResTarget)
        assert isinstance(target.val, FuncCall)
        assert [part.sval for part in target.val.funcname or ()] == ["set_config"]


def test_unicode_escaped_allowed_function_is_decoded_and_accepted() -> None:
    POLICY.check(r'SELECT U&"\0063ount"(*) FROM orders')
    POLICY.check('SELECT "count"(*), "COUNT"(*) FROM orders')


def test_set_config_is_refused_inside_a_lateral_subquery() -> None:
    assert rule_of(f"SELECT * FROM orders o, LATERAL (SELECT set_config('zava.principal', '{ZERO}', true)) s") == (
        "function_not_allowed"
    )


def test_set_config_is_refused_with_unicode_escape_and_custom_escape_character() -> None:
    assert rule_of("""SELECT U&"!0073et_config" UESCAPE '!'('a', 'b', true)""") == "function_not_allowed"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT pg_catalog.count(*) FROM orders",
        "SELECT PG_CATALOG.lower('A')",
        "SELECT public.cosine_distance(description_embedding, description_embedding) "
        "FROM product_description_embeddings",
        "SELECT l2_distance(description_embedding, description_embedding) FROM product_description_embeddings",
    ],
)
def test_allowed_function_may_be_qualified_with_its_own_schema(sql: str) -> None:
    POLICY.check(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT public.count(*) FROM orders",
        "SELECT retail.lower('A')",
        "SELECT zava_private.visible_store_ids()",
        "SELECT pg_catalog.cosine_distance(description_embedding, description_embedding) "
        "FROM product_description_embeddings",
        "SELECT zava.pg_catalog.count(*) FROM orders",
    ],
)
def test_function_in_a_foreign_schema_is_refused(sql: str) -> None:
    assert rule_of(sql) == "function_not_allowed"


def test_clock_is_allowed_but_identity_value_functions_are_refused() -> None:
    POLICY.check("SELECT current_date, current_timestamp, localtimestamp(0), now()")
    for name in ["current_user", "session_user", "current_role", "user", "current_schema", "current_catalog"]:
        assert rule_of(f"SELECT {name}") == "function_not_allowed"


@pytest.mark.parametrize("name", ["setseed", "clock_timestamp", "version", "factorial", "pg_typeof"])
def test_nondeterministic_stateful_and_reflective_functions_are_refused(name: str) -> None:
    assert rule_of(f"SELECT {name}(1)") == "function_not_allowed"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT xmlelement(name a)",
        "SELECT xmlparse(document '<a/>')",
        "SELECT xmlserialize(content '<a/>'::text AS text)",
        "SELECT * FROM XMLTABLE('/a' PASSING '<a/>' COLUMNS x int PATH '.') t",
    ],
)
def test_xml_processing_is_refused(sql: str) -> None:
    assert rule_of(sql) == "function_not_allowed"


def test_sql_syntax_functions_are_recognised_as_their_catalog_functions() -> None:
    POLICY.check(
        "SELECT extract(year FROM order_date), substring(status FROM 1 FOR 2), position('a' IN status), "
        "trim(both ' ' FROM status), status SIMILAR TO 'a%', status LIKE 'a!%' ESCAPE '!', "
        "created_at AT TIME ZONE 'UTC', coalesce(status, ''), nullif(status, ''), greatest(1, 2), "
        "(order_date, order_date) OVERLAPS (order_date, order_date) FROM orders"
    )


# --- generate_series and string builders ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    ["1, 100000", "0, 1, 0.001", "10, 1, -1", "1, 10, -1", "-5, 5", "1::bigint, '100'::int", "2, 20, 2"],
)
def test_generate_series_with_small_constant_bounds_is_accepted(args: str) -> None:
    POLICY.check(f"SELECT * FROM generate_series({args})")


@pytest.mark.parametrize(
    "args",
    [
        "1, 100001",
        "1, 1e12",
        "1, 10, 0",
        "-100000, 1",
        "1, 'infinity'::numeric",
        "start => 1, stop => 2",
        "1",
        "timestamp '2000-01-01', timestamp '2100-01-01', interval '1 hour'",
        "'2000-01-01', '2100-01-01', '1 second'::interval",
        "'2024-01-01T00:00:00+02:00'::timestamptz, '2024-12-31'::timestamptz, '1 minute'",
    ],
)
def test_generate_series_beyond_the_bound_or_not_constant_is_refused(args: str) -> None:
    assert rule_of(f"SELECT * FROM generate_series({args})") == "generate_series_bound"


@pytest.mark.parametrize(
    "args",
    [
        "date '2024-01-01', date '2024-12-01', interval '1 month'",
        "'2024-01-01'::timestamptz, '2024-01-31'::timestamptz, '1 day'::interval",
        "'2024-01-01'::date, '2024-12-31'::date, '1 week'",
        "min(order_date), max(order_date), interval '1 day'",
        "timestamp '2024-01-01', timestamp '2024-01-02', make_interval(hours => 1)",
    ],
)
def test_generate_series_calendar_is_accepted(args: str) -> None:
    POLICY.check(f"SELECT g FROM orders, generate_series({args}) AS g GROUP BY g")


@pytest.mark.parametrize(
    "args", ["1, (SELECT count(*) FROM orders)", "1, order_id::int", "1, 10 * 2", "order_id::int, 100, 2"]
)
def test_generate_series_with_a_computed_bound_runs_under_the_runtime_limits(args: str) -> None:
    """Rows are bounded while the query runs (temp_file_limit, timeout, row cap), not by the check."""
    POLICY.check(f"SELECT g FROM orders, generate_series({args}) AS g")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT repeat('#', LEAST(order_id::int, 60)) FROM orders",
        "SELECT repeat('x', 10001)",
        "SELECT lpad(status, CASE WHEN order_id IS NULL THEN 5 ELSE 12 END) FROM orders",
        "SELECT rpad(status, 10 * 2) FROM orders",
    ],
)
def test_string_builders_with_a_provable_bound_are_accepted(sql: str) -> None:
    POLICY.check(sql)


def test_generate_series_bound_is_configurable() -> None:
    policy = PglastStatementPolicy(EXPOSED, max_generate_series_rows=10)
    policy.check("SELECT generate_series(1, 10)")
    assert rule_of("SELECT generate_series(1, 11)", policy) == "generate_series_bound"
    assert rule_of("SELECT generate_series(date '2024-01-01', date '2024-12-01', interval '1 month')", policy) == (
        "generate_series_bound"
    )


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT repeat('-', 10000)",
        "SELECT lpad(order_id::text, 10, '0'), rpad(status, 12) FROM orders",
        "SELECT format('%s has %-10s and %1$s', status, order_id) FROM orders",
    ],
)
def test_string_builders_with_small_constant_sizes_are_accepted(sql: str) -> None:
    POLICY.check(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT repeat('x', 10000001)",
        "SELECT repeat('x', order_id::int) FROM orders",
        "SELECT repeat('x', greatest(order_id::int, 5)) FROM orders",
        "SELECT lpad('x', 1e9::int)",
        "SELECT rpad('x')",
        "SELECT format('%20000s', 'x')",
        "SELECT format('%*s', 5, 'x')",
        "SELECT format(status, 1) FROM orders",
    ],
)
def test_string_builders_with_large_or_computed_sizes_are_refused(sql: str) -> None:
    assert rule_of(sql) == "string_size_bound"


# --- relations and scopes --------------------------------------------------------------------------


def test_unqualified_and_case_folded_names_resolve_to_the_exposed_schema() -> None:
    checked = POLICY.check('SELECT 1 FROM orders, RETAIL.STORES, "retail"."customers", ONLY products')
    assert checked.tables == {"retail.orders", "retail.stores", "retail.customers", "retail.products"}


def test_relation_refusal_lists_the_exposed_tables() -> None:
    with pytest.raises(QueryRejected) as caught:
        POLICY.check("SELECT * FROM retail.principals")
    assert caught.value.rule == "relation_not_allowed"
    assert "retail.principals" in caught.value.message
    assert "retail.orders" in (caught.value.hint or "")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM pg_class",
        "SELECT * FROM information_schema.columns",
        "SELECT * FROM zava_private.principal_contexts",
        "SELECT * FROM public.orders",
        "SELECT * FROM retail.principal_stores",
        "SELECT * FROM retail.orders TABLESAMPLE BERNOULLI (10), pg_roles",
    ],
)
def test_relations_outside_the_exposed_tables_are_refused(sql: str) -> None:
    assert rule_of(sql) == "relation_not_allowed"


def test_no_exposed_tables_means_no_table_is_readable() -> None:
    policy = PglastStatementPolicy({})
    assert rule_of("SELECT * FROM orders", policy) == "relation_not_allowed"
    policy.check("SELECT 1")


@pytest.mark.parametrize(
    "sql",
    [
        "WITH pg_class AS (SELECT 1 AS x) SELECT * FROM pg_class",
        "WITH a AS (SELECT 1 AS n), b AS (SELECT * FROM a) SELECT * FROM b",
        "WITH a AS (SELECT 1 AS n) SELECT * FROM a UNION SELECT * FROM a",
        "WITH a AS (SELECT 1 AS n) SELECT (SELECT n FROM a), (SELECT count(*) FROM (SELECT * FROM a) s)",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r",
        "WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT 1 AS n) SELECT * FROM a",
        "WITH x AS (SELECT 1) SELECT * FROM (WITH y AS (SELECT * FROM x) SELECT * FROM y) z",
    ],
)
def test_cte_names_are_readable_where_postgres_has_them_in_scope(sql: str) -> None:
    assert POLICY.check(sql).tables == frozenset()


def test_schema_qualified_name_never_resolves_to_a_cte() -> None:
    assert POLICY.check("WITH orders AS (SELECT 1) SELECT * FROM retail.orders").tables == {"retail.orders"}
    assert rule_of("WITH x AS (SELECT 1) SELECT * FROM retail.x") == "relation_not_allowed"


def test_cte_of_a_sibling_subquery_is_out_of_scope() -> None:
    sql = "SELECT * FROM (WITH pg_roles AS (SELECT 1) SELECT * FROM pg_roles) a, (SELECT * FROM pg_roles) b"
    assert rule_of(sql) == "relation_not_allowed"


@pytest.mark.parametrize("column", ["xmin", "xmax", "cmin", "cmax", "ctid", "tableoid", "o.ctid", 'o."xmin"'])
def test_system_columns_are_refused(column: str) -> None:
    assert rule_of(f"SELECT {column} FROM orders o") == "system_column"


def test_tablesample_allows_only_the_builtin_methods() -> None:
    POLICY.check("SELECT count(*) FROM orders TABLESAMPLE BERNOULLI (10) REPEATABLE (42)")
    POLICY.check("SELECT count(*) FROM orders TABLESAMPLE SYSTEM (5)")
    assert rule_of("SELECT count(*) FROM orders TABLESAMPLE system_rows (5)") == "tablesample_not_allowed"


# --- writes hidden in a read ----------------------------------------------------------------------


def test_data_modifying_cte_is_refused_at_any_depth() -> None:
    sql = (
        "SELECT * FROM orders WHERE order_id IN (SELECT * FROM (WITH d AS "
        "(UPDATE retail.orders SET status = 'x' RETURNING order_id) SELECT * FROM d) s)"
    )
    assert rule_of(sql) == "data_modifying_cte"


def test_locking_clause_is_refused_inside_a_cte() -> None:
    assert rule_of("WITH l AS (SELECT * FROM orders FOR UPDATE) SELECT count(*) FROM l") == "locking_clause"


def test_locking_clause_is_refused_inside_a_sublink() -> None:
    assert rule_of("SELECT EXISTS (SELECT 1 FROM orders FOR SHARE)") == "locking_clause"


def test_select_into_is_refused() -> None:
    assert rule_of("SELECT order_id INTO TEMPORARY TABLE t FROM orders") == "select_into"


# --- types, operators, parameters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 'pg_class'::regclass",
        "SELECT 'pg_sleep'::regproc",
        "SELECT 'pg_sleep(float8)'::regprocedure",
        "SELECT 'pg_catalog'::regnamespace",
        "SELECT 'postgres'::regrole",
        "SELECT 'int4'::regtype",
        "SELECT CAST('pg_class' AS pg_catalog.regclass)",
        "SELECT '{pg_class}'::_regclass",
        "SELECT 'x'::\"RegClass\"",
        "SELECT '<a/>'::xml",
        "SELECT 1::retail.some_domain",
        "SELECT 1::zava_private.ctx",
        "SELECT * FROM ROWS FROM (jsonb_each('{}'::jsonb)) AS t(k regclass, v jsonb)",
        "SELECT JSON_VALUE('{}'::jsonb, '$.a' RETURNING regclass)",
    ],
)
def test_reflective_and_foreign_types_are_refused(sql: str) -> None:
    assert rule_of(sql) == "type_not_allowed"


def test_ordinary_casts_are_accepted() -> None:
    POLICY.check(
        "SELECT order_id::text, CAST(total_amount AS double precision), order_date::timestamptz, "
        "'[1,2]'::vector, '[1,2]'::public.vector, '1'::pg_catalog.int4, ARRAY[1]::int[], '{}'::jsonb FROM orders"
    )


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 OPERATOR(zava_private.+) 1",
        "SELECT order_id FROM orders WHERE order_id OPERATOR(evil.=) ANY (SELECT 1)",
        "SELECT order_id FROM orders ORDER BY order_id USING OPERATOR(evil.<)",
    ],
)
def test_operator_from_a_foreign_schema_is_refused(sql: str) -> None:
    assert rule_of(sql) == "operator_not_allowed"


def test_builtin_and_pgvector_operators_are_accepted() -> None:
    POLICY.check(
        "SELECT a.description_embedding <=> b.description_embedding, a.description_embedding <-> "
        "b.description_embedding, a.description_embedding <#> b.description_embedding, "
        "1 OPERATOR(pg_catalog.+) 1, a.description_embedding OPERATOR(public.<+>) b.description_embedding "
        "FROM product_description_embeddings a, product_description_embeddings b"
    )


def test_query_parameters_are_refused() -> None:
    assert rule_of("SELECT * FROM orders WHERE order_id = $1") == "parameter_not_allowed"


def test_grammar_outside_the_node_allow_list_is_refused() -> None:
    assert rule_of("SELECT merge_action()") == "unsupported_syntax"


def test_deeply_nested_query_is_checked_without_recursion_errors() -> None:
    depth = 4000
    roomy = PglastStatementPolicy(EXPOSED, max_nodes=100_000)
    roomy.check("SELECT " + "(" * depth + "1" + ")" * depth)
    assert rule_of("SELECT " + "(" * depth + "pg_sleep(1)" + ")" * depth, roomy) == "function_not_allowed"
    assert rule_of("SELECT 1" + " + (SELECT 1" * 1000 + " + pg_sleep(1)" + ")" * 1000, roomy) == "function_not_allowed"
    # Parentheses leave no node behind: cheap to parse, so within the default budget.
    POLICY.check("SELECT " + "(" * depth + "1" + ")" * depth)
    assert rule_of("SELECT " + "abs(" * 3_000 + "1" + ")" * 3_000) == "too_complex"


def test_constructor_normalises_names_and_validates_limits() -> None:
    policy = PglastStatementPolicy({"Retail": {"Orders"}})
    assert policy.check("SELECT * FROM orders").tables == {"retail.orders"}
    with pytest.raises(ValueError, match="positive"):
        PglastStatementPolicy(EXPOSED, max_sql_length=0)
    with pytest.raises(ValueError, match="positive"):
        PglastStatementPolicy(EXPOSED, max_generate_series_rows=0)
    with pytest.raises(TypeError, match="collection"):
        PglastStatementPolicy({"retail": "orders"})


# --- property ---------------------------------------------------------------------------------------

FORBIDDEN = [
    "set_config",
    "current_setting",
    "pg_sleep",
    "pg_sleep_for",
    "pg_read_file",
    "pg_read_binary_file",
    "pg_ls_dir",
    "pg_stat_file",
    "lo_import",
    "lo_export",
    "lo_get",
    "dblink",
    "dblink_exec",
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_stat_reset",
    "pg_reload_conf",
    "nextval",
    "setval",
    "currval",
    "pg_advisory_lock",
    "pg_try_advisory_lock",
    "pg_advisory_xact_lock",
    "txid_current",
    "pg_current_xact_id",
    "query_to_xml",
    "xpath",
    "pg_notify",
    "pg_switch_wal",
    "pg_logical_emit_message",
    "setseed",
    "version",
    "pg_backend_pid",
    "has_table_privilege",
    "visible_store_ids",
    "set_principal",
]
PLACEMENTS = (
    "SELECT {f}(1) FROM retail.orders",
    "SELECT * FROM {f}(1) AS t",
    "SELECT * FROM retail.orders WHERE {f}(1) IS NOT NULL",
    "WITH c AS (SELECT {f}(1) AS x) SELECT * FROM c",
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE {f}(n) IS NULL) SELECT * FROM c",
    "SELECT * FROM retail.orders o, LATERAL (SELECT {f}(1)) s",
    "SELECT * FROM retail.orders o CROSS JOIN LATERAL {f}(o.order_id) AS s",
    "SELECT (SELECT {f}(1))",
    "SELECT * FROM ROWS FROM (generate_series(1, 2), {f}(1)) AS r(a, b)",
    "VALUES (1), ({f}(1))",
    "EXPLAIN SELECT {f}(1)",
    "SELECT count(*) FILTER (WHERE {f}(1) IS NULL) FROM retail.orders",
    "SELECT row_number() OVER (ORDER BY {f}(1)) FROM retail.orders",
    "SELECT sum(order_id) OVER w FROM retail.orders WINDOW w AS (PARTITION BY {f}(1))",
    "SELECT CASE WHEN true THEN {f}(1) END",
    "SELECT o.order_id FROM retail.orders o JOIN retail.stores s ON {f}(1) IS NULL",
    "SELECT CAST({f}(1) AS text)",
    "SELECT count(*) FROM retail.orders GROUP BY status HAVING {f}(1) IS NULL",
    "SELECT 1 ORDER BY {f}(1)",
    "SELECT order_id FROM retail.orders LIMIT {f}(1)",
    "SELECT DISTINCT ON ({f}(1)) order_id FROM retail.orders",
    "SELECT ARRAY[{f}(1)], coalesce({f}(2), 1)",
    "SELECT 1 UNION SELECT {f}(1)",
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM retail.orders WHERE order_id IN (SELECT {f}(1)))",
    "SELECT string_agg(status, ',' ORDER BY {f}(1)) FROM retail.orders",
)


def _spell(name: str, case: str, quoting: str) -> str:
    cased = {
        "lower": name,
        "upper": name.upper(),
        "mixed": "".join(ch.upper() if i % 2 else ch for i, ch in enumerate(name)),
    }[case]
    if quoting == "quoted":
        return f'"{cased}"'
    if quoting == "unicode":
        return 'U&"' + "".join(f"\\{ord(ch):04x}" for ch in cased) + '"'
    return cased


@st.composite
def forbidden_calls(draw: st.DrawFn) -> str:
    name = _spell(
        draw(st.sampled_from(FORBIDDEN)),
        draw(st.sampled_from(["lower", "upper", "mixed"])),
        draw(st.sampled_from(["bare", "quoted", "unicode"])),
    )
    schema = draw(st.sampled_from(["", "pg_catalog.", '"pg_catalog".', "PG_CATALOG.", "zava_private.", "public."]))
    gap = draw(st.sampled_from(["", " ", "/**/", " -- c\n"]))
    return draw(st.sampled_from(PLACEMENTS)).format(f=f"{schema}{name}{gap}")


@settings(max_examples=300, deadline=None)
@given(forbidden_calls())
def test_forbidden_function_is_refused_in_any_spelling_and_placement(sql: str) -> None:
    """Whatever the casing, quoting, schema, comments or position, a forbidden call never passes."""
    with pytest.raises(QueryRejected):
        POLICY.check(sql)


_NOT_CALLABLE_BARE = keywords.RESERVED_KEYWORDS | keywords.COL_NAME_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(r"[a-z_][a-z0-9_]{0,30}", fullmatch=True).filter(
        lambda n: n not in ALLOWED_FUNCTIONS and n not in _NOT_CALLABLE_BARE
    ),
    st.sampled_from(PLACEMENTS),
)
def test_any_function_off_the_allow_list_is_refused(name: str, placement: str) -> None:
    """The allow-list is closed: an unknown name is refused wherever it is called."""
    with pytest.raises(QueryRejected):
        POLICY.check(placement.format(f=name))


@pytest.mark.parametrize(
    "sql",
    [
        "EXPLAIN SELECT count(*) FROM retail.orders WHERE store_id = '6ba7b810-9dad-11d1-80b4-00c04fd430c8'",
        "EXPLAIN (COSTS ON) SELECT * FROM retail.orders",
        "EXPLAIN (COSTS) SELECT * FROM retail.orders",
        "explain (format json) select * from retail.customers",
    ],
)
def test_explain_with_costs_is_refused_because_estimates_span_every_store(sql: str) -> None:
    assert rule_of(sql) == "explain_costs"


@pytest.mark.parametrize("costs", ["OFF", "false", "0", "FALSE"])
def test_explain_with_costs_off_is_accepted(costs: str) -> None:
    assert POLICY.check(f"EXPLAIN (COSTS {costs}) SELECT * FROM retail.orders").kind == "explain"


def test_types_the_wall_withholds_are_types_the_walker_refuses() -> None:
    """The wall grants operator and cast support for every type but a few; each of those must
    be refused by the walker too, or the two walls would disagree about one list."""
    from zava_core.adapters.sql_policy.functions import ALLOWED_TYPES, WALL_WITHHELD_TYPES  # noqa: PLC0415

    assert WALL_WITHHELD_TYPES.isdisjoint(ALLOWED_TYPES)
