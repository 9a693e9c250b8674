"""PostgreSQL's FigureColname: the name a select-list expression gets when it has no alias.

The walker needs sub-selects' output names to resolve ``alias.column``. A name worked out here is
an alias the query wrote, a column name, an allowed function's or type's name, or a fixed word;
where PostgreSQL would choose differently, the worst case is a call of an *allowed* function.
"""

from __future__ import annotations

from pglast import ast
from pglast.enums import A_Expr_Kind, JsonExprOp, MinMaxOp, SQLValueFunctionOp, SubLinkType

__all__ = ["figure_colname"]

_UNNAMED = "?column?"


def _strings(parts: object) -> list[str | None]:
    return [str(p.sval) if isinstance(p, ast.String) else None for p in parts or ()]  # type: ignore[attr-defined]


_SVF_NAMES = {op: op.name.removeprefix("SVFOP_").lower().removesuffix("_n") for op in SQLValueFunctionOp}
_JSON_NAMES = {JsonExprOp.JSON_EXISTS_OP: "json_exists", JsonExprOp.JSON_QUERY_OP: "json_query"}
_FIXED_NAMES: dict[type[ast.Node], str] = {
    ast.A_ArrayExpr: "array",
    ast.RowExpr: "row",
    ast.CoalesceExpr: "coalesce",
    ast.GroupingFunc: "grouping",
    ast.JsonParseExpr: "json",
    ast.JsonScalarExpr: "json_scalar",
    ast.JsonSerializeExpr: "json_serialize",
    ast.JsonObjectConstructor: "json_object",
    ast.JsonArrayConstructor: "json_array",
    ast.JsonArrayQueryConstructor: "json_array",
    ast.JsonObjectAgg: "json_objectagg",
    ast.JsonArrayAgg: "json_arrayagg",
}


def figure_colname(node: object) -> tuple[str, int]:  # noqa: PLR0911, PLR0912
    """PostgreSQL's FigureColnameInternal: a column's name and how strongly it was chosen."""
    match node:
        case ast.ColumnRef():
            last = _strings(node.fields)[-1:]
            return (last[0], 2) if last and last[0] is not None else (_UNNAMED, 0)
        case ast.A_Indirection():
            last = _strings(node.indirection)[-1:]
            return (last[0], 2) if last and last[0] is not None else figure_colname(node.arg)
        case ast.FuncCall():
            return (str(_strings(node.funcname)[-1]), 2)
        case ast.A_Expr() if node.kind == A_Expr_Kind.AEXPR_NULLIF:
            return ("nullif", 2)
        case ast.TypeCast():
            name, strength = figure_colname(node.arg)
            if strength <= 1 and node.typeName is not None:
                return (str(_strings(node.typeName.names)[-1]), 1)
            return name, strength
        case ast.CollateClause():
            return figure_colname(node.arg)
        case ast.SubLink():
            if node.subLinkType == SubLinkType.EXISTS_SUBLINK:
                return ("exists", 2)
            if node.subLinkType == SubLinkType.ARRAY_SUBLINK:
                return ("array", 2)
            if node.subLinkType == SubLinkType.EXPR_SUBLINK and isinstance(node.subselect, ast.SelectStmt):
                first = (node.subselect.targetList or (None,))[0]
                if isinstance(first, ast.ResTarget) and first.name:
                    return (str(first.name), 2)
            return (_UNNAMED, 0)
        case ast.CaseExpr():
            name, strength = figure_colname(node.defresult) if node.defresult is not None else (_UNNAMED, 0)
            return (name, strength) if strength > 1 else ("case", 1)
        case ast.MinMaxExpr():
            return ("greatest" if node.op == MinMaxOp.IS_GREATEST else "least", 2)
        case ast.SQLValueFunction() if node.op is not None:
            return (_SVF_NAMES[node.op], 2)
        case ast.JsonFuncExpr():
            return (_JSON_NAMES.get(node.op, "json_value"), 2)  # type: ignore[arg-type]
        case ast.Node() if type(node) in _FIXED_NAMES:
            return (_FIXED_NAMES[type(node)], 2)
    return (_UNNAMED, 0)
