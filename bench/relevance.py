"""Relevance of semantic, keyword and hybrid search on both halves of the relevance set.

    python bench/relevance.py [--verbose] [--sweep] [--latency]

A temporary embedded PostgreSQL is seeded (the real 423-product catalog) and embedded with the
bundled all-MiniLM-L6-v2; every question of ``tests/corpus/relevance.py`` runs through the real
service as head office. Prints precision@5, recall@10 and nDCG@10 per mode on the tuning half
and on the held-out half. ``--sweep`` measures hybrid for other fusion constants and similarity
thresholds **on the tuning half only** (that is how the defaults are chosen); ``--verbose`` lists
the tuning-half questions where hybrid misses (the held-out half is only ever summed up, so
nobody tunes on it by reading it). ``--latency`` times the whole service call (hybrid, the
model on every call: no embedding cache) with the defaults and with the previous defaults in the
same run, so the ratio holds on a busy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench._setup import seeded_database
from tests.corpus.relevance import CASES, SPLITS, RelevanceCase, Split, ndcg_at, precision_at, recall_at
from zava_core.domain.principal import HEAD_OFFICE_USER_ID, Principal
from zava_core.domain.products import DEFAULT_SIMILARITY_THRESHOLD, RRF_K, ProductQuery
from zava_core.services.product_search import ProductSearchService
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.cli.embed import run_embedding
from zava_mcp_adapter.logging_setup import configure_logging

HEAD_OFFICE = Principal(HEAD_OFFICE_USER_ID)
MODES = ("semantic", "keyword", "hybrid")
#: The defaults before the relevance set was split (threshold 0.25): the latency baseline.
PREVIOUS_THRESHOLD = 0.25

Item = tuple[str, str, str]


@dataclass(frozen=True)
class Scored:
    case: RelevanceCase
    precision5: float
    recall10: float
    ndcg10: float
    names: list[str]


async def score(
    service: ProductSearchService,
    catalog: list[Item],
    sku: dict[str, str],
    mode: str,
    split: Split,
    *,
    threshold: float = DEFAULT_SIMILARITY_THRESHOLD,
) -> list[Scored]:
    scores = []
    for case in (c for c in CASES if c.split == split):
        query = ProductQuery.create(
            case.resolve(sku.__getitem__), max_rows=10, mode=mode, similarity_threshold=threshold
        )
        result = await service.search(HEAD_OFFICE, query)
        found = [(m.product.product_name, m.product.product_type, m.product.category) for m in result.products]
        scores.append(
            Scored(
                case,
                precision_at(case, found, catalog),
                recall_at(case, found, catalog),
                ndcg_at(case, found, catalog),
                [f[0] for f in found[:5]],
            )
        )
    return scores


def means(scores: list[Scored]) -> str:
    p5, r10, n10 = (statistics.mean(getattr(s, m) for s in scores) for m in ("precision5", "recall10", "ndcg10"))
    return f"{p5:.3f}   {r10:.3f}   {n10:.3f}"


async def latency(service: ProductSearchService, thresholds: tuple[float, float], rounds: int) -> list[float]:
    """p50 of each threshold's calls; the two alternate question by question, so both see the
    same machine load."""
    timings: list[list[float]] = [[], []]
    for _ in range(rounds):
        for case in CASES:
            if "{sku:" in case.question:
                continue
            for i, threshold in enumerate(thresholds):
                started = time.perf_counter()
                await service.search(HEAD_OFFICE, ProductQuery.create(case.question, similarity_threshold=threshold))
                timings[i].append((time.perf_counter() - started) * 1000)
    return [statistics.median(t) for t in timings]


async def main(verbose: bool, sweep: bool, timed: bool) -> None:
    configure_logging("WARNING")
    async with seeded_database(0.02) as (target, settings):
        report = await run_embedding(settings, target, show_progress=False)
        print(f"embedded {report.embedded} products with {report.model_id} in {report.seconds:.1f} s")
        container = bootstrap(settings, target)
        service = container.product_search()
        async with container.engine().connect() as conn:
            from sqlalchemy import text  # noqa: PLC0415

            rows = (
                await conn.execute(
                    text(
                        "SELECT p.product_name, p.sku, t.type_name, c.category_name FROM retail.products p"
                        " JOIN retail.product_types t USING (type_id)"
                        " JOIN retail.categories c ON c.category_id = p.category_id"
                    )
                )
            ).all()
        catalog = [(r.product_name, r.type_name, r.category_name) for r in rows]
        sku = {r.product_name: r.sku for r in rows}
        sizes = {split: sum(1 for c in CASES if c.split == split) for split in SPLITS}
        print(f"\n{len(CASES)} questions: {sizes['tune']} tuning, {sizes['held_out']} held out")
        print(f"defaults: similarity_threshold {DEFAULT_SIMILARITY_THRESHOLD}, RRF k {RRF_K}\n")
        print("             tuning half (P@5 R@10 nDCG@10)   held-out half (P@5 R@10 nDCG@10)")
        for mode in MODES:
            halves = {split: await score(service, catalog, sku, mode, split) for split in SPLITS}
            print(f"   {mode:>8}:   {means(halves['tune'])}          {means(halves['held_out'])}")
            if verbose and mode == "hybrid":
                for s in halves["tune"]:
                    if s.precision5 < 1:
                        print(f"      {s.precision5:.2f} {s.case.question!r}: {s.names}")
        if sweep:
            print("\nhybrid on the tuning half (P@5 R@10 nDCG@10) by fusion constant k and similarity threshold:")
            for k in (5, 10, 20, 60):
                swept = ProductSearchService(
                    container.uow_factory(), container.embeddings(), container.cache(), rrf_k=k
                )
                for threshold in (0.0, 0.15, 0.2, 0.25, 0.3):
                    tuned = await score(swept, catalog, sku, "hybrid", "tune", threshold=threshold)
                    print(f"   k={k:<3} threshold {threshold:<4}: {means(tuned)}")
        if timed:
            uncached = ProductSearchService(
                container.uow_factory(), container.embeddings(), container.cache(), embedding_cache_ttl_seconds=0
            )
            thresholds = (DEFAULT_SIMILARITY_THRESHOLD, PREVIOUS_THRESHOLD)
            await latency(uncached, thresholds, 1)  # warm the model and the pool
            now, before = await latency(uncached, thresholds, 3)
            print(
                f"\nhybrid call p50, model on every call: {now:.1f} ms with the defaults, "
                f"{before:.1f} ms with threshold {PREVIOUS_THRESHOLD} (ratio {now / before:.2f})"
            )
        await container.engine().dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--latency", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.verbose, args.sweep, args.latency))
