"""Start-up guards and settings read only where they are used."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.lifecycle import bind_port, one_server_per_data_dir
from zava_mcp_adapter.settings import load_settings
from zava_mcp_adapter.stdio import stdio_settings


def test_stdio_server_ignores_a_bad_http_port_it_never_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZAVA_PORT", "abc")
    monkeypatch.setenv("ZAVA_JWT_SECRET", "short")
    with pytest.raises(ConfigurationError, match="ZAVA_PORT"):
        load_settings()
    assert stdio_settings().port == 8000


@pytest.mark.parametrize(
    ("env", "raw", "field", "expected"),
    [
        ("ZAVA_LOG_LEVEL", "debug", "log_level", "DEBUG"),
        ("ZAVA_LOG_LEVEL", " Warning ", "log_level", "WARNING"),
        ("ZAVA_EMBEDDING_PROVIDER", "OpenAI", "embedding_provider", "openai"),
        ("ZAVA_LOG_FORMAT", "JSON", "log_format", "json"),
    ],
)
def test_enum_settings_are_case_insensitive(
    monkeypatch: pytest.MonkeyPatch, env: str, raw: str, field: str, expected: str
) -> None:
    monkeypatch.setenv(env, raw)
    assert getattr(load_settings(), field) == expected


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(ConfigurationError, match=f"Port {port} on 127.0.0.1 is already in use") as caught:
            bind_port("127.0.0.1", port)
    assert "--port" in (caught.value.hint or "")


def test_bound_port_is_listening_before_anything_is_printed() -> None:
    sock = bind_port("127.0.0.1", 0)
    try:
        with socket.create_connection(sock.getsockname()[:2], timeout=5):
            pass
    finally:
        sock.close()


def test_second_server_on_the_same_data_folder_is_refused(tmp_path: Path) -> None:
    second = one_server_per_data_dir(tmp_path)
    with one_server_per_data_dir(tmp_path), pytest.raises(ConfigurationError, match="already serves the data folder"):
        second.__enter__()


def test_data_folder_is_free_again_after_the_server_stops(tmp_path: Path) -> None:
    with one_server_per_data_dir(tmp_path):
        pass
    with one_server_per_data_dir(tmp_path):
        assert (tmp_path / "server.lock").read_text().startswith("pid ")
