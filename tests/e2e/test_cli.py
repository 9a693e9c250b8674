"""The `zava` command line as a newcomer uses it, on a fresh data folder: `make run` in small."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.e2e.conftest import free_port
from tests.helpers import query

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAVA_")}
    env.update({"ZAVA_DATA_DIR": str(data_dir), "ZAVA_LOG_LEVEL": "WARNING", **extra})
    return env


def zava(data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "zava_mcp_adapter.cli.main", *args],
        env=cli_env(data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "zava"
    zava(tmp_path / "zava", "db", "down")


def test_bad_input_gets_a_clear_error_and_exit_code_2(data_dir: Path) -> None:
    bad_user = zava(data_dir, "token", "issue", "--user", "head-office")
    assert bad_user.returncode == 2
    assert "--user must be a UUID" in bad_user.stderr
    bad_setting = zava(data_dir, "db", "status", ZAVA_POOL_MAX_SIZE="0")
    assert bad_setting.returncode == 2
    assert "ZAVA_POOL_MAX_SIZE" in bad_setting.stderr
    assert not data_dir.exists()  # refused input changed nothing


def test_database_lifecycle_commands(data_dir: Path) -> None:
    assert "not initialised" in zava(data_dir, "db", "status").stdout
    up = zava(data_dir, "db", "up")
    assert up.returncode == 0, up.stderr
    assert "running" in zava(data_dir, "db", "status").stdout
    seeded = zava(data_dir, "db", "seed", "--scale", "0.005")
    assert seeded.returncode == 0, seeded.stderr
    assert re.search(r"orders\s+[1-9]", seeded.stdout)
    again = zava(data_dir, "db", "seed", "--scale", "0.005")
    assert "already loaded" in again.stderr
    assert "stopped" in zava(data_dir, "db", "down").stdout
    assert "stopped" in zava(data_dir, "db", "status").stdout


def start_zava_run(data_dir: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    """Start `zava run` and wait until it serves; return the process and the first printed token."""
    process = subprocess.Popen(
        [sys.executable, "-m", "zava_mcp_adapter.cli.main", "run", "--scale", "0.005"],
        env=cli_env(data_dir, ZAVA_PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, "zava run exited"
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
            break
        except httpx.TransportError:
            time.sleep(0.5)
    assert process.stdout is not None
    printed = ""
    while "Bearer" not in printed:
        printed += process.stdout.readline()
    token = re.search(r"Bearer ([\w.-]+)", printed)
    assert token is not None
    return process, token.group(1)


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(20)
    if process.stdout is not None:
        process.stdout.close()


async def test_zava_run_serves_with_the_printed_token(data_dir: Path) -> None:
    port = free_port()
    process, token = await asyncio.to_thread(start_zava_run, data_dir, port)
    try:
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        url = f"http://127.0.0.1:{port}/mcp"
        async with http, Client(streamable_http_client(url, http_client=http)) as client:
            payload = await query(client, "SELECT count(*) FROM retail.stores")
        assert payload["rows"] == [[8]]  # the first printed token is head office's
    finally:
        await asyncio.to_thread(stop, process)
