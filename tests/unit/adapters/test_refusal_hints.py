"""Issue 12: every refusal's hint leads somewhere — to a query or tool that is accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.corpus.adversarial import ADVERSARIAL_CASES
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.domain.errors import QueryRejected

POLICY = PglastStatementPolicy(EXPOSED_COLUMNS, max_sql_length=20_000)
_SOURCES = Path(__file__).parents[3] / "zava_core" / "adapters" / "sql_policy"
_TOOLS = ("get_multiple_table_schemas", "get_current_utc_date", "semantic_search_products")
# Something to write: a call, a clause or statement keyword, or a tool.
_ACTIONABLE = re.compile(r"\w+\s?\(|\b(SELECT|EXPLAIN|WITH|FROM|TABLESAMPLE|LIMIT|alias\.column)\b|" + "|".join(_TOOLS))

#: One query per rule the check can raise, beyond those the adversarial corpus already raises.
EXTRA = [
    "",
    "SELECT 1; SELECT 2",
    "SELEC 1",
    "SELECT 1 FROM " + "x" * 20_001,
    "INSERT INTO retail.orders DEFAULT VALUES",
    "EXPLAIN ANALYZE SELECT 1",
    "EXPLAIN (WAL) SELECT 1",
    "EXPLAIN SELECT 1",
    "EXPLAIN (COSTS OFF, COSTS ON) SELECT 1",
    "SELECT * FROM information_schema.columns",
    "SELECT * FROM pg_catalog.pg_class",
    "SELECT * FROM retail.secret",
    "SELECT clock_timestamp()",
    "SELECT version()",
    "SELECT $1",
    "SELECT merge_action()",
    "SELECT 1::regclass",
    "SELECT xmin FROM retail.orders",
    "SELECT o.nope FROM retail.orders o",
    "SELECT (o.status).upper FROM retail.orders o",
    "SELECT 1 OPERATOR(retail.+) 1",
    "SELECT * FROM retail.orders TABLESAMPLE foo (1)",
    "SELECT 1 FROM retail.orders FOR UPDATE",
    "SELECT 1 INTO t",
    "WITH d AS (DELETE FROM retail.orders RETURNING 1) SELECT * FROM d",
    "SELECT repeat(repeat('x', 10000), 10000)",
    "SELECT generate_series(1, 1000000000)",
    "SELECT repeat('x', order_id::int) FROM retail.orders",
    "SELECT format('%99999s', 'x')",
    "SELECT * FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', interval '1 fortnight')",
]


def _refusal(sql: str) -> QueryRejected:
    with pytest.raises(QueryRejected) as info:
        POLICY.check(sql)
    return info.value


REFUSALS = [c.sql for c in ADVERSARIAL_CASES if c.check_refuses] + EXTRA


def test_every_rule_of_the_check_is_exercised_here() -> None:
    """A new rule must come with a case here, so its hint is held to the same standard."""
    source = "\n".join(p.read_text() for p in _SOURCES.glob("*.py"))
    rules = set(re.findall(r'refuse\(\s*"([a-z_]+)"', source))
    rules |= {"function_not_allowed", "relation_not_allowed", "column_not_resolved", "field_selection"}
    seen = {_refusal(sql).rule for sql in REFUSALS}
    assert rules <= seen, f"rules without a case: {sorted(rules - seen)}"


@pytest.mark.parametrize("sql", REFUSALS, ids=lambda s: s[:60])
def test_every_refusal_has_an_actionable_hint(sql: str) -> None:
    error = _refusal(sql)
    assert error.hint, f"{error.rule} has no hint"
    assert _ACTIONABLE.search(error.hint), f"{error.rule}: hint names nothing to write: {error.hint}"


@pytest.mark.parametrize(
    ("sql", "suggested"),
    [
        ("EXPLAIN ANALYZE SELECT 1", "EXPLAIN (COSTS OFF) SELECT"),
        ("EXPLAIN SELECT 1", "EXPLAIN (COSTS OFF) SELECT"),
        ("SELECT * FROM information_schema.columns", "get_multiple_table_schemas"),
        ("SELECT setseed(0.5)", "TABLESAMPLE BERNOULLI"),
        ("SELECT repeat('x', order_id::int) FROM retail.orders", "LEAST(n, 60)"),
    ],
)
def test_hints_name_what_is_accepted(sql: str, suggested: str) -> None:
    assert suggested in (_refusal(sql).hint or "")


def test_the_suggested_queries_are_accepted() -> None:
    POLICY.check("EXPLAIN (COSTS OFF) SELECT order_id FROM retail.orders")
    POLICY.check("SELECT order_id FROM retail.orders TABLESAMPLE BERNOULLI (10) REPEATABLE (42)")
    POLICY.check("SELECT order_id FROM retail.orders ORDER BY random() LIMIT 5")
    POLICY.check("SELECT repeat('#', LEAST(order_id::text::int, 60)) FROM retail.orders")
    POLICY.check("SELECT now(), date_trunc('month', order_date), to_tsvector('english', status) FROM retail.orders")
