"""Size bounds on the few allowed functions that can manufacture rows or bytes out of nothing.

``generate_series(1, 1000000000)`` or ``repeat('x', 100000000)`` is a one-line denial of service.
The database's statement timeout and result caps would stop both eventually, after burning a
pooled connection and memory; refusing them up front is cheaper and tells the model why.

Only constants can be judged before the query runs. Numeric series must therefore have constant
bounds; calendar series (timestamps with an interval step) may use expressions, because their
length is bounded by the data's date range, the statement timeout and the row cap.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal, DecimalException, InvalidOperation

from pglast import ast

from zava_core.domain.errors import QueryRejected

from .refusals import refuse

__all__ = ["MAX_GENERATED_STRING", "check_bounded_call"]

# Longest string repeat/lpad/rpad/format may be asked to build; far beyond any report's needs.
MAX_GENERATED_STRING = 10_000

_NUMERIC_TYPES = frozenset({"int2", "int4", "int8", "numeric", "float4", "float8", "integer", "bigint"})
_TEMPORAL_TYPES = frozenset({"date", "timestamp", "timestamptz"})

# Months and years are approximated (30 and 365 days): the estimate only has to be in the right
# order of magnitude. One-letter units are left out, because "ms" would read as minutes.
_UNIT_SECONDS = {
    "microsecond": 1e-6,
    "millisecond": 1e-3,
    "second": 1,
    "sec": 1,
    "minute": 60,
    "min": 60,
    "hour": 3600,
    "hr": 3600,
    "day": 86400,
    "week": 604800,
    "month": 2_592_000,
    "mon": 2_592_000,
    "year": 31_536_000,
    "yr": 31_536_000,
    "decade": 315_360_000,
    "century": 3_153_600_000,
}
_INTERVAL_PART = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*([a-z]+?)s?\b", re.IGNORECASE)
_FORMAT_SPEC = re.compile(r"%(?:\d+\$)?-*(\*(?:\d+\$)?|\d+)?[sIL%]")


def _type_name(node: ast.TypeCast) -> str:
    names = node.typeName.names if node.typeName is not None else None
    last = names[-1] if names else None
    return str(last.sval).lower() if isinstance(last, ast.String) else ""


def _string_constant(node: object) -> str | None:
    if isinstance(node, ast.A_Const) and isinstance(node.val, ast.String):
        return str(node.val.sval)
    return None


def _literal_number(node: ast.A_Const) -> Decimal | None:
    if isinstance(node.val, ast.Integer):
        return Decimal(int(node.val.ival or 0))
    if isinstance(node.val, ast.Float):
        return Decimal(str(node.val.fval))
    return None


def _numeric_constant(node: object) -> Decimal | None:
    """Value of an integer/numeric literal, possibly negated or cast; None when not a constant."""
    value: Decimal | None = None
    try:
        if isinstance(node, ast.A_Const):
            value = _literal_number(node)
        elif isinstance(node, ast.TypeCast) and _type_name(node) in _NUMERIC_TYPES:
            text = _string_constant(node.arg)
            value = Decimal(text.strip()) if text is not None else _numeric_constant(node.arg)
        elif isinstance(node, ast.A_Expr) and node.lexpr is None and node.name and len(node.name) == 1:
            operand = _numeric_constant(node.rexpr)
            sign = {"-": -1, "+": 1}.get(str(node.name[0].sval))
            value = operand * sign if operand is not None and sign is not None else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() else None


def _temporal_constant(node: object) -> datetime | None:
    """A date/timestamp literal, typed (date '2024-01-01') or not ('2024-01-01')."""
    if isinstance(node, ast.TypeCast) and _type_name(node) in _TEMPORAL_TYPES:
        node = node.arg
    text = _string_constant(node)
    try:
        moment = datetime.fromisoformat(text.strip()) if text is not None else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _interval_seconds(text: str) -> float | None:
    """Approximate length of a simple interval literal such as '1 month' or '2 weeks 3 days'."""
    total, position = 0.0, 0
    for match in _INTERVAL_PART.finditer(text):
        if text[position : match.start()].strip():
            return None
        seconds = _UNIT_SECONDS.get(match.group(2).lower())
        if seconds is None:
            return None
        total += float(match.group(1)) * seconds
        position = match.end()
    return total if position and not text[position:].strip() else None


def _is_interval(node: object) -> bool:
    if isinstance(node, ast.TypeCast):
        return _type_name(node) == "interval"
    if isinstance(node, ast.FuncCall) and node.funcname:
        return str(node.funcname[-1].sval).lower() == "make_interval"
    text = _string_constant(node)
    return text is not None and _interval_seconds(text) is not None


def _series_bound(max_rows: int) -> QueryRejected:
    return refuse(
        "generate_series_bound",
        f"generate_series must produce at most {max_rows} rows, from constant bounds.",
        "Use constant numeric bounds (for example generate_series(1, 100)), or a calendar: "
        "generate_series(date '2024-01-01', date '2024-12-01', interval '1 month').",
    )


def _check_series(args: tuple[object, ...], max_rows: int) -> None:
    if not 2 <= len(args) <= 4 or any(isinstance(a, ast.NamedArgExpr) for a in args):
        raise _series_bound(max_rows)
    given = [_numeric_constant(a) for a in args[:3]]
    constants = [n for n in given if n is not None] + ([Decimal(1)] if len(args) == 2 else [])
    if len(args) <= 3 and len(constants) == 3:
        start, stop, step = constants
        try:
            rows = 0 if (stop - start) / step < 0 else int((stop - start) / step) + 1
        except (DecimalException, OverflowError, ValueError):
            raise _series_bound(max_rows) from None
        if rows > max_rows:
            raise _series_bound(max_rows)
        return
    if len(args) < 3 or not _is_interval(args[2]):
        raise _series_bound(max_rows)
    start_at, stop_at = _temporal_constant(args[0]), _temporal_constant(args[1])
    step_text = _string_constant(args[2].arg if isinstance(args[2], ast.TypeCast) else args[2])
    step_seconds = _interval_seconds(step_text) if step_text is not None else None
    if start_at is None or stop_at is None or not step_seconds:
        return  # an expression-driven calendar: bounded by the data, the timeout and the row cap
    span: timedelta = stop_at - start_at
    if span.total_seconds() / step_seconds + 1 > max_rows:
        raise _series_bound(max_rows)


def _string_bound(name: str) -> QueryRejected:
    return refuse(
        "string_size_bound",
        f"{name} may build strings of at most {MAX_GENERATED_STRING} characters, given as a constant.",
        f"Pass a constant length of at most {MAX_GENERATED_STRING} to {name}, "
        "or format the value in the client instead.",
    )


def _check_length_argument(name: str, args: tuple[object, ...]) -> None:
    length = _numeric_constant(args[1]) if len(args) >= 2 else None
    if any(isinstance(a, ast.NamedArgExpr) for a in args) or length is None or length > MAX_GENERATED_STRING:
        raise _string_bound(name)


def _check_format(args: tuple[object, ...]) -> None:
    template = _string_constant(args[0]) if args else None
    if template is None:
        raise _string_bound("format")
    for match in _FORMAT_SPEC.finditer(template):
        width = match.group(1)
        if width is not None and (width.startswith("*") or int(width) > MAX_GENERATED_STRING):
            raise _string_bound("format")


def check_bounded_call(name: str, args: tuple[object, ...], max_series_rows: int) -> None:
    """Refuse a call to a size-sensitive function whose size cannot be shown to be small."""
    if name == "generate_series":
        _check_series(args, max_series_rows)
    elif name in {"repeat", "lpad", "rpad"}:
        _check_length_argument(name, args)
    elif name == "format":
        _check_format(args)
