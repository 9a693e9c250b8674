"""``zava token issue``: development bearer tokens, signed with the server's secret."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Annotated

import typer

from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.cli.common import err, out, settings_or_exit, user_errors
from zava_mcp_adapter.database import embedded

if TYPE_CHECKING:
    from zava_mcp_adapter.settings import Settings

app = typer.Typer(help="Bearer tokens for the HTTP transport.", no_args_is_help=True)

#: Stores a principal may see, read as the administrator (no RLS): the same tables the policies use.
_VISIBLE_STORES = """
SELECT p.role,
       (SELECT count(*) FROM retail.stores s WHERE s.rls_user_id = p.user_id)
     + (SELECT count(*) FROM retail.principal_stores ps WHERE ps.user_id = p.user_id) AS stores
FROM retail.principals p WHERE p.user_id = :user_id
"""


@app.command("issue")
def issue(
    user: Annotated[str, typer.Option(help="The RLS user id (UUID) the token acts for.")],
    ttl_days: Annotated[int, typer.Option(min=1, max=3650, help="Days until the token expires.")] = 30,
) -> None:
    """Mint a token for USER, signed with the server's secret."""
    from zava_mcp_adapter.database.secrets import load_or_create
    from zava_mcp_adapter.identity import issue_token

    settings = settings_or_exit()
    with user_errors():
        try:
            user_id = uuid.UUID(user)
        except ValueError:
            raise ConfigurationError(f"--user must be a UUID, got {user!r}.") from None
        secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
        if secret is None:
            if not settings.embedded:
                raise ConfigurationError("Set ZAVA_JWT_SECRET to mint tokens for your server.")
            secret = load_or_create(settings.data_dir).jwt_secret
        token = issue_token(
            secret, user_id, audience=settings.jwt_audience, issuer=settings.jwt_issuer, ttl_seconds=ttl_days * 86400
        )
    warning = _access_warning(settings, user_id)
    if warning:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    out.print(token, soft_wrap=True, highlight=False)


def _access_warning(settings: Settings, user_id: uuid.UUID) -> str | None:
    """Why this token would see no data, when the database can tell (a token for an unknown user
    otherwise looks exactly like "no data" in every answer). Never starts a stopped server."""
    if settings.embedded and not embedded.server_status(settings.data_dir).startswith("running"):
        return None
    if not settings.embedded and settings.admin_database_url is None:
        return None
    from sqlalchemy.exc import SQLAlchemyError

    try:
        found = asyncio.run(_lookup(settings, user_id))
    except (OSError, SQLAlchemyError, ConfigurationError):
        return None  # the check is a courtesy: minting does not depend on it
    if found is None:
        return f"user {user_id} is not a known principal: calls with this token will see no rows."
    role, stores = found
    if role != "head_office" and stores == 0:
        return f"user {user_id} ({role}) has no stores: calls with this token will see no rows."
    return None


async def _lookup(settings: Settings, user_id: uuid.UUID) -> tuple[str, int] | None:
    """The principal's role and how many stores it may see, or None for an unknown user."""
    from sqlalchemy import text

    from zava_mcp_adapter.database.engines import one_shot_engine
    from zava_mcp_adapter.database.provisioning import resolve_target

    target = resolve_target(settings)
    admin_url = target.require_admin_url("This")
    async with one_shot_engine(admin_url, connect_timeout=5) as engine, engine.connect() as conn:
        row = (await conn.execute(text(_VISIBLE_STORES), {"user_id": user_id})).one_or_none()
    return None if row is None else (str(row.role), int(row.stores))
