"""The official TypeScript SDK (the client most assistants embed) lists and calls every tool over
stdio and streamable HTTP; its callTool validates each structured result, errors included,
against the tool's published output schema."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEATTLE_MANAGER, SeededDatabase
from tests.e2e.conftest import HttpServer, server_env
from tests.e2e.test_http_transport import token_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed: no TypeScript SDK client"),
]

CLIENT_DIR = Path(__file__).parent / "ts"
#: Keyword search needs no embedding model, so a fresh process answers at once.
CALLS = {
    "execute_sales_query": {"postgresql_query": "SELECT count(*) FROM retail.orders"},
    "get_multiple_table_schemas": {"table_names": ["retail.orders"]},
    "semantic_search_products": {"query_description": "drill", "mode": "keyword", "max_rows": 2},
    "get_product_recommendations": {"product_id": 1, "max_rows": 2},
    "sales_analysis": {"kind": "daily"},
}
TOOLS = {
    "execute_sales_query",
    "get_multiple_table_schemas",
    "get_current_utc_date",
    "semantic_search_products",
    "get_product_recommendations",
    "store_performance",
    "sales_analysis",
}


def run_client(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    if not (CLIENT_DIR / "node_modules" / "@modelcontextprotocol" / "sdk").is_dir():
        pytest.fail(f"run `npm ci` in {CLIENT_DIR} first (.ci/run does)")
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        ["node", str(CLIENT_DIR / "client.mjs"), *args],  # noqa: S607 - node from PATH, checked above
        input=json.dumps(CALLS),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def check(report: dict[str, Any]) -> None:
    assert {t["name"] for t in report["tools"]} == TOOLS
    assert all(t["readOnly"] for t in report["tools"])
    assert set(report["results"]) == TOOLS
    for name, result in report["results"].items():
        assert result == {"isError": False, "structured": True}, name
    assert report["errors"]["refusal"]["code"] == "VALIDATION_ERROR"
    assert report["errors"]["refusal"]["rule"] == "not_read_only"
    assert report["errors"]["unknown"]["rule"] == "unknown_tool"


def test_typescript_sdk_calls_every_tool_over_stdio(zava_db: SeededDatabase) -> None:
    env = server_env(zava_db, ZAVA_RLS_USER_ID=str(SEATTLE_MANAGER))
    check(run_client(["stdio", sys.executable, "-m", "zava_mcp_adapter.stdio"], env))


def test_typescript_sdk_calls_every_tool_over_streamable_http(http_server: HttpServer, zava_db: SeededDatabase) -> None:
    env = server_env(zava_db, ZAVA_E2E_TOKEN=token_for(zava_db, SEATTLE_MANAGER))
    check(run_client(["http", http_server.url], env))
