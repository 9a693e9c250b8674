"""Start-up guards for the commands that serve or provision: claim the port before saying
anything, one HTTP server per data folder, one provisioning at a time."""

from __future__ import annotations

import errno
import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zava_core.domain.errors import ConfigurationError

__all__ = ["bind_port", "one_server_per_data_dir", "provisioning_lock"]

_SERVER_LOCK = "server.lock"
_PROVISION_LOCK = "provision.lock"


def bind_port(host: str, port: int) -> socket.socket:
    """Bind (and listen on) the port now, so that a banner is printed only once it is ours."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigurationError(
                f"Port {port} on {host} is already in use.",
                hint="Another server (a second `zava run`?) is listening there: stop it, "
                "or choose another port with --port or ZAVA_PORT.",
            ) from None
        raise ConfigurationError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None
    sock.set_inheritable(True)
    return sock


@contextmanager
def one_server_per_data_dir(data_dir: Path) -> Iterator[None]:
    """Hold the data folder's server lock while serving; a second server fails clearly.

    An advisory lock on a file, released by the kernel when the process dies: no stale lock
    after a crash, unlike a pid file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / _SERVER_LOCK
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise ConfigurationError(
                f"A Zava server ({holder}) already serves the data folder {data_dir}.",
                hint="Use that server, stop it first, or give this one its own ZAVA_DATA_DIR.",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def provisioning_lock(data_dir: Path) -> Iterator[None]:
    """Serialise database set-up (start, create, migrate) of one data folder: two first-time
    ``zava db up`` at once must not both create the database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / _PROVISION_LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
