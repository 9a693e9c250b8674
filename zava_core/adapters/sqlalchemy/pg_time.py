"""Faithful decoders for PostgreSQL's date/time types, as asyncpg ``tuple`` codecs.

asyncpg's own decoders lose information: an ``interval`` becomes a ``timedelta`` (months counted
as 30 days, years as 365, so ``age()`` of 6 years 8 months 9 days came back as ``P2439D``), and
``infinity`` becomes ``9999-12-31``. The tuple format hands over PostgreSQL's own fields
(months, days, microseconds; days or microseconds since 2000-01-01), from which:

* an ``interval`` becomes an ISO 8601 duration exactly as PostgreSQL writes it with
  ``IntervalStyle = iso_8601`` (``P6Y8M9D``, ``P-1Y-2M3DT-4H-5M-6.5S``, ``PT0S``);
* a finite date or timestamp in Python's range stays a ``date``/``datetime`` (so the other
  adapters' code is unchanged); ``infinity``, ``-infinity`` and dates outside years 1-9999 become
  PostgreSQL's own text (``infinity``, ``4714-11-24 BC``).

Encoders mirror asyncpg's, so parameters bind as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

__all__ = ["CODECS", "iso_interval"]

_INT32_MAX, _INT32_MIN = 2**31 - 1, -(2**31)
_INT64_MAX, _INT64_MIN = 2**63 - 1, -(2**63)
_USECS_PER_SECOND = 1_000_000
_USECS_PER_DAY = 86_400 * _USECS_PER_SECOND
_EPOCH_DATE = dt.date(2000, 1, 1)
_EPOCH = dt.datetime(2000, 1, 1)  # PostgreSQL's epoch, without time zone
_EPOCH_UTC = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_EPOCH_JULIAN_DAY = 2_451_545
_MIN_ORDINAL, _MAX_ORDINAL = dt.date.min.toordinal(), dt.date.max.toordinal()


def _trunc_div(a: int, b: int) -> int:
    """C's integer division (toward zero), which PostgreSQL's interval output uses."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _part(value: int, unit: str) -> str:
    return f"{value}{unit}" if value else ""


def iso_interval(months: int, days: int, microseconds: int) -> str:
    """PostgreSQL's ``iso_8601`` interval output for its three fields."""
    if (months, days, microseconds) == (_INT32_MAX, _INT32_MAX, _INT64_MAX):
        return "infinity"
    if (months, days, microseconds) == (_INT32_MIN, _INT32_MIN, _INT64_MIN):
        return "-infinity"
    if months == days == microseconds == 0:
        return "PT0S"
    years = _trunc_div(months, 12)
    hours = _trunc_div(microseconds, 3_600 * _USECS_PER_SECOND)
    rest = microseconds - hours * 3_600 * _USECS_PER_SECOND
    minutes = _trunc_div(rest, 60 * _USECS_PER_SECOND)
    rest -= minutes * 60 * _USECS_PER_SECOND
    text = "P" + _part(years, "Y") + _part(months - years * 12, "M") + _part(days, "D")
    if microseconds:
        text += "T" + _part(hours, "H") + _part(minutes, "M")
    if rest:
        whole, fraction = divmod(abs(rest), _USECS_PER_SECOND)
        seconds = f"{whole}.{fraction:06d}".rstrip("0").rstrip(".")
        text += ("-" if rest < 0 else "") + seconds + "S"
    return text


def _julian_date(julian: int) -> tuple[int, int, int]:
    """PostgreSQL's ``j2date``: (year, month, day) of a Julian day, year <= 0 meaning BC."""
    julian += 32044
    quad = julian // 146097
    extra = (julian - quad * 146097) * 4 + 3
    julian += 60 + quad * 3 + extra // 146097
    quad = julian // 1461
    julian -= quad * 1461
    year = julian * 4 // 1461
    julian = ((julian + 305) % 365 if year != 0 else (julian + 306) % 366) + 123
    year += quad * 4
    quad = julian * 2141 // 65536
    return year - 4800, (quad + 10) % 12 + 1, julian - 7834 * quad // 256


def _far_date(days: int) -> str:
    year, month, day = _julian_date(days + _EPOCH_JULIAN_DAY)
    era = "" if year > 0 else " BC"
    return f"{year if year > 0 else 1 - year:04d}-{month:02d}-{day:02d}{era}"


def _decode_date(value: tuple[int]) -> dt.date | str:
    (days,) = value
    if days in (_INT32_MAX, _INT32_MIN):
        return "infinity" if days > 0 else "-infinity"
    ordinal = _EPOCH_DATE.toordinal() + days
    return dt.date.fromordinal(ordinal) if _MIN_ORDINAL <= ordinal <= _MAX_ORDINAL else _far_date(days)


def _decode_timestamp(epoch: dt.datetime) -> Callable[[tuple[int]], dt.datetime | str]:
    def decode(value: tuple[int]) -> dt.datetime | str:
        (micros,) = value
        if micros in (_INT64_MAX, _INT64_MIN):
            return "infinity" if micros > 0 else "-infinity"
        days, rest = divmod(micros, _USECS_PER_DAY)
        ordinal = _EPOCH_DATE.toordinal() + days
        if _MIN_ORDINAL <= ordinal <= _MAX_ORDINAL:
            return epoch + dt.timedelta(microseconds=micros)
        clock = (dt.datetime.min + dt.timedelta(microseconds=rest)).time().isoformat()
        date, _, era = _far_date(days).partition(" ")
        return f"{date}T{clock}{'+00:00' if epoch.tzinfo else ''}{' ' + era if era else ''}"

    return decode


def _encode_date(value: dt.date) -> tuple[int]:
    if value == dt.date.max:
        return (_INT32_MAX,)
    if value == dt.date.min:
        return (_INT32_MIN,)
    return (value.toordinal() - _EPOCH_DATE.toordinal(),)


def _micros(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * _USECS_PER_SECOND + delta.microseconds


def _encode_timestamp(value: dt.datetime) -> tuple[int]:
    if value == dt.datetime.max:
        return (_INT64_MAX,)
    if value == dt.datetime.min:
        return (_INT64_MIN,)
    return (_micros(value - _EPOCH),)


def _encode_timestamptz(value: dt.date) -> tuple[int]:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day).astimezone()  # local time, as asyncpg
    if value.replace(tzinfo=None) == dt.datetime.max:
        return (_INT64_MAX,)
    if value.replace(tzinfo=None) == dt.datetime.min:
        return (_INT64_MIN,)
    return (_micros(value.astimezone(dt.UTC) - _EPOCH_UTC),)


def _encode_interval(value: dt.timedelta) -> tuple[int, int, int]:
    return (0, value.days, value.seconds * _USECS_PER_SECOND + value.microseconds)


def _decode_interval(value: tuple[int, int, int]) -> str:
    return iso_interval(*value)


#: Type name -> (encoder, decoder) for ``Connection.set_type_codec(..., format="tuple")``.
CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "interval": (_encode_interval, _decode_interval),
    "date": (_encode_date, _decode_date),
    "timestamp": (_encode_timestamp, _decode_timestamp(_EPOCH)),
    "timestamptz": (_encode_timestamptz, _decode_timestamp(_EPOCH_UTC)),
}
