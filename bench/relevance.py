"""Precision@5 of semantic, keyword and hybrid search on the relevance set (tests/corpus/relevance.py).

    python bench/relevance.py [--verbose] [--sweep]

A temporary embedded PostgreSQL is seeded (the real 423-product catalog) and embedded with the
bundled all-MiniLM-L6-v2; every question runs through the real service as head office.
``--verbose`` lists the questions where hybrid misses; ``--sweep`` also measures hybrid for other
fusion constants and similarity thresholds (how the defaults were chosen).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench._setup import seeded_database
from tests.corpus.relevance import CASES, RelevanceCase, precision_at
from zava_core.domain.principal import HEAD_OFFICE_USER_ID, Principal
from zava_core.domain.products import DEFAULT_SIMILARITY_THRESHOLD, RRF_K, ProductQuery
from zava_core.services.product_search import ProductSearchService
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.cli.embed import run_embedding
from zava_mcp_adapter.logging_setup import configure_logging

HEAD_OFFICE = Principal(HEAD_OFFICE_USER_ID)


async def precision(
    service: ProductSearchService,
    catalog: list[tuple[str, str, str]],
    sku: dict[str, str],
    mode: str,
    threshold: float = DEFAULT_SIMILARITY_THRESHOLD,
) -> list[tuple[RelevanceCase, float, list[str]]]:
    scores = []
    for case in CASES:
        query = ProductQuery.create(
            case.resolve(sku.__getitem__), max_rows=5, mode=mode, similarity_threshold=threshold
        )
        result = await service.search(HEAD_OFFICE, query)
        found = [(m.product.product_name, m.product.product_type, m.product.category) for m in result.products]
        scores.append((case, precision_at(case, found, catalog), [f[0] for f in found]))
    return scores


async def main(verbose: bool, sweep: bool) -> None:
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
        print(f"\n{len(CASES)} questions, precision@5 (relevant in the first five / min(5, relevant in catalog))")
        print(f"defaults: similarity_threshold {DEFAULT_SIMILARITY_THRESHOLD}, RRF k {RRF_K}\n")
        for mode in ("semantic", "keyword", "hybrid"):
            scores = await precision(service, catalog, sku, mode)
            print(f"   {mode:>8}: {statistics.mean(s for _, s, _ in scores):.3f}")
            if verbose and mode == "hybrid":
                for case, score, names in scores:
                    if score < 1:
                        print(f"      {score:.2f} {case.question!r}: {names}")
        if sweep:
            print("\nhybrid precision@5 by fusion constant k and similarity threshold:")
            for k in (10, 20, 60):
                swept = ProductSearchService(
                    container.uow_factory(), container.embeddings(), container.cache(), rrf_k=k
                )
                cells = []
                for threshold in (0.2, 0.25, 0.3):
                    scores = await precision(swept, catalog, sku, "hybrid", threshold)
                    cells.append(f"threshold {threshold}: {statistics.mean(s for _, s, _ in scores):.3f}")
                print(f"   k={k:<3} " + "   ".join(cells))
        await container.engine().dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.verbose, args.sweep))
