"""Settings from the environment (prefix ``ZAVA_``), validated once at start-up.

A bad value stops start-up with a message naming the setting (see ``load_settings``).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from zava_core.domain.errors import ConfigurationError

__all__ = ["Settings", "load_settings"]


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("zava", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZAVA_", extra="ignore", frozen=True)

    # Database. Unset URLs mean the embedded server in ``data_dir``.
    database_url: SecretStr | None = Field(None, description="URL the server connects with (the zava_app role).")
    admin_database_url: SecretStr | None = Field(None, description="URL for migrations and seeding (an administrator).")
    data_dir: Path = Field(default_factory=_default_data_dir, description="Embedded server data and local secrets.")
    database_name: str = Field("zava", pattern=r"^[a-z_][a-z0-9_]{0,62}$")

    # The principal for stdio: the client that launches the process configures who it acts for.
    rls_user_id: uuid.UUID | None = None

    # Secrets. Unset: generated once into ``data_dir/secrets.json`` (embedded mode only).
    context_key: SecretStr | None = Field(None, description="Key that proves the RLS context to the database.")
    app_password: SecretStr | None = None
    jwt_secret: SecretStr | None = None
    jwt_audience: str = "zava-mcp"
    jwt_issuer: str = "zava"

    # Pool and server settings (the design's defaults).
    pool_min_size: int = Field(2, ge=1, le=100)
    pool_max_size: int = Field(10, ge=1, le=200)
    pool_recycle_seconds: int = Field(300, ge=10)
    pool_timeout_seconds: float = Field(3.0, gt=0, le=300, description="Wait for a pooled connection, then refuse.")
    command_timeout_seconds: float | None = Field(
        None, gt=0, le=3600, description="Driver-side deadline; never below statement timeout + 5 s (the default)."
    )
    database_startup_wait_seconds: float = Field(
        60.0, ge=0, le=3600, description="How long start-up waits for an external database to answer."
    )
    application_name: str = Field("zava-mcp", max_length=63)
    jit: bool = False
    work_mem: str = Field("4MB", pattern=r"^\d+\s*(kB|MB|GB)$")
    statement_timeout_ms: int = Field(30_000, ge=100, le=600_000)
    database_pooler: Literal["none", "transaction"] = Field(
        "none", description="`transaction` when PgBouncer (transaction pooling) sits in front of PostgreSQL."
    )

    # Query bounds.
    max_rows: int = Field(1000, ge=1, le=100_000)
    max_result_bytes: int = Field(2_000_000, ge=1024, le=100_000_000)
    max_concurrent_queries_per_principal: int = Field(2, ge=1, le=64)
    max_concurrent_queries: int | None = Field(
        None,
        ge=1,
        le=200,
        description="Model-written queries at once, all principals; default: a fifth below pool size.",
    )
    calls_per_minute_per_principal: int = Field(120, ge=0, le=100_000, description="Tool calls; 0 = no limit.")

    # Cache.
    redis_url: SecretStr | None = None
    schema_cache_ttl_seconds: int = Field(300, ge=0)
    query_cache_ttl_seconds: int = Field(300, ge=0, description="Query results cache, per scope; 0 = off.")

    # Embeddings.
    embedding_provider: Literal["local", "openai", "azure"] = "local"
    embedding_model: str | None = None
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    azure_openai_endpoint: str | None = None
    azure_openai_api_version: str = "2024-10-21"
    azure_openai_deployment: str | None = None
    embedding_dimensions: int | None = Field(None, ge=1, le=2000, description="Shorten text-embedding-3 vectors.")
    embedding_threads: int | None = Field(1, ge=1, le=256, description="Torch threads for the local model.")
    # On by default: loaded in the background at start-up, the model is ready before a client's
    # first search (loading on first use made that call wait 23-47 s on a busy 2-core machine).
    embedding_preload: bool = Field(True, description="Load the local model at start-up, not on first use.")
    embedding_cache_ttl_seconds: int = Field(7 * 24 * 3600, ge=0, description="Query embedding cache; 0 = off.")

    # Observability.
    slow_query_seconds: float = Field(1.0, gt=0, description="Queries at least this slow are logged.")
    metrics_enabled: bool = Field(True, description="Serve Prometheus metrics on /metrics (HTTP).")
    log_format: Literal["auto", "json", "console"] = Field("auto", description="auto: JSON unless a terminal.")
    otel_exporter: Literal["none", "console", "otlp"] = Field(
        "none", description="OpenTelemetry traces: console (stderr) or otlp; needs the otel extra."
    )

    # HTTP transport.
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    shutdown_grace_seconds: int = Field(5, ge=0, le=300, description="How long in-flight calls may finish.")

    @field_validator("embedding_provider", "log_format", "otel_exporter", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        # Environment variables are typed by people: `Local` and `local` mean the same.
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url", "admin_database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if not raw.startswith(("postgresql://", "postgresql+asyncpg://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL such as postgresql://user:password@host:5432/zava")
        return SecretStr(to_asyncpg_url(raw))

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.pool_min_size > self.pool_max_size:
            raise ValueError(
                f"ZAVA_POOL_MIN_SIZE ({self.pool_min_size}) is larger than ZAVA_POOL_MAX_SIZE ({self.pool_max_size})"
            )
        if self.max_concurrent_queries is not None and self.max_concurrent_queries > self.pool_max_size:
            raise ValueError(
                f"ZAVA_MAX_CONCURRENT_QUERIES ({self.max_concurrent_queries}) is larger than "
                f"ZAVA_POOL_MAX_SIZE ({self.pool_max_size}); keep it below to leave connections for short calls"
            )
        for name in ("jwt_secret", "context_key"):
            secret = getattr(self, name)
            if secret is not None and len(secret.get_secret_value()) < 32:
                raise ValueError(f"ZAVA_{name.upper()} must be at least 32 characters (use a random value)")
        if self.database_url is not None and self.context_key is None:
            raise ValueError("ZAVA_CONTEXT_KEY must be set with ZAVA_DATABASE_URL (run `zava db migrate` with both)")
        return self

    @property
    def query_admission(self) -> int:
        """Model-written queries admitted at once: by default a fifth of the pool (at least one
        connection) stays free for the short calls (schemas, searches, cache scopes)."""
        if self.max_concurrent_queries is not None:
            return self.max_concurrent_queries
        return max(1, self.pool_max_size - max(1, self.pool_max_size // 5))

    @property
    def embedded(self) -> bool:
        return self.database_url is None


def to_asyncpg_url(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one message per bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "settings"
            name = f"ZAVA_{field.upper()}" if error["loc"] else "settings"
            problems.append(f"{name}: {error['msg']}")
        raise ConfigurationError(
            "Invalid configuration: " + "; ".join(problems), hint="Fix the environment variables named above."
        ) from None
