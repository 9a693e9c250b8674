from __future__ import annotations

import pytest

from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.settings import load_settings


def test_defaults_follow_the_design() -> None:
    settings = load_settings()
    assert (settings.pool_min_size, settings.pool_max_size) == (2, 10)
    assert settings.pool_recycle_seconds == 300
    assert settings.command_timeout_seconds is None  # derived: statement timeout + 5 s
    assert settings.pool_timeout_seconds == 3
    assert settings.query_admission == 8  # two of ten connections kept for short calls
    assert settings.statement_timeout_ms == 30_000
    assert settings.work_mem == "4MB"
    assert settings.jit is False
    assert settings.embedded


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [
        ("ZAVA_POOL_MAX_SIZE", "0", "ZAVA_POOL_MAX_SIZE"),
        ("ZAVA_POOL_MIN_SIZE", "many", "ZAVA_POOL_MIN_SIZE"),
        ("ZAVA_DATABASE_URL", "mysql://x", "ZAVA_DATABASE_URL"),
        ("ZAVA_RLS_USER_ID", "not-a-uuid", "ZAVA_RLS_USER_ID"),
        ("ZAVA_WORK_MEM", "lots", "ZAVA_WORK_MEM"),
        ("ZAVA_PORT", "70000", "ZAVA_PORT"),
        ("ZAVA_EMBEDDING_PROVIDER", "magic", "ZAVA_EMBEDDING_PROVIDER"),
    ],
)
def test_bad_setting_stops_start_up_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, named: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigurationError, match=named):
        load_settings()


def test_min_pool_larger_than_max_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZAVA_POOL_MIN_SIZE", "20")
    with pytest.raises(ConfigurationError, match="ZAVA_POOL_MIN_SIZE"):
        load_settings()


def test_external_database_needs_a_context_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZAVA_DATABASE_URL", "postgresql://zava_app:pw@db:5432/zava")
    with pytest.raises(ConfigurationError, match="ZAVA_CONTEXT_KEY"):
        load_settings()
