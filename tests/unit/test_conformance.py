"""Every port has at least one adapter and exactly one fake, each assigned to it where mypy looks.

``zava_core.testing.conformance`` holds the core's assignments; the MCP adapter's decorators of
ports are assigned below (the core may not import the adapter), and this module is type-checked.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from collections import defaultdict

import zava_core.ports
from zava_core.dataset.progress import Progress
from zava_core.ports.cache import Cache
from zava_core.ports.embeddings import EmbeddingProvider
from zava_core.ports.unit_of_work import UnitOfWorkFactory
from zava_core.testing import conformance
from zava_mcp_adapter.observability.instrumented import InstrumentedCache, InstrumentedEmbeddings
from zava_mcp_adapter.observability.pool_waiting import WaitCountingUnitOfWorkFactory


def _instrumented_cache(x: InstrumentedCache) -> Cache:
    return x


def _instrumented_embeddings(x: InstrumentedEmbeddings) -> EmbeddingProvider:
    return x


def _wait_counting_factory(x: WaitCountingUnitOfWorkFactory) -> UnitOfWorkFactory:
    return x


def _ports() -> set[type]:
    found: set[type] = {Progress}  # the generator's port, until it moves to ``zava_core.ports``
    for info in pkgutil.iter_modules(zava_core.ports.__path__, "zava_core.ports."):
        module = importlib.import_module(info.name)
        found |= {
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj) and getattr(obj, "_is_protocol", False) and obj.__module__ == module.__name__
        }
    return found


def _assignments() -> dict[type, list[type]]:
    """Port -> the concrete classes the conformance module assigns to it."""
    by_port: dict[type, list[type]] = defaultdict(list)
    for name, function in vars(conformance).items():
        if not (inspect.isfunction(function) and name.startswith("_")) or function.__module__ != conformance.__name__:
            continue
        hints = typing.get_type_hints(function)
        by_port[hints["return"]].append(hints["x"])
    return by_port


def test_the_ports_are_found() -> None:
    names = {p.__name__ for p in _ports()}
    assert {"UnitOfWork", "UnitOfWorkFactory", "SalesQueries", "ProductSearch", "Cache", "AuditLog"} <= names


def test_every_port_has_an_adapter_and_exactly_one_fake() -> None:
    assignments = _assignments()
    for port in _ports():
        classes = assignments.get(port, [])
        fakes = [c for c in classes if c.__module__.startswith("zava_core.testing.")]
        adapters = [c for c in classes if c not in fakes]
        assert adapters, f"no adapter of {port.__name__} is assigned to it in zava_core.testing.conformance"
        assert len(fakes) == 1, f"{port.__name__} needs exactly one fake in zava_core.testing, has {fakes}"


def test_every_fake_in_the_testing_package_is_assigned_to_a_port() -> None:
    assigned = {c for classes in _assignments().values() for c in classes}
    for info in pkgutil.iter_modules(importlib.import_module("zava_core.testing").__path__, "zava_core.testing."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj) and (name.startswith(("Fake", "Recording")) or name.endswith("Policy")):
                assert obj in assigned, f"{info.name}.{name} is not assigned to its port"
