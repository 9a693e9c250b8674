"""Every adapter and every fake, assigned to its port, for ``mypy --strict`` to check.

Nothing here runs for its behaviour. The container builds the adapters through
dependency-injector, which hides their types, and a protocol is structural: without these lines
an adapter or a fake could drift from its port (a missing repository, a changed signature) and
no checked line would notice. Each function takes the concrete class and returns it as the port,
so ``mypy`` proves the class implements the port. ``tests/unit/test_conformance.py`` reads the
annotations to prove every port has at least one adapter and exactly one fake.

It imports every adapter, so it needs every optional dependency (``openai``, ``redis``, ``rich``).
"""

from __future__ import annotations

from zava_core.adapters.audit import StructlogAuditLog
from zava_core.adapters.cache.memory import MemoryCache
from zava_core.adapters.cache.redis import RedisCache
from zava_core.adapters.embeddings.local import LocalEmbeddingProvider
from zava_core.adapters.embeddings.openai import OpenAIEmbeddingProvider
from zava_core.adapters.progress import RichProgress
from zava_core.adapters.sql_policy.policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.business import SqlBusinessQueries
from zava_core.adapters.sqlalchemy.catalog import SqlSchemaCatalog
from zava_core.adapters.sqlalchemy.embedding_store import SqlAlchemyEmbeddingStore
from zava_core.adapters.sqlalchemy.products import SqlProductSearch
from zava_core.adapters.sqlalchemy.sales import SqlSalesQueries
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork, SqlAlchemyUnitOfWorkFactory
from zava_core.dataset.progress import Progress
from zava_core.ports.audit import AuditLog
from zava_core.ports.business import BusinessQueries
from zava_core.ports.cache import Cache
from zava_core.ports.embeddings import EmbeddingProvider
from zava_core.ports.products import EmbeddingStore, ProductSearch
from zava_core.ports.statement_policy import StatementPolicy
from zava_core.ports.unit_of_work import SalesQueries, SchemaCatalog, UnitOfWork, UnitOfWorkFactory
from zava_core.services.checked_cache import CachingStatementPolicy
from zava_core.testing.embeddings import FakeEmbeddingProvider
from zava_core.testing.fakes import (
    FakeBusinessQueries,
    FakeCache,
    FakeCatalog,
    FakeSalesQueries,
    FakeUnitOfWork,
    FakeUnitOfWorkFactory,
    KeywordPolicy,
    RecordingAuditLog,
    RecordingProgress,
)
from zava_core.testing.products import FakeEmbeddingStore, FakeProductSearch

__all__: list[str] = []

# --- adapters ------------------------------------------------------------------------------


def _unit_of_work(x: SqlAlchemyUnitOfWork) -> UnitOfWork:
    return x


def _unit_of_work_factory(x: SqlAlchemyUnitOfWorkFactory) -> UnitOfWorkFactory:
    return x


def _sales(x: SqlSalesQueries) -> SalesQueries:
    return x


def _catalog(x: SqlSchemaCatalog) -> SchemaCatalog:
    return x


def _product_search(x: SqlProductSearch) -> ProductSearch:
    return x


def _business(x: SqlBusinessQueries) -> BusinessQueries:
    return x


def _embedding_store(x: SqlAlchemyEmbeddingStore) -> EmbeddingStore:
    return x


def _statement_policy(x: PglastStatementPolicy) -> StatementPolicy:
    return x


def _caching_statement_policy(x: CachingStatementPolicy) -> StatementPolicy:
    return x


def _audit_log(x: StructlogAuditLog) -> AuditLog:
    return x


def _memory_cache(x: MemoryCache) -> Cache:
    return x


def _redis_cache(x: RedisCache) -> Cache:
    return x


def _local_embeddings(x: LocalEmbeddingProvider) -> EmbeddingProvider:
    return x


def _openai_embeddings(x: OpenAIEmbeddingProvider) -> EmbeddingProvider:
    return x


def _progress(x: RichProgress) -> Progress:
    return x


# --- fakes ---------------------------------------------------------------------------------


def _fake_unit_of_work(x: FakeUnitOfWork) -> UnitOfWork:
    return x


def _fake_unit_of_work_factory(x: FakeUnitOfWorkFactory) -> UnitOfWorkFactory:
    return x


def _fake_sales(x: FakeSalesQueries) -> SalesQueries:
    return x


def _fake_catalog(x: FakeCatalog) -> SchemaCatalog:
    return x


def _fake_product_search(x: FakeProductSearch) -> ProductSearch:
    return x


def _fake_business(x: FakeBusinessQueries) -> BusinessQueries:
    return x


def _fake_embedding_store(x: FakeEmbeddingStore) -> EmbeddingStore:
    return x


def _fake_statement_policy(x: KeywordPolicy) -> StatementPolicy:
    return x


def _fake_audit_log(x: RecordingAuditLog) -> AuditLog:
    return x


def _fake_cache(x: FakeCache) -> Cache:
    return x


def _fake_embeddings(x: FakeEmbeddingProvider) -> EmbeddingProvider:
    return x


def _fake_progress(x: RecordingProgress) -> Progress:
    return x
