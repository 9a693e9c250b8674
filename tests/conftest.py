"""Shared fixtures. The database ones start a real embedded PostgreSQL 18 + pgvector server
once per test session, migrate it and load a small seeded Zava dataset; nothing is mocked."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from hypothesis import HealthCheck, settings

from zava_core.domain.principal import HEAD_OFFICE_USER_ID
from zava_mcp_adapter.database import embedded
from zava_mcp_adapter.database.provisioning import DatabaseTarget, prepare_database
from zava_mcp_adapter.settings import Settings

settings.register_profile("ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

TEST_SEED = 42
TEST_SCALE = 0.02
DATABASE = "zava_test"
SEATTLE_MANAGER = uuid.UUID("f47ac10b-58cc-4372-a567-0e02b2c3d479")
NO_ACCESS_USER = uuid.UUID("12345678-1234-5678-1234-567812345678")
HEAD_OFFICE = HEAD_OFFICE_USER_ID


@dataclass(frozen=True)
class SeededDatabase:
    target: DatabaseTarget
    settings: Settings
    server: embedded.EmbeddedServer

    @property
    def admin_dsn(self) -> str:
        return self.target.admin_dsn

    @property
    def app_dsn(self) -> str:
        return self.target.app_dsn


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("zava-data")
    yield path
    embedded.stop(path)


@pytest.fixture(scope="session")
def pg_server(data_dir: Path) -> embedded.EmbeddedServer:
    return embedded.start(data_dir)


def make_target(server: embedded.EmbeddedServer, database: str) -> DatabaseTarget:
    return DatabaseTarget(
        app_url=server.url(database, "zava_app", "test-app-password"),
        admin_url=server.url(database),
        context_key="test-context-key-" + uuid.uuid4().hex,
        app_password="test-app-password",
        jwt_secret="test-jwt-secret-" + uuid.uuid4().hex,
        embedded=False,
    )


def make_settings(target: DatabaseTarget, data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": target.app_url,
        "admin_database_url": target.admin_url,
        "context_key": target.context_key,
        "app_password": target.app_password,
        "jwt_secret": target.jwt_secret,
        "data_dir": data_dir,
        "redis_url": None,
        "pool_min_size": 1,
        # Most tests never search: loading torch in every server would only compete for the cores.
        "embedding_preload": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
async def zava_db(pg_server: embedded.EmbeddedServer, data_dir: Path) -> SeededDatabase:
    """The shared, seeded test database. Tests must not write to it."""
    target = make_target(pg_server, DATABASE)
    settings_ = make_settings(target, data_dir)
    from zava_mcp_adapter.database.provisioning import create_database_if_missing  # noqa: PLC0415
    from zava_mcp_adapter.database.seeding import seed_database  # noqa: PLC0415

    assert target.admin_url is not None
    await create_database_if_missing(target.admin_url, DATABASE)
    await prepare_database(settings_, target)
    await seed_database(target, seed=TEST_SEED, scale=TEST_SCALE, show_progress=False)
    return SeededDatabase(target=target, settings=settings_, server=pg_server)


@pytest.fixture
async def admin_conn(zava_db: SeededDatabase) -> AsyncIterator[asyncpg.Connection]:
    """A superuser connection: it bypasses RLS, so it is the oracle for expected results."""
    conn = await asyncpg.connect(zava_db.admin_dsn)
    yield conn
    await conn.close()


@pytest.fixture
async def app_conn(zava_db: SeededDatabase) -> AsyncIterator[asyncpg.Connection]:
    """A raw connection as the application role, for attacks that bypass the statement check."""
    conn = await asyncpg.connect(zava_db.app_dsn)
    yield conn
    await conn.close()
