"""The built wheel, installed outside the checkout, creates and serves a database on its own.

As a user would: build the wheel, install it into a fresh virtual environment, then from another
working directory run ``zava db up``, ``zava db migrate`` and ``zava db seed``, and query through
the installed ``zava-mcp`` over stdio. Nothing here imports the checkout in the child processes:
``PYTHONPATH`` is dropped, and the new environment sees the already-installed third-party
packages through a ``.pth`` line (no download), whose own ``.pth`` files (among them the
checkout's editable install) Python does not process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.conftest import HEAD_OFFICE
from tests.helpers import query
from zava_core.dataset.reference import load_reference

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
# What the wheel is built from; copied so that no stale build/ folder can leak into it.
SOURCES = ("pyproject.toml", "README.md", "alembic", "zava_core", "zava_mcp_adapter")
COMMAND_TIMEOUT = 300


@dataclass(frozen=True)
class Installed:
    bin: Path
    workdir: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603 - the installed console scripts, fixed arguments
            [str(self.bin / args[0]), *args[1:]],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("ZAVA_")}
    env.update(extra)
    return env


def _build_wheel(tmp: Path) -> Path:
    source = tmp / "source"
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / name)
    dist = tmp / "dist"
    build = ["wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist), str(source)]
    subprocess.run(  # noqa: S603 - pip on our own sources, no index
        [sys.executable, "-m", "pip", *build],
        env=_clean_env(),
        cwd=tmp,
        check=True,
        timeout=COMMAND_TIMEOUT,
    )
    (wheel,) = dist.glob("zava-*.whl")
    return wheel


def _install(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=COMMAND_TIMEOUT)  # noqa: S603
    python = venv / "bin" / "python"
    subprocess.run(  # noqa: S603 - pip installing the wheel just built, no index
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        env=_clean_env(),
        cwd=tmp,
        check=True,
        timeout=COMMAND_TIMEOUT,
    )
    site = subprocess.run(  # noqa: S603
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        check=True,
    ).stdout.strip()
    dependencies = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site) / "zava-test-dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(dependencies)))
    return venv


@pytest.fixture(scope="module")
def installed() -> Iterator[Installed]:
    # Not under pytest's temporary root: every pytest session that starts resets that root to
    # owner-only, and started by root the embedded server runs as another user, which then
    # loses its data folder mid-initdb ("could not open file .../pg_control: Permission denied").
    tmp = Path(tempfile.mkdtemp(prefix="zava-wheel-"))
    workdir = tmp / "elsewhere"
    workdir.mkdir()
    package = Installed(bin=tmp / "venv" / "bin", workdir=workdir, env=_clean_env(ZAVA_DATA_DIR=str(tmp / "data")))
    try:
        _install(tmp, _build_wheel(tmp))
        yield package
    finally:
        if (package.bin / "zava").exists():
            subprocess.run(  # noqa: S603
                [str(package.bin / "zava"), "db", "down"],
                cwd=workdir,
                env=package.env,
                timeout=COMMAND_TIMEOUT,
                check=False,
            )
        shutil.rmtree(tmp, ignore_errors=True)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    result = installed.run(
        "python",
        "-c",
        "import zava_core, zava_mcp_adapter, zava_migrations as m; print(zava_core.__file__, *m.__path__)",
    )
    for location in result.stdout.split():
        assert Path(location).is_relative_to(installed.bin.parent), location
        assert not Path(location).is_relative_to(ROOT), location


async def test_the_wheel_creates_migrates_seeds_and_answers_a_query(installed: Installed) -> None:
    assert "ready" in installed.run("zava", "db", "up").stdout
    assert "migrated to head" in installed.run("zava", "db", "migrate").stdout
    installed.run("zava", "db", "seed", "--scale", "0.001", "--no-embed")
    params = StdioServerParameters(
        command=str(installed.bin / "zava-mcp"),
        env={**installed.env, "ZAVA_RLS_USER_ID": str(HEAD_OFFICE), "ZAVA_POOL_MIN_SIZE": "1"},
        cwd=str(installed.workdir),
    )
    async with Client(params) as client:
        result = await query(client, "SELECT count(*) FROM retail.stores")
    assert result["rows"] == [[len(load_reference().stores)]]
