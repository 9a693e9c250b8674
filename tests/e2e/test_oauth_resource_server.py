"""The HTTP server as an OAuth resource server of an external issuer (a real JWKS on loopback):
exact statuses and ``WWW-Authenticate`` headers, discovery metadata, and tenant isolation."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.conftest import HEAD_OFFICE, SEATTLE_MANAGER, SeededDatabase
from tests.e2e.conftest import HttpServer, server_env, start_http_server, stop_http_server
from tests.helpers import managed_order_count, query
from tests.oauth_issuer import AUDIENCE, LocalIssuer, SigningKey, hand_signed, local_issuer, public_pem
from zava_mcp_adapter.identity import issue_token

pytestmark = pytest.mark.e2e

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def issuer() -> Iterator[LocalIssuer]:
    with local_issuer() as running:
        yield running


@pytest.fixture(scope="module")
def oauth_server(zava_db: SeededDatabase, issuer: LocalIssuer) -> Iterator[HttpServer]:
    env = server_env(
        zava_db,
        ZAVA_OAUTH_ISSUER=issuer.url,
        ZAVA_OAUTH_JWKS_URL=issuer.jwks_url,
        ZAVA_OAUTH_AUDIENCE=AUDIENCE,
        ZAVA_OAUTH_REQUIRED_SCOPES='["zava.read"]',
        ZAVA_OAUTH_JWKS_MIN_REFRESH_SECONDS="0",
    )
    server = start_http_server(env)
    yield server
    stop_http_server(server)


def metadata_url(server: HttpServer) -> str:
    return f"{server.base}/.well-known/oauth-protected-resource/mcp"


def post(server: HttpServer, token: str | None) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.post(server.url, json=INITIALIZE, headers={**HEADERS, **auth}, timeout=10)


def invalid_token_header(server: HttpServer) -> str:
    return (
        'Bearer error="invalid_token", error_description="Authentication required", '
        f'resource_metadata="{metadata_url(server)}"'
    )


def test_metadata_names_the_configured_authorization_server(oauth_server: HttpServer, issuer: LocalIssuer) -> None:
    response = httpx.get(metadata_url(oauth_server), timeout=10)
    assert response.status_code == 200
    document = response.json()
    assert document["authorization_servers"] == [issuer.url]
    assert document["resource"] == oauth_server.url
    assert document["scopes_supported"] == ["zava.read"]


def test_server_does_not_pretend_to_be_an_authorization_server(oauth_server: HttpServer) -> None:
    assert httpx.get(f"{oauth_server.base}/.well-known/oauth-authorization-server", timeout=10).status_code == 404


def test_request_without_token_is_told_where_to_get_one(oauth_server: HttpServer) -> None:
    response = post(oauth_server, None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == invalid_token_header(oauth_server)


def test_valid_external_token_is_accepted(oauth_server: HttpServer, issuer: LocalIssuer) -> None:
    for key in issuer.keys:
        assert post(oauth_server, issuer.token(HEAD_OFFICE, key=key)).status_code == 200, key.algorithm


@pytest.mark.parametrize(
    "case",
    ["wrong_audience", "wrong_issuer", "expired", "not_yet_valid", "alg_none", "hs_rs_confusion", "local_token"],
)
def test_each_bad_token_gets_401_with_the_metadata_pointer(
    oauth_server: HttpServer, issuer: LocalIssuer, zava_db: SeededDatabase, case: str
) -> None:
    now = int(time.time())
    key = issuer.keys[0]
    plain = {"iss": issuer.url, "aud": AUDIENCE, "sub": str(HEAD_OFFICE), "exp": now + 600, "scope": "zava.read"}
    assert zava_db.target.jwt_secret is not None
    tokens = {
        "wrong_audience": lambda: issuer.token(HEAD_OFFICE, aud="another-service"),
        "wrong_issuer": lambda: issuer.token(HEAD_OFFICE, iss="http://127.0.0.1:1"),
        "expired": lambda: issuer.token(HEAD_OFFICE, exp=now - 3600, iat=now - 7200),
        "not_yet_valid": lambda: issuer.token(HEAD_OFFICE, nbf=now + 3600),
        "alg_none": lambda: hand_signed({"alg": "none", "kid": key.kid}, plain, None),
        "hs_rs_confusion": lambda: hand_signed({"alg": "HS256", "kid": key.kid}, plain, public_pem(key)),
        "local_token": lambda: issue_token(
            str(zava_db.target.jwt_secret),
            HEAD_OFFICE,
            audience=zava_db.settings.jwt_audience,
            issuer=zava_db.settings.jwt_issuer,
        ),
    }
    response = post(oauth_server, tokens[case]())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == invalid_token_header(oauth_server)


def test_token_without_the_required_scope_gets_403(oauth_server: HttpServer, issuer: LocalIssuer) -> None:
    response = post(oauth_server, issuer.token(HEAD_OFFICE, scope="profile"))
    assert response.status_code == 403
    assert response.headers["www-authenticate"] == (
        'Bearer error="insufficient_scope", error_description="Required scope: zava.read", '
        f'resource_metadata="{metadata_url(oauth_server)}"'
    )


def test_key_rotated_at_the_issuer_is_picked_up(oauth_server: HttpServer, issuer: LocalIssuer) -> None:
    fresh = SigningKey.generate("RS256")
    assert post(oauth_server, issuer.token(HEAD_OFFICE, key=fresh)).status_code == 401
    issuer.keys.append(fresh)
    try:
        assert post(oauth_server, issuer.token(HEAD_OFFICE, key=fresh)).status_code == 200
    finally:
        issuer.keys.remove(fresh)


@asynccontextmanager
async def client_with(server: HttpServer, token: str) -> AsyncIterator[Client]:
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
    async with http, Client(streamable_http_client(server.url, http_client=http)) as client:
        yield client


async def test_store_managers_external_token_sees_only_its_store(
    oauth_server: HttpServer, issuer: LocalIssuer, admin_conn: asyncpg.Connection
) -> None:
    expected = await managed_order_count(admin_conn, SEATTLE_MANAGER)
    async with client_with(oauth_server, issuer.token(SEATTLE_MANAGER)) as client:
        orders = await query(client, "SELECT count(*) FROM retail.orders")
        stores = await query(client, "SELECT count(DISTINCT store_id) FROM retail.orders")
    assert orders["rows"] == [[expected]]
    assert stores["rows"] == [[1]]


def test_local_only_server_publishes_no_authorization_server(http_server: HttpServer) -> None:
    """With only development tokens there is no OAuth flow to start: no metadata, and the 401
    does not send a client looking for one."""
    assert httpx.get(metadata_url(http_server), timeout=10).status_code == 404
    response = post(http_server, None)
    assert response.status_code == 401
    assert "resource_metadata" not in response.headers["www-authenticate"]
    assert str(uuid.UUID(int=0)) not in response.text


INSPECTOR = Path(__file__).parent / "node" / "node_modules" / ".bin" / "mcp-inspector"


def inspector(server: HttpServer, tmp_path: Path, *headers: str) -> subprocess.CompletedProcess[str]:
    """MCP Inspector's CLI (from the npm registry, installed by `npm ci` in tests/e2e/node)."""
    if not INSPECTOR.exists():
        pytest.skip("MCP Inspector is not installed: run `npm ci` in tests/e2e/node")
    args = [str(INSPECTOR), "--cli", server.url, "--transport", "http", "--method", "tools/list"]
    for header in headers:
        args += ["--header", header]
    env = {**os.environ, "HOME": str(tmp_path), "MCP_CATALOG_PATH": str(tmp_path / "mcp.json")}
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False, env=env)  # noqa: S603


def test_inspector_lists_tools_with_an_external_token(
    oauth_server: HttpServer, issuer: LocalIssuer, tmp_path: Path
) -> None:
    done = inspector(oauth_server, tmp_path, f"Authorization: Bearer {issuer.token(SEATTLE_MANAGER)}")
    assert done.returncode == 0, done.stdout + done.stderr
    names = {tool["name"] for tool in json.loads(done.stdout)["tools"]}
    assert {"execute_sales_query", "get_multiple_table_schemas"} <= names


def test_inspector_without_a_token_is_told_to_sign_in(oauth_server: HttpServer, tmp_path: Path) -> None:
    """The 401's metadata pointer sends the Inspector to an OAuth sign-in (which, without a terminal,
    it reports instead of starting): it knows a token is needed and from whom."""
    done = inspector(oauth_server, tmp_path)
    assert done.returncode != 0
    assert json.loads(done.stdout or done.stderr)["error"]["code"] == "auth_required", done.stdout + done.stderr
