from __future__ import annotations

import time
import uuid

import jwt
import pytest

from zava_core.domain.errors import AuthorizationError
from zava_mcp_adapter.identity import JwtTokenVerifier, StaticIdentity, issue_token

SECRET = "unit-test-secret-" + "x" * 32
USER = uuid.UUID("f47ac10b-58cc-4372-a567-0e02b2c3d479")


def verifier() -> JwtTokenVerifier:
    return JwtTokenVerifier(SECRET, audience="zava-mcp", issuer="zava")


async def test_minted_token_verifies_to_its_user() -> None:
    token = issue_token(SECRET, USER, audience="zava-mcp", issuer="zava")
    access = await verifier().verify_token(token)
    assert access is not None
    assert access.subject == str(USER)


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "other"},
        {"iss": "other"},
        {"exp": int(time.time()) - 600},
        {"sub": "admin"},
    ],
)
async def test_tokens_for_another_audience_issuer_or_expired_are_rejected(claims: dict[str, object]) -> None:
    now = int(time.time())
    base = {"sub": str(USER), "aud": "zava-mcp", "iss": "zava", "iat": now, "exp": now + 60} | claims
    assert await verifier().verify_token(jwt.encode(base, SECRET, algorithm="HS256")) is None


async def test_unsigned_token_is_rejected() -> None:
    now = int(time.time())
    token = jwt.encode({"sub": str(USER), "aud": "zava-mcp", "iss": "zava", "iat": now, "exp": now + 60}, "", "none")
    assert await verifier().verify_token(token) is None


def test_stdio_without_configured_user_fails_closed() -> None:
    with pytest.raises(AuthorizationError, match="ZAVA_RLS_USER_ID"):
        StaticIdentity(None).current()
