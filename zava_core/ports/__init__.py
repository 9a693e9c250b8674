"""Ports: the protocols that services depend on and adapters implement."""

from zava_core.ports.audit import AuditLog
from zava_core.ports.cache import Cache
from zava_core.ports.embeddings import EmbeddingProvider
from zava_core.ports.statement_policy import StatementPolicy
from zava_core.ports.unit_of_work import SalesQueries, SchemaCatalog, UnitOfWork, UnitOfWorkFactory

__all__ = [
    "AuditLog",
    "Cache",
    "EmbeddingProvider",
    "SalesQueries",
    "SchemaCatalog",
    "StatementPolicy",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
