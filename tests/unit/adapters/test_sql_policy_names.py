"""The statement check resolves names (issue 7): what ``alias.f`` and ``(expr).f`` may mean, which
types a query may name, repeated options, composed size bounds, interval steps and its own cost."""

from __future__ import annotations

import pytest

from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sql_policy.intervals import interval_seconds
from zava_core.adapters.sqlalchemy.catalog import EXPOSED_TABLES
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.domain.errors import QueryRejected

POLICY = PglastStatementPolicy(EXPOSED_COLUMNS)


def rule_of(sql: str, policy: PglastStatementPolicy = POLICY) -> str:
    with pytest.raises(QueryRejected) as caught:
        policy.check(sql)
    assert caught.value.hint
    return caught.value.rule


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT o.order_id, s.store_name FROM retail.orders o JOIN retail.stores s ON s.store_id = o.store_id",
        "SELECT retail.orders.order_id FROM retail.orders",
        "SELECT orders.order_id FROM orders",
        "SELECT (o).order_id, (o.*).status, o, o.* FROM retail.orders o",
        "SELECT x.a, x.b FROM (SELECT 1, 2) x(a, b)",
        "SELECT m.month FROM (SELECT date_trunc('month', order_date) AS month FROM retail.orders) m",
        "SELECT t.date_trunc, t.count FROM (SELECT date_trunc('month', order_date), count(*) FROM orders GROUP BY 1) t",
        "SELECT t.status, t.order_date FROM (SELECT status, order_date::date FROM retail.orders) t",
        "SELECT t.case FROM (SELECT CASE WHEN true THEN 1 END FROM retail.orders) t",
        "SELECT t.total_amount FROM (SELECT CASE WHEN true THEN 1 ELSE o.total_amount END FROM orders o) t",
        "SELECT s.* FROM (SELECT * FROM retail.orders) s WHERE s.status = 'shipped'",
        "SELECT s.store_name FROM (SELECT st.* FROM retail.stores st) s",
        "WITH c(n) AS (SELECT count(*) FROM retail.orders) SELECT c.n FROM c",
        "WITH RECURSIVE m(d) AS (SELECT date '2024-01-01' UNION ALL SELECT (m.d + 1)::date FROM m WHERE m.d < "
        "date '2024-02-01') SELECT m.d FROM m",
        "SELECT u.store_id FROM (SELECT store_id FROM orders UNION SELECT store_id FROM stores) u",
        "SELECT v.column1, v.column2 FROM (VALUES (1, 'a')) v",
        "SELECT g.g, g.ordinality FROM generate_series(1, 3) WITH ORDINALITY g",
        "SELECT e.key, e.value FROM jsonb_each('{}'::jsonb) e",
        "SELECT j.order_id FROM (retail.orders o JOIN retail.stores s USING (store_id)) j",
        "SELECT u.store_id FROM retail.orders o JOIN retail.stores s USING (store_id) AS u",
        "SELECT o.order_id, x.n FROM retail.orders o, LATERAL (SELECT o.total_amount * 2 AS n) x",
        "SELECT o.order_id FROM retail.orders o WHERE EXISTS (SELECT 1 FROM retail.order_items i "
        "WHERE i.order_id = o.order_id)",
        "SELECT count(*) OVER (PARTITION BY o.store_id ORDER BY o.order_date) FROM retail.orders o",
    ],
)
def test_names_that_resolve_to_columns_are_accepted(sql: str) -> None:
    assert POLICY.check(sql).kind == "select"


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("SELECT o.current_setting FROM retail.orders o", "column_not_resolved"),
        ("SELECT x.c FROM (SELECT 1, 2) x(a, b)", "column_not_resolved"),
        ("SELECT orders.order_id FROM retail.orders o", "column_not_resolved"),
        ("SELECT a.b.c.d FROM retail.orders a", "column_not_resolved"),
        ("SELECT n.key FROM retail.orders o NATURAL JOIN retail.order_items n", "column_not_resolved"),
        ("SELECT j.order_id FROM retail.orders o JOIN retail.stores s USING (store_id) AS j", "column_not_resolved"),
        ("SELECT r.y FROM jsonb_to_record('{}') AS r(x int)", "column_not_resolved"),
        ("SELECT (o.status).upper FROM retail.orders o", "field_selection"),
        ("SELECT (status).upper FROM retail.orders", "field_selection"),
        ("SELECT ('a'::text).upper", "field_selection"),
        ("SELECT (ARRAY[ROW(1)])[1].f1", "field_selection"),
        ("SELECT (o).pg_relation_size FROM retail.orders o", "field_selection"),
        ("SELECT (g).g FROM generate_series(1, 2) g", "field_selection"),
    ],
)
def test_names_that_may_be_function_calls_are_refused(sql: str, rule: str) -> None:
    assert rule_of(sql) == rule


def test_a_shadowed_alias_must_have_the_column_wherever_it_may_resolve() -> None:
    # Inside FROM a name may resolve outward; both candidates must have the column.
    sql = "SELECT 1 FROM retail.stores o, (SELECT o.order_id) x, retail.orders o2"
    assert rule_of(sql) == "column_not_resolved"
    POLICY.check("SELECT 1 FROM retail.orders o WHERE o.order_id IN (SELECT o.order_id FROM retail.order_items o)")


def test_tables_given_without_columns_refuse_every_qualified_reference() -> None:
    policy = PglastStatementPolicy(EXPOSED_TABLES)
    policy.check("SELECT order_id FROM retail.orders o")
    assert rule_of("SELECT o.order_id FROM retail.orders o", policy) == "column_not_resolved"


@pytest.mark.parametrize(
    "type_name",
    [
        "int",
        "bigint",
        "numeric(10,2)",
        "double precision",
        "text",
        "varchar(20)",
        "date",
        "timestamptz",
        "interval",
        "boolean",
        "uuid",
        "jsonb",
        "bytea",
        "inet",
        "money",
        "bit(3)",
        "int[]",
        "_int4",
        "tsvector",
        "daterange",
        "vector(3)",
        "public.vector",
    ],
)
def test_analyst_types_are_allowed(type_name: str) -> None:
    POLICY.check(f"SELECT NULL::{type_name}")


@pytest.mark.parametrize(
    "type_name", ["aclitem", "regclass", "_regclass", "regrole", "oid", "xid", "pg_lsn", "xml", "name", "public.text"]
)
def test_types_outside_the_allow_list_are_refused(type_name: str) -> None:
    assert rule_of(f"SELECT NULL::{type_name}") == "type_not_allowed"


@pytest.mark.parametrize(
    "options", ["COSTS OFF, COSTS ON", "costs off, VERBOSE, Costs false", "COSTS OFF, FORMAT JSON, FORMAT TEXT"]
)
def test_repeated_explain_options_are_refused(options: str) -> None:
    assert rule_of(f"EXPLAIN ({options}) SELECT 1") == "duplicate_option"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT repeat('#', 40)",
        "SELECT lpad(s.store_name, 20) FROM retail.stores s",
        "SELECT lpad(o.order_id::text, 10, '0') FROM retail.orders o",
        "SELECT string_agg(s.store_name, ', ') FROM retail.stores s",
        "SELECT repeat('x', 10000) || repeat('y', 10000)",
        "SELECT replace(p.product_name, ' ', '-') FROM retail.products p",
        "SELECT string_agg(format('%s: %s units', p.product_name, i.stock_level), E'\\n') "
        "FROM retail.inventory i JOIN retail.products p USING (product_id)",
    ],
)
def test_ordinary_string_building_passes_the_composed_bound(sql: str) -> None:
    POLICY.check(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT repeat(repeat('x', 10000), 10000)",
        "SELECT repeat(repeat('x', 1000) || repeat('y', 1000), 10000)",
        "SELECT lpad('', 10000, repeat('x', 10000))",
        "SELECT replace(repeat('x', 10000), 'x', repeat('y', 10000))",
        "SELECT concat(repeat(repeat('x', 10000), 2000), 'y')",
        "WITH a AS (SELECT repeat('x', 10000) AS s) SELECT repeat(s, 10000) FROM a",
        "SELECT ''::character(20000000)",
    ],
)
def test_composed_amplification_is_refused(sql: str) -> None:
    assert rule_of(sql) == "value_size_bound"


@pytest.mark.parametrize(
    ("text", "field", "seconds"),
    [
        ("1 us", None, 1e-6),
        ("1 microsecond", None, 1e-6),
        ("PT0.000001S", None, 1e-6),
        ("00:00:00.000001", None, 1e-6),
        ("1", "second", 1.0),
        ("1", "day", 86_400.0),
        ("@ 2 hours ago", None, 7_200.0),
        ("1 month", None, 28 * 86_400.0),
        ("1-2", None, 14 * 28 * 86_400.0),
        ("P0000-00-00T00:00:01", None, 1.0),
    ],
)
def test_interval_spellings_are_measured(text: str, field: str | None, seconds: float) -> None:
    assert interval_seconds(text, field) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["1 fortnight", "soon", "1 month -28 days", ""])
def test_intervals_that_cannot_be_measured_are_reported(text: str) -> None:
    assert interval_seconds(text) is None


def test_series_steps_are_measured_in_every_spelling() -> None:
    span = "timestamp '2024-01-01', timestamp '2024-01-02'"
    for step in [
        "interval '1 hour'",
        "'1 hour'",
        "interval '3600' second",
        "make_interval(hours => 1)",
        "'PT1H'",
        "'01:00:00'",
    ]:
        POLICY.check(f"SELECT * FROM generate_series({span}, {step})")
    for step in ["interval '1 us'", "'1 usec'", "interval '1' second * 0", "make_interval(secs => 0.001)"]:
        assert rule_of(f"SELECT * FROM generate_series({span}, {step})") == "generate_series_bound"
    assert rule_of(f"SELECT * FROM generate_series({span}, interval '1 fortnight')") == "generate_series_step"
    POLICY.check("SELECT * FROM generate_series(now(), now() + interval '1 day', interval '1 hour')")


def test_the_checks_own_cost_is_bounded() -> None:
    assert rule_of("SELECT " + "+".join(["1"] * 5_000)) == "too_complex"
    small = PglastStatementPolicy(EXPOSED_COLUMNS, max_nodes=50)
    assert rule_of("SELECT " + "+".join(["1"] * 100), small) == "too_complex"
    deep = "SELECT * FROM " + "(SELECT * FROM " * 70 + "retail.orders" + ") x" * 70
    assert rule_of(deep, PglastStatementPolicy(EXPOSED_COLUMNS, max_nodes=100_000)) == "too_complex"
