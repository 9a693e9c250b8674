"""Every port method and every use-case entry point says what it does, returns and raises."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import zava_core.ports
import zava_core.services


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        yield importlib.import_module(info.name)


def _public(module: ModuleType) -> Iterator[tuple[str, object]]:
    """The module's own public functions, and the public methods and properties of its classes."""
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield f"{module.__name__}.{name}", obj
        elif inspect.isclass(obj):
            for member, value in vars(obj).items():
                if member.startswith("_") and member != "__call__":
                    continue
                function = value.__func__ if isinstance(value, staticmethod | classmethod) else value
                if inspect.isfunction(function) or isinstance(function, property):
                    yield f"{module.__name__}.{name}.{member}", function


def _undocumented(package: ModuleType) -> list[str]:
    return [name for module in _modules(package) for name, obj in _public(module) if not (obj.__doc__ or "").strip()]


def test_the_walk_finds_the_entry_points() -> None:
    names = {name for module in _modules(zava_core.services) for name, _ in _public(module)}
    assert "zava_core.services.sales_queries.SalesQueryService.execute" in names
    assert "zava_core.services.embedding_job.embed_catalog" in names
    ports = {name for module in _modules(zava_core.ports) for name, _ in _public(module)}
    assert "zava_core.ports.unit_of_work.UnitOfWorkFactory.__call__" in ports


def test_every_port_method_has_a_docstring() -> None:
    assert _undocumented(zava_core.ports) == []


def test_every_use_case_entry_point_has_a_docstring() -> None:
    assert _undocumented(zava_core.services) == []
