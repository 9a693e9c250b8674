"""Resources and prompts through a real client: listed, readable, and per principal."""

from __future__ import annotations

import json
import uuid

import pytest
from mcp import Client
from mcp_types import TextResourceContents

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from tests.helpers import in_memory_client
from zava_core.dataset.generator import REGIONAL_MANAGER_STORES, REGIONAL_MANAGER_USER_ID

pytestmark = pytest.mark.integration

async def _text(client: Client, uri: str) -> str:
    content = (await client.read_resource(uri)).contents[0]
    assert isinstance(content, TextResourceContents), uri
    return content.text


STORES = {SEATTLE_MANAGER: ["Zava Retail Seattle"], REGIONAL_MANAGER_USER_ID: sorted(REGIONAL_MANAGER_STORES)}


@pytest.mark.parametrize("user", list(STORES))
async def test_every_resource_reads_and_the_facts_are_the_principals_own(
    user: uuid.UUID, zava_db: SeededDatabase
) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, user) as client:
        listed = (await client.list_resources()).resources
        uris = {str(r.uri) for r in listed}
        assert {"zava://schema", "zava://reference", "docs://security", "zava://schema/orders"} <= uris
        for uri in sorted(uris):
            assert await _text(client, uri), uri
        facts = json.loads(await _text(client, "zava://reference"))
        overview = await _text(client, "zava://schema")
        orders = await _text(client, "zava://schema/orders")
    assert sorted(facts["stores"]) == STORES[user]
    assert len(facts["categories"]) == 9
    assert facts["order_dates"][0] <= facts["order_dates"][1]
    assert "order_items:" in overview
    assert "total_amount" in orders
    assert "order_items:" not in orders


@pytest.mark.parametrize("user", list(STORES))
async def test_every_prompt_names_the_tools_it_leads_to(user: uuid.UUID, zava_db: SeededDatabase) -> None:
    arguments = {"store_review": {}, "category_deep_dive": {"category": "POWER TOOLS"}, "stock_check": {}}
    async with in_memory_client(zava_db.settings, zava_db.target, user) as client:
        prompts = {p.name for p in (await client.list_prompts()).prompts}
        assert prompts == set(arguments)
        tools = {t.name for t in (await client.list_tools()).tools}
        for name, args in arguments.items():
            text = (await client.get_prompt(name, args)).messages[0].content.text  # type: ignore[union-attr]
            named = {t for t in tools if t in text}
            assert named, name
