"""Where the migrations are, and the Alembic configuration that runs them, built in code.

An installed package carries them as ``zava_migrations`` (the root ``alembic/`` folder, mapped
into the wheel by ``pyproject.toml``); a source checkout has that folder itself. No ``alembic.ini``
is read at run time, so ``zava db migrate`` works from any working directory. This module needs
only the core dependencies, so library users can migrate a database without the server extra.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.config import Config

from zava_core.domain.errors import ConfigurationError

__all__ = ["MIGRATIONS_PACKAGE", "alembic_config", "script_location"]

MIGRATIONS_PACKAGE = "zava_migrations"
# Developers' source of truth; only consulted when no installed package carries the migrations.
_CHECKOUT_MIGRATIONS = Path(__file__).resolve().parents[2] / "alembic"


def _is_migrations_folder(path: Path) -> bool:
    return (path / "env.py").is_file() and (path / "versions").is_dir()


def script_location() -> Path:
    """The folder holding ``env.py`` and ``versions/``: the installed package's, else the checkout's."""
    spec = importlib.util.find_spec(MIGRATIONS_PACKAGE)
    candidates = [Path(p) for p in (spec.submodule_search_locations or [])] if spec is not None else []
    candidates.append(_CHECKOUT_MIGRATIONS)
    for candidate in candidates:
        if _is_migrations_folder(candidate):
            return candidate
    raise ConfigurationError(
        f"The database migrations ({MIGRATIONS_PACKAGE}) are missing from this installation.",
        hint="Reinstall the package (pip install --force-reinstall zava) or run from a source checkout.",
    )


def alembic_config(*, embedding_dimensions: int | None = None) -> Config:
    """An Alembic ``Config`` for the shipped migrations; hand it a connection via ``attributes``."""
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.set_main_option("path_separator", "os")
    if embedding_dimensions is not None:
        config.attributes["embedding_dimensions"] = embedding_dimensions
    return config
