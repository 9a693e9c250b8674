"""Server processes for end-to-end tests: the real ``zava`` commands, real transports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import httpx
import pytest

from tests.conftest import SeededDatabase


def server_env(db: SeededDatabase, **extra: str) -> dict[str, str]:
    assert db.target.admin_url is not None
    assert db.target.jwt_secret is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAVA_")}
    env.update(
        {
            "ZAVA_DATABASE_URL": db.target.app_url,
            "ZAVA_ADMIN_DATABASE_URL": db.target.admin_url,
            "ZAVA_CONTEXT_KEY": db.target.context_key,
            "ZAVA_JWT_SECRET": db.target.jwt_secret,
            "ZAVA_DATA_DIR": str(db.settings.data_dir),
            "ZAVA_POOL_MIN_SIZE": "1",
            "ZAVA_EMBEDDING_PRELOAD": "false",
            "ZAVA_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class HttpServer:
    url: str
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return self.url.removesuffix("/mcp")


def start_http_server(env: dict[str, str], port: int | None = None, log: IO[bytes] | None = None) -> HttpServer:
    """``zava serve`` as a real process; returns once it answers HTTP. Its stderr goes to ``log``
    when given (a file never fills up and blocks the server as a pipe can)."""
    port = port or free_port()
    process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "zava_mcp_adapter.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log if log is not None else subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode() if process.stderr else 'see its log'}")
        try:
            httpx.get(f"{base}/", timeout=0.5)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("server did not start within 60 s")
    return HttpServer(url=f"{base}/mcp", process=process)


def stop_http_server(server: HttpServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(10)
    if server.process.stderr is not None:
        server.process.stderr.close()


@pytest.fixture(scope="session")
def http_server(zava_db: SeededDatabase) -> Iterator[HttpServer]:
    server = start_http_server(server_env(zava_db))
    yield server
    stop_http_server(server)
