"""Convert asyncpg values into compact, JSON-safe values that keep their meaning."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import math
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from asyncpg.protocol.protocol import BUILTIN_TYPE_OID_MAP

from zava_core.domain.results import JsonValue

__all__ = ["BUILTIN_TYPE_NAMES", "to_json_value"]

#: PostgreSQL's built-in type names by OID (``int8``, ``numeric``, ``jsonb``...), as the driver knows them.
BUILTIN_TYPE_NAMES: Mapping[int, str] = dict(BUILTIN_TYPE_OID_MAP)

_EXACT_FLOAT_DIGITS = 15


def _decimal(value: decimal.Decimal) -> JsonValue:
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    # Keep a float only when it carries the decimal exactly; otherwise a string loses nothing.
    return float(value) if len(value.as_tuple().digits) <= _EXACT_FLOAT_DIGITS else str(value)


def _float(value: float) -> JsonValue:
    return value if math.isfinite(value) else str(value)


def _interval(value: dt.timedelta) -> str:
    seconds = value.total_seconds()
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if seconds < 0 else ""
    return f"{sign}P{int(days)}DT{int(hours)}H{int(minutes)}M{secs:g}S"


def _temporal(value: dt.date | dt.time) -> str:
    return value.isoformat()


def _bytes(value: bytes | bytearray | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


# Checked in order: bool before int (a bool is an int), datetime before date.
_CONVERTERS: tuple[tuple[type | tuple[type, ...], Callable[[Any], JsonValue]], ...] = (
    ((bool, int, str), lambda v: v),
    (float, _float),
    (decimal.Decimal, _decimal),
    ((dt.datetime, dt.date, dt.time), _temporal),
    (dt.timedelta, _interval),
    (uuid.UUID, str),
    ((bytes, bytearray, memoryview), _bytes),
    (Mapping, lambda v: {str(k): to_json_value(x) for k, x in v.items()}),
    ((list, tuple), lambda v: [to_json_value(x) for x in v]),
)


def to_json_value(value: Any, type_name: str = "") -> JsonValue:
    """One value; ``type_name`` is PostgreSQL's type name, used for JSON text."""
    if value is None:
        return None
    if type_name in ("json", "jsonb") and isinstance(value, str):
        return json.loads(value)  # type: ignore[no-any-return]
    for kinds, convert in _CONVERTERS:
        if isinstance(value, kinds):
            return convert(value)
    if hasattr(value, "tolist"):  # pgvector / numpy arrays
        return [float(x) for x in value.tolist()]
    return str(value)
