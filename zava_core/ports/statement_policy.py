from __future__ import annotations

from typing import Protocol

from zava_core.domain.statements import CheckedStatement


class StatementPolicy(Protocol):
    """Decides whether SQL written by an untrusted model may run.

    ``check`` returns the statement to run or raises ``QueryRejected`` naming the broken rule.
    It must be pure (no I/O) and fast: it runs on every call.
    """

    def check(self, sql: str) -> CheckedStatement:
        """The statement to run, normalised and fingerprinted; raises ``QueryRejected``."""
        ...
