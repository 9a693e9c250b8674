"""Walks a parsed SELECT and refuses anything that is not a plain read of the exposed tables.

The walk is an allow-list of *node types* as well as of functions: a node type that is not
listed here (a new grammar feature, an XML function, a parameter) is refused rather than waved
through. The walk is iterative, because a 20,000-character query can nest ten thousand levels
deep and Python's recursion limit must not decide whether a query is safe.

Scopes follow PostgreSQL's rules for WITH: a CTE name shadows a table only inside the query that
defines it; in a non-recursive WITH a CTE sees only the CTEs listed before it (not itself), in a
WITH RECURSIVE it sees all of them. Getting this wrong in the permissive direction would let
``(WITH pg_settings AS (...) ...) , pg_settings`` read the real catalog table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pglast import ast

from .bounds import check_bounded_call
from .functions import (
    ALLOWED_FUNCTIONS,
    ALLOWED_SQL_VALUE_FUNCTIONS,
    ALLOWED_TABLESAMPLE_METHODS,
    BUILTIN_SCHEMA,
    EXTENSION_FUNCTIONS,
    EXTENSION_SCHEMA,
    EXTENSION_TYPES,
    OPERATOR_SCHEMAS,
    REFUSED_TYPES,
)
from .refusals import display, function_not_allowed, refuse, relation_not_allowed

__all__ = ["TreeChecker"]

Scope = frozenset[str]
Push = Callable[[object, Scope], None]

# xmin/xmax/cmin/cmax expose transaction ids and ctid/tableoid physical or catalog identities:
# nothing an analyst needs, and a way to watch other sessions' write activity.
SYSTEM_COLUMNS = frozenset({"xmin", "xmax", "cmin", "cmax", "ctid", "tableoid"})


def _node_types(names: str) -> frozenset[type[ast.Node]]:
    # getattr fails at import time if a pglast upgrade renames a node, which is what we want.
    return frozenset(getattr(ast, name) for name in names.split())


# Node types whose children are walked without a check of their own. The Json* nodes are the
# SQL/JSON constructors, predicates, query functions and JSON_TABLE: pure functions of their input.
_STRUCTURAL = _node_types(
    """
    ResTarget A_Star A_Const String Integer Float Boolean BitString BoolExpr NullTest BooleanTest
    NamedArgExpr TypeCast CollateClause CaseExpr CaseWhen CoalesceExpr MinMaxExpr RowExpr A_ArrayExpr
    A_Indices A_Indirection Alias RangeSubselect RangeFunction JoinExpr CTESearchClause CTECycleClause
    WindowDef GroupingSet GroupingFunc ColumnDef
    JsonAggConstructor JsonArgument JsonArrayAgg JsonArrayConstructor JsonArrayQueryConstructor
    JsonBehavior JsonFormat JsonFuncExpr JsonIsPredicate JsonKeyValue JsonObjectAgg
    JsonObjectConstructor JsonOutput JsonParseExpr JsonReturning JsonScalarExpr JsonSerializeExpr
    JsonTable JsonTableColumn JsonTablePathSpec JsonValueExpr
    """
)
_XML = (ast.XmlExpr, ast.XmlSerialize, ast.RangeTableFunc)
_WRITES = {ast.InsertStmt: "INSERT", ast.UpdateStmt: "UPDATE", ast.DeleteStmt: "DELETE", ast.MergeStmt: "MERGE"}
_SELECT_HANDLED = frozenset({"withClause", "intoClause", "lockingClause"})


def _names(parts: tuple[object, ...] | None) -> list[str]:
    return [str(p.sval) if isinstance(p, ast.String) else "" for p in parts or ()]


def _xml_name(node: ast.Node) -> str:
    if isinstance(node, ast.XmlExpr) and node.op is not None:
        return node.op.name.removeprefix("IS_").lower()
    return "xmlserialize" if isinstance(node, ast.XmlSerialize) else "xmltable"


class TreeChecker:
    """Checks one statement tree; collects the exposed tables it reads. Single use."""

    def __init__(self, exposed: Mapping[str, frozenset[str]], default_schema: str | None, max_series_rows: int) -> None:
        self._exposed = exposed
        self._default_schema = default_schema
        self._max_series_rows = max_series_rows
        self.tables: set[str] = set()

    def check(self, root: ast.Node) -> frozenset[str]:
        stack: list[tuple[object, Scope]] = [(root, frozenset())]

        def push(child: object, scope: Scope) -> None:
            if child is not None:
                stack.append((child, scope))

        while stack:
            node, scope = stack.pop()
            if isinstance(node, tuple):
                stack.extend((child, scope) for child in node)
            elif isinstance(node, ast.Node):
                self._visit(node, scope, push)
        return frozenset(self.tables)

    def _visit(self, node: ast.Node, scope: Scope, push: Push) -> None:
        match node:
            case ast.SelectStmt():
                self._select(node, scope, push)
            case ast.RangeVar():
                self._relation(node, scope)
            case ast.FuncCall():
                self._function(node, scope, push)
            case ast.TypeName():
                self._type(node, scope, push)
            case ast.ColumnRef():
                self._column(node)
            case ast.A_Expr():
                self._operator(node, scope, push)
            case ast.SubLink():
                self._sublink(node, scope, push)
            case ast.SortBy():
                self._sort(node, scope, push)
            case ast.SQLValueFunction():
                self._value_function(node)
            case ast.RangeTableSample():
                self._tablesample(node, scope, push)
            case _:
                self._visit_other(node, scope, push)

    def _visit_other(self, node: ast.Node, scope: Scope, push: Push) -> None:
        if type(node) in _STRUCTURAL:
            for field in node:
                push(getattr(node, field), scope)
        elif isinstance(node, ast.ParamRef):
            raise refuse(
                "parameter_not_allowed",
                "Query parameters ($1, $2, ...) are not supported.",
                "Write the values into the query as literals.",
            )
        elif isinstance(node, _XML):
            raise function_not_allowed(_xml_name(node))
        else:
            raise refuse(
                "unsupported_syntax",
                f"The query uses a construct that is not allowed here ({type(node).__name__}).",
                "Write a plain read query: SELECT with joins, sub-queries, CTEs, window functions "
                "and the allowed functions.",
            )

    def _select(self, node: ast.SelectStmt, scope: Scope, push: Push) -> None:
        if node.intoClause is not None:
            raise refuse(
                "select_into",
                "SELECT ... INTO creates a table and is not allowed.",
                "Remove the INTO clause; the result rows are returned to you directly.",
            )
        if node.lockingClause:
            raise refuse(
                "locking_clause",
                "Locking clauses (FOR UPDATE / FOR SHARE / FOR NO KEY UPDATE / FOR KEY SHARE) are not allowed.",
                "Remove the FOR ... clause; queries here only read and never lock rows.",
            )
        inner = scope
        if node.withClause is not None:
            inner = self._with(node.withClause, scope, push)
        for field in node:
            if field not in _SELECT_HANDLED:
                push(getattr(node, field), inner)

    def _with(self, clause: ast.WithClause, scope: Scope, push: Push) -> Scope:
        ctes = [c for c in clause.ctes or () if isinstance(c, ast.CommonTableExpr)]
        names = [str(c.ctename) for c in ctes]
        for index, cte in enumerate(ctes):
            query = cte.ctequery
            if not isinstance(query, ast.SelectStmt):
                verb = _WRITES.get(type(query), type(query).__name__)
                raise refuse(
                    "data_modifying_cte",
                    f"WITH query {display(cte.ctename)} runs {verb}; only SELECT is allowed inside WITH.",
                    "Make every WITH query a SELECT; this tool only reads data.",
                )
            visible = scope | frozenset(names if clause.recursive else names[:index])
            push(query, visible)
            push(cte.search_clause, visible)
            push(cte.cycle_clause, visible)
        return scope | frozenset(names)

    def _relation(self, node: ast.RangeVar, scope: Scope) -> None:
        name = str(node.relname)
        if node.catalogname is None and node.schemaname is None and name in scope:
            return  # a CTE in scope; PostgreSQL resolves it before any table
        schema = node.schemaname if node.schemaname is not None else self._default_schema
        if node.catalogname is None and schema is not None:
            tables = self._exposed.get(schema.lower(), frozenset())
            if name.lower() in tables:
                self.tables.add(f"{schema.lower()}.{name.lower()}")
                return
        exposed = [f"{s}.{t}" for s, names in self._exposed.items() for t in names]
        raise relation_not_allowed(display(node.catalogname, node.schemaname, name), exposed)

    def _function(self, node: ast.FuncCall, scope: Scope, push: Push) -> None:
        parts = _names(node.funcname)
        name = parts[-1].lower() if parts else ""
        schema = parts[0].lower() if len(parts) == 2 else None
        if name in EXTENSION_FUNCTIONS:
            allowed = schema in {None, EXTENSION_SCHEMA}
        else:
            allowed = name in ALLOWED_FUNCTIONS and schema in {None, BUILTIN_SCHEMA}
        if len(parts) > 2 or not allowed:
            raise function_not_allowed(display(*parts))
        check_bounded_call(name, tuple(node.args or ()), self._max_series_rows)
        for child in (node.args, node.agg_order, node.agg_filter, node.over):
            push(child, scope)

    def _type(self, node: ast.TypeName, scope: Scope, push: Push) -> None:
        parts = _names(node.names)
        name = parts[-1].lower() if parts else ""
        schema = parts[0].lower() if len(parts) == 2 else None
        in_allowed_schema = schema in {None, BUILTIN_SCHEMA} or (schema == EXTENSION_SCHEMA and name in EXTENSION_TYPES)
        # "_regclass" is the array type of regclass and accepts the same catalog lookups.
        if node.pct_type or len(parts) > 2 or not in_allowed_schema or name.lstrip("_") in REFUSED_TYPES:
            raise refuse(
                "type_not_allowed",
                f"Type {display(*parts)} is not allowed in casts or column definitions.",
                "Cast to ordinary built-in types (int, numeric, text, date, timestamp, interval, "
                "jsonb, uuid, boolean, vector). Catalog reflection types such as regclass are refused.",
            )
        push(node.typmods, scope)
        push(node.arrayBounds, scope)

    def _column(self, node: ast.ColumnRef) -> None:
        last = (node.fields or ())[-1:]
        if last and isinstance(last[0], ast.String) and str(last[0].sval).lower() in SYSTEM_COLUMNS:
            raise refuse(
                "system_column",
                f"System column {display(last[0].sval)} is not available to queries.",
                "Use the table's ordinary columns (its primary key identifies a row).",
            )

    def _check_operator(self, name: tuple[object, ...] | None) -> None:
        parts = _names(name)
        if len(parts) > 2 or (len(parts) == 2 and parts[0].lower() not in OPERATOR_SCHEMAS):
            raise refuse(
                "operator_not_allowed",
                f"Operator {display(*parts)} is not allowed.",
                "Write operators without OPERATOR(schema.op), or qualify them with pg_catalog.",
            )

    def _operator(self, node: ast.A_Expr, scope: Scope, push: Push) -> None:
        self._check_operator(node.name)
        push(node.lexpr, scope)
        push(node.rexpr, scope)

    def _sublink(self, node: ast.SubLink, scope: Scope, push: Push) -> None:
        self._check_operator(node.operName)
        push(node.testexpr, scope)
        push(node.subselect, scope)

    def _sort(self, node: ast.SortBy, scope: Scope, push: Push) -> None:
        self._check_operator(node.useOp)
        push(node.node, scope)

    def _value_function(self, node: ast.SQLValueFunction) -> None:
        if node.op not in ALLOWED_SQL_VALUE_FUNCTIONS:
            op = node.op.name if node.op is not None else "unknown"
            raise function_not_allowed(op.removeprefix("SVFOP_").lower())

    def _tablesample(self, node: ast.RangeTableSample, scope: Scope, push: Push) -> None:
        parts = _names(node.method)
        schema = parts[0].lower() if len(parts) == 2 else None
        method = parts[-1].lower() if parts else ""
        if len(parts) > 2 or schema not in {None, BUILTIN_SCHEMA} or method not in ALLOWED_TABLESAMPLE_METHODS:
            raise refuse(
                "tablesample_not_allowed",
                f"TABLESAMPLE method {display(*parts)} is not allowed.",
                "Use TABLESAMPLE BERNOULLI (percent) or TABLESAMPLE SYSTEM (percent).",
            )
        for child in (node.relation, node.args, node.repeatable):
            push(child, scope)
