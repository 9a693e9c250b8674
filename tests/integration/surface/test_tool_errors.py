"""Every failure comes back as data: the code first in the text, the same facts as structured
content {code, rule?, message, hint?, field?} that the tool's output schema admits."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from dependency_injector import providers
from mcp import Client
from mcp_types import TextContent

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from tests.helpers import in_memory_client
from zava_mcp_adapter.bootstrap import bootstrap
from zava_mcp_adapter.identity import StaticIdentity
from zava_mcp_adapter.server import build_server, lifespan_for

pytestmark = pytest.mark.integration


async def failure(client: Client, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    assert result.is_error
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    assert isinstance(result.content[0], TextContent)
    text = result.content[0].text
    assert text.startswith(content["code"]), text
    assert content["message"] in text
    schemas = {t.name: t.output_schema for t in (await client.list_tools()).tools}
    if tool in schemas:
        jsonschema.validate(content, schemas[tool])
    return content


@pytest.mark.parametrize(
    ("arguments", "field", "in_message", "in_hint"),
    [
        ({}, "postgresql_query", "Field required", "Required arguments: postgresql_query"),
        ({"postgresql_query": 42}, "postgresql_query", "valid string", "type"),
        ({"postgresql_query": "x" * 20_001}, "postgresql_query", "at most 20000", "maxLength"),
    ],
)
async def test_bad_arguments_are_validation_errors_naming_the_argument_and_the_constraint(
    arguments: dict[str, Any], field: str, in_message: str, in_hint: str, zava_db: SeededDatabase
) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        content = await failure(client, "execute_sales_query", arguments)
    assert content["code"] == "VALIDATION_ERROR"
    assert content["rule"] == "invalid_argument"
    assert content["field"] == field
    assert in_message in content["message"]
    assert in_hint in content["hint"]
    assert "x" * 50 not in content["message"]  # the rejected value is never echoed


async def test_out_of_range_search_rows_name_the_bound(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        content = await failure(client, "semantic_search_products", {"query_description": "drill", "max_rows": 1000})
    assert (content["code"], content["field"]) == ("VALIDATION_ERROR", "max_rows")
    assert "100" in content["message"]
    assert "'maximum': 100" in content["hint"]


async def test_an_unknown_tool_is_a_validation_error_listing_the_tools(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        content = await failure(client, "drop_everything", {})
    assert (content["code"], content["rule"], content["field"]) == ("VALIDATION_ERROR", "unknown_tool", "name")
    assert "store_performance" in content["hint"]


async def test_a_refusal_carries_its_rule_and_a_hint(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        content = await failure(client, "execute_sales_query", {"postgresql_query": "DELETE FROM retail.orders"})
    assert (content["code"], content["rule"]) == ("VALIDATION_ERROR", "not_read_only")
    assert "SELECT" in content["hint"]


async def test_a_database_error_has_its_code_and_a_hint(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        content = await failure(client, "execute_sales_query", {"postgresql_query": "SELECT nope FROM retail.orders"})
    assert content["code"] == "DATABASE_ERROR"
    assert "nope" in content["message"]
    assert content["hint"]


async def test_a_bad_period_is_a_validation_error(zava_db: SeededDatabase) -> None:
    async with in_memory_client(zava_db.settings, zava_db.target, SEATTLE_MANAGER) as client:
        content = await failure(client, "store_performance", {"start": "2026-05-01", "end": "2026-04-01"})
    assert content["code"] == "VALIDATION_ERROR"
    assert "YYYY-MM-DD" in content["hint"]


class _Broken:
    async def store_performance(self, *_: Any, **__: Any) -> Any:
        raise RuntimeError("secret internal detail")


async def test_a_crash_is_an_internal_error_that_keeps_its_details_on_the_server(
    zava_db: SeededDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    container = bootstrap(zava_db.settings, zava_db.target)
    container.business.override(providers.Object(_Broken()))
    server = build_server(lifespan_for(container, StaticIdentity(SEATTLE_MANAGER)))
    async with Client(server) as client:
        content = await failure(client, "store_performance", {})
    assert content["code"] == "INTERNAL_ERROR"
    assert "secret" not in str(content)
    assert content["hint"]
    assert "secret internal detail" in caplog.text
