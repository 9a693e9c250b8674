"""Issue 13, no cold first search: a search that arrives during the start-up preload shares it."""

from __future__ import annotations

import array
import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from zava_core.adapters.embeddings import local
from zava_core.adapters.embeddings.local import LOCAL_DIMENSIONS, LocalEmbeddingProvider
from zava_mcp_adapter.observability.instrumented import InstrumentedEmbeddings
from zava_mcp_adapter.observability.metrics import Metrics


class _FakeModel:
    def encode(self, texts: list[str], **_: Any) -> list[array.array[float]]:
        return [array.array("f", [0.5] * LOCAL_DIMENSIONS) for _ in texts]


class _HeldLoad:
    """Stands in for the model load: counts calls, and holds the first until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, path: Path, device: str, threads: int | None) -> _FakeModel:
        self.calls += 1
        self.started.set()
        self.release.wait(timeout=10)
        return _FakeModel()


@pytest.fixture
def held_load(monkeypatch: pytest.MonkeyPatch) -> _HeldLoad:
    fake = _HeldLoad()
    monkeypatch.setattr(local, "bundled_model_path", lambda: Path("model"))
    monkeypatch.setattr(local, "_load", fake)
    return fake


async def test_a_search_during_the_preload_waits_for_that_load_instead_of_starting_another(
    held_load: _HeldLoad,
) -> None:
    embeddings = InstrumentedEmbeddings(LocalEmbeddingProvider(), Metrics())
    preload = asyncio.create_task(embeddings.load())
    await asyncio.to_thread(held_load.started.wait, 10)
    search = asyncio.create_task(embeddings.embed(["cordless drill"]))
    await asyncio.sleep(0.05)
    assert not search.done()  # it waits for the load in progress
    held_load.release.set()
    (vector,) = await search
    await preload
    assert held_load.calls == 1
    assert len(vector) == LOCAL_DIMENSIONS


async def test_the_event_loop_keeps_answering_while_the_model_loads(held_load: _HeldLoad) -> None:
    provider = LocalEmbeddingProvider()
    preload = asyncio.create_task(provider.load())
    await asyncio.to_thread(held_load.started.wait, 10)
    # Were the load run on the loop, it would have finished before this coroutine ran again.
    await asyncio.sleep(0.05)
    assert not preload.done()
    held_load.release.set()
    await preload
    assert held_load.calls == 1
