"""Size bounds on the few allowed functions that can manufacture rows or bytes out of nothing.

``generate_series(1, 1000000000)`` or ``repeat('x', 100000000)`` is a one-line denial of service.
What the check can prove too large from constants it refuses up front: cheaper than letting the
server find out, and it tells the model why.

What it cannot prove is split by what would stop it at run time:

* **rows** — a series whose bounds are computed (``generate_series(1, (SELECT max(quantity) ...))``)
  runs: its rows stream into a tuplestore that spills past ``work_mem`` and stops at
  ``temp_file_limit``, the statement timeout and the row cap;
* **a single value** — ``repeat``/``lpad``/``rpad`` must have a length with a provable upper bound
  (a constant, constant arithmetic, ``LEAST(n, 60)``, a ``CASE`` of constants): one value is built
  whole in the server's memory before any cap applies, and no runtime bound stops that short of
  the 1 GB allocation limit. How the bounds compose across calls is ``sizes``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal, DecimalException, InvalidOperation

from pglast import ast
from pglast.enums import A_Expr_Kind, MinMaxOp

from zava_core.domain.errors import QueryRejected

from .intervals import interval_seconds, make_interval_seconds
from .refusals import refuse
from .sizes import MAX_VALUE_SIZE

__all__ = ["MAX_FORMAT_WIDTH", "check_bounded_call", "numeric_constant", "upper_bound"]

# Widest field format() may pad to; far beyond any report's needs (each spec pads on its own).
MAX_FORMAT_WIDTH = 10_000
_ARITHMETIC = frozenset({"+", "-", "*", "/"})

_NUMERIC_TYPES = frozenset({"int2", "int4", "int8", "numeric", "float4", "float8", "integer", "bigint"})
_TEMPORAL_TYPES = frozenset({"date", "timestamp", "timestamptz"})

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


def numeric_constant(node: object) -> Decimal | None:
    """Value of an integer/numeric literal, possibly negated or cast; None when not a constant."""
    value: Decimal | None = None
    try:
        if isinstance(node, ast.A_Const):
            value = _literal_number(node)
        elif isinstance(node, ast.TypeCast) and _type_name(node) in _NUMERIC_TYPES:
            text = _string_constant(node.arg)
            value = Decimal(text.strip()) if text is not None else numeric_constant(node.arg)
        elif isinstance(node, ast.A_Expr) and node.lexpr is None and node.name and len(node.name) == 1:
            operand = numeric_constant(node.rexpr)
            sign = {"-": -1, "+": 1}.get(str(node.name[0].sval))
            value = operand * sign if operand is not None and sign is not None else None
        elif isinstance(node, ast.A_Expr) and node.kind == A_Expr_Kind.AEXPR_OP:
            value = _folded(node)
    except (InvalidOperation, DecimalException):
        return None
    return value if value is not None and value.is_finite() else None


def _folded(node: ast.A_Expr) -> Decimal | None:
    """``10 * 2`` and the like: arithmetic over constants, as an upper bound of PostgreSQL's result
    (integer division truncates, so the exact quotient is never below it)."""
    op = str(node.name[0].sval) if node.name and len(node.name) == 1 else ""
    left, right = numeric_constant(node.lexpr), numeric_constant(node.rexpr)
    if op not in _ARITHMETIC or left is None or right is None:
        return None
    if op == "/":
        return left / right if right else None
    return left + right if op == "+" else left - right if op == "-" else left * right


def upper_bound(node: object) -> Decimal | None:
    """A value ``node`` cannot exceed, when the check can prove one; None otherwise."""
    value = numeric_constant(node)
    if value is not None:
        return value
    if isinstance(node, ast.TypeCast):
        return upper_bound(node.arg)
    if isinstance(node, ast.MinMaxExpr):
        bounds = [upper_bound(a) for a in node.args or ()]
        known = [b for b in bounds if b is not None]
        if node.op == MinMaxOp.IS_LEAST:
            return min(known, default=None)
        return max(known) if known and len(known) == len(bounds) else None
    branches: Sequence[object] = ()
    if isinstance(node, ast.CaseExpr):
        branches = [w.result for w in node.args or () if isinstance(w, ast.CaseWhen)] + [node.defresult]
    elif isinstance(node, ast.CoalesceExpr):
        branches = tuple(node.args or ())
    found = [upper_bound(b) for b in branches]
    known = [b for b in found if b is not None]
    return max(known) if known and len(known) == len(found) else None


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


_MAKE_INTERVAL_ARGS = ("years", "months", "weeks", "days", "hours", "mins", "secs")
# The interval type's range mask (typmod) -> the field a bare number counts in; smallest first.
_FIELD_BITS = (
    (1 << 12, "second"),
    (1 << 11, "minute"),
    (1 << 10, "hour"),
    (1 << 3, "day"),
    (1 << 1, "month"),
    (1 << 2, "year"),
)


def _interval_field(node: ast.TypeCast) -> str | None:
    mods = node.typeName.typmods if node.typeName is not None else None
    mask = numeric_constant(mods[0]) if mods else None
    if mask is None:
        return None
    return next((name for bit, name in _FIELD_BITS if int(mask) & bit), None)


def _is_interval(node: object) -> bool:
    if isinstance(node, ast.TypeCast):
        return _type_name(node) == "interval"
    if isinstance(node, ast.FuncCall) and node.funcname:
        return str(node.funcname[-1].sval).lower() == "make_interval"
    text = _string_constant(node)
    return text is not None and interval_seconds(text) is not None


def _step_seconds(node: object) -> float | None:
    """Shortest length of a constant step; None when it is not a constant we can read."""
    if isinstance(node, ast.TypeCast) and _type_name(node) == "interval":
        text = _string_constant(node.arg)
        return interval_seconds(text, _interval_field(node)) if text is not None else None
    if isinstance(node, ast.FuncCall):
        values: dict[str, float] = {}
        for position, arg in enumerate(node.args or ()):
            name = str(arg.name) if isinstance(arg, ast.NamedArgExpr) else None
            if name is None and position >= len(_MAKE_INTERVAL_ARGS):
                return None
            value = numeric_constant(arg.arg if isinstance(arg, ast.NamedArgExpr) else arg)
            if value is None:
                return None
            values[name or _MAKE_INTERVAL_ARGS[position]] = float(value)
        return make_interval_seconds(values)
    text = _string_constant(node)
    return interval_seconds(text) if text is not None else None


def _is_constant(node: object) -> bool:
    """A literal (possibly typed): something the check can be expected to read."""
    return _string_constant(node.arg if isinstance(node, ast.TypeCast) else node) is not None


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
    given = [numeric_constant(a) for a in args[:3]]
    constants = [n for n in given if n is not None] + ([Decimal(1)] if len(args) == 2 else [])
    numeric = not (len(args) > 2 and _is_interval(args[2])) and len(args) <= 3
    if numeric and any(n is None and _is_constant(a) for n, a in zip(given, args, strict=False)):
        raise _series_bound(max_rows)  # 'infinity'::numeric, 'NaN': constants that bound nothing
    if numeric and len(constants) < 3:
        return  # a computed bound: the rows are stopped by temp_file_limit, the timeout, the row cap
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
    if (start_at is None and _is_constant(args[0])) or (stop_at is None and _is_constant(args[1])):
        raise _series_bound(max_rows)  # 'infinity', 'epoch', 'today': constants we cannot place
    if start_at is None or stop_at is None:
        return  # an expression-driven calendar: bounded by the data, the timeout and the row cap
    step_seconds = _step_seconds(args[2])
    if not step_seconds:
        raise refuse(
            "generate_series_step",
            "generate_series between constant bounds needs a constant step the check can measure.",
            "Write the step as a plain interval literal: generate_series(date '2024-01-01', date '2024-12-31', "
            "interval '1 day').",
        )
    span: timedelta = stop_at - start_at
    if abs(span.total_seconds()) / step_seconds + 1 > max_rows:
        raise _series_bound(max_rows)


def _string_bound(name: str, limit: int) -> QueryRejected:
    if name == "format":
        hint = f"Use a constant template whose field widths are at most {limit:,}, for example format('%-10s', x)."
    else:
        hint = f"Give {name} a constant length, or cap a computed one: {name}('#', LEAST(n, 60))."
    return refuse(
        "string_size_bound",
        f"{name} may build strings of at most {limit:,} characters, with a size the check can bound.",
        hint,
    )


def _check_length_argument(name: str, args: tuple[object, ...]) -> None:
    length = upper_bound(args[1]) if len(args) >= 2 else None
    if any(isinstance(a, ast.NamedArgExpr) for a in args) or length is None or length > MAX_VALUE_SIZE:
        raise _string_bound(name, MAX_VALUE_SIZE)


def _check_format(args: tuple[object, ...]) -> None:
    template = _string_constant(args[0]) if args else None
    if template is None:
        raise _string_bound("format", MAX_FORMAT_WIDTH)
    for match in _FORMAT_SPEC.finditer(template):
        width = match.group(1)
        if width is not None and (width.startswith("*") or int(width) > MAX_FORMAT_WIDTH):
            raise _string_bound("format", MAX_FORMAT_WIDTH)


def check_bounded_call(name: str, args: tuple[object, ...], max_series_rows: int) -> None:
    """Refuse a call to a size-sensitive function whose size cannot be shown to be small."""
    if name == "generate_series":
        _check_series(args, max_series_rows)
    elif name in {"repeat", "lpad", "rpad"}:
        _check_length_argument(name, args)
    elif name == "format":
        _check_format(args)
