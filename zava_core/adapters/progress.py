"""A ``Progress`` that draws one rich progress bar per table, on stderr.

Stderr because stdout belongs to the MCP protocol when the server runs over stdio: a stray byte
there corrupts the stream.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar

__all__ = ["RichProgress"]


class RichProgress:
    """Use as a context manager: the bars appear on entry and are finalised on exit."""

    def __init__(self, console: Console | None = None) -> None:
        self._bar = RichBar(
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> Self:
        self._bar.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._bar.stop()

    def start(self, table: str, total: int) -> None:
        self._tasks[table] = self._bar.add_task(table, total=total)

    def advance(self, table: str, rows: int) -> None:
        if table not in self._tasks:
            self._tasks[table] = self._bar.add_task(table, total=None)
        self._bar.advance(self._tasks[table], rows)
