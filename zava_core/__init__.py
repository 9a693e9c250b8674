"""Zava core: a tenant-safe retail analytics library for PostgreSQL.

The domain and ports are pure Python; adapters implement the ports with SQLAlchemy (asyncpg),
pglast, sentence-transformers and Redis. Importable without MCP.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
