"""Streamable HTTP: identity only from a verified bearer token; no token, no access."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import httpx
import jwt
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.conftest import HEAD_OFFICE, NO_ACCESS_USER, SEATTLE_MANAGER, SeededDatabase
from tests.e2e.conftest import HttpServer
from tests.helpers import managed_order_count, query
from zava_mcp_adapter.identity import issue_token

pytestmark = pytest.mark.e2e

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def token_for(db: SeededDatabase, user: uuid.UUID) -> str:
    assert db.target.jwt_secret is not None
    return issue_token(db.target.jwt_secret, user, audience=db.settings.jwt_audience, issuer=db.settings.jwt_issuer)


@asynccontextmanager
async def http_client(server: HttpServer, token: str) -> AsyncIterator[Client]:
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
    async with http, Client(streamable_http_client(server.url, http_client=http)) as client:
        yield client


async def test_head_office_counts_eight_stores_over_http(http_server: HttpServer, zava_db: SeededDatabase) -> None:
    async with http_client(http_server, token_for(zava_db, HEAD_OFFICE)) as client:
        payload = await query(client, "SELECT count(*) FROM retail.stores")
    assert payload["rows"] == [[8]]


async def test_seattle_manager_counts_only_seattle_orders_over_http(
    http_server: HttpServer, zava_db: SeededDatabase, admin_conn: asyncpg.Connection
) -> None:
    expected = await managed_order_count(admin_conn, SEATTLE_MANAGER)
    async with http_client(http_server, token_for(zava_db, SEATTLE_MANAGER)) as client:
        payload = await query(client, "SELECT count(*) FROM retail.orders")
    assert payload["rows"] == [[expected]]


async def test_user_without_access_sees_zero_rows_over_http(http_server: HttpServer, zava_db: SeededDatabase) -> None:
    async with http_client(http_server, token_for(zava_db, NO_ACCESS_USER)) as client:
        payload = await query(client, "SELECT count(*) FROM retail.orders")
    assert payload["rows"] == [[0]]


def _post(server: HttpServer, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(server.url, json=INITIALIZE, headers={**HEADERS, **headers}, timeout=10)


def test_request_without_token_gets_401(http_server: HttpServer) -> None:
    assert _post(http_server, {}).status_code == 401


def _forged(db: SeededDatabase, **claims: object) -> str:
    assert db.target.jwt_secret is not None
    now = int(time.time())
    base: dict[str, object] = {
        "sub": str(HEAD_OFFICE),
        "aud": db.settings.jwt_audience,
        "iss": db.settings.jwt_issuer,
        "iat": now,
        "exp": now + 600,
    }
    base.update(claims)
    secret = str(base.pop("_secret", db.target.jwt_secret))
    return jwt.encode({k: v for k, v in base.items() if v is not None}, secret, algorithm="HS256")


@pytest.mark.parametrize(
    "case",
    [
        "expired",
        "wrong_audience",
        "wrong_issuer",
        "wrong_secret",
        "no_subject",
        "subject_not_uuid",
        "garbage",
        "no_exp",
    ],
)
def test_invalid_tokens_get_401(http_server: HttpServer, zava_db: SeededDatabase, case: str) -> None:
    tokens = {
        "expired": _forged(zava_db, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
        "wrong_audience": _forged(zava_db, aud="another-service"),
        "wrong_issuer": _forged(zava_db, iss="someone-else"),
        "wrong_secret": _forged(zava_db, _secret="not-the-secret-but-long-enough-for-hs256-keys"),
        "no_subject": _forged(zava_db, sub=None),
        "subject_not_uuid": _forged(zava_db, sub="head-office"),
        "garbage": "not.a.token",
        "no_exp": _forged(zava_db, exp=None),
    }
    assert _post(http_server, {"Authorization": f"Bearer {tokens[case]}"}).status_code == 401


def test_identity_headers_without_token_are_ignored(http_server: HttpServer) -> None:
    """The original sample trusted an unauthenticated header; here it changes nothing."""
    response = _post(http_server, {"x-rls-user-id": str(HEAD_OFFICE), "X-User-Id": str(HEAD_OFFICE)})
    assert response.status_code == 401
