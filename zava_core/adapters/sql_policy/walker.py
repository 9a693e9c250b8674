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

from .bounds import check_bounded_call, numeric_constant, upper_bound
from .functions import (
    ALLOWED_FUNCTIONS,
    ALLOWED_SQL_VALUE_FUNCTIONS,
    ALLOWED_TABLESAMPLE_METHODS,
    ALLOWED_TYPES,
    BUILTIN_SCHEMA,
    EXTENSION_FUNCTIONS,
    EXTENSION_SCHEMA,
    EXTENSION_TYPES,
    OPERATOR_SCHEMAS,
)
from .names import Level, Resolver, Scope, too_complex
from .refusals import column_not_resolved, display, field_selection, function_not_allowed, refuse, relation_not_allowed
from .sizes import MAX_VALUE_SIZE, Estimator

__all__ = ["TreeChecker"]

Push = Callable[[object, Scope], None]
Tables = Mapping[str, Mapping[str, tuple[str, ...] | None]]

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
    A_Indices Alias RangeSubselect RangeFunction JoinExpr CTESearchClause CTECycleClause
    WindowDef GroupingSet GroupingFunc ColumnDef
    JsonAggConstructor JsonArgument JsonArrayAgg JsonArrayConstructor JsonArrayQueryConstructor
    JsonBehavior JsonFormat JsonFuncExpr JsonIsPredicate JsonKeyValue JsonObjectAgg
    JsonObjectConstructor JsonOutput JsonParseExpr JsonReturning JsonScalarExpr JsonSerializeExpr
    JsonTable JsonTableColumn JsonTablePathSpec JsonValueExpr
    """
)
_XML = (ast.XmlExpr, ast.XmlSerialize, ast.RangeTableFunc)
_WRITES = {ast.InsertStmt: "INSERT", ast.UpdateStmt: "UPDATE", ast.DeleteStmt: "DELETE", ast.MergeStmt: "MERGE"}
_SELECT_HANDLED = frozenset({"withClause", "intoClause", "lockingClause", "fromClause"})
_PADDED_TYPES = frozenset({"bpchar", "char", "character"})


def _names(parts: tuple[object, ...] | None) -> list[str]:
    return [str(p.sval) if isinstance(p, ast.String) else "" for p in parts or ()]


def _xml_name(node: ast.Node) -> str:
    if isinstance(node, ast.XmlExpr) and node.op is not None:
        return node.op.name.removeprefix("IS_").lower()
    return "xmlserialize" if isinstance(node, ast.XmlSerialize) else "xmltable"


class TreeChecker:
    """Checks one statement tree; collects the exposed tables it reads. Single use.

    ``tables`` maps schema -> table -> column names (None: columns unknown, so qualified
    references to that table are refused). ``max_nodes`` bounds the walk's own cost.
    """

    def __init__(self, tables: Tables, default_schema: str | None, max_series_rows: int, max_nodes: int) -> None:
        self._exposed = {s: frozenset(t) for s, t in tables.items()}
        self._default_schema = default_schema
        self._max_series_rows = max_series_rows
        self._max_nodes = max_nodes
        self._estimator = Estimator(lambda n: _as_float(upper_bound(n)), max_series_rows)
        self._resolver = Resolver(tables, default_schema, self._estimator.estimate)
        self._estimator.output_columns = self._resolver.output_columns
        self.tables: set[str] = set()

    def check(self, root: ast.Node) -> frozenset[str]:
        stack: list[tuple[object, Scope]] = [(root, Scope())]
        visited = 0

        def push(child: object, scope: Scope) -> None:
            if child is not None:
                stack.append((child, scope))

        while stack:
            node, scope = stack.pop()
            if isinstance(node, tuple):
                stack.extend((child, scope) for child in node)
            elif isinstance(node, ast.Node):
                visited += 1
                if visited > self._max_nodes:
                    raise too_complex(f"more than {self._max_nodes} syntax nodes")
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
                self._column(node, scope)
            case ast.A_Indirection():
                self._indirection(node, scope, push)
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
                "Write the values into the query as literals, for example SELECT ... WHERE quantity > 5.",
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
                "Remove the INTO clause: SELECT ... FROM ... returns the rows to you directly.",
            )
        if node.lockingClause:
            raise refuse(
                "locking_clause",
                "Locking clauses (FOR UPDATE / FOR SHARE / FOR NO KEY UPDATE / FOR KEY SHARE) are not allowed.",
                "Remove the FOR ... clause: a plain SELECT ... FROM ... reads without locking.",
            )
        inner = scope
        if node.withClause is not None:
            inner = self._with(node.withClause, scope, push)
        level = self._resolver.level(node, inner)
        # From the FROM clause a name may also resolve outward (non-LATERAL items do not see
        # their siblings); elsewhere the innermost level that declares a name wins.
        push(node.fromClause, inner.with_level(Level(level.items, partial=True)))
        here = inner.with_level(level)
        for field in node:
            if field not in _SELECT_HANDLED:
                push(getattr(node, field), here)

    def _with(self, clause: ast.WithClause, scope: Scope, push: Push) -> Scope:
        ctes = [c for c in clause.ctes or () if isinstance(c, ast.CommonTableExpr)]
        for cte in ctes:
            if not isinstance(cte.ctequery, ast.SelectStmt):
                verb = _WRITES.get(type(cte.ctequery), type(cte.ctequery).__name__)
                raise refuse(
                    "data_modifying_cte",
                    f"WITH query {display(cte.ctename)} runs {verb}; only SELECT is allowed inside WITH.",
                    "Make every WITH query a SELECT; this tool only reads data.",
                )
        columns = self._resolver.with_ctes(clause, scope).ctes
        for index, cte in enumerate(ctes):
            names = [str(c.ctename) for c in (ctes if clause.recursive else ctes[:index])]
            visible = scope.with_ctes({n: columns.get(n) for n in names})
            push(cte.ctequery, visible)
            push(cte.search_clause, visible)
            push(cte.cycle_clause, visible)
        return scope.with_ctes({str(c.ctename): columns.get(str(c.ctename)) for c in ctes})

    def _relation(self, node: ast.RangeVar, scope: Scope) -> None:
        name = str(node.relname)
        if node.catalogname is None and node.schemaname is None and name in scope.ctes:
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
        self._check_size(node, scope)
        for child in (node.args, node.agg_order, node.agg_filter, node.over):
            push(child, scope)

    def _type(self, node: ast.TypeName, scope: Scope, push: Push) -> None:
        parts = _names(node.names)
        name = parts[-1].lower() if parts else ""
        schema = parts[0].lower() if len(parts) == 2 else None
        in_allowed_schema = schema in {None, BUILTIN_SCHEMA} or (schema == EXTENSION_SCHEMA and name in EXTENSION_TYPES)
        # "_int4" is the array type of int4, spelled out.
        known = EXTENSION_TYPES if schema == EXTENSION_SCHEMA else ALLOWED_TYPES | EXTENSION_TYPES
        allowed = name.lstrip("_") in known
        if node.pct_type or len(parts) > 2 or not in_allowed_schema or not allowed:
            raise refuse(
                "type_not_allowed",
                f"Type {display(*parts)} is not allowed in casts or column definitions.",
                "Cast to ordinary built-in types (int, numeric, text, date, timestamp, interval, "
                "jsonb, uuid, boolean, vector). Catalog types such as regclass or aclitem are refused.",
            )
        width = numeric_constant(node.typmods[0]) if name in _PADDED_TYPES and node.typmods else None
        if width is not None and width > MAX_VALUE_SIZE:
            raise _value_too_large()
        push(node.typmods, scope)
        push(node.arrayBounds, scope)

    def _column(self, node: ast.ColumnRef, scope: Scope) -> None:
        fields = node.fields or ()
        last = fields[-1:]
        if last and isinstance(last[0], ast.String) and str(last[0].sval).lower() in SYSTEM_COLUMNS:
            raise refuse(
                "system_column",
                f"System column {display(last[0].sval)} is not available to queries.",
                "Use the table's ordinary columns (its primary key identifies a row).",
            )
        if len(fields) == 1 or isinstance(fields[-1], ast.A_Star):
            return  # a plain column name, a whole row (t or t.*): never a function call
        names = _names(fields)
        if len(names) == 2:
            items = scope.find(names[0])
        elif len(names) == 3:
            items = scope.find(names[1], schema=names[0].lower())
        else:
            items = []
        if not items or any(i.columns is None or names[-1] not in i.columns for i in items):
            raise column_not_resolved(display(*names))

    def _indirection(self, node: ast.A_Indirection, scope: Scope, push: Push) -> None:
        parts = tuple(node.indirection or ())
        selections = [i for i, part in enumerate(parts) if isinstance(part, ast.String)]
        if selections:
            field = str(parts[selections[0]].sval)
            if selections != [0] or not self._is_row_field(node.arg, field, scope):
                raise field_selection(field)
        push(node.arg, scope)
        push(node.indirection, scope)

    @staticmethod
    def _is_row_field(arg: object, field: str, scope: Scope) -> bool:
        """``(t).f`` or ``(t.*).f`` where ``t`` is a range item with a column ``f``."""
        if not isinstance(arg, ast.ColumnRef):
            return False
        parts = arg.fields or ()
        names = _names(parts)
        if len(parts) == 1 and names[0]:
            # A lone name is a column before it is a row: (g).f on a column is f(g).
            if any(i.columns is None or names[0] in i.columns for i in scope.items()):
                return False
            items = scope.find(names[0])
        elif len(parts) == 2 and isinstance(parts[1], ast.A_Star) and names[0]:
            items = scope.find(names[0])
        else:
            return False
        return bool(items) and all(i.columns is not None and field in i.columns for i in items)

    def _check_size(self, node: ast.Node, scope: Scope) -> None:
        if self._estimator.estimate(node, scope) > MAX_VALUE_SIZE:
            raise _value_too_large()

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
        if _names(node.name)[-1:] == ["||"]:
            self._check_size(node, scope)
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


def _as_float(value: object) -> float | None:
    return float(value) if value is not None else None  # type: ignore[arg-type]


def _value_too_large() -> Exception:
    return refuse(
        "value_size_bound",
        f"The query would build a single value of more than {MAX_VALUE_SIZE:,} characters.",
        "Build short strings: repeat, lpad, rpad, replace and aggregates multiply sizes when nested; "
        "cap them, for example left(string_agg(name, ', '), 1000), or format long output in the client.",
    )
