"""A real, local OAuth authorization server stand-in: keys generated in the test, a JWKS served
over HTTP on a loopback port, tokens signed with those keys. Rotation replaces the keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

AUDIENCE = "zava-mcp-test"


@dataclass
class SigningKey:
    kid: str
    algorithm: str
    private: Any

    @classmethod
    def generate(cls, algorithm: str) -> SigningKey:
        private = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if algorithm == "RS256"
            else ec.generate_private_key(ec.SECP256R1())
        )
        return cls(kid=f"{algorithm.lower()}-{uuid.uuid4().hex[:8]}", algorithm=algorithm, private=private)

    def public_jwk(self) -> dict[str, Any]:
        codec = RSAAlgorithm if self.algorithm == "RS256" else ECAlgorithm
        jwk: dict[str, Any] = json.loads(codec.to_jwk(self.private.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": self.algorithm}


@dataclass
class LocalIssuer:
    url: str
    jwks_url: str
    keys: list[SigningKey] = field(default_factory=list)
    fetches: int = 0

    def rotate(self) -> SigningKey:
        """Publish a fresh RS256 key in place of all others."""
        key = SigningKey.generate("RS256")
        self.keys = [key]
        return key

    def token(
        self,
        subject: uuid.UUID | str | None,
        *,
        key: SigningKey | None = None,
        lifetime: int = 600,
        **claims: Any,
    ) -> str:
        """A token signed by ``key`` (default: the first published); a claim given as None is left out."""
        signer = key or self.keys[0]
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.url,
            "aud": AUDIENCE,
            "sub": str(subject) if subject is not None else None,
            "iat": now,
            "exp": now + lifetime,
            "scope": "zava.read",
        }
        body.update(claims)
        return jwt.encode(
            {k: v for k, v in body.items() if v is not None},
            signer.private,
            algorithm=signer.algorithm,
            headers={"kid": signer.kid},
        )

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk() for k in self.keys]}


@contextmanager
def local_issuer() -> Iterator[LocalIssuer]:
    """Serve an RS256 and an ES256 key as a JWKS on 127.0.0.1 for the duration."""
    issuer = LocalIssuer(url="", jwks_url="", keys=[SigningKey.generate("RS256"), SigningKey.generate("ES256")])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/jwks.json":
                self.send_error(404)
                return
            issuer.fetches += 1
            body = json.dumps(issuer.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    issuer.url = f"http://127.0.0.1:{port}"
    issuer.jwks_url = f"http://127.0.0.1:{port}/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_signed(header: dict[str, Any], claims: dict[str, Any], secret: bytes | None) -> str:
    """A token signed by hand, for forms a JWT library refuses to produce (``alg: none``, an HMAC
    keyed with a public key: the classic algorithm-confusion forgery)."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = b"" if secret is None else hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def public_pem(key: SigningKey) -> bytes:
    return key.private.public_key().public_bytes(  # type: ignore[no-any-return]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
