"""Cost of each layer of the query path, measured side by side in one run.

    python bench/query_path.py [--scale 1.0] [--rounds 400]

1. the statement check per call (pglast parse + walk);
2. the RLS context per call: a read-only transaction with and without ``set_principal``;
3. an analytic query for one store under RLS, against the same query with an explicit store
   filter run by a role that bypasses RLS (goal: ratio <= 1.2);
4. a point query through the whole tool: raw asyncpg, the service, the in-memory MCP client,
   and the MCP server over streamable HTTP and over stdio (separate processes);
5. head office's monthly-revenue query through the service against the same SQL fetched in one go
   by raw asyncpg in its own read-only transaction with the same RLS context (goal: ratio <= 1.05,
   i.e. the row and byte caps do not cost the plan its parallel workers);
6. the product search and business services per call (the catalog embedded first with the
   configured model; the question's vector comes from the cache after the warm-up, so the
   figures are the database path: SQL built, sent, read and mapped).

Options: ``--only 4,5`` runs some sections; ``--scale 0.2 --rounds 100`` is a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import asyncpg
import httpx
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench._setup import seeded_database
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.domain.principal import HEAD_OFFICE_USER_ID, Principal
from zava_core.domain.products import ProductQuery
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.cli.embed import run_embedding
from zava_mcp_adapter.database.provisioning import DatabaseTarget
from zava_mcp_adapter.identity import StaticIdentity, issue_token
from zava_mcp_adapter.server import build_server, lifespan_for
from zava_mcp_adapter.settings import Settings

SEATTLE = "f47ac10b-58cc-4372-a567-0e02b2c3d479"
ANALYTIC = """
SELECT date_trunc('month', o.order_date) AS month, c.category_name,
       sum(oi.total_amount) AS revenue, count(DISTINCT o.order_id) AS orders
FROM retail.order_items oi
JOIN retail.orders o ON o.order_id = oi.order_id
JOIN retail.products p ON p.product_id = oi.product_id
JOIN retail.categories c ON c.category_id = p.category_id
{where}
GROUP BY 1, 2 ORDER BY 1, 2
"""
QUARTER = " AND o.order_date >= date '2025-07-01' AND o.order_date < date '2025-10-01'"
# Keys are random UUIDs: the point query's key is looked up once per run (see main).
POINT_TEMPLATE = "SELECT order_id, order_date, total_amount FROM retail.orders WHERE order_id = '{order_id}'"
FIRST_ORDER = "SELECT order_id FROM retail.orders WHERE store_id = $1 ORDER BY order_date, order_id LIMIT 1"
POINT = POINT_TEMPLATE


def ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples) * 1000
    p95 = samples[int(len(samples) * 0.95) - 1] * 1000
    return f"p50 {p50:8.3f} ms   p95 {p95:8.3f} ms"


async def timed(fn: Callable[[], Awaitable[object]], rounds: int, warm: int = 20) -> list[float]:
    for _ in range(warm):
        await fn()
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - start)
    return out


async def main(scale: float, rounds: int, only: set[int]) -> None:
    async with seeded_database(scale) as (target, settings):
        assert target.admin_url is not None
        admin = await asyncpg.connect(target.admin_dsn)
        app = await asyncpg.connect(target.app_dsn)
        # Same planner settings as the server's connections, so the comparison is like for like.
        await admin.execute("SET jit = off; SET work_mem = '4MB'")
        seattle_store = await admin.fetchval("SELECT store_id FROM retail.stores WHERE rls_user_id = $1", SEATTLE)
        global POINT  # noqa: PLW0603 - one key per run, read by every section
        POINT = POINT_TEMPLATE.format(order_id=await admin.fetchval(FIRST_ORDER, seattle_store))

        if 1 in only:
            await _check(rounds)
        if 2 in only:
            await _context(app, target, rounds)
        if 3 in only:
            await _rls_ratio(app, admin, target, seattle_store, rounds)
        # The query cache would answer every repeat of one statement from memory: sections 4 and 5
        # time the path to PostgreSQL and back, so the servers they start run without it.
        uncached = settings.model_copy(update={"query_cache_ttl_seconds": 0})
        if 4 in only:
            await _point(app, uncached, target, rounds)
        if 5 in only:
            await _analytic(app, uncached, target, rounds)
        if 6 in only:
            await _search_services(settings, target, rounds)
        await admin.close()
        await app.close()


async def _check(rounds: int) -> None:
    print("\n1. statement check")
    policy = PglastStatementPolicy(EXPOSED_COLUMNS)
    sql = ANALYTIC.format(where="")
    start = time.perf_counter()
    for _ in range(rounds * 5):
        policy.check(sql)
    per_check = (time.perf_counter() - start) / (rounds * 5)
    print(f"   check of the analytic query: {per_check * 1e6:8.1f} µs per call (first sight)")
    point_start = time.perf_counter()
    for _ in range(rounds * 5):
        policy.check(POINT)
    print(
        f"   check of the point query:    {(time.perf_counter() - point_start) / (rounds * 5) * 1e6:8.1f} µs per call"
    )
    print("   (the server caches verdicts by exact text: a repeated statement costs about 1 µs)")


async def _context(app: asyncpg.Connection, target: DatabaseTarget, rounds: int) -> None:
    print("\n2. RLS context per call (read-only transaction + SELECT 1)")

    async def plain() -> None:
        async with app.transaction(readonly=True):
            await app.fetchval("SELECT 1")

    async def bound() -> None:
        async with app.transaction(readonly=True):
            await app.fetchval("SELECT zava_private.set_principal($1, $2)", SEATTLE, target.context_key)
            await app.fetchval("SELECT 1")

    base, ctx = await timed(plain, rounds), await timed(bound, rounds)
    print(f"   without context: {ms(base)}")
    print(f"   with context:    {ms(ctx)}   (+{(statistics.median(ctx) - statistics.median(base)) * 1000:.3f} ms)")


async def _rls_ratio(
    app: asyncpg.Connection, admin: asyncpg.Connection, target: DatabaseTarget, seattle_store: object, rounds: int
) -> None:
    print("\n3. analytic queries for one store: RLS vs explicit filter without RLS (alternating calls)")
    for label, extra in (("whole history", ""), ("one quarter", QUARTER)):
        rls_sql = ANALYTIC.format(where="WHERE true" + extra)
        explicit_sql = ANALYTIC.format(where="WHERE oi.store_id = $1 AND o.store_id = $1" + extra)

        async def under_rls(sql: str = rls_sql) -> None:
            async with app.transaction(readonly=True):
                await app.fetchval("SELECT zava_private.set_principal($1, $2)", SEATTLE, target.context_key)
                await app.fetch(sql)

        async def explicit(sql: str = explicit_sql) -> None:
            await admin.fetch(sql, seattle_store)

        rls_t: list[float] = []
        exp_t: list[float] = []
        for fn in (under_rls, explicit):
            await timed(fn, 1, warm=3)
        for _ in range(max(rounds // 10, 20)):  # alternate so both see the same machine noise
            rls_t += await timed(under_rls, 1, warm=0)
            exp_t += await timed(explicit, 1, warm=0)
        ratio = statistics.median(rls_t) / statistics.median(exp_t)
        print(f"   {label}: under RLS {ms(rls_t)}")
        print(f"   {label}: explicit  {ms(exp_t)}")
        print(f"   {label}: ratio RLS / explicit {ratio:.2f}x   (goal <= 1.2x)")


async def _point(app: asyncpg.Connection, settings: Settings, target: DatabaseTarget, rounds: int) -> None:
    print("\n4. point query, whole path")
    raw = await timed(lambda: app.fetchrow(POINT), rounds)
    container = bootstrap(settings, target)
    server = build_server(lifespan_for(container, StaticIdentity(Principal.parse(SEATTLE).user_id)))
    async with Client(server) as client:
        service = container.sales()
        svc = await timed(lambda: service.execute(Principal.parse(SEATTLE), POINT), rounds)
        mem = await timed(lambda: client.call_tool("execute_sales_query", {"postgresql_query": POINT}), rounds)
    http = await _http(settings, target, rounds)
    stdio = await _stdio(settings, target, rounds)
    print(f"   raw asyncpg:               {ms(raw)}")
    print(f"   service (check+RLS+run):   {ms(svc)}")
    print(f"   MCP in-memory client:      {ms(mem)}")
    print(f"   MCP streamable HTTP:       {ms(http)}")
    print(f"   MCP stdio:                 {ms(stdio)}")
    print(f"   HTTP / raw asyncpg: {statistics.median(http) / statistics.median(raw):.1f}x")


async def _analytic(app: asyncpg.Connection, settings: Settings, target: DatabaseTarget, rounds: int) -> None:
    """Same SQL, same principal, same read-only transaction shape; calls alternate."""
    print("\n5. head office monthly revenue: service vs raw asyncpg fetched in one go")
    sql = ANALYTIC.format(where="")
    head_office = Principal.parse(str(HEAD_OFFICE_USER_ID))

    async def raw() -> None:
        async with app.transaction(readonly=True):
            await app.fetchval(
                "SELECT zava_private.set_principal($1, $2)", str(HEAD_OFFICE_USER_ID), target.context_key
            )
            await app.fetch(sql)

    container = bootstrap(settings, target)
    service = container.sales()
    try:

        async def through_service() -> None:
            await service.execute(head_office, sql)

        raw_t: list[float] = []
        svc_t: list[float] = []
        for fn in (raw, through_service):
            await timed(fn, 1, warm=3)
        for _ in range(max(rounds // 20, 10)):
            raw_t += await timed(raw, 1, warm=0)
            svc_t += await timed(through_service, 1, warm=0)
        print(f"   raw asyncpg (one fetch):   {ms(raw_t)}")
        print(f"   service:                   {ms(svc_t)}")
        print(f"   ratio service / raw {statistics.median(svc_t) / statistics.median(raw_t):.2f}x   (goal <= 1.05x)")
    finally:
        await container.engine().dispose()


async def _search_services(settings: Settings, target: DatabaseTarget, rounds: int) -> None:
    print("\n6. product search and business services per call (store manager, cached question vector)")
    await run_embedding(settings, target, show_progress=False)
    container = bootstrap(settings, target)
    search, business = container.product_search(), container.business()
    manager = Principal.parse(SEATTLE)
    question = "waterproof gloves for the garden"
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "search hybrid": lambda: search.search(manager, ProductQuery.create(question)),
        "search semantic": lambda: search.search(manager, ProductQuery.create(question, mode="semantic")),
        "search keyword": lambda: search.search(manager, ProductQuery.create(question, mode="keyword")),
        "search filtered, in stock": lambda: search.search(
            manager, ProductQuery.create(question, category="Garden & Outdoor", max_price=200, in_stock_only=True)
        ),
        "recommendations": lambda: search.recommendations(manager, 1),
        "store performance": lambda: business.store_performance(manager),
        "low stock": lambda: business.low_stock(manager),
    }
    try:
        for label, call in calls.items():
            print(f"   {label + ':':27s}{ms(await timed(call, rounds))}")
    finally:
        await container.engine().dispose()


def _env(settings: object, target: object) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAVA_")}
    env.update(
        {
            "ZAVA_DATABASE_URL": target.app_url,  # type: ignore[attr-defined]
            "ZAVA_CONTEXT_KEY": target.context_key,  # type: ignore[attr-defined]
            "ZAVA_JWT_SECRET": target.jwt_secret,  # type: ignore[attr-defined]
            "ZAVA_DATA_DIR": str(settings.data_dir),  # type: ignore[attr-defined]
            "ZAVA_LOG_LEVEL": "WARNING",
            "ZAVA_RLS_USER_ID": SEATTLE,
            "ZAVA_QUERY_CACHE_TTL_SECONDS": "0",
        }
    )
    return env


async def _http(settings: object, target: object, rounds: int) -> list[float]:
    port = 18731
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "zava_mcp_adapter.cli.main", "serve", "--port", str(port)],
        env=_env(settings, target),
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
                break
            except httpx.TransportError:
                await asyncio.sleep(0.2)
        token = issue_token(target.jwt_secret, Principal.parse(SEATTLE).user_id, audience="zava-mcp", issuer="zava")  # type: ignore[attr-defined]
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with http, Client(streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=http)) as client:
            return await timed(lambda: client.call_tool("execute_sales_query", {"postgresql_query": POINT}), rounds)
    finally:
        proc.terminate()
        proc.wait(10)


async def _stdio(settings: object, target: object, rounds: int) -> list[float]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "zava_mcp_adapter.stdio"], env=_env(settings, target)
    )
    async with Client(params) as client:
        return await timed(lambda: client.call_tool("execute_sales_query", {"postgresql_query": POINT}), rounds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--only", default="1,2,3,4,5,6", help="comma-separated sections to run")
    args = parser.parse_args()
    asyncio.run(main(args.scale, args.rounds, {int(x) for x in args.only.split(",")}))
