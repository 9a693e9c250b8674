"""HNSW product search on a synthetic catalog of 100,000+ products, side by side with exact search.

    python bench/search_hnsw.py [--products 100000] [--queries 200] [--index 16,64 --index 16,128]
                                [--ef 40,64,100,150,200] [--rounds 200]

A temporary embedded PostgreSQL is migrated and seeded (stores, the real 423-product catalog),
the real catalog is embedded with the bundled all-MiniLM-L6-v2, then synthetic products are
loaded with COPY. Synthetic vectors are clustered around the real ones, two levels deep (a
product line around each real product, items around each line: cosine ~0.8 and ~0.9), so that
neighbours are close together and hard to tell apart, as in a real catalog of variants. Each
synthetic product keeps its real product's category, type and description and gets stock in
every store. Query vectors are drawn around real products too (cosine ~0.75).

Reported, per index setting and ef_search: recall@10 of the repository's search against exact
search (numpy, brute force), with no filter, with the query's own category (the usual case) and
with another category (the starving case, where iterative scans must keep going); p50/p95 of
the repository call (set_config + the search statement, as the tool runs it, inside a unit of
work); then p50/p95 of the whole service call with the local model (embedding a question never
seen before, the DB part, fusion and stock), hybrid and semantic, and with the query cache warm.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from decimal import Decimal

import asyncpg
import numpy as np
from pgvector.asyncpg import register_vector

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench._setup import seeded_database
from tests.corpus.relevance import CASES
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.dataset.generator import TABLES
from zava_core.domain.principal import Principal
from zava_core.domain.products import ProductQuery, SearchFilters
from zava_core.ports.products import VectorSearchTuning
from zava_core.services.product_search import ef_search_for
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.cli.embed import run_embedding
from zava_mcp_adapter.logging_setup import configure_logging

SEATTLE = Principal(uuid.UUID("f47ac10b-58cc-4372-a567-0e02b2c3d479"))
MODEL = "local/all-MiniLM-L6-v2"
DIMS = 384
FIRST_SYNTHETIC_ID = 10_000


def sigma_for(cosine: float) -> float:
    """Per-dimension noise that leaves a unit vector at ``cosine`` from where it started."""
    return float(np.sqrt((1 / cosine**2 - 1) / DIMS))


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def pct(samples: list[float]) -> str:
    s = sorted(samples)
    return f"p50 {statistics.median(s) * 1000:7.2f} ms  p95 {s[max(int(len(s) * 0.95) - 1, 0)] * 1000:7.2f} ms"


async def load_synthetic(admin: asyncpg.Connection, count: int, rng: np.random.Generator) -> None:
    base = await admin.fetch(
        "SELECT p.product_id, p.product_name, p.category_id, p.type_id, p.cost, p.base_price, p.product_description,"
        " e.description_embedding AS v FROM retail.products p"
        " JOIN retail.product_description_embeddings e USING (product_id) ORDER BY p.product_id"
    )
    stores = [r["store_id"] for r in await admin.fetch("SELECT store_id FROM retail.stores")]
    centers = np.array([np.asarray(r["v"].to_numpy(), dtype=np.float32) for r in base])
    lines_per_product = 24
    lines = unit(
        np.repeat(centers, lines_per_product, axis=0)
        + rng.normal(0, sigma_for(0.8), (len(base) * lines_per_product, DIMS)).astype(np.float32)
    )
    line_of = rng.integers(0, len(lines), count)
    vectors = unit(lines[line_of] + rng.normal(0, sigma_for(0.9), (count, DIMS)).astype(np.float32))
    pyrng = random.Random(7)
    products, embeddings, inventory = [], [], []
    for i in range(count):
        b = base[int(line_of[i]) // lines_per_product]
        pid = FIRST_SYNTHETIC_ID + i
        factor = Decimal(str(round(pyrng.uniform(0.6, 1.6), 2)))
        cost = (b["cost"] * factor).quantize(Decimal("0.01"))
        price = (b["base_price"] * factor).quantize(Decimal("0.01"))
        products.append(
            (
                pid,
                f"SYN-{pid:07d}",
                f"{b['product_name']} V{i}",
                b["category_id"],
                b["type_id"],
                cost,
                price,
                Decimal("33.00"),
                b["product_description"],
                False,
            )
        )
        embeddings.append((pid, MODEL, vectors[i], "synthetic"))
        inventory.extend((s, pid, pyrng.randint(0, 200)) for s in stores)
    started = time.perf_counter()
    await admin.execute("DROP INDEX IF EXISTS retail.ix_product_embeddings_hnsw")
    await admin.copy_records_to_table(
        "products",
        schema_name="retail",
        records=products,
        columns=list(next(t for t in TABLES if t.name == "products").columns),
    )
    await admin.copy_records_to_table(
        "product_description_embeddings",
        schema_name="retail",
        records=embeddings,
        columns=["product_id", "model", "description_embedding", "content_hash"],
    )
    await admin.copy_records_to_table(
        "inventory", schema_name="retail", records=inventory, columns=["store_id", "product_id", "stock_level"]
    )
    await admin.execute("REFRESH MATERIALIZED VIEW retail.product_search_terms")
    await admin.execute("ANALYZE")
    print(
        f"loaded {count:,} synthetic products, {len(inventory):,} inventory rows in "
        f"{time.perf_counter() - started:.1f} s"
    )


async def build_index(admin: asyncpg.Connection, m: int, ef_construction: int) -> float:
    await admin.execute("DROP INDEX IF EXISTS retail.ix_product_embeddings_hnsw")
    await admin.execute("SET maintenance_work_mem = '2GB'")
    await admin.execute("SET max_parallel_maintenance_workers = 1")
    started = time.perf_counter()
    await admin.execute(
        "CREATE INDEX ix_product_embeddings_hnsw ON retail.product_description_embeddings "
        f"USING hnsw (description_embedding vector_cosine_ops) WITH (m = {m}, ef_construction = {ef_construction})"
    )
    await admin.execute("ANALYZE retail.product_description_embeddings")
    return time.perf_counter() - started


def exact_top(matrix: np.ndarray, ids: np.ndarray, query: np.ndarray, mask: np.ndarray | None, k: int = 10) -> set[int]:
    scores = matrix @ query
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    top = np.argpartition(-scores, k)[:k]
    return {int(ids[i]) for i in top}


async def main(args: argparse.Namespace) -> None:
    configure_logging("WARNING")
    rng = np.random.default_rng(42)
    async with seeded_database(0.01) as (target, settings):
        assert target.admin_url is not None
        report = await run_embedding(settings, target, show_progress=False)
        print(f"embedded the real catalog: {report.embedded} products in {report.seconds:.1f} s")
        admin = await asyncpg.connect(target.admin_dsn)
        await register_vector(admin)
        await load_synthetic(admin, args.products, rng)

        rows = await admin.fetch(
            "SELECT e.product_id, p.category_id, e.description_embedding AS v FROM retail.product_description_embeddings e"
            " JOIN retail.products p USING (product_id) ORDER BY e.product_id"
        )
        ids = np.array([r["product_id"] for r in rows])
        cats = np.array([r["category_id"] for r in rows])
        matrix = np.array([r["v"].to_numpy() for r in rows], dtype=np.float32)
        names = {r["category_id"]: r["category_name"] for r in await admin.fetch("SELECT * FROM retail.categories")}
        real = np.where(ids < FIRST_SYNTHETIC_ID)[0]
        picks = rng.choice(real, args.queries)
        queries = unit(matrix[picks] + rng.normal(0, sigma_for(0.75), (args.queries, DIMS)).astype(np.float32))
        own_cat = cats[picks]
        other_cat = np.array([rng.choice([c for c in names if c != oc]) for oc in own_cat])
        print(f"catalog: {len(ids):,} vectors; {args.queries} queries; load average {os.getloadavg()[0]:.2f}")

        truth = {
            "no filter": [exact_top(matrix, ids, q, None) for q in queries],
            "own category": [exact_top(matrix, ids, q, cats == c) for q, c in zip(queries, own_cat, strict=True)],
            "other category": [exact_top(matrix, ids, q, cats == c) for q, c in zip(queries, other_cat, strict=True)],
        }
        started = time.perf_counter()
        for q in queries[:50]:
            exact_top(matrix, ids, q, None)
        print(f"exact search in numpy: {(time.perf_counter() - started) / 50 * 1000:.1f} ms per query")

        engine = create_engine(target.app_url, PoolSettings(min_size=1, max_size=2))
        uows = SqlAlchemyUnitOfWorkFactory(engine, target.context_key, 30_000)
        exact_sql = await _exact_db_time(admin, queries[:20])
        print(f"exact search in PostgreSQL (no index): p50 {exact_sql * 1000:.1f} ms")

        for spec in args.index:
            m, efc = (int(x) for x in spec.split(","))
            seconds = await build_index(admin, m, efc)
            size = await admin.fetchval("SELECT pg_size_pretty(pg_relation_size('retail.ix_product_embeddings_hnsw'))")
            print(f"\nHNSW m={m} ef_construction={efc}: built in {seconds:.1f} s, {size}")
            print(f"{'ef_search':>10} {'max_scan':>9} {'filter':>15} {'recall@10':>10}   repository call")
            runs = [(ef, None, "no filter") for ef in args.ef]
            runs += [
                (ef, b, label)
                for ef in args.filter_ef
                for b in args.budget
                for label in ("own category", "other category")
            ]
            for ef, budget, label in runs:
                cat_for = {"no filter": None, "own category": own_cat, "other category": other_cat}[label]
                recalls, times = [], []
                for i, q in enumerate(queries):
                    filters = SearchFilters(category=names[int(cat_for[i])]) if cat_for is not None else SearchFilters()
                    tuning = VectorSearchTuning(ef, iterative=filters.any, max_scan_tuples=budget or 20_000)
                    async with uows(SEATTLE) as uow:
                        t0 = time.perf_counter()
                        found = await uow.products.semantic(q.tolist(), MODEL, filters, 10, tuning)
                        times.append(time.perf_counter() - t0)
                    recalls.append(len({c.product_id for c in found} & truth[label][i]) / 10)
                shown = "-" if budget is None else str(budget)
                print(f"{ef:>10} {shown:>9} {label:>15} {statistics.mean(recalls):>10.3f}   {pct(times)}")

        await _explain(admin, queries[0], ef_search_for(10), names[int(own_cat[0])])
        await engine.dispose()
        await admin.close()
        await _tool_calls(settings, target, args.rounds)


async def _exact_db_time(admin: asyncpg.Connection, queries: np.ndarray) -> float:
    times = []
    async with admin.transaction():
        await admin.execute("SET LOCAL enable_indexscan = off")
        for q in queries:
            t0 = time.perf_counter()
            await admin.fetch(
                "SELECT product_id FROM retail.product_description_embeddings ORDER BY description_embedding <=> $1 LIMIT 10",
                q,
            )
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


async def _explain(admin: asyncpg.Connection, query: np.ndarray, ef: int, category: str) -> None:
    async with admin.transaction():
        await admin.execute(f"SET LOCAL hnsw.ef_search = {ef}")
        await admin.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        plan = await admin.fetch(
            "EXPLAIN (ANALYZE, COSTS OFF) SELECT e.product_id FROM retail.product_description_embeddings e"
            " JOIN retail.products p ON p.product_id = e.product_id WHERE e.model = $2 AND p.category_id ="
            " (SELECT category_id FROM retail.categories WHERE category_name = $3)"
            " ORDER BY e.description_embedding <=> $1 LIMIT 10",
            query,
            MODEL,
            category,
        )
    print(f"\nplan with a category filter (ef_search {ef}, iterative relaxed_order):")
    for row in plan:
        line = row[0]
        print("   " + (line[:110] + " ...]'::vector)" if "'[" in line else line))


async def _tool_calls(settings: object, target: object, rounds: int) -> None:
    container = bootstrap(settings, target)  # type: ignore[arg-type]
    service = container.product_search()
    await service.search(SEATTLE, ProductQuery.create("warm up the model"))
    texts = [c.question for c in CASES if "{" not in c.question]
    variants = [
        f"{prefix}{t}"
        for prefix in ("", "I need ", "looking for ", "a customer wants ", "what helps to ")
        for t in texts
    ][:rounds]
    print(
        f"\nwhole service call, local model, {len(variants)} questions never seen before "
        f"(load average {os.getloadavg()[0]:.2f}):"
    )
    for mode in ("hybrid", "semantic", "keyword"):
        times = []
        for text in variants:
            query = ProductQuery.create(text + ("" if mode == "hybrid" else f" ({mode})"), mode=mode)
            t0 = time.perf_counter()
            await service.search(SEATTLE, query)
            times.append(time.perf_counter() - t0)
        print(f"   {mode:>8} (cache miss): {pct(times)}")
    cached = []
    for text in variants[:50]:
        query = ProductQuery.create(text)
        t0 = time.perf_counter()
        await service.search(SEATTLE, query)
        cached.append(time.perf_counter() - t0)
    print(f"     hybrid (cache hit):  {pct(cached)}")
    model = container.embeddings()
    enc = []
    for text in variants[:50]:
        t0 = time.perf_counter()
        await model.embed([text + " again"])
        enc.append(time.perf_counter() - t0)
    print(f"   the model alone:       {pct(enc)}")
    await container.engine().dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--index", action="append", help="m,ef_construction (repeatable)")
    parser.add_argument("--ef", type=lambda s: [int(x) for x in s.split(",")], default=[40, 64, 100, 150, 200])
    parser.add_argument("--filter-ef", type=lambda s: [int(x) for x in s.split(",")], default=[64, 100])
    parser.add_argument(
        "--budget",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[1000, 2000, 20000],
        help="hnsw.max_scan_tuples values to try with a category filter",
    )
    parser.add_argument("--rounds", type=int, default=200)
    arguments = parser.parse_args()
    arguments.index = arguments.index or ["16,64", "16,128"]
    asyncio.run(main(arguments))
