"""The port through which a long load reports progress (a CLI draws a bar, tests pass nothing)."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress"]


class Progress(Protocol):
    """Told when a table starts (with its exact row count) and after each chunk is written."""

    def start(self, table: str, total: int) -> None: ...

    def advance(self, table: str, rows: int) -> None: ...
