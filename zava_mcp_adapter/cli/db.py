from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from zava_mcp_adapter.cli import embed as embed_cli
from zava_mcp_adapter.cli.common import (
    err,
    invalidate_query_cache,
    out,
    prepared_target,
    settings_or_exit,
    user_errors,
)
from zava_mcp_adapter.database import embedded

app = typer.Typer(help="The database: embedded server, migrations, data.", no_args_is_help=True)


@app.command("up")
def up() -> None:
    """Start the embedded server, create the database and migrate it."""
    settings = settings_or_exit()
    with user_errors():
        target = prepared_target(settings)
    out.print(f"database ready ({'embedded' if target.embedded else 'external'})")


@app.command("status")
def status() -> None:
    """Say whether the embedded server runs."""
    settings = settings_or_exit()
    if not settings.embedded:
        out.print("external database (ZAVA_DATABASE_URL is set)")
        return
    out.print(f"embedded server: {embedded.server_status(settings.data_dir)}")


@app.command("down")
def down() -> None:
    """Stop the embedded server (its data stays)."""
    settings = settings_or_exit()
    stopped = embedded.stop(settings.data_dir)
    out.print("stopped" if stopped else "not running")


@app.command("migrate")
def migrate_command(
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
    downgrade: Annotated[bool, typer.Option("--downgrade", help="Go down to REVISION instead.")] = False,
) -> None:
    """Apply (or revert) migrations and install the application's credentials."""
    from zava_mcp_adapter.database.provisioning import migrate, resolve_target

    settings = settings_or_exit()
    with user_errors():
        target = resolve_target(settings)
        if downgrade:
            migrate(target.require_admin_url("Migrating"), revision=revision, down=True)
        elif revision == "head":
            prepared_target(settings)
        else:
            migrate(target.require_admin_url("Migrating"), revision=revision)
    out.print(f"migrated {'down ' if downgrade else ''}to {revision}")


@app.command("seed")
def seed(
    scale: Annotated[float, typer.Option(min=0.001, max=100.0, help="1.0 = the original volumes.")] = 1.0,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same data.")] = 42,
    force: Annotated[bool, typer.Option(help="Reload even if this seed and scale are loaded.")] = False,
    embed: Annotated[bool, typer.Option(help="Then embed the products that changed (zava embed).")] = True,
) -> None:
    """Generate the Zava dataset and load it with COPY, then embed the product descriptions."""
    from zava_mcp_adapter.database.seeding import seed_database

    settings = settings_or_exit()
    with user_errors():
        target = prepared_target(settings)
        report = asyncio.run(seed_database(target, seed=seed_value, scale=scale, force=force))
        if not report.skipped:
            invalidate_query_cache(settings)
        if embed:
            embed_cli.report(asyncio.run(embed_cli.run_embedding(settings, target)))
    if report.skipped:
        err.print(f"already loaded (seed {report.seed}, scale {report.scale}); use --force to reload")
    for table, count in report.row_counts.items():
        out.print(f"{table:>34} {count:>10,}")
    out.print(f"{'seconds':>34} {report.seconds:>10.1f}")
