"""Convert asyncpg values into compact, JSON-safe values that keep their meaning.

The representation of every type is documented in ``docs/values.md``. Most values arrive from the
driver already exact (``Decimal``, ``float``, ``uuid``...); the date/time types do not, so
:func:`register_value_codecs` replaces the driver's decoders for them on every connection (see
``pg_time``): ``interval`` keeps months, days and time apart, and the ``infinity`` of dates and
timestamps stays infinity instead of becoming ``9999-12-31``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import ipaddress
import json
import math
import struct
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import asyncpg
from asyncpg.protocol.protocol import BUILTIN_TYPE_OID_MAP

from zava_core.adapters.sqlalchemy.pg_time import CODECS, iso_interval
from zava_core.domain.results import JsonValue

__all__ = ["BUILTIN_TYPE_NAMES", "install_value_codecs", "register_value_codecs", "to_json_value"]

#: PostgreSQL's built-in type names by OID (``int8``, ``numeric``, ``jsonb``...), as the driver knows them.
BUILTIN_TYPE_NAMES: Mapping[int, str] = dict(BUILTIN_TYPE_OID_MAP)

_EXACT_FLOAT_DIGITS = 15
_FLOAT_WORDS = {math.inf: "Infinity", -math.inf: "-Infinity"}
_JSON_TYPES = frozenset({"json", "jsonb"})
_VECTOR_TYPES = frozenset({"vector", "halfvec"})
_FLOAT4_TYPES = frozenset({"float4"}) | _VECTOR_TYPES


async def register_value_codecs(connection: asyncpg.Connection) -> None:
    """Decode interval, date and timestamps faithfully on ``connection`` (see ``pg_time``)."""
    for name, (encoder, decoder) in CODECS.items():
        await connection.set_type_codec(name, schema="pg_catalog", encoder=encoder, decoder=decoder, format="tuple")


def install_value_codecs(dbapi_connection: Any, _record: Any) -> None:
    """SQLAlchemy ``connect`` listener: :func:`register_value_codecs` on each new connection."""
    dbapi_connection.run_async(register_value_codecs)


def _decimal(value: decimal.Decimal) -> JsonValue:
    if not value.is_finite():
        return "NaN" if value.is_nan() else str(value)  # Infinity, -Infinity as PostgreSQL writes them
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    # Keep a float only when it carries the decimal exactly; otherwise a string loses nothing.
    return float(value) if len(value.as_tuple().digits) <= _EXACT_FLOAT_DIGITS else str(value)


def _float(value: float) -> JsonValue:
    if math.isnan(value):
        return "NaN"
    return _FLOAT_WORDS.get(value, value)


def _float4(value: float) -> JsonValue:
    """The shortest decimal that reads back as the same 4-byte float, as PostgreSQL prints it."""
    if not math.isfinite(value):
        return _float(value)
    exact = struct.pack("<f", value)
    for digits in range(1, 10):
        short = float(f"{value:.{digits}g}")
        with contextlib.suppress(OverflowError):  # rounding up past the largest 4-byte float
            if struct.pack("<f", short) == exact:
                return short
    return value


def _temporal(value: dt.date | dt.time) -> str:
    return value.isoformat()


def _bytes(value: bytes | bytearray | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


def _range(value: asyncpg.Range, element: str) -> JsonValue:
    if value.isempty:
        return {"empty": True}
    lower = None if value.lower_inf else to_json_value(value.lower, element)
    upper = None if value.upper_inf else to_json_value(value.upper, element)
    bounds = ("[" if value.lower_inc else "(") + ("]" if value.upper_inc else ")")
    return {"lower": lower, "upper": upper, "bounds": bounds}


def _vector(text: str, element: str) -> JsonValue:
    values = json.loads(text)
    return [to_json_value(float(v), element) for v in values]


# Checked in order: bool before int (a bool is an int), datetime before date.
_CONVERTERS: tuple[tuple[type | tuple[type, ...], Callable[[Any], JsonValue]], ...] = (
    ((bool, int, str), lambda v: v),
    (float, _float),
    (decimal.Decimal, _decimal),
    ((dt.datetime, dt.date, dt.time), _temporal),
    # Only from a connection without the codecs: a timedelta holds no months to keep apart.
    (dt.timedelta, lambda v: iso_interval(0, v.days, v.seconds * 1_000_000 + v.microseconds)),
    (uuid.UUID, str),
    ((bytes, bytearray, memoryview), _bytes),
    (asyncpg.BitString, lambda v: v.as_string().replace(" ", "")),  # it groups by four
    (
        (ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Interface, ipaddress.IPv6Interface),
        str,
    ),
    ((ipaddress.IPv4Network, ipaddress.IPv6Network), str),
    (asyncpg.Record, lambda v: {str(k): to_json_value(x) for k, x in v.items()}),
    (Mapping, lambda v: {str(k): to_json_value(x) for k, x in v.items()}),
)


def _typed(value: Any, element: str) -> tuple[bool, JsonValue]:
    """Values whose Python type alone does not say how to read them: (converted?, value)."""
    if isinstance(value, asyncpg.Range):
        return True, _range(value, element.removesuffix("range").removesuffix("multi"))
    if isinstance(value, (list, tuple)) and not isinstance(value, asyncpg.Record):
        return True, [to_json_value(x, element) for x in value]
    if isinstance(value, str) and element in _JSON_TYPES:
        return True, json.loads(value)
    if isinstance(value, str) and element in _VECTOR_TYPES:
        return True, _vector(value, element)
    if isinstance(value, float) and element in _FLOAT4_TYPES:
        return True, _float4(value)
    return False, None


def to_json_value(value: Any, type_name: str = "") -> JsonValue:
    """One value; ``type_name`` is PostgreSQL's type name (``_int4`` or ``int4[]`` for an array),
    which tells JSON text, 4-byte floats and vectors apart from other values of the same Python type."""
    if value is None:
        return None
    converted, typed = _typed(value, type_name.removeprefix("_").removesuffix("[]"))
    if converted:
        return typed
    for kinds, convert in _CONVERTERS:
        if isinstance(value, kinds):
            return convert(value)
    if hasattr(value, "tolist"):  # pgvector / numpy arrays
        return [_float4(float(x)) for x in value.tolist()]
    return str(value)
