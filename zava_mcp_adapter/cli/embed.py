"""``zava embed``: compute the product description embeddings that semantic search reads."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

from zava_mcp_adapter.cli.common import err, invalidate_query_cache, prepared_target, settings_or_exit, user_errors

if TYPE_CHECKING:
    from zava_core.services.embedding_job import EmbedReport
    from zava_mcp_adapter.database.provisioning import DatabaseTarget
    from zava_mcp_adapter.settings import Settings

__all__ = ["embed", "run_embedding"]


async def run_embedding(
    settings: Settings,
    target: DatabaseTarget,
    *,
    force: bool = False,
    batch_size: int = 128,
    show_progress: bool = True,
) -> EmbedReport:
    """Embed what changed, through the administrator connection (the app role is read-only)."""
    from zava_core.adapters.progress import RichProgress
    from zava_core.adapters.sqlalchemy.embedding_store import SqlAlchemyEmbeddingStore
    from zava_core.services.embedding_job import embed_catalog
    from zava_mcp_adapter.container import embedding_provider_for
    from zava_mcp_adapter.database.engines import one_shot_engine

    # Bulk work: let torch use every core (the server's default of one thread suits single queries).
    provider = embedding_provider_for(settings.model_copy(update={"embedding_threads": None}))
    async with one_shot_engine(target.require_admin_url("Embedding")) as engine:
        store = SqlAlchemyEmbeddingStore(engine)
        if not show_progress:
            return await embed_catalog(store, provider, force=force, batch_size=batch_size)
        with RichProgress() as progress:
            return await embed_catalog(store, provider, force=force, batch_size=batch_size, progress=progress)


def report(result: EmbedReport) -> None:
    resized = " (vector column resized for the model)" if result.resized else ""
    err.print(
        f"embeddings: {result.embedded:,} computed, {result.up_to_date:,} up to date, "
        f"model {result.model_id}, {result.seconds:.1f} s{resized}",
        highlight=False,
    )


def embed(
    force: Annotated[bool, typer.Option(help="Re-embed every product, not only those that changed.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=2048, help="Texts per model call.")] = 128,
) -> None:
    """(Re)compute product description embeddings with the configured model, in batches.

    Only products whose description or model changed are embedded; if the configured model's
    vector size differs from the stored one, the column is resized and everything re-embedded.
    """
    settings = settings_or_exit()
    with user_errors():
        target = prepared_target(settings)
        result = asyncio.run(run_embedding(settings, target, force=force, batch_size=batch_size))
        report(result)
        if result.embedded:
            invalidate_query_cache(settings)  # the embeddings table is queryable too
