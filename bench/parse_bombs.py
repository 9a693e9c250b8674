"""Does one principal's parse-cost bombs slow another principal down? (security issue 7)

    python bench/parse_bombs.py [--bombs 8] [--rounds 5]

One principal sends ``--bombs`` 20,000-character statements at once through the real statement
check (behind the verdict cache, as in the server) while a second principal's ``SELECT 1`` is timed
through the same ``SalesQueryService``. The database is a fake unit of work so that the figure is
the check's cost alone. Each bomb is different text (no cache hits). Goal: the other principal's
``SELECT 1`` within 0.5 s on an idle machine. Also prints the check's cost per bomb, with the
default budgets and with budgets high enough to let the bomb through to the walk.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
import uuid

from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.domain.errors import ZavaError
from zava_core.domain.principal import Principal
from zava_core.domain.statements import QueryLimits
from zava_core.services.checked_cache import CachingStatementPolicy
from zava_core.services.concurrency import PrincipalLimiter
from zava_core.services.sales_queries import SalesQueryService
from zava_core.testing.fakes import FakeUnitOfWorkFactory, RecordingAuditLog

ATTACKER, VICTIM = uuid.UUID(int=1), uuid.UUID(int=2)
STORE = uuid.UUID(int=10)


def bomb(salt: int) -> str:
    return (f"SELECT {salt}+" + "+".join(["1"] * 10_000))[:20_000]


def check_cost(policy: PglastStatementPolicy, salt: int) -> float:
    started = time.perf_counter()
    with contextlib.suppress(ZavaError):
        policy.check(bomb(salt))
    return time.perf_counter() - started


async def one_round(service: SalesQueryService, bombs: int, salt: int) -> float:
    async def attack(i: int) -> None:
        with contextlib.suppress(ZavaError):
            await service.execute(Principal(ATTACKER), bomb(salt * 1000 + i))

    tasks = [asyncio.create_task(attack(i)) for i in range(bombs)]
    await asyncio.sleep(0)  # let the bombs start first
    started = time.perf_counter()
    await service.execute(Principal(VICTIM), "SELECT 1")
    elapsed = time.perf_counter() - started
    await asyncio.gather(*tasks)
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bombs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    default = PglastStatementPolicy(EXPOSED_COLUMNS)
    roomy = PglastStatementPolicy(EXPOSED_COLUMNS, max_nodes=1_000_000)
    print(
        f"check cost per bomb, default budgets:     {statistics.median(check_cost(default, i) for i in range(5)):.4f} s"
    )
    print(
        f"check cost per bomb, budgets lifted:      {statistics.median(check_cost(roomy, i) for i in range(5)):.4f} s"
    )

    uows = FakeUnitOfWorkFactory({ATTACKER: frozenset({STORE}), VICTIM: frozenset({STORE})}, {STORE: 1})
    for name, policy in (("default budgets", default), ("budgets lifted", roomy)):
        service = SalesQueryService(
            uows, CachingStatementPolicy(policy), QueryLimits(max_rows=10), PrincipalLimiter(4, 60), RecordingAuditLog()
        )
        times = [await one_round(service, args.bombs, r) for r in range(args.rounds)]
        print(
            f"other principal's SELECT 1 during {args.bombs} bombs ({name}): "
            f"median {statistics.median(times):.3f} s, max {max(times):.3f} s"
        )


if __name__ == "__main__":
    asyncio.run(main())
