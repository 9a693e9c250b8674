"""Cold start: how soon a fresh ``zava-mcp`` process answers, and ``zava --help``.

    python bench/cold_start.py [--scale 0.02] [--runs 5]

Each run starts a new ``zava-mcp`` over stdio with the SDK's stdio client against a seeded
embedded database (``ZAVA_EMBEDDING_PRELOAD`` at its default, true) and times:

1. spawn to ``initialize`` answered;
2. a SQL point query sent right after ``initialize`` (it must not wait for the model load);
3. the first ``semantic_search_products``, counted from ``initialize`` answered (goal: <= 5 s on
   an idle 2-core machine): the model loads in a worker thread from start-up, and a search that
   arrives first waits for that same load.

Each run asks a different question (up to seven runs), so the query-embedding cache never
answers for the model. On a busy machine a load slower than the database's
``idle_in_transaction_session_timeout`` (60 s) fails the first search: it holds its transaction
while it waits for the vector.
Then ``zava --help`` is timed the same number of times. Prints median and min-max of each.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from mcp import Client
from mcp.client.stdio import StdioServerParameters

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench._setup import seeded_database
from zava_mcp_adapter.database.provisioning import DatabaseTarget
from zava_mcp_adapter.settings import Settings

SEATTLE = "f47ac10b-58cc-4372-a567-0e02b2c3d479"
POINT = "SELECT store_name FROM retail.stores"
QUESTIONS = ("cordless drill", "garden hose", "paint roller", "wood screws", "led bulb", "pipe wrench", "ladder")


def _script(name: str) -> str:
    """The console script installed beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else name


def _env(settings: Settings, target: DatabaseTarget) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAVA_")}
    env.update(
        {
            "ZAVA_DATABASE_URL": target.app_url,
            "ZAVA_CONTEXT_KEY": target.context_key,
            "ZAVA_JWT_SECRET": target.jwt_secret,
            "ZAVA_DATA_DIR": str(settings.data_dir),
            "ZAVA_LOG_LEVEL": "WARNING",
            "ZAVA_RLS_USER_ID": SEATTLE,
        }
    )
    return env


async def _one_run(env: dict[str, str], question: str) -> tuple[float, float, float]:
    params = StdioServerParameters(command=_script("zava-mcp"), args=[], env=env)
    started = time.perf_counter()
    async with Client(params) as client:
        initialized = time.perf_counter()
        sql = await client.call_tool("execute_sales_query", {"postgresql_query": POINT})
        sql_done = time.perf_counter()
        found = await client.call_tool("semantic_search_products", {"query_description": question, "max_rows": 3})
        searched = time.perf_counter()
    assert not sql.is_error, sql.content
    assert not found.is_error, found.content
    return initialized - started, sql_done - initialized, searched - initialized


def _help_run() -> float:
    started = time.perf_counter()
    subprocess.run([_script("zava"), "--help"], check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - started


def _summary(label: str, values: list[float]) -> str:
    return f"{label:<40} median {statistics.median(values):6.2f} s   min {min(values):6.2f}   max {max(values):6.2f}"


async def main(scale: float, runs: int) -> None:
    async with seeded_database(scale) as (target, settings):
        env = _env(settings, target)
        results = [await _one_run(env, QUESTIONS[i % len(QUESTIONS)]) for i in range(runs)]
    print(f"{runs} fresh zava-mcp processes over stdio (load average {os.getloadavg()[0]:.2f}):")
    print(_summary("spawn -> initialize answered", [r[0] for r in results]))
    print(_summary("first SQL query after initialize", [r[1] for r in results]))
    print(_summary("first search, from initialize", [r[2] for r in results]))
    print(_summary("zava --help", [_help_run() for _ in range(runs)]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.scale, args.runs))
