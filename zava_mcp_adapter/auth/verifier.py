"""Bearer JWTs of an external authorization server, verified against its published keys."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import jwt
from mcp.server.auth.provider import AccessToken, TokenVerifier

from zava_mcp_adapter.auth.jwks import JwksKeySet, JwksUnavailable
from zava_mcp_adapter.auth.settings import ASYMMETRIC_ALGORITHMS

__all__ = ["ExternalJwtVerifier", "FirstValidVerifier"]

logger = logging.getLogger("zava.auth")

_LEEWAY_SECONDS = 30


class ExternalJwtVerifier:
    """Signature (RS256/ES256 from the JWKS), issuer, audience, expiry and not-before are all
    checked; the principal is the UUID in ``principal_claim``. Anything else is an invalid token
    (the SDK answers 401); missing scopes are the SDK's 403."""

    def __init__(
        self,
        keys: JwksKeySet,
        *,
        issuer: str,
        audience: str,
        principal_claim: str = "sub",
        algorithms: tuple[str, ...] = ASYMMETRIC_ALGORITHMS,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._claim = principal_claim
        self._algorithms = algorithms

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            claims = await self._claims(token)
            subject = str(uuid.UUID(str(claims[self._claim])))
        except (jwt.PyJWTError, JwksUnavailable, ValueError, KeyError) as exc:
            # The reason helps an operator; the token itself is never logged.
            logger.info("bearer token refused: %s", _reason(exc))
            return None
        return AccessToken(
            token=token,
            client_id=str(claims.get("azp") or claims.get("client_id") or subject),
            scopes=_scopes(claims),
            expires_at=int(claims["exp"]),
            resource=self._audience,
            subject=subject,
            claims={"iss": claims["iss"]},
        )

    async def _claims(self, token: str) -> dict[str, Any]:
        header = jwt.get_unverified_header(token)
        algorithm = header.get("alg")
        if algorithm not in self._algorithms:
            raise jwt.InvalidAlgorithmError(f"algorithm {algorithm!r} is not accepted")
        key = await self._keys.key_for(header.get("kid"))
        if key is None:
            raise jwt.InvalidKeyError("no published key matches the token's kid")
        # The key decides the algorithm, not the token: an RSA key never checks an HS256 MAC.
        if key.algorithm_name != algorithm:
            raise jwt.InvalidAlgorithmError(f"key is for {key.algorithm_name}, token says {algorithm}")
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=[algorithm],
            audience=self._audience,
            issuer=self._issuer,
            leeway=_LEEWAY_SECONDS,
            options={"require": ["exp", "iss", "aud", self._claim]},
        )
        return claims


class FirstValidVerifier:
    """Tries each verifier in turn (external tokens, then local development tokens)."""

    def __init__(self, *verifiers: TokenVerifier) -> None:
        self._verifiers = verifiers

    async def verify_token(self, token: str) -> AccessToken | None:
        for verifier in self._verifiers:
            found = await verifier.verify_token(token)
            if found is not None:
                return found
        return None


def _scopes(claims: dict[str, Any]) -> list[str]:
    raw = claims.get("scope", claims.get("scp", []))
    if isinstance(raw, str):
        return raw.split()
    return [str(s) for s in raw] if isinstance(raw, list) else []


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError | ValueError) and not isinstance(exc, jwt.PyJWTError):
        return "the principal claim is missing or not a UUID"
    return f"{type(exc).__name__}: {exc}"
