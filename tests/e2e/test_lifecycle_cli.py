"""The rough edges of starting and stopping, as a user meets them through the real commands."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.conftest import HEAD_OFFICE, NO_ACCESS_USER, SeededDatabase
from tests.e2e.conftest import server_env, start_http_server
from tests.helpers import query
from zava_mcp_adapter.identity import issue_token

pytestmark = pytest.mark.e2e


def zava(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "zava_mcp_adapter.cli.main", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def fresh_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZAVA_")}
    env.update({"ZAVA_DATA_DIR": str(data_dir), "ZAVA_LOG_LEVEL": "warning", **extra})
    return env


def test_zava_run_on_a_busy_port_fails_before_any_banner_or_setup(tmp_path: Path) -> None:
    data_dir = tmp_path / "zava"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = zava(fresh_env(data_dir, ZAVA_PORT=str(port)), "run", "--scale", "0.005")
    assert done.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "--port" in done.stderr
    assert "Zava MCP server" not in done.stdout
    assert "Traceback" not in done.stderr
    assert not data_dir.exists(), "nothing was set up for a server that cannot listen"


def test_token_for_a_user_without_stores_warns_and_still_prints_it(zava_db: SeededDatabase) -> None:
    nobody = zava(server_env(zava_db), "token", "issue", "--user", str(NO_ACCESS_USER))
    assert nobody.returncode == 0, nobody.stderr
    assert "warning:" in nobody.stderr
    assert "will see no rows" in nobody.stderr
    assert nobody.stdout.strip().count(".") == 2  # the token, on stdout alone
    head_office = zava(server_env(zava_db), "token", "issue", "--user", str(HEAD_OFFICE))
    assert head_office.returncode == 0
    assert "warning" not in head_office.stderr


@pytest.mark.slow
def test_first_time_db_up_twice_at_once_and_the_stdio_notice(tmp_path: Path) -> None:
    """Two first-time ``zava db up`` at once both succeed (no duplicate-database traceback); a stdio
    server that had to start the embedded database says so, and that it keeps running."""
    data_dir = tmp_path / "zava"
    env = fresh_env(data_dir)
    command = [sys.executable, "-m", "zava_mcp_adapter.cli.main", "db", "up"]
    racers = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
        for _ in range(2)
    ]
    try:
        outputs = [racer.communicate(timeout=300) for racer in racers]
        for racer, (stdout, stderr) in zip(racers, outputs, strict=True):
            assert racer.returncode == 0, stderr
            assert "database ready" in stdout
            assert "Traceback" not in stderr
        assert "stopped" in zava(env, "db", "down").stdout
        stdio = subprocess.run(
            [sys.executable, "-m", "zava_mcp_adapter.stdio"],
            env={**env, "ZAVA_RLS_USER_ID": str(HEAD_OFFICE), "ZAVA_PORT": "not-a-port"},
            input="",
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert "started the embedded PostgreSQL server" in stdio.stderr, stdio.stderr
        assert "zava db down" in stdio.stderr
        assert "running" in zava(env, "db", "status").stdout
    finally:
        zava(env, "db", "down")


async def test_shutdown_with_calls_in_flight_ends_cleanly_and_promptly(zava_db: SeededDatabase) -> None:
    server = start_http_server(server_env(zava_db, ZAVA_SHUTDOWN_GRACE_SECONDS="3"))
    assert zava_db.target.jwt_secret is not None
    token = issue_token(
        zava_db.target.jwt_secret,
        HEAD_OFFICE,
        audience=zava_db.settings.jwt_audience,
        issuer=zava_db.settings.jwt_issuer,
    )
    sql = "SELECT count(*) FROM retail.order_items a JOIN retail.order_items b USING (product_id)"

    async def call() -> dict[str, Any]:
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with http, Client(streamable_http_client(server.url, http_client=http)) as client:
            return await query(client, sql)

    calls = [asyncio.create_task(call()) for _ in range(4)]
    await asyncio.sleep(0.5)
    server.process.send_signal(signal.SIGTERM)
    outcomes = await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 60)
    returncode = await asyncio.to_thread(server.process.wait, 10)
    assert server.process.stderr is not None
    with server.process.stderr:
        stderr = server.process.stderr.read().decode()
    # uvicorn re-raises the signal it handled once shutdown is complete, so -SIGTERM is a clean exit.
    assert returncode in (0, -signal.SIGTERM), stderr
    for outcome in outcomes:
        # Completed with a result, or refused by a closing server: never a hang or a bad payload.
        assert isinstance(outcome, dict | Exception), outcome
        if isinstance(outcome, dict):
            assert outcome["rows"][0][0] > 0
    assert "Traceback" not in stderr, stderr
