"""Remember the statement check's verdicts: the check is pure, so the same text always gets the
same answer, and assistants repeat themselves (dashboards, retries, follow-ups)."""

from __future__ import annotations

from collections import OrderedDict

from zava_core.domain.errors import QueryRejected
from zava_core.domain.statements import CheckedStatement
from zava_core.ports.statement_policy import StatementPolicy

__all__ = ["CachingStatementPolicy"]


class CachingStatementPolicy:
    """An LRU of verdicts in front of another policy. Keys are the exact SQL text, so nothing a
    principal did can change another's verdict: the verdict never depended on the principal."""

    def __init__(self, inner: StatementPolicy, max_entries: int = 2048) -> None:
        self._inner = inner
        self._max_entries = max_entries
        self._verdicts: OrderedDict[str, CheckedStatement | QueryRejected] = OrderedDict()

    def check(self, sql: str) -> CheckedStatement:
        verdict = self._verdicts.get(sql)
        if verdict is None:
            try:
                verdict = self._inner.check(sql)
            except QueryRejected as exc:
                verdict = exc
            self._verdicts[sql] = verdict
            if len(self._verdicts) > self._max_entries:
                self._verdicts.popitem(last=False)
        else:
            self._verdicts.move_to_end(sql)
        if isinstance(verdict, QueryRejected):
            # A fresh exception each time: re-raising one instance would pile up tracebacks.
            raise QueryRejected(verdict.rule, verdict.message, hint=verdict.hint)
        return verdict
