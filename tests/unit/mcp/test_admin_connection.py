"""Commands that need an administrator connection refuse in one way when there is none."""

from __future__ import annotations

import pytest

from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.database.provisioning import DatabaseTarget

ADMIN_URL = "postgresql+asyncpg://admin@db.example/zava"


def _target(admin_url: str | None) -> DatabaseTarget:
    return DatabaseTarget(
        app_url="postgresql+asyncpg://zava_app@db.example/zava",
        admin_url=admin_url,
        context_key="key",
        app_password=None,
        jwt_secret=None,
        embedded=False,
    )


@pytest.mark.parametrize("purpose", ["Seeding", "Embedding", "Migrating"])
def test_without_an_admin_url_the_refusal_names_the_purpose_and_the_setting(purpose: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        _target(None).require_admin_url(purpose)
    assert refused.value.message.startswith(f"{purpose} needs an administrator connection")
    assert refused.value.hint is not None
    assert "ZAVA_ADMIN_DATABASE_URL" in refused.value.hint


def test_the_asyncpg_dsn_is_refused_the_same_way() -> None:
    with pytest.raises(ConfigurationError, match="needs an administrator connection"):
        _ = _target(None).admin_dsn


def test_with_an_admin_url_it_is_handed_out_and_converted_for_asyncpg() -> None:
    target = _target(ADMIN_URL)
    assert target.require_admin_url("Seeding") == ADMIN_URL
    assert target.admin_dsn == "postgresql://admin@db.example/zava"
