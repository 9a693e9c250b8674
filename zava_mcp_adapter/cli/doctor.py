"""``zava doctor``: the health checks of ``/health``, in a terminal, plus the running server's
query performance summary when one answers on the configured port."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zava_mcp_adapter.cli.common import out, settings_or_exit, user_errors
from zava_mcp_adapter.database import embedded

if TYPE_CHECKING:
    from zava_mcp_adapter.health import HealthReport
    from zava_mcp_adapter.settings import Settings

__all__ = ["doctor"]


def doctor(
    embedding_call: Annotated[
        bool, typer.Option(help="Embed one text to prove the provider works (loads a local model).")
    ] = True,
) -> None:
    """Check the database, the migrations and the embedding provider; show query performance."""
    settings = settings_or_exit()
    out.print(f"database: {'embedded in ' + str(settings.data_dir) if settings.embedded else 'external'}")
    out.print(f"embedding provider: {settings.embedding_provider}")
    out.print(f"cache: {'redis' if settings.redis_url else 'in-memory (per process)'}")
    if settings.embedded and not embedded.server_status(settings.data_dir).startswith("running"):
        out.print("[red]✗[/red] embedded server is not running: `zava db up` starts it", highlight=False)
        raise typer.Exit(1)
    with user_errors():
        report = asyncio.run(_checks(settings, probe=embedding_call))
    _print_report(report)
    _print_server_summary(settings)
    if not report.ok:
        raise typer.Exit(1)


async def _checks(settings: Settings, *, probe: bool) -> HealthReport:
    from zava_mcp_adapter.bootstrap import bootstrap
    from zava_mcp_adapter.database.provisioning import resolve_target
    from zava_mcp_adapter.health import HealthChecker

    container = bootstrap(settings, resolve_target(settings))
    engine = container.engine()
    try:
        checker = HealthChecker(
            engine, container.embeddings(), admin_url=container.target().admin_url, probe_embeddings=probe
        )
        return await checker.ready()
    finally:
        await engine.dispose()


def _print_report(report: HealthReport) -> None:
    for check in report.checks:
        mark = "[green]✓[/green]" if check.ok else "[red]✗[/red]"
        out.print(f"{mark} {check.name}: {check.detail} ({check.duration_ms:.0f} ms)", highlight=False)


def _print_server_summary(settings: Settings) -> None:
    import httpx
    from rich.table import Table

    url = f"http://{settings.host}:{settings.port}/health"
    try:
        body: dict[str, Any] = httpx.get(url, timeout=2.0).json()
    except (httpx.HTTPError, ValueError):
        out.print(f"no server answers on {url}: no query performance to show", highlight=False)
        return
    queries: dict[str, dict[str, float]] = body.get("queries", {})
    if not queries:
        out.print(f"server on {url}: no queries yet", highlight=False)
        return
    table = Table(title=f"Query performance (server on {settings.host}:{settings.port})")
    for column in ("operation", "count", "mean ms", "p95 ms", "max ms", "slow"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for name, s in queries.items():
        table.add_row(
            name,
            str(s["count"]),
            f"{s['mean_ms']:.1f}",
            f"{s['p95_ms']:.1f}",
            f"{s['max_ms']:.1f}",
            str(s["slow_count"]),
        )
    out.print(table)
