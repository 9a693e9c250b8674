"""Issues 7, 8 and 14 acceptance: the executor bounds rows and bytes inside PostgreSQL, keeps
parallel plans, and turns conversion failures into coded, audited errors.

Memory cases call the unit of work's ``sales.run`` with a ``CheckedStatement`` directly, so the
statement check (and its static bounds) is bypassed: the wall shown here holds on its own.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from tests.conftest import HEAD_OFFICE, SEATTLE_MANAGER, SeededDatabase
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.bounded_sql import bounded_statement
from zava_core.adapters.sqlalchemy.catalog import EXPOSED_TABLES
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.domain.errors import ResultConversionError
from zava_core.domain.principal import Principal
from zava_core.domain.results import QueryResult
from zava_core.domain.statements import CheckedStatement, QueryLimits
from zava_core.services.concurrency import PrincipalLimiter
from zava_core.services.sales_queries import SalesQueryService
from zava_core.testing.fakes import RecordingAuditLog

pytestmark = pytest.mark.integration

MAX_BYTES = 1_000_000
LIMITS = QueryLimits(max_rows=100, max_result_bytes=MAX_BYTES)
#: The stated budget (docs/decisions.md): the byte cap plus one bounded row, doubled for the
#: JSON form built from them, plus a fixed allowance for the driver and interpreter.
MEMORY_BUDGET = 2 * MAX_BYTES + 64 * 1024 * 1024
HUNDRED_MB = "repeat(repeat('x', 10000), 10000)"


@pytest.fixture
async def uow_factory(zava_db: SeededDatabase) -> AsyncIterator[SqlAlchemyUnitOfWorkFactory]:
    # Generous timeouts: PostgreSQL builds gigabytes for the amplification cases on a busy machine.
    pool = PoolSettings(min_size=1, max_size=1, command_timeout_seconds=600, statement_timeout_ms=600_000)
    engine = create_engine(zava_db.target.app_url, pool)
    yield SqlAlchemyUnitOfWorkFactory(engine, zava_db.target.context_key, 600_000)
    await engine.dispose()


def unchecked(sql: str, kind: str = "select") -> CheckedStatement:
    return CheckedStatement(sql, "", kind, frozenset())


async def run(factory: SqlAlchemyUnitOfWorkFactory, sql: str, limits: QueryLimits = LIMITS) -> QueryResult:
    async with factory(Principal(SEATTLE_MANAGER)) as uow:
        return await uow.sales.run(unchecked(sql), limits)


async def peak_growth(factory: SqlAlchemyUnitOfWorkFactory, sql: str) -> tuple[int, QueryResult]:
    """Python heap growth at its peak while the executor runs ``sql`` (driver buffers included)."""
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = await run(factory, sql)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - base, result


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param(f"SELECT {HUNDRED_MB} AS v FROM generate_series(1, 10)", id="ten_100MB_rows"),
        pytest.param(f"SELECT {HUNDRED_MB} AS v FROM generate_series(1, 20)", id="twenty_100MB_rows"),
        pytest.param("SELECT repeat(repeat('x', 100000), 5000) AS v", id="one_500MB_value"),
        pytest.param("SELECT g, repeat('x', 300000) AS v FROM generate_series(1, 1000) g", id="many_medium_rows"),
        pytest.param(
            "SELECT array_agg(NULL::int) AS v FROM generate_series(1, 7000000)", id="null_array_small_on_disk"
        ),
        pytest.param(
            "SELECT g, (SELECT array_agg(true) FROM generate_series(1, 30000)) AS v FROM generate_series(1, 1000) g",
            id="bool_arrays",
        ),
    ],
)
async def test_amplification_queries_stay_within_the_memory_budget_and_are_cut_by_bytes(
    sql: str, uow_factory: SqlAlchemyUnitOfWorkFactory
) -> None:
    growth, result = await peak_growth(uow_factory, sql)
    assert growth < MEMORY_BUDGET, f"grew {growth / 1e6:.1f} MB, budget {MEMORY_BUDGET / 1e6:.1f} MB"
    assert result.truncated
    assert result.truncated_reason == "max_result_bytes"
    assert result.total_rows is None


async def test_an_oversized_row_never_leaves_postgresql(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    """The row over the budget comes back blanked (every column NULL), then is dropped."""
    sql = bounded_statement("SELECT 1 AS n, repeat('x', 2000000) AS v", 100, MAX_BYTES)
    async with uow_factory(Principal(SEATTLE_MANAGER)) as uow:
        rows = (await uow.connection.exec_driver_sql(sql)).all()
    assert [tuple(r[:2]) for r in rows] == [(None, None)]
    assert rows[0][-1] > MAX_BYTES


async def test_rows_before_the_byte_budget_are_kept_in_order(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    result = await run(uow_factory, "SELECT g, repeat('x', 300000) AS v FROM generate_series(1, 10) g ORDER BY g DESC")
    assert [r[0] for r in result.rows] == [10, 9, 8]
    assert result.truncated_reason == "max_result_bytes"


async def test_the_row_cap_cuts_with_the_truncated_flag(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    limits = QueryLimits(max_rows=5, max_result_bytes=MAX_BYTES)
    cut = await run(uow_factory, "SELECT g FROM generate_series(1, 50) g ORDER BY g DESC", limits)
    assert [r[0] for r in cut.rows] == [50, 49, 48, 47, 46]
    assert (cut.truncated, cut.truncated_reason, cut.total_rows) == (True, "max_rows", None)
    exact = await run(uow_factory, "SELECT g FROM generate_series(1, 5) g", limits)
    assert (exact.truncated, exact.row_count, exact.total_rows) == (False, 5, 5)


@pytest.mark.parametrize(
    ("sql", "names", "rows"),
    [
        ("SELECT 1 AS a, 2 AS a", ["a", "a"], [[1, 2]]),
        ("VALUES (1, 'x'), (2, 'y')", ["column1", "column2"], [[1, "x"], [2, "y"]]),
        ("SELECT 1 AS n UNION ALL SELECT 2 ORDER BY 1 DESC", ["n"], [[2], [1]]),
        ("WITH t(n) AS (SELECT 3) SELECT n, n * 2 AS zava_bytes FROM t", ["n", "zava_bytes"], [[3, 6]]),
        ("SELECT '%s :name $x' AS s -- a trailing comment", ["s"], [["%s :name $x"]]),
        ("SELECT 1 AS n WHERE false", ["n"], []),
    ],
)
async def test_query_shapes_keep_their_columns_and_rows(
    sql: str, names: list[str], rows: list[list[object]], uow_factory: SqlAlchemyUnitOfWorkFactory
) -> None:
    result = await run(uow_factory, sql)
    assert [c.name for c in result.columns] == names
    assert [list(r) for r in result.rows] == rows
    assert not result.truncated


async def test_column_types_come_from_the_result_description(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    result = await run(
        uow_factory, "SELECT 1::int8 AS i, 1.5::numeric AS n, '{\"a\": 1}'::jsonb AS j, ARRAY[1, 2] AS arr"
    )
    assert [c.type for c in result.columns] == ["int8", "numeric", "jsonb", "_int4"]
    assert list(result.rows[0]) == [1, 1.5, {"a": 1}, [1, 2]]


async def test_explain_is_sent_unwrapped(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    async with uow_factory(Principal(SEATTLE_MANAGER)) as uow:
        result = await uow.sales.run(unchecked("EXPLAIN (COSTS OFF) SELECT 1", "explain"), LIMITS)
    assert [c.name for c in result.columns] == ["QUERY PLAN"]
    assert result.rows == [["Result"]]


async def test_the_wrapped_statement_keeps_a_parallel_plan(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    """The exact text the executor sends, explained through the same connection setup; the
    parallel costs are lowered in this transaction so the small test data set gets a parallel plan."""
    model = "SELECT store_id, count(*) AS orders, sum(total_amount) AS revenue FROM retail.order_items GROUP BY 1"
    sent = bounded_statement(model, LIMITS.max_rows, LIMITS.max_result_bytes)
    async with uow_factory(Principal(HEAD_OFFICE)) as uow:
        for setting in ("parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size"):
            await uow.connection.execute(text(f"SET LOCAL {setting} = 0"))
        plan = (await uow.connection.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF) " + sent)).scalars().all()
    launched = [int(line.split(":")[1]) for line in plan if "Workers Launched" in line]
    assert launched, "\n".join(plan)
    assert max(launched) > 0, "\n".join(plan)


async def test_a_result_that_cannot_be_converted_is_a_coded_audited_error(
    uow_factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    audit = RecordingAuditLog()
    service = SalesQueryService(uow_factory, PglastStatementPolicy(EXPOSED_TABLES), LIMITS, PrincipalLimiter(2), audit)
    deep = "SELECT (repeat('[', 5000) || repeat(']', 5000))::jsonb AS deep"
    with pytest.raises(ResultConversionError) as caught:
        await service.execute(Principal(SEATTLE_MANAGER), deep)
    assert caught.value.code == "RESULT_CONVERSION_ERROR"
    assert caught.value.hint
    assert [(e.outcome, e.code) for e in audit.events] == [("error", "RESULT_CONVERSION_ERROR")]
