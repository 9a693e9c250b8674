"""The parser-based statement check: one read-only query over the exposed tables, or a refusal."""

from .policy import PglastStatementPolicy

__all__ = ["PglastStatementPolicy"]
