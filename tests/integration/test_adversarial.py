"""Issue 3 acceptance: the adversarial corpus, for a store manager, a regional manager and a user
with no access. No case writes, no case returns another store's row, no case leaves a setting
behind on the pooled connection — through the tool, and again with the statement check skipped
so that the database's own layers are shown to hold by themselves."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from mcp import Client

from tests.conftest import NO_ACCESS_USER, SEATTLE_MANAGER, SeededDatabase, make_settings
from tests.corpus.adversarial import ADVERSARIAL_CASES, AdversarialCase
from tests.helpers import result_payload, tool_text
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.dataset.generator import REGIONAL_MANAGER_USER_ID
from zava_core.domain.errors import ZavaError
from zava_core.domain.principal import Principal
from zava_core.domain.statements import CheckedStatement, QueryLimits
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.identity import StaticIdentity
from zava_mcp_adapter.server import build_server, lifespan_for

pytestmark = pytest.mark.integration

PRINCIPALS = {
    "store_manager": SEATTLE_MANAGER,
    "regional_manager": REGIONAL_MANAGER_USER_ID,
    "no_access": NO_ACCESS_USER,
}
TIMEOUT_MS = 2_000
SCOPE_PROBE = CheckedStatement("SELECT DISTINCT store_id::text FROM retail.orders", "", "select", frozenset())
LIMITS = QueryLimits(max_rows=200, max_result_bytes=200_000)


async def fingerprint(admin: asyncpg.Connection) -> list[Any]:
    """Every row of every table (as a hash sum), the roles and their settings: what a write,
    a grant or a lasting setting would change."""
    tables = await admin.fetch(
        "SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname IN ('retail', 'zava_private') AND c.relkind = 'r' ORDER BY 1"
    )
    sums = [
        tuple(await admin.fetchrow(f"SELECT count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM {r['name']} t"))
        for r in tables
    ]
    roles = await admin.fetch(
        "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname LIKE 'zava%' ORDER BY 1"
    )
    settings = await admin.fetch("SELECT setrole, setconfig FROM pg_db_role_setting ORDER BY 1")
    acl = await admin.fetch(
        "SELECT relname, relacl::text FROM pg_class WHERE relnamespace = 'retail'::regnamespace ORDER BY 1"
    )
    return [
        [r["name"] for r in tables],
        sums,
        [tuple(r) for r in roles],
        [tuple(r) for r in settings],
        [tuple(r) for r in acl],
    ]


async def visible_and_hidden(admin: asyncpg.Connection, user: uuid.UUID) -> tuple[set[str], set[str]]:
    """Identifying strings (store ids and names) of the stores ``user`` may and may not see."""
    rows = await admin.fetch(
        """
        SELECT s.store_id::text AS id, s.store_name,
               (s.rls_user_id = $1 OR EXISTS (
                   SELECT 1 FROM retail.principal_stores p WHERE p.user_id = $1 AND p.store_id = s.store_id
               )) AS visible
        FROM retail.stores s
        """,
        user,
    )
    visible = {v for r in rows if r["visible"] for v in (r["id"], r["store_name"])}
    hidden = {v for r in rows if not r["visible"] for v in (r["id"], r["store_name"])}
    return visible, hidden


def leaked(values: Any, hidden: set[str]) -> list[str]:
    text_ = repr(values)
    return [h for h in hidden if h in text_]


@asynccontextmanager
async def tool_client(db: SeededDatabase, user: uuid.UUID) -> AsyncIterator[tuple[Client, Any]]:
    """A client on a server whose pool holds one connection, so every call and the probe after
    it share that connection."""
    settings = make_settings(
        db.target,
        db.settings.data_dir,
        pool_min_size=1,
        pool_max_size=1,
        statement_timeout_ms=TIMEOUT_MS,
        max_rows=200,
        max_result_bytes=200_000,
    )
    container = bootstrap(settings, db.target)
    async with Client(build_server(lifespan_for(container, StaticIdentity(user)))) as client:
        yield client, container


async def probe_pooled_connection(container: Any) -> tuple[str, str, str]:
    """Outside any unit of work, on the (single) pooled connection: what does a new caller inherit?

    SHOW, not current_setting(): the application role may not execute current_setting (the
    database wall), and SHOW is no function call."""
    async with container.engine().connect() as conn:
        raw: Any = (await conn.get_raw_connection()).driver_connection
        try:
            principal = await raw.fetchval("SHOW zava.principal")
        except asyncpg.UndefinedObjectError:  # never bound on this connection
            principal = ""
        row = (principal or "", await raw.fetchval("SHOW statement_timeout"), await raw.fetchval("SHOW search_path"))
        await conn.rollback()
    return row


@pytest.mark.parametrize("case", ADVERSARIAL_CASES, ids=lambda c: c.id)
@pytest.mark.parametrize("who", list(PRINCIPALS))
async def test_adversarial_case_through_the_tool(
    case: AdversarialCase, who: str, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    before = await fingerprint(admin_conn)
    _, hidden = await visible_and_hidden(admin_conn, PRINCIPALS[who])
    async with tool_client(zava_db, PRINCIPALS[who]) as (client, container):
        result = await client.call_tool("execute_sales_query", {"postgresql_query": case.sql})
        probe = await probe_pooled_connection(container)
    message = tool_text(result)
    if case.check_refuses:
        assert result.is_error, f"{case.id} was not refused: {message[:300]}"
        assert message.startswith("VALIDATION_ERROR"), message
    if result.is_error:
        assert not leaked(message, hidden), f"{case.id} error leaks another store: {message}"
        if case.expect_db_error:
            # A cancelled statement and a server resource limit are equally a bound that held.
            bounded = {"QUERY_TIMEOUT", "RESOURCE_LIMIT"}
            expected = bounded if case.expect_db_error in bounded else {case.expect_db_error}
            assert message.split(":", 1)[0].split(" ", 1)[0] in expected, message
    else:
        payload = result_payload(result)
        assert not leaked(payload["rows"], hidden), f"{case.id} returned another store's rows"
        assert len(payload["rows"]) <= 200
    assert await fingerprint(admin_conn) == before, f"{case.id} changed the database"
    principal, timeout, search_path = probe
    assert principal == ""
    assert timeout == f"{TIMEOUT_MS // 1000}s"
    assert search_path == "retail, public"


@pytest.fixture(scope="module")
async def bypass_factory(zava_db: SeededDatabase) -> AsyncIterator[SqlAlchemyUnitOfWorkFactory]:
    from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine  # noqa: PLC0415

    engine = create_engine(
        zava_db.target.app_url, PoolSettings(min_size=1, max_size=1, statement_timeout_ms=TIMEOUT_MS)
    )
    yield SqlAlchemyUnitOfWorkFactory(engine, zava_db.target.context_key, TIMEOUT_MS)
    await engine.dispose()


@pytest.mark.parametrize("case", ADVERSARIAL_CASES, ids=lambda c: c.id)
async def test_database_layers_hold_without_the_statement_check(
    case: AdversarialCase, bypass_factory: SqlAlchemyUnitOfWorkFactory, admin_conn: asyncpg.Connection
) -> None:
    """The same SQL sent straight to the unit of work, as a store manager: the role, the
    read-only transaction, the signed context and the extended protocol must hold alone."""
    before = await fingerprint(admin_conn)
    _, hidden = await visible_and_hidden(admin_conn, SEATTLE_MANAGER)
    statement = CheckedStatement(case.sql.strip().rstrip(";"), "bypass", "select", frozenset())
    error: ZavaError | None = None
    rows: list[Any] = []
    try:
        async with bypass_factory(Principal(SEATTLE_MANAGER)) as uow:
            rows.append((await uow.sales.run(statement, LIMITS)).rows)
            # A statement that "succeeded" must not have widened what the next one sees.
            rows.append((await uow.sales.run(SCOPE_PROBE, LIMITS)).rows)
    except ZavaError as exc:
        error = exc
    assert not leaked(str(error or ""), hidden), f"{case.id} error leaks another store: {error}"
    assert not leaked(rows, hidden), f"{case.id} returned or widened to another store's rows without the check"
    assert await fingerprint(admin_conn) == before, f"{case.id} changed the database without the check"
