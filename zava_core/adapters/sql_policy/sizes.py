"""An upper bound on the size of a value, worked out from the expression that builds it.

``repeat(repeat('x', 10000), 10000)`` is 100 MB although each call is small: a bound per call is
not a bound. The estimate composes instead: constants count their own length, ``repeat`` multiplies
by its count, ``lpad``/``rpad`` by their length times the fill (loose on purpose: a generated fill
serves no report), ``replace`` and ``regexp_replace`` by the replacement, aggregates that collect
values by the largest series the check admits, everything else adds up its inputs.

A value read from a table counts as ``TABLE_VALUE_SIZE`` (one character): the static estimate is
the product of the *constant* factors, and what rows hold is bounded at run time by the executor.
Columns of CTEs and sub-selects carry the estimate of the expression that built them, so a value
cannot be amplified in two steps. The walk is iterative (a 20,000-character expression must not
reach Python's recursion limit) and memoised per node (each node is estimated once).
"""

from __future__ import annotations

from collections.abc import Callable

from pglast import ast
from pglast.enums import SubLinkType

from .names import TABLE_VALUE_SIZE, Columns, Scope

__all__ = ["MAX_VALUE_SIZE", "Estimator"]

#: The largest single value the check lets a query build from constants, in characters.
MAX_VALUE_SIZE = 10_000_000

_COLLECTING = frozenset(
    [
        "string_agg",
        "array_agg",
        "json_agg",
        "jsonb_agg",
        "json_object_agg",
        "jsonb_object_agg",
        "json_agg_strict",
        "jsonb_agg_strict",
    ]
)
_LEAVES = (ast.SubLink, ast.SelectStmt, ast.ColumnRef, ast.A_Const)
_PASS_THROUGH = (ast.TypeCast, ast.CollateClause, ast.NamedArgExpr, ast.A_Indirection)
_PADDED_TYPES = frozenset({"bpchar", "char", "character"})

NumberOf = Callable[[object], "float | None"]


def _first_column(columns: Columns) -> int:
    return next(iter(columns.values()), TABLE_VALUE_SIZE) if columns else TABLE_VALUE_SIZE


class Estimator:
    """Estimates value sizes for one statement; ``output_columns`` comes from the resolver."""

    def __init__(
        self, number: NumberOf, max_rows: int, output_columns: Callable[[ast.SelectStmt, Scope], Columns] | None = None
    ) -> None:
        self._number = number
        self._max_rows = max_rows
        self.output_columns = output_columns
        self._memo: dict[int, int] = {}
        self._keep: list[object] = []  # memo keys are ids: keep the nodes alive

    def estimate(self, root: object, scope: Scope) -> int:
        """Upper bound on the characters of ``root``'s value (capped to keep numbers small)."""
        stack: list[tuple[object, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if id(node) in self._memo:
                continue
            kids = self._children(node)
            if not ready and kids:
                stack.append((node, True))
                stack.extend((k, False) for k in kids if id(k) not in self._memo)
                continue
            sizes = [self._memo.get(id(k), TABLE_VALUE_SIZE) for k in kids]
            self._keep.append(node)
            self._memo[id(node)] = min(self._combine(node, sizes, scope), MAX_VALUE_SIZE * 1000)
        return self._memo[id(root)]

    @staticmethod
    def _children(node: object) -> list[object]:
        if isinstance(node, tuple):
            return list(node)
        if isinstance(node, ast.FuncCall):
            return list(node.args or ())
        if isinstance(node, _LEAVES) or not isinstance(node, ast.Node):
            return []
        if isinstance(node, _PASS_THROUGH):
            return [node.arg]
        return [getattr(node, f) for f in node if isinstance(getattr(node, f), (ast.Node, tuple))]

    def _combine(self, node: object, sizes: list[int], scope: Scope) -> int:  # noqa: PLR0911
        match node:
            case ast.A_Const():
                value = node.val
                if value is None:
                    return 0
                text = getattr(value, "sval", None) or getattr(value, "fval", None) or getattr(value, "ival", "")
                return len(str(text))
            case ast.ColumnRef():
                return self._column(node, scope)
            case ast.FuncCall():
                return self._call(node, sizes)
            case ast.TypeCast():
                return max(sizes[0], self._padding(node))
            case ast.SubLink():
                return self._sublink(node, scope)
        return sum(sizes) if sizes else TABLE_VALUE_SIZE

    def _count(self, node: object) -> int:
        value = self._number(node)
        return int(value) if value is not None and value >= 0 else 10_000

    def _call(self, node: ast.FuncCall, sizes: list[int]) -> int:
        names = node.funcname or ()
        name = str(getattr(names[-1], "sval", "")).lower() if names else ""
        args = [a.arg if isinstance(a, ast.NamedArgExpr) else a for a in node.args or ()]
        if name == "repeat" and len(args) == 2:
            return sizes[0] * self._count(args[1])
        if name in {"lpad", "rpad"} and len(args) >= 2:
            return self._count(args[1]) * (sizes[2] if len(args) > 2 else 1)
        if name == "replace" and len(args) == 3:
            return sizes[0] * max(1, sizes[2])
        if name == "regexp_replace" and len(args) >= 3:
            template = args[2]
            backrefs = not (isinstance(template, ast.A_Const) and "\\" not in str(getattr(template.val, "sval", "")))
            return sizes[0] * max(1, sizes[2]) * (sizes[0] + 1 if backrefs else 1)
        if name in _COLLECTING:
            return sum(sizes) * self._max_rows
        return sum(sizes) if sizes else TABLE_VALUE_SIZE

    def _padding(self, node: ast.TypeCast) -> int:
        type_name = node.typeName
        if type_name is None or not type_name.typmods:
            return 0
        last = str(getattr((type_name.names or (None,))[-1], "sval", "")).lower()
        if last not in _PADDED_TYPES:
            return 0
        width = self._number(type_name.typmods[0])
        return int(width) if width is not None else 0

    def _column(self, node: ast.ColumnRef, scope: Scope) -> int:
        fields = [str(f.sval) if isinstance(f, ast.String) else None for f in node.fields or ()]
        name = fields[-1]
        if name is None:  # t.* or *: the whole row
            items = scope.find(fields[0]) if len(fields) == 2 and fields[0] else list(scope.items())
            return sum(sum((i.columns or {}).values()) for i in items) or TABLE_VALUE_SIZE
        items = scope.find(fields[-2]) if len(fields) >= 2 and fields[-2] else list(scope.items())
        if len(fields) == 1:
            whole = scope.find(name)
            if whole and not any(name in (i.columns or {}) for i in items):
                return sum(sum((i.columns or {}).values()) for i in whole) or TABLE_VALUE_SIZE
        sizes = [i.columns[name] for i in items if i.columns and name in i.columns]
        return max(sizes, default=TABLE_VALUE_SIZE)

    def _sublink(self, node: ast.SubLink, scope: Scope) -> int:
        if node.subLinkType == SubLinkType.EXISTS_SUBLINK or self.output_columns is None:
            return TABLE_VALUE_SIZE
        if not isinstance(node.subselect, ast.SelectStmt):
            return TABLE_VALUE_SIZE
        first = _first_column(self.output_columns(node.subselect, scope))
        return first * self._max_rows if node.subLinkType == SubLinkType.ARRAY_SUBLINK else first
