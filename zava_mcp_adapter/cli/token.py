from __future__ import annotations

import uuid
from typing import Annotated

import typer

from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.cli.common import out, settings_or_exit, user_errors
from zava_mcp_adapter.database.secrets import load_or_create
from zava_mcp_adapter.identity import issue_token

app = typer.Typer(help="Bearer tokens for the HTTP transport.", no_args_is_help=True)


@app.command("issue")
def issue(
    user: Annotated[str, typer.Option(help="The RLS user id (UUID) the token acts for.")],
    ttl_days: Annotated[int, typer.Option(min=1, max=3650, help="Days until the token expires.")] = 30,
) -> None:
    """Mint a token for USER, signed with the server's secret."""
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
    out.print(token, soft_wrap=True, highlight=False)
