"""Remember the statement check's verdicts: the check is pure, so the same text always gets the
same answer, and assistants repeat themselves (dashboards, retries, follow-ups)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from zava_core.domain.errors import QueryRejected
from zava_core.domain.statements import CheckedStatement
from zava_core.ports.statement_policy import StatementPolicy

__all__ = ["CachingStatementPolicy"]


class CachingStatementPolicy:
    """An LRU of verdicts in front of another policy. Keys are the exact SQL text, so nothing a
    principal did can change another's verdict: the verdict never depended on the principal.

    Checks run in worker threads, so the LRU is guarded by a lock; the inner check runs outside it
    (two threads may check the same new text at once, which only costs time)."""

    def __init__(self, inner: StatementPolicy, max_entries: int = 2048) -> None:
        self._inner = inner
        self._max_entries = max_entries
        self._verdicts: OrderedDict[str, CheckedStatement | QueryRejected] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, sql: str) -> CheckedStatement:
        """The inner policy's verdict on ``sql``, remembered: the checked statement, or a fresh
        ``QueryRejected`` equal to the one the inner policy raised."""
        with self._lock:
            verdict = self._verdicts.get(sql)
            if verdict is not None:
                self._verdicts.move_to_end(sql)
        if verdict is None:
            try:
                verdict = self._inner.check(sql)
            except QueryRejected as exc:
                verdict = exc
            with self._lock:
                self._verdicts[sql] = verdict
                if len(self._verdicts) > self._max_entries:
                    self._verdicts.popitem(last=False)
        if isinstance(verdict, QueryRejected):
            # A fresh exception each time: re-raising one instance would pile up tracebacks.
            raise QueryRejected(verdict.rule, verdict.message, hint=verdict.hint)
        return verdict
