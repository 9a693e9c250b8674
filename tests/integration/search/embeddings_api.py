"""A local HTTP server that speaks the OpenAI (and Azure OpenAI) embeddings API.

It answers ``POST /v1/embeddings`` and ``POST /openai/deployments/{name}/embeddings`` with the
deterministic fake vectors, checks the key, and can be told to answer the next requests with an
error (a 429 with ``Retry-After``, a 500...). Only loopback, only for tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from zava_core.testing import FakeEmbeddingProvider

API_KEY = "sk-test-local"
NATIVE = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072}


@dataclass
class ApiState:
    requests: list[dict[str, Any]] = field(default_factory=list)
    scripted: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (status, headers) for next calls
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class EmbeddingsApi:
    url: str
    state: ApiState

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    def fail_next(self, status: int, times: int = 1, **headers: str) -> None:
        with self.state.lock:
            self.state.scripted.extend([(status, headers)] * times)

    @property
    def embedding_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.state.requests if r["status"] == 200]


def _handler(state: ApiState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            path = self.path.split("?", 1)[0]
            azure = path.startswith("/openai/deployments/")
            key = self.headers.get("api-key") if azure else (self.headers.get("Authorization") or "")[7:]
            record = {
                "path": path,
                "azure": azure,
                "input": body.get("input"),
                "model": body.get("model"),
                "dimensions": body.get("dimensions"),
            }
            with state.lock:
                scripted = state.scripted.pop(0) if state.scripted else None
            if not (path == "/v1/embeddings" or (azure and path.endswith("/embeddings"))):
                reply: dict[str, Any] = {"error": {"message": "Unknown path", "type": "invalid_request_error"}}
                status = 404
                headers: dict[str, str] = {}
            elif key != API_KEY:
                status, headers = 401, {}
                reply = {
                    "error": {
                        "message": "Incorrect API key provided.",
                        "type": "invalid_request_error",
                        "code": "invalid_api_key",
                    }
                }
            elif scripted is not None:
                status, headers = scripted
                reply = {"error": {"message": f"scripted {status}", "type": "requests", "code": str(status)}}
            else:
                model = "text-embedding-3-small" if azure else body["model"]
                dims = body.get("dimensions") or NATIVE.get(model, 1536)
                fake = FakeEmbeddingProvider(dimensions=dims)
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                status, headers = 200, {}
                reply = {
                    "object": "list",
                    "model": model,
                    "data": [
                        {"object": "embedding", "index": i, "embedding": fake.vector(t)} for i, t in enumerate(texts)
                    ],
                    "usage": {"prompt_tokens": len(texts), "total_tokens": len(texts)},
                }
            record["status"] = status
            with state.lock:
                state.requests.append(record)
            self._reply(status, reply, headers)

    return Handler


@contextmanager
def embeddings_api() -> Iterator[EmbeddingsApi]:
    state = ApiState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield EmbeddingsApi(f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
