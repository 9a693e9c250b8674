"""What an operator sees of a running HTTP server: health probes, Prometheus metrics, the slow
query log and summary, and logs that are structured and quiet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import HEAD_OFFICE, SEATTLE_MANAGER, SeededDatabase
from tests.e2e.conftest import HttpServer, server_env, start_http_server, stop_http_server
from tests.helpers import query, tool_error
from zava_mcp_adapter.identity import issue_token
from zava_mcp_adapter.observability import PERFORMANCE_RESOURCE

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def log_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ops-server") / "server.log"


@pytest.fixture(scope="module")
def ops_server(zava_db: SeededDatabase, log_path: Path) -> Iterator[HttpServer]:
    """Every query counts as slow (the threshold is a microsecond): no timing in the assertions."""
    env = server_env(zava_db, ZAVA_LOG_LEVEL="info", ZAVA_LOG_FORMAT="json", ZAVA_SLOW_QUERY_SECONDS="0.000001")
    with log_path.open("wb") as log:
        server = start_http_server(env, log=log)
        yield server
        stop_http_server(server)


def token_for(db: SeededDatabase, user: uuid.UUID) -> str:
    assert db.target.jwt_secret is not None
    return issue_token(db.target.jwt_secret, user, audience=db.settings.jwt_audience, issuer=db.settings.jwt_issuer)


@asynccontextmanager
async def client_for(server: HttpServer, db: SeededDatabase, user: uuid.UUID) -> AsyncIterator[Client]:
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {token_for(db, user)}"})
    async with http, Client(streamable_http_client(server.url, http_client=http)) as client:
        yield client


@pytest.fixture(scope="module")
async def traffic(ops_server: HttpServer, zava_db: SeededDatabase) -> None:
    """A few calls of each kind: executed, refused, and schema lookups (a miss, then a hit)."""
    async with client_for(ops_server, zava_db, SEATTLE_MANAGER) as client:
        await query(client, "SELECT count(*) FROM retail.orders")
        await query(client, "SELECT store_name FROM retail.stores")
        await tool_error(client, "DELETE FROM retail.orders")
        for _ in range(2):
            await client.call_tool("get_multiple_table_schemas", {"table_names": ["retail.stores"]})


def log_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def samples(server: HttpServer) -> dict[str, list[tuple[dict[str, str], float]]]:
    text = httpx.get(f"{server.base}/metrics", timeout=10).text
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def value(found: dict[str, list[tuple[dict[str, str], float]]], name: str, **labels: str) -> float:
    return sum(v for series, v in found.get(name, []) if all(series.get(k) == x for k, x in labels.items()))


def test_liveness_and_readiness_answer_without_a_token(ops_server: HttpServer) -> None:
    assert httpx.get(f"{ops_server.base}/health/live", timeout=10).json() == {"status": "ok"}
    ready = httpx.get(f"{ops_server.base}/health/ready", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "migrations": True, "embeddings": True}


def test_health_details_name_each_check(ops_server: HttpServer) -> None:
    body = httpx.get(f"{ops_server.base}/health", timeout=10).json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["detail"].startswith("PostgreSQL ")
    assert body["checks"]["migrations"]["detail"].startswith("at head")


@pytest.mark.usefixtures("traffic")
def test_metrics_show_calls_durations_pool_cache_and_refusals(ops_server: HttpServer) -> None:
    found = samples(ops_server)
    assert value(found, "zava_tool_calls_total", tool="execute_sales_query", outcome="ok") >= 2
    assert value(found, "zava_tool_calls_total", tool="execute_sales_query", outcome="error") >= 1
    assert value(found, "zava_tool_duration_seconds_count", tool="execute_sales_query") >= 3
    assert value(found, "zava_query_duration_seconds_count", operation="execute_sales_query") >= 2
    assert sum(v for labels, v in found["zava_refusals_total"] if labels["rule"]) >= 1
    assert {labels["state"] for labels, _ in found["zava_pool_connections"]} >= {"in_use", "idle"}
    assert value(found, "zava_cache_requests_total", result="miss") >= 1
    assert value(found, "zava_cache_requests_total", result="hit") >= 1
    assert "zava_embedding_calls_total" in found or "zava_embedding_duration_seconds_count" in found


@pytest.mark.usefixtures("traffic")
def test_slow_query_is_logged_with_fingerprint_principal_duration_and_rows(
    ops_server: HttpServer, log_path: Path
) -> None:
    slow = [line for line in log_lines(log_path) if line.get("event") == "slow query"]
    assert slow, "no slow query line"
    line = slow[0]
    assert line["principal"] == str(SEATTLE_MANAGER)
    assert line["fingerprint"]
    assert line["rows"] >= 1
    assert line["duration_ms"] >= 0
    assert line["request_id"]
    assert line["tool"] == "execute_sales_query"
    assert "retail.orders" not in json.dumps(slow), "the SQL text itself is never logged"


@pytest.mark.usefixtures("traffic")
def test_summary_counts_slow_queries_per_operation(ops_server: HttpServer) -> None:
    summary = httpx.get(f"{ops_server.base}/health", timeout=10).json()["queries"]["execute_sales_query"]
    assert summary["count"] >= 2
    assert summary["slow_count"] == summary["count"]
    assert summary["max_ms"] >= summary["p95_ms"] >= 0
    assert set(summary) == {"count", "mean_ms", "p95_ms", "max_ms", "slow_count"}


@pytest.mark.usefixtures("traffic")
async def test_performance_resource_shows_only_the_callers_own_queries(
    ops_server: HttpServer, zava_db: SeededDatabase
) -> None:
    async with client_for(ops_server, zava_db, SEATTLE_MANAGER) as client:
        mine = json.loads((await client.read_resource(PERFORMANCE_RESOURCE)).contents[0].text)  # type: ignore[union-attr]
    async with client_for(ops_server, zava_db, HEAD_OFFICE) as client:
        theirs = json.loads((await client.read_resource(PERFORMANCE_RESOURCE)).contents[0].text)  # type: ignore[union-attr]
    assert mine["operations"]["execute_sales_query"]["count"] >= 2
    assert theirs["operations"] == {}


@pytest.mark.usefixtures("traffic")
def test_requests_leave_no_sdk_chatter_and_every_line_is_json(ops_server: HttpServer, log_path: Path) -> None:
    text = log_path.read_text()
    assert "Terminating session" not in text
    assert "RuntimeDirWarning" not in text
    assert log_lines(log_path), "the log has lines (the audit trail at INFO)"


@pytest.mark.usefixtures("traffic")
def test_every_audit_line_of_a_call_carries_request_id_principal_and_tool(log_path: Path) -> None:
    audits = [line for line in log_lines(log_path) if line.get("event") == "query"]
    assert audits
    for line in audits:
        assert line["request_id"]
        assert line["principal"] == str(SEATTLE_MANAGER)
        assert line["tool"] == "execute_sales_query"
    assert not any("eyJ" in json.dumps(line) for line in log_lines(log_path)), "no token in the log"


@pytest.mark.usefixtures("traffic")
def test_doctor_prints_the_same_checks_and_the_servers_summary(ops_server: HttpServer, zava_db: SeededDatabase) -> None:
    port = ops_server.base.rsplit(":", 1)[1]
    done = subprocess.run(
        [sys.executable, "-m", "zava_mcp_adapter.cli.main", "doctor", "--no-embedding-call"],
        env=server_env(zava_db, ZAVA_PORT=port),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("database", "migrations", "embeddings"):
        assert f"✓ {name}:" in done.stdout
    assert "Query performance" in done.stdout
    assert "execute_sales_query" in done.stdout


def test_doctor_fails_with_exit_1_when_the_database_is_unreachable(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAVA_")}
    env.update(
        ZAVA_DATABASE_URL="postgresql://zava_app:x@127.0.0.1:9/zava",
        ZAVA_CONTEXT_KEY="k" * 32,
        ZAVA_DATA_DIR=str(tmp_path),
        ZAVA_PORT="9",
    )
    done = subprocess.run(
        [sys.executable, "-m", "zava_mcp_adapter.cli.main", "doctor", "--no-embedding-call"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "✗ database:" in done.stdout
