"""Who the caller is: from a verified bearer token over HTTP, from the process's configuration
over stdio. Never from a tool argument, a plain header or SQL."""

from __future__ import annotations

import time
import uuid
from typing import Protocol

import jwt
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken

from zava_core.domain.errors import AuthorizationError
from zava_core.domain.principal import Principal

__all__ = ["IdentitySource", "JwtTokenVerifier", "StaticIdentity", "TokenIdentity", "issue_token"]

_ALGORITHM = "HS256"
_LEEWAY_SECONDS = 10


class IdentitySource(Protocol):
    def current(self) -> Principal: ...


class StaticIdentity:
    """The principal configured for this process (stdio: the client launched it for one user)."""

    def __init__(self, user_id: uuid.UUID | None) -> None:
        self._principal = Principal(user_id) if user_id is not None else None

    def current(self) -> Principal:
        if self._principal is None:
            raise AuthorizationError(
                "No principal is configured for this server.",
                hint="Set ZAVA_RLS_USER_ID in the environment of the process your MCP client launches.",
            )
        return self._principal


class TokenIdentity:
    """The principal of the bearer token that the HTTP transport verified for this request."""

    def current(self) -> Principal:
        token = get_access_token()
        if token is None or not token.subject:
            raise AuthorizationError("This request carries no verified token.", hint="Send a bearer token.")
        return Principal.parse(token.subject)


class JwtTokenVerifier:
    """Verifies HS256 JWTs minted by ``zava token issue``: signature, expiry, audience, issuer
    and a UUID subject are all required; anything else is an invalid token (HTTP 401)."""

    def __init__(self, secret: str, *, audience: str, issuer: str) -> None:
        self._secret = secret
        self._audience = audience
        self._issuer = issuer

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
            subject = str(uuid.UUID(str(claims["sub"])))
        except (jwt.PyJWTError, ValueError):
            return None
        return AccessToken(
            token=token,
            client_id=subject,
            scopes=[],
            expires_at=int(claims["exp"]),
            resource=self._audience,
            subject=subject,
            claims={"iss": claims["iss"]},
        )


def issue_token(secret: str, user_id: uuid.UUID, *, audience: str, issuer: str, ttl_seconds: int = 30 * 86400) -> str:
    if ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be positive")
    now = int(time.time())
    claims = {"sub": str(user_id), "aud": audience, "iss": issuer, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)
