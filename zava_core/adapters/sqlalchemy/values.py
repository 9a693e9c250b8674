"""Convert asyncpg values into compact, JSON-safe values that keep their meaning."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Mapping
from typing import Any

from zava_core.domain.results import JsonValue

__all__ = ["to_json_value"]

_EXACT_FLOAT_DIGITS = 15


def _decimal(value: decimal.Decimal) -> JsonValue:
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    # Keep a float only when it carries the decimal exactly; otherwise a string loses nothing.
    as_float = float(value)
    digits = len(value.as_tuple().digits)
    return as_float if digits <= _EXACT_FLOAT_DIGITS else str(value)


def _interval(value: dt.timedelta) -> str:
    seconds = value.total_seconds()
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if seconds < 0 else ""
    return f"{sign}P{int(days)}DT{int(hours)}H{int(minutes)}M{secs:g}S"


def to_json_value(value: Any, type_name: str = "") -> JsonValue:
    """One value; ``type_name`` is PostgreSQL's type name, used for JSON text."""
    if value is None or isinstance(value, bool | int | str) and type_name not in ("json", "jsonb"):
        return value  # type: ignore[no-any-return]
    if type_name in ("json", "jsonb") and isinstance(value, str):
        return json.loads(value)  # type: ignore[no-any-return]
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, decimal.Decimal):
        return _decimal(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _interval(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if hasattr(value, "tolist"):  # pgvector / numpy arrays
        return [float(x) for x in value.tolist()]
    return str(value)
