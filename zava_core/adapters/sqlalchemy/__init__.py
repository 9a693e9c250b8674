"""SQLAlchemy 2 (asyncpg) adapters: the engine, the unit of work and the repositories."""
