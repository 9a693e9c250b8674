"""``zava``: run the server, manage the database, mint tokens."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Annotated

import typer

from zava_mcp_adapter.cli import db, doctor, embed, token
from zava_mcp_adapter.cli.common import err, out, prepared_target, settings_or_exit, user_errors
from zava_mcp_adapter.lifecycle import bind_port, one_server_per_data_dir

if TYPE_CHECKING:
    from zava_mcp_adapter.settings import Settings

app = typer.Typer(help="Zava retail MCP server.", no_args_is_help=True, add_completion=False)
app.add_typer(db.app, name="db")
app.add_typer(token.app, name="token")
app.command("embed")(embed.embed)
app.command("doctor")(doctor.doctor)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port.")] = None,
) -> None:
    """Serve MCP over streamable HTTP (bearer tokens required)."""
    from zava_mcp_adapter.bootstrap import bootstrap
    from zava_mcp_adapter.http import serve_http

    settings = settings_or_exit()
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    if overrides:
        settings = settings.model_copy(update=overrides)
    with user_errors():
        sock = bind_port(settings.host, settings.port)
        with _one_server(settings):
            serve_http(bootstrap(settings), settings, sock)


@app.command()
def run(
    scale: Annotated[float, typer.Option(min=0.001, max=100.0, help="Dataset scale for the first seed.")] = 1.0,
) -> None:
    """Everything for a first look: database up, migrated, seeded once, then serve over HTTP."""
    from zava_mcp_adapter.bootstrap import bootstrap
    from zava_mcp_adapter.database.seeding import seed_database
    from zava_mcp_adapter.http import serve_http

    settings = settings_or_exit()
    with user_errors():
        # The port first: a second `zava run` stops here, before any banner or set-up work.
        sock = bind_port(settings.host, settings.port)
        with _one_server(settings):
            target = prepared_target(settings)
            report = asyncio.run(seed_database(target, scale=scale))
            if not report.skipped:
                err.print(f"seeded {sum(report.row_counts.values()):,} rows in {report.seconds:.1f} s")
            embed.report(asyncio.run(embed.run_embedding(settings, target)))
            _print_client_config(settings, target.jwt_secret or "")
            serve_http(bootstrap(settings, target), settings, sock)


def _one_server(settings: Settings) -> AbstractContextManager[None]:
    """The embedded database's folder is served by one HTTP server at a time."""
    return one_server_per_data_dir(settings.data_dir) if settings.embedded else nullcontext()


def _print_client_config(settings: Settings, secret: str) -> None:
    from zava_core.dataset.reference import load_reference
    from zava_core.domain.principal import HEAD_OFFICE_USER_ID
    from zava_mcp_adapter.http import MCP_PATH
    from zava_mcp_adapter.identity import issue_token

    url = f"http://{settings.host}:{settings.port}{MCP_PATH}"
    seattle = load_reference().stores[0]

    def bearer(user: object) -> str:
        return issue_token(secret, user, audience=settings.jwt_audience, issuer=settings.jwt_issuer)  # type: ignore[arg-type]

    vscode = {
        "servers": {
            "zava-head-office": {
                "type": "http",
                "url": url,
                "headers": {"Authorization": f"Bearer {bearer(HEAD_OFFICE_USER_ID)}"},
            },
            "zava-seattle-manager": {
                "type": "http",
                "url": url,
                "headers": {"Authorization": f"Bearer {bearer(seattle.rls_user_id)}"},
            },
        }
    }
    command = shutil.which("zava-mcp") or f"{sys.prefix}/bin/zava-mcp"
    claude = {
        "mcpServers": {
            "zava-seattle-manager": {
                "command": command,
                "env": {"ZAVA_RLS_USER_ID": str(seattle.rls_user_id), "ZAVA_DATA_DIR": str(settings.data_dir)},
            }
        }
    }
    out.print(f"\n[bold]Zava MCP server[/bold] on {url}\n")
    out.print("VS Code (.vscode/mcp.json):", highlight=False)
    out.print(json.dumps(vscode, indent=2), highlight=False, soft_wrap=True)
    out.print("\nClaude Desktop (claude_desktop_config.json, stdio):", highlight=False)
    out.print(json.dumps(claude, indent=2), highlight=False, soft_wrap=True)
    out.print("\nMint more tokens with: zava token issue --user <uuid>\n", highlight=False)


if __name__ == "__main__":
    app()
