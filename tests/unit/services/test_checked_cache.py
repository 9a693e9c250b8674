from __future__ import annotations

import pytest

from zava_core.domain.errors import QueryRejected
from zava_core.domain.statements import CheckedStatement
from zava_core.services.checked_cache import CachingStatementPolicy
from zava_core.testing.fakes import KeywordPolicy


class CountingPolicy(KeywordPolicy):
    def __init__(self) -> None:
        self.calls = 0

    def check(self, sql: str) -> CheckedStatement:
        self.calls += 1
        return super().check(sql)


def test_a_repeated_statement_is_checked_once() -> None:
    inner = CountingPolicy()
    policy = CachingStatementPolicy(inner)
    assert policy.check("SELECT 1") == policy.check("SELECT 1")
    assert inner.calls == 1


def test_a_refusal_is_remembered_and_raised_again_with_its_rule() -> None:
    inner = CountingPolicy()
    policy = CachingStatementPolicy(inner)
    for _ in range(3):
        with pytest.raises(QueryRejected) as info:
            policy.check("DELETE FROM retail.orders")
        assert info.value.rule == "not_read_only"
    assert inner.calls == 1


def test_the_cache_is_bounded() -> None:
    inner = CountingPolicy()
    policy = CachingStatementPolicy(inner, max_entries=2)
    for sql in ("SELECT 1", "SELECT 2", "SELECT 3", "SELECT 1"):
        policy.check(sql)
    assert inner.calls == 4  # "SELECT 1" was evicted by the third statement
