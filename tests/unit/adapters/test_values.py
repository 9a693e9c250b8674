from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zava_core.adapters.sqlalchemy.errors import redact
from zava_core.adapters.sqlalchemy.pg_time import CODECS, iso_interval
from zava_core.adapters.sqlalchemy.values import to_json_value


def test_values_keep_their_meaning_in_json() -> None:
    assert to_json_value(decimal.Decimal("12.50")) == 12.5
    assert to_json_value(decimal.Decimal("42")) == 42
    assert to_json_value(decimal.Decimal("1234567890123456.789")) == "1234567890123456.789"
    assert to_json_value(dt.date(2025, 3, 1)) == "2025-03-01"
    assert to_json_value(dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)) == "2025-03-01T12:00:00+00:00"
    assert to_json_value(uuid.UUID(int=5)) == "00000000-0000-0000-0000-000000000005"
    assert to_json_value(dt.timedelta(days=1, hours=2)) == "P1DT2H"
    assert to_json_value('{"a": 1}', "jsonb") == {"a": 1}
    assert to_json_value(float("nan")) == "NaN"
    assert to_json_value(float("-inf")) == "-Infinity"
    assert to_json_value(decimal.Decimal("NaN")) == "NaN"
    assert to_json_value(decimal.Decimal("-Infinity")) == "-Infinity"
    assert to_json_value(0.10000000149011612, "float4") == 0.1
    assert to_json_value("[1,0.1]", "vector") == [1.0, 0.1]
    assert to_json_value(['{"a": 1}'], "_jsonb") == [{"a": 1}]
    assert to_json_value([decimal.Decimal("1.5"), None]) == [1.5, None]
    assert to_json_value(b"\x00\x01") == "AAE="


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**12), max_value=10**12))
def test_money_survives_a_json_round_trip_exactly(value: decimal.Decimal) -> None:
    """Every numeric(…, 2) amount comes back from JSON as the same decimal."""
    encoded = json.loads(json.dumps(to_json_value(value)))
    assert decimal.Decimal(str(encoded)) == value


def test_error_messages_hide_values_the_caller_did_not_write() -> None:
    sql = "SELECT CAST(store_name AS int) FROM retail.stores"
    message = 'invalid input syntax for type integer: "Zava Retail Bellevue"'
    assert redact(message, sql) == 'invalid input syntax for type integer: "<redacted>"'
    assert redact('column "store_nam" does not exist', "SELECT store_nam FROM x") == 'column "store_nam" does not exist'
    assert "secret" not in redact("value 'secret' is bad", "SELECT 1")


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ((80, 9, 0), "P6Y8M9D"),
        ((14, 3, 14_706_500_000), "P1Y2M3DT4H5M6.5S"),
        ((-14, 3, -14_706_500_000), "P-1Y-2M3DT-4H-5M-6.5S"),
        ((0, 0, 0), "PT0S"),
        ((0, 0, -500_000), "PT-0.5S"),
        ((2**31 - 1, 2**31 - 1, 2**63 - 1), "infinity"),
    ],
)
def test_intervals_are_written_as_postgresql_writes_iso_8601(fields: tuple[int, int, int], text: str) -> None:
    assert iso_interval(*fields) == text


def test_dates_beyond_python_keep_postgresql_text() -> None:
    decode = CODECS["date"][1]
    assert decode((2**31 - 1,)) == "infinity"
    assert decode((-2_451_545 + 38,)) == "4713-01-01 BC"
    assert decode((0,)) == dt.date(2000, 1, 1)
    assert CODECS["date"][0](dt.date(2000, 1, 2)) == (1,)
