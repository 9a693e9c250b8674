"""The package's declared contents and dependencies match its code.

The library (``pip install zava``) must import with the core dependencies alone; the server's
packages come with ``zava[server]``. These tests read ``pyproject.toml`` and the sources, so a new
import or a new subpackage that the declarations miss fails here, not on a user's machine.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from zava_mcp_adapter.cli.entry import SERVER_EXTRA, SERVER_MODULES
from zava_mcp_adapter.database.migrations import alembic_config, script_location

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SETUPTOOLS = PROJECT["tool"]["setuptools"]
CORE_PACKAGES = ("zava_core", "zava_mcp_adapter")

# Library modules whose third-party imports belong to an extra rather than to the core: they are
# optional adapters (imported lazily by their users), not part of what `import zava_core` needs.
EXTRA_MODULES = {
    "zava_core.adapters.embeddings.openai": "openai",
    "zava_core.adapters.embeddings.local": "local-embeddings",
    "zava_core.adapters.progress": "server",
    "zava_core.testing.strategies": "dev",
    "zava_core.testing.conformance": "dev",  # for mypy and its test: it imports every adapter
}
# Modules of the adapter package that the library uses without the server extra.
CORE_ADAPTER_MODULES = ("zava_mcp_adapter.database.migrations", "zava_mcp_adapter.cli.entry")


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match is not None, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


CORE_DEPENDENCIES = {_name(r) for r in PROJECT["project"]["dependencies"]}
EXTRAS = {extra: {_name(r) for r in reqs} for extra, reqs in PROJECT["project"]["optional-dependencies"].items()}
DISTRIBUTIONS = {
    module: {_name(d) for d in dists} for module, dists in importlib.metadata.packages_distributions().items()
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _third_party_imports(path: Path) -> Iterator[str]:
    """Top-level names of every non-stdlib, non-zava import in ``path``, lazy ones included."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and not top.startswith("zava_") and top != "__future__":
                yield top


def _library_files() -> Iterator[Path]:
    yield from sorted((ROOT / "zava_core").rglob("*.py"))
    yield from sorted((ROOT / "alembic").rglob("*.py"))
    for module in CORE_ADAPTER_MODULES:
        yield ROOT / (module.replace(".", "/") + ".py")


def test_every_package_directory_is_listed_for_the_wheel() -> None:
    on_disk = {_module_name(p) for name in CORE_PACKAGES for p in (ROOT / name).rglob("__init__.py")}
    listed = {p for p in SETUPTOOLS["packages"] if not p.startswith("zava_migrations")}
    assert on_disk == listed


def test_the_migrations_package_is_the_root_alembic_folder() -> None:
    assert SETUPTOOLS["package-dir"] == {"zava_migrations": "alembic"}
    assert {"zava_migrations", "zava_migrations.versions"} <= set(SETUPTOOLS["packages"])
    assert not (ROOT / "alembic" / "__init__.py").exists(), "a regular package here would shadow the alembic library"


def test_in_a_checkout_the_migrations_run_from_the_root_alembic_folder_without_alembic_ini() -> None:
    config = alembic_config()
    assert config.config_file_name is None
    assert script_location() == ROOT / "alembic"
    revisions = {script.path for script in ScriptDirectory.from_config(config).walk_revisions()}
    assert revisions == {str(p) for p in (ROOT / "alembic" / "versions").glob("*.py")}


@pytest.mark.parametrize("path", list(_library_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_library_modules_import_only_declared_dependencies(path: Path) -> None:
    module = _module_name(path)
    allowed = CORE_DEPENDENCIES | EXTRAS.get(EXTRA_MODULES.get(module, ""), set())
    for top in _third_party_imports(path):
        owners = DISTRIBUTIONS.get(top, {top})
        assert owners & allowed, f"{module} imports {top} ({', '.join(sorted(owners))}), not a declared dependency"


def test_the_server_guard_checks_exactly_the_server_extra() -> None:
    guarded = {dist for module in SERVER_MODULES for dist in DISTRIBUTIONS[module]}
    assert guarded == EXTRAS["server"]


# Runs in a fresh interpreter: refuses every module of the extras, then imports the library.
_BLOCKED_PRELUDE = """
import importlib.abc, sys
BLOCKED = set(sys.argv[1].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
        return None
sys.meta_path.insert(0, Block())
"""


def _extras_modules() -> set[str]:
    extra_dists = set().union(*EXTRAS.values()) - CORE_DEPENDENCIES
    return {module for module, dists in DISTRIBUTIONS.items() if dists <= extra_dists}


def _run_blocked(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", _BLOCKED_PRELUDE + code, ",".join(sorted(_extras_modules()))],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_the_library_imports_without_the_server_or_any_extra() -> None:
    modules = sorted(
        {_module_name(p) for p in (ROOT / "zava_core").rglob("*.py")} - set(EXTRA_MODULES) | set(CORE_ADAPTER_MODULES)
    )
    code = f"import importlib\nfor m in {modules!r}:\n    importlib.import_module(m)\n"
    code += "from zava_mcp_adapter.database.migrations import alembic_config\n"
    code += "assert (alembic_config().get_main_option('script_location'))\n"
    result = _run_blocked(code)
    assert result.returncode == 0, result.stderr
    assert {"mcp", "typer", "pydantic", "torch", "openai"} <= _extras_modules()


@pytest.mark.parametrize("command", ["zava", "zava_mcp"])
def test_the_commands_without_the_server_extra_name_it(command: str) -> None:
    result = _run_blocked(f"from zava_mcp_adapter.cli.entry import {command}\n{command}()\n")
    assert result.returncode == 2
    assert f"pip install '{SERVER_EXTRA}'" in result.stderr
    assert "Traceback" not in result.stderr
