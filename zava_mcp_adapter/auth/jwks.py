"""The authorization server's signing keys, fetched from its JWKS URL and cached.

Keys are trusted for ``cache_seconds``; a token signed with an unknown ``kid`` (the issuer
rotated its keys) triggers one refresh, but refreshes are spaced by ``min_refresh_seconds`` so
that tokens with made-up ``kid``s cannot turn this server into a load generator against the
issuer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import jwt

__all__ = ["JwksKeySet", "JwksUnavailable"]

logger = logging.getLogger("zava.auth")

_FETCH_TIMEOUT_SECONDS = 5.0


class JwksUnavailable(Exception):
    """The key set could not be fetched or read; the token cannot be verified now."""


class JwksKeySet:
    def __init__(
        self,
        url: str,
        *,
        cache_seconds: float = 300.0,
        min_refresh_seconds: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._url = url
        self._cache_seconds = cache_seconds
        self._min_refresh_seconds = min_refresh_seconds
        self._client = client
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str | None) -> jwt.PyJWK | None:
        """The key named ``kid`` (or the only key, for a token without ``kid``), or None."""
        if self._stale():
            await self._refresh(force=False)
        key = self._lookup(kid)
        if key is None and self._may_refresh_now():
            await self._refresh(force=True)
            key = self._lookup(kid)
        return key

    def _lookup(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None:
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(kid)

    def _stale(self) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at >= self._cache_seconds

    def _may_refresh_now(self) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at >= self._min_refresh_seconds

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            # Another caller may have refreshed while this one waited for the lock.
            if not force and not self._stale():
                return
            if force and not self._may_refresh_now():
                return
            document = await self._fetch()
            self._keys = _parse(document)
            self._fetched_at = time.monotonic()
            logger.info("jwks: %d signing key(s) loaded", len(self._keys))

    async def _fetch(self) -> dict[str, Any]:
        try:
            if self._client is not None:
                response = await self._client.get(self._url, timeout=_FETCH_TIMEOUT_SECONDS)
            else:
                async with httpx.AsyncClient() as client:
                    response = await client.get(self._url, timeout=_FETCH_TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise JwksUnavailable(f"cannot fetch the JWKS: {exc}") from exc
        if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
            raise JwksUnavailable("the JWKS document has no `keys` list")
        return document


def _parse(document: dict[str, Any]) -> dict[str | None, jwt.PyJWK]:
    keys: dict[str | None, jwt.PyJWK] = {}
    for entry in document["keys"]:
        # A symmetric ("oct") key in a public document would let anyone sign: never use one.
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig" or entry.get("kty") == "oct":
            continue
        try:
            key = jwt.PyJWK(entry)
        except jwt.PyJWTError:
            # A key type this server cannot use (or a malformed one) is skipped, not fatal:
            # issuers publish keys for several purposes.
            continue
        keys[entry.get("kid")] = key
    return keys
