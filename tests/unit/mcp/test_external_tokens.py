"""External bearer tokens verified against a real JWKS endpoint on loopback, keys made here."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.oauth_issuer import AUDIENCE, LocalIssuer, SigningKey, hand_signed, local_issuer, public_pem
from zava_mcp_adapter.auth import ExternalJwtVerifier, JwksKeySet

USER = uuid.UUID("f47ac10b-58cc-4372-a567-0e02b2c3d479")


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    with local_issuer() as running:
        yield running


def verifier_for(issuer: LocalIssuer, *, claim: str = "sub", min_refresh: float = 0.0) -> ExternalJwtVerifier:
    keys = JwksKeySet(issuer.jwks_url, cache_seconds=300, min_refresh_seconds=min_refresh)
    return ExternalJwtVerifier(keys, issuer=issuer.url, audience=AUDIENCE, principal_claim=claim)


@pytest.mark.parametrize("index", [0, 1], ids=["RS256", "ES256"])
async def test_token_signed_by_a_published_key_verifies_to_its_user(issuer: LocalIssuer, index: int) -> None:
    access = await verifier_for(issuer).verify_token(issuer.token(USER, key=issuer.keys[index]))
    assert access is not None
    assert access.subject == str(USER)
    assert access.scopes == ["zava.read"]


async def test_rotated_key_is_fetched_once_on_an_unknown_kid(issuer: LocalIssuer) -> None:
    verifier = verifier_for(issuer)
    assert await verifier.verify_token(issuer.token(USER)) is not None
    fetched = issuer.fetches
    new_key = issuer.rotate()
    assert await verifier.verify_token(issuer.token(USER, key=new_key)) is not None
    assert issuer.fetches == fetched + 1


async def test_unknown_kids_do_not_refetch_the_keys_on_every_token(issuer: LocalIssuer) -> None:
    verifier = verifier_for(issuer, min_refresh=3600)
    assert await verifier.verify_token(issuer.token(USER)) is not None
    fetched = issuer.fetches
    stranger = SigningKey.generate("RS256")
    for _ in range(5):
        assert await verifier.verify_token(issuer.token(USER, key=stranger)) is None
    assert issuer.fetches == fetched


async def test_key_removed_from_the_jwks_stops_verifying_after_refresh(issuer: LocalIssuer) -> None:
    old = issuer.keys[0]
    issuer.rotate()
    assert await verifier_for(issuer).verify_token(issuer.token(USER, key=old)) is None


@pytest.mark.parametrize(
    ("case", "claims"),
    [
        ("wrong_audience", {"aud": "another-service"}),
        ("wrong_issuer", {"iss": "http://127.0.0.1:1/evil"}),
        ("expired", {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}),
        ("not_yet_valid", {"nbf": int(time.time()) + 3600}),
        ("no_expiry", {"exp": None}),
        ("no_subject", {"sub": None}),
        ("subject_not_uuid", {"sub": "alice@example.com"}),
    ],
)
async def test_token_with_bad_claims_is_refused(issuer: LocalIssuer, case: str, claims: dict[str, Any]) -> None:
    assert await verifier_for(issuer).verify_token(issuer.token(USER, **claims)) is None, case


async def test_unsigned_alg_none_token_is_refused(issuer: LocalIssuer) -> None:
    claims = {"iss": issuer.url, "aud": AUDIENCE, "sub": str(USER), "exp": int(time.time()) + 600}
    token = hand_signed({"alg": "none", "typ": "JWT", "kid": issuer.keys[0].kid}, claims, None)
    assert await verifier_for(issuer).verify_token(token) is None


async def test_hmac_keyed_with_the_public_key_is_refused(issuer: LocalIssuer) -> None:
    """The algorithm-confusion forgery: the JWKS is public, so an HS256 MAC keyed with the RSA
    public key is something anyone can compute."""
    key = issuer.keys[0]
    claims = {"iss": issuer.url, "aud": AUDIENCE, "sub": str(USER), "exp": int(time.time()) + 600}
    token = hand_signed({"alg": "HS256", "typ": "JWT", "kid": key.kid}, claims, public_pem(key))
    assert await verifier_for(issuer).verify_token(token) is None


async def test_token_claiming_rs256_with_the_ec_key_is_refused(issuer: LocalIssuer) -> None:
    rsa_key, ec_key = issuer.keys
    forged = SigningKey(kid=ec_key.kid, algorithm="RS256", private=rsa_key.private)
    assert await verifier_for(issuer).verify_token(issuer.token(USER, key=forged)) is None


async def test_principal_comes_from_the_configured_claim(issuer: LocalIssuer) -> None:
    token = issuer.token("alice@example.com", zava_user_id=str(USER))
    access = await verifier_for(issuer, claim="zava_user_id").verify_token(token)
    assert access is not None
    assert access.subject == str(USER)


async def test_unreachable_jwks_refuses_rather_than_fails() -> None:
    keys = JwksKeySet("http://127.0.0.1:9/jwks.json", min_refresh_seconds=0)
    verifier = ExternalJwtVerifier(keys, issuer="http://127.0.0.1:9", audience=AUDIENCE)
    with local_issuer() as elsewhere:
        token = elsewhere.token(USER)
    assert await verifier.verify_token(token) is None
