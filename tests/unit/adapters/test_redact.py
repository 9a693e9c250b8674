"""Issue 12: database errors show identifiers (the schema) and hide values (the data)."""

from __future__ import annotations

import pytest

from zava_core.adapters.sqlalchemy.errors import redact

GROUP_BY = "SELECT o.store_id, count(*) FROM retail.orders o GROUP BY o.order_date"


@pytest.mark.parametrize(
    ("message", "sql"),
    [
        ('column "o.store_id" must appear in the GROUP BY clause or be used in an aggregate function', GROUP_BY),
        ('column "order_dat" does not exist', "SELECT order_dat FROM retail.orders"),
        ('Perhaps you meant to reference the column "orders.order_date".', "SELECT order_dat FROM retail.orders"),
        ('relation "retail.order" does not exist', "SELECT 1"),
        ('missing FROM-clause entry for table "x"', "SELECT 1"),
        ('column reference "store_id" is ambiguous', "SELECT 1"),
        ('function "lower" does not exist', "SELECT 1"),
        ('type "mood" does not exist', "SELECT 1"),
    ],
)
def test_identifiers_stay_visible(message: str, sql: str) -> None:
    assert redact(message, sql) == message


@pytest.mark.parametrize(
    ("message", "value"),
    [
        ('invalid input syntax for type integer: "Zava Retail Bellevue"', "Zava Retail Bellevue"),
        ('invalid input syntax for type uuid: "store-42"', "store-42"),
        ('invalid input value for enum mood: "secret"', "secret"),
        ("value 'secret' is bad", "secret"),
        ('duplicate key value violates unique constraint "k" Key (email)=("a@b.c")', "a@b.c"),
        # Identifier-shaped text in a value position is still a value.
        ('invalid input syntax for type integer: "Seattle"', "Seattle"),
        # An identifier context does not admit text that is not shaped like an identifier.
        ('column "a value, with spaces" does not exist', "a value, with spaces"),
    ],
)
def test_values_from_rows_are_hidden(message: str, value: str) -> None:
    redacted = redact(message, "SELECT store_name::int FROM retail.stores")
    assert value not in redacted
    assert "<redacted>" in redacted
