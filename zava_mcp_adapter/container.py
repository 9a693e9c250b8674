"""The dependency container: it wires the ports to their adapters and nothing else.

Only the composition root (``server.lifespan_for``) asks it for objects; services receive plain
constructor arguments and never see it. Tests swap a provider with ``provider.override(fake)``.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from zava_core.adapters.audit import StructlogAuditLog
from zava_core.adapters.cache import MemoryCache, RedisCache
from zava_core.adapters.sql_policy import PglastStatementPolicy
from zava_core.adapters.sqlalchemy.engine import PoolSettings, create_engine
from zava_core.adapters.sqlalchemy.exposed_columns import EXPOSED_COLUMNS
from zava_core.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from zava_core.domain.statements import QueryLimits
from zava_core.ports.cache import Cache
from zava_core.ports.embeddings import EmbeddingProvider
from zava_core.services.business import BusinessService
from zava_core.services.checked_cache import CachingStatementPolicy
from zava_core.services.concurrency import PrincipalLimiter, QueryAdmission
from zava_core.services.product_search import ProductSearchService
from zava_core.services.query_cache import CachedSalesQueries
from zava_core.services.sales_queries import SalesQueryService
from zava_core.services.schema_catalog import SchemaService
from zava_mcp_adapter.database.provisioning import DatabaseTarget
from zava_mcp_adapter.observability import InstrumentedCache, InstrumentedEmbeddings, Metrics, QueryMonitor
from zava_mcp_adapter.observability.pool_waiting import WaitCountingUnitOfWorkFactory
from zava_mcp_adapter.settings import Settings

__all__ = ["Container"]


def _cache(settings: Settings) -> Cache:
    if settings.redis_url is None:
        return MemoryCache()
    # During a Redis outage the process carries on with a cache of its own.
    return RedisCache.from_url(settings.redis_url.get_secret_value(), fallback=MemoryCache())


def embedding_provider_for(settings: Settings) -> EmbeddingProvider:
    """The configured provider; a misconfiguration fails here, at start-up, naming the setting."""
    if settings.embedding_provider == "local":
        from zava_core.adapters.embeddings.local import LocalEmbeddingProvider  # noqa: PLC0415

        return LocalEmbeddingProvider(model=settings.embedding_model, threads=settings.embedding_threads)
    from zava_core.adapters.embeddings.openai import OpenAIEmbeddingProvider  # noqa: PLC0415 - optional package

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if settings.embedding_provider == "azure":
        return OpenAIEmbeddingProvider.for_azure(
            endpoint=settings.azure_openai_endpoint,
            api_key=key,
            api_version=settings.azure_openai_api_version,
            deployment=settings.azure_openai_deployment,
            model=settings.embedding_model,
            dimensions=settings.embedding_dimensions,
        )
    return OpenAIEmbeddingProvider.for_openai(
        api_key=key,
        base_url=settings.openai_base_url,
        model=settings.embedding_model,
        dimensions=settings.embedding_dimensions,
    )


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    target = providers.Dependency(instance_of=DatabaseTarget)

    pool_settings = providers.Singleton(
        PoolSettings,
        min_size=settings.provided.pool_min_size,
        max_size=settings.provided.pool_max_size,
        recycle_seconds=settings.provided.pool_recycle_seconds,
        pool_timeout_seconds=settings.provided.pool_timeout_seconds,
        command_timeout_seconds=settings.provided.command_timeout_seconds,
        application_name=settings.provided.application_name,
        jit=settings.provided.jit,
        work_mem=settings.provided.work_mem,
        statement_timeout_ms=settings.provided.statement_timeout_ms,
        pooler=settings.provided.database_pooler,
    )
    engine = providers.Singleton(create_engine, url=target.provided.app_url, pool=pool_settings)
    metrics = providers.Singleton(Metrics)
    uow_factory = providers.Singleton(
        WaitCountingUnitOfWorkFactory,
        inner=providers.Singleton(
            SqlAlchemyUnitOfWorkFactory,
            engine=engine,
            context_key=target.provided.context_key,
            statement_timeout_ms=settings.provided.statement_timeout_ms,
        ),
        waiting=metrics.provided.pool_waiting,
    )
    cache = providers.Singleton(InstrumentedCache, inner=providers.Singleton(_cache, settings), metrics=metrics)
    # The query performance monitor sits in front of the audit log: it sees every query's outcome.
    query_monitor = providers.Singleton(
        QueryMonitor,
        inner=providers.Singleton(StructlogAuditLog),
        metrics=metrics,
        slow_query_seconds=settings.provided.slow_query_seconds,
    )
    audit = query_monitor
    policy = providers.Singleton(
        CachingStatementPolicy, inner=providers.Singleton(PglastStatementPolicy, exposed_tables=EXPOSED_COLUMNS)
    )
    limits = providers.Singleton(
        QueryLimits,
        max_rows=settings.provided.max_rows,
        max_result_bytes=settings.provided.max_result_bytes,
    )
    limiter = providers.Singleton(
        PrincipalLimiter, per_principal=settings.provided.max_concurrent_queries_per_principal
    )
    admission = providers.Singleton(QueryAdmission, limit=settings.provided.query_admission)

    sales = providers.Singleton(
        CachedSalesQueries,
        inner=providers.Singleton(
            SalesQueryService,
            uow_factory=uow_factory,
            policy=policy,
            limits=limits,
            limiter=limiter,
            audit=audit,
            admission=admission,
        ),
        policy=policy,
        uow_factory=uow_factory,
        cache=cache,
        audit=audit,
        ttl_seconds=settings.provided.query_cache_ttl_seconds,
    )
    schema = providers.Singleton(
        SchemaService,
        uow_factory=uow_factory,
        cache=cache,
        ttl_seconds=settings.provided.schema_cache_ttl_seconds,
        limiter=limiter,
    )
    business = providers.Singleton(BusinessService, uow_factory=uow_factory)
    embeddings = providers.Singleton(
        InstrumentedEmbeddings, inner=providers.Singleton(embedding_provider_for, settings), metrics=metrics
    )
    product_search = providers.Singleton(
        ProductSearchService,
        uow_factory=uow_factory,
        embeddings=embeddings,
        cache=cache,
        limiter=limiter,
        audit=audit,
        embedding_cache_ttl_seconds=settings.provided.embedding_cache_ttl_seconds,
    )
