"""The length of a constant interval, in every spelling PostgreSQL accepts, or None.

A ``generate_series`` step that the check cannot measure must not pass: ``interval '1 us'``
between two constant dates is 86 billion rows a day. So this reads PostgreSQL's verbose syntax
with all its unit abbreviations (``1 us``, ``2 mins``, ``@ 1 hour ago``), bare numbers with a
field qualifier (``interval '1' second``), clock times (``00:00:00.000001``), SQL-standard
``1-2`` and ``3 4:05:06``, and ISO 8601 (``PT0.000001S``, ``P0000-00-00T00:00:01``). What it cannot
read is reported as None and the caller refuses.

The result is the *shortest* length the interval can have (a month counts as 28 days, a year as
365), because the caller needs an upper bound on the number of steps.
"""

from __future__ import annotations

import re

__all__ = ["interval_seconds"]

_DAY = 86_400.0
_MONTH_MIN, _MONTH_MAX = 28 * _DAY, 31 * _DAY
# Units by their PostgreSQL spellings (datetime.c's deltatktbl); value: (seconds, months).
_UNITS: dict[str, tuple[float, int]] = {}
for _spellings, _value in (
    ("us usec usecs usecond useconds microsecon microsecond microseconds", (1e-6, 0)),
    ("ms msec msecs msecond mseconds millisecon millisecond milliseconds", (1e-3, 0)),
    ("s sec secs second seconds", (1.0, 0)),
    ("m min mins minute minutes", (60.0, 0)),
    ("h hr hrs hour hours", (3600.0, 0)),
    ("d day days", (_DAY, 0)),
    ("w week weeks", (7 * _DAY, 0)),
    ("mon mons month months", (0.0, 1)),
    ("y yr yrs year years", (0.0, 12)),
    ("dec decs decade decades", (0.0, 120)),
    ("c cent century centuries", (0.0, 1200)),
    ("mil mils millennia millennium millenniums", (0.0, 12000)),
):
    for _spelling in _spellings.split():
        _UNITS[_spelling] = _value

# The unit a bare number takes from the type's field qualifier (interval '1' second).
FIELD_UNITS = {"year": "y", "month": "mon", "day": "d", "hour": "h", "minute": "m", "second": "s"}

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_CLOCK = re.compile(r"([-+])?(\d+):(\d+)(?::(\d+(?:\.\d*)?))?$")
_YEAR_MONTH = re.compile(r"([-+])?(\d+)-(\d+)$")
_ISO = re.compile(
    r"([-+])?P(?:(" + _NUMBER + r")Y)?(?:(" + _NUMBER + r")M)?(?:(" + _NUMBER + r")W)?(?:(" + _NUMBER + r")D)?"
    r"(?:T(?:(" + _NUMBER + r")H)?(?:(" + _NUMBER + r")M)?(?:(" + _NUMBER + r")S)?)?$",
    re.IGNORECASE,
)
_ISO_ALT = re.compile(r"P(\d+)-(\d+)-(\d+)(?:T(\d+):(\d+):(\d+(?:\.\d*)?))?$", re.IGNORECASE)
_QUANTITY = re.compile(r"(" + _NUMBER + r")([a-z]*)$", re.IGNORECASE)


def _shortest(seconds: float, months: float) -> float | None:
    """The least absolute length of ``months`` plus ``seconds``; None if it may be zero."""
    ends = [seconds + months * _MONTH_MIN, seconds + months * _MONTH_MAX]
    if min(ends) <= 0 <= max(ends):
        return None
    return min(abs(e) for e in ends)


def _clock(text: str) -> float | None:
    match = _CLOCK.match(text)
    if match is None:
        return None
    sign = -1.0 if match.group(1) == "-" else 1.0
    return sign * (int(match.group(2)) * 3600 + int(match.group(3)) * 60 + float(match.group(4) or 0))


def _iso(text: str) -> tuple[float, float] | None:
    match = _ISO.match(text)
    if match is not None and any(match.groups()[1:]):
        sign = -1.0 if match.group(1) == "-" else 1.0
        y, mo, w, d, h, mi, s = (float(g) if g else 0.0 for g in match.groups()[1:])
        return sign * ((w * 7 + d) * _DAY + h * 3600 + mi * 60 + s), sign * (y * 12 + mo)
    alt = _ISO_ALT.match(text)
    if alt is not None:
        y, mo, d, h, mi = (int(g) if g else 0 for g in alt.groups()[:5])
        return d * _DAY + h * 3600 + mi * 60 + float(alt.group(6) or 0), float(y * 12 + mo)
    return None


def _verbose(text: str, bare_unit: str) -> tuple[float, float] | None:
    seconds = months = 0.0
    ago = False
    pieces = text.removeprefix("@").split()
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        index += 1
        if piece.lower() == "ago":
            ago = True
        elif (clock := _clock(piece)) is not None:
            seconds += clock
        elif (ym := _YEAR_MONTH.match(piece)) is not None:
            sign = -1 if ym.group(1) == "-" else 1
            months += sign * (int(ym.group(2)) * 12 + int(ym.group(3)))
        elif (quantity := _QUANTITY.match(piece)) is not None:
            unit = quantity.group(2)
            if not unit and index < len(pieces) and pieces[index].isalpha() and pieces[index].lower() != "ago":
                unit, index = pieces[index], index + 1
            scale = _UNITS.get((unit or bare_unit).lower())
            if scale is None:
                return None
            seconds += float(quantity.group(1)) * scale[0]
            months += float(quantity.group(1)) * scale[1]
        else:
            return None
    return (-seconds, -months) if ago else (seconds, months)


def interval_seconds(text: str, field: str | None = None) -> float | None:
    """Shortest length in seconds of the interval literal ``text``; None when it cannot be read.

    ``field`` is the type's last field qualifier (``second`` in ``interval '1' second``), which
    gives a bare number its unit; without one a bare number is seconds, as in PostgreSQL.
    """
    body = text.strip()
    if not body:
        return None
    parsed = _iso(body) if body[:1] in "Pp" or body[1:2] in "Pp" else None
    if parsed is None:
        parsed = _verbose(body, FIELD_UNITS.get(field or "", "s"))
    if parsed is None:
        return None
    return _shortest(*parsed)


def make_interval_seconds(values: dict[str, float]) -> float | None:
    """Shortest length of ``make_interval(...)`` given its constant arguments by name."""
    months = values.get("years", 0.0) * 12 + values.get("months", 0.0)
    seconds = (
        (values.get("weeks", 0.0) * 7 + values.get("days", 0.0)) * _DAY
        + values.get("hours", 0.0) * 3600
        + values.get("mins", 0.0) * 60
        + values.get("secs", 0.0)
    )
    return _shortest(seconds, months)
