"""The OpenAI / Azure OpenAI provider against a local server that speaks the embeddings API.

No mock of the client: requests go through the ``openai`` package over HTTP to loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from pydantic import SecretStr

from tests.conftest import SEATTLE_MANAGER, make_settings, make_target
from tests.helpers import in_memory_client, result_payload, tool_text
from tests.integration.search.embeddings_api import API_KEY, EmbeddingsApi, embeddings_api
from zava_core.adapters.embeddings.openai import OpenAIEmbeddingProvider
from zava_core.domain.errors import ConfigurationError, ResourceLimitExceeded
from zava_core.testing import FakeEmbeddingProvider
from zava_mcp_adapter.container import embedding_provider_for
from zava_mcp_adapter.database import embedded
from zava_mcp_adapter.database.provisioning import create_database_if_missing, prepare_database
from zava_mcp_adapter.database.seeding import seed_database
from zava_mcp_adapter.settings import Settings

FAST: dict[str, Any] = {"initial_wait": 0.01, "max_wait": 0.05}


@pytest.fixture(scope="module")
def api() -> Iterator[EmbeddingsApi]:
    with embeddings_api() as server:
        yield server


def _openai(api: EmbeddingsApi, **options: Any) -> OpenAIEmbeddingProvider:
    return OpenAIEmbeddingProvider.for_openai(api_key=API_KEY, base_url=api.openai_base_url, **(FAST | options))


async def test_texts_go_out_in_batches_and_come_back_in_order(api: EmbeddingsApi) -> None:
    before = len(api.embedding_requests)
    texts = ["garden hose", "cordless drill", "paint", "hose hanger", "wire nuts"]
    vectors = await _openai(api, batch_size=2).embed(texts)
    assert [len(r["input"]) for r in api.embedding_requests[before:]] == [2, 2, 1]
    assert vectors == [FakeEmbeddingProvider(1536).vector(t) for t in texts]


async def test_a_rate_limit_is_retried_after_the_servers_retry_after(api: EmbeddingsApi) -> None:
    api.fail_next(429, times=2, retry_after="0")
    before = len(api.state.requests)
    (vector,) = await _openai(api).embed(["garden hose"])
    assert [r["status"] for r in api.state.requests[before:]] == [429, 429, 200]
    assert vector == FakeEmbeddingProvider(1536).vector("garden hose")


async def test_server_errors_are_retried_too(api: EmbeddingsApi) -> None:
    api.fail_next(500)
    assert len(await _openai(api).embed(["drill"])) == 1


async def test_a_rate_limit_that_does_not_end_gives_a_clear_error(api: EmbeddingsApi) -> None:
    api.fail_next(429, times=3, retry_after="0")
    with pytest.raises(ResourceLimitExceeded, match="429") as caught:
        await _openai(api, max_attempts=3).embed(["drill"])
    assert caught.value.hint is not None
    assert "quota" in caught.value.hint


async def test_an_auth_failure_names_the_setting_to_fix(api: EmbeddingsApi) -> None:
    provider = OpenAIEmbeddingProvider.for_openai(api_key="sk-wrong", base_url=api.openai_base_url, **FAST)
    before = len(api.state.requests)
    with pytest.raises(ConfigurationError, match="refused the API key") as caught:
        await provider.embed(["drill"])
    assert "ZAVA_OPENAI_API_KEY" in str(caught.value)
    assert len(api.state.requests) == before + 1  # a 401 is not retried


async def test_azure_calls_the_deployment_with_the_api_key_header(api: EmbeddingsApi) -> None:
    provider = OpenAIEmbeddingProvider.for_azure(
        endpoint=api.url, api_key=API_KEY, api_version="2024-10-21", deployment="zava-embeddings", **FAST
    )
    assert len((await provider.embed(["drill"]))[0]) == 1536
    assert api.state.requests[-1]["path"] == "/openai/deployments/zava-embeddings/embeddings"
    assert provider.model_id == "openai/text-embedding-3-small"


async def test_shortened_vectors_are_requested_and_recorded_in_the_model_id(api: EmbeddingsApi) -> None:
    provider = _openai(api, dimensions=384)
    assert len((await provider.embed(["drill"]))[0]) == 384
    assert api.state.requests[-1]["dimensions"] == 384
    assert provider.model_id == "openai/text-embedding-3-small@384"


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"embedding_provider": "openai"}, "ZAVA_OPENAI_API_KEY"),
        ({"embedding_provider": "azure", "openai_api_key": "k"}, "ZAVA_AZURE_OPENAI_ENDPOINT"),
        ({"embedding_provider": "openai", "openai_api_key": "k", "embedding_model": "text-embedding-3-large"}, "2000"),
        (
            {"embedding_provider": "openai", "openai_api_key": "k", "embedding_model": "my-model"},
            "EMBEDDING_DIMENSIONS",
        ),
        ({"embedding_model": "bge-small"}, "runs all-MiniLM-L6-v2 only"),
    ],
)
def test_misconfiguration_fails_at_start_up_with_the_setting_named(
    tmp_path: Path, overrides: dict[str, Any], fragment: str
) -> None:
    settings = Settings(data_dir=tmp_path, **overrides)
    with pytest.raises(ConfigurationError, match=fragment):
        embedding_provider_for(settings)


@pytest.mark.integration
async def test_openai_provider_end_to_end_embed_then_search_through_mcp(
    api: EmbeddingsApi, pg_server: embedded.EmbeddedServer, data_dir: Path
) -> None:
    """A database of its own: embedding with 1536-d vectors resizes the vector column."""
    target = make_target(pg_server, "zava_search_openai")
    settings = make_settings(
        target,
        data_dir,
        embedding_provider="openai",
        openai_api_key=SecretStr(API_KEY),
        openai_base_url=api.openai_base_url,
    )
    assert target.admin_url is not None
    await create_database_if_missing(target.admin_url, "zava_search_openai")
    await prepare_database(settings, target)
    await seed_database(target, seed=7, scale=0.001, show_progress=False)
    from zava_mcp_adapter.cli.embed import run_embedding  # noqa: PLC0415

    api.fail_next(429, retry_after="0")
    report = await run_embedding(settings, target, show_progress=False, batch_size=100)
    assert report.resized
    assert report.embedded == report.products > 0
    assert report.model_id == "openai/text-embedding-3-small"
    admin = await asyncpg.connect(target.admin_dsn)
    try:
        dims = await admin.fetchval(
            "SELECT atttypmod FROM pg_attribute WHERE attrelid = 'retail.product_description_embeddings'::regclass"
            " AND attname = 'description_embedding'"
        )
        assert dims == 1536
    finally:
        await admin.close()

    before = len(api.embedding_requests)
    api.fail_next(429, retry_after="0")
    async with in_memory_client(settings, target, SEATTLE_MANAGER) as client:
        result = await client.call_tool(
            "semantic_search_products", {"query_description": "garden hose", "mode": "semantic", "max_rows": 3}
        )
        assert not result.is_error, tool_text(result)
        payload = result_payload(result)
        column = [c[0] for c in payload["columns"]].index("product_name")
        names = [row[column] for row in payload["rows"]]
    assert any("Hose" in n for n in names), names
    assert api.embedding_requests[before]["input"] == ["garden hose"]
