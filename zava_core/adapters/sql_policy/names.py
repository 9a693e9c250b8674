"""Name resolution: which columns each range item (table, CTE, sub-select, function in FROM) has.

PostgreSQL reads ``a.b`` as column ``b`` of range item ``a`` *or else* as the call ``b(a)`` on
the whole row, and ``(expr).f`` as field selection *or else* ``f(expr)``. A check that trusts the
position of a name admits any one-argument function. So the walker admits a qualified column
reference or a field selection only when it can show that the name is a column of what it refers
to; everything else is refused and the model is told to alias the column.

Output column names of sub-selects follow PostgreSQL's FigureColname rules. Names may be
over-strict (a name we cannot work out is "unknown" and refuses qualified references to its item),
never over-generous: a set of columns is either exact or ``None``.

Each column carries an upper bound on the size of its values (see ``sizes``), so that a value
built in a CTE cannot be amplified again outside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from pglast import ast
from pglast.enums import SetOperation

from .colnames import figure_colname
from .refusals import refuse

__all__ = ["TABLE_VALUE_SIZE", "Columns", "Item", "Level", "Resolver", "Scope"]

#: Column name -> upper bound on a value's size in characters; None when the names are uncertain.
Columns = dict[str, int] | None

#: A value read from a table counts as one character: the static bound multiplies constants, and
#: the executor's run-time limits bound what rows hold (documented in statement-policy.md).
TABLE_VALUE_SIZE = 1
_MAX_NESTING = 64

# Set-returning functions whose result columns are fixed (json_each: key, value). Other allowed
# functions in FROM return one scalar column named after the alias or the function.
_RECORD_FUNCTIONS = {
    "json_each": ("key", "value"),
    "json_each_text": ("key", "value"),
    "jsonb_each": ("key", "value"),
    "jsonb_each_text": ("key", "value"),
    "json_array_elements": ("value",),
    "json_array_elements_text": ("value",),
    "jsonb_array_elements": ("value",),
    "jsonb_array_elements_text": ("value",),
}
_SCALAR_FUNCTIONS = frozenset(
    [
        "generate_series",
        "unnest",
        "json_object_keys",
        "jsonb_object_keys",
        "regexp_matches",
        "regexp_split_to_table",
        "string_to_table",
    ]
)


@dataclass(frozen=True, slots=True)
class Item:
    """One range item: the name it is referenced by and its columns."""

    name: str | None
    schema: str | None
    columns: Columns


@dataclass(frozen=True, slots=True)
class Level:
    """The range items of one SELECT. ``partial``: seen from its FROM clause, where PostgreSQL may
    not see every sibling, so a name may also resolve further out."""

    items: tuple[Item, ...]
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Scope:
    """What a node can see: the CTEs by name and the range items level by level (innermost last)."""

    ctes: Mapping[str, Columns] = field(default_factory=dict)
    levels: tuple[Level, ...] = ()

    def with_ctes(self, ctes: Mapping[str, Columns]) -> Scope:
        return Scope({**self.ctes, **ctes}, self.levels)

    def with_level(self, level: Level) -> Scope:
        return Scope(self.ctes, (*self.levels, level))

    def find(self, name: str, schema: str | None = None) -> list[Item]:
        """Every item ``name`` may resolve to, innermost level first (PostgreSQL's search order)."""
        found: list[Item] = []
        for level in reversed(self.levels):
            here = [i for i in level.items if i.name == name and (schema is None or i.schema == schema)]
            found.extend(here)
            if here and not level.partial:
                break
        return found

    def items(self) -> Iterator[Item]:
        for level in self.levels:
            yield from level.items


def too_complex(what: str) -> Exception:
    return refuse(
        "too_complex",
        f"The query is too complex to check ({what}).",
        "Write a shorter, flatter query: name steps WITH step AS (SELECT ...), use IN (SELECT ...) for long "
        "lists, or split it into several queries.",
    )


def _strings(parts: object) -> list[str | None]:
    return [str(p.sval) if isinstance(p, ast.String) else None for p in parts or ()]  # type: ignore[attr-defined]


def _alias_names(alias: ast.Alias | None) -> list[str]:
    return [n for n in _strings(alias.colnames if alias else None) if n is not None]


def _rename(columns: Columns, names: list[str], sizes: list[int] | None = None) -> Columns:
    """Apply an alias column list ``AS t(a, b)``: the first columns take the new names."""
    if columns is None or not names:
        return columns
    pairs = list(columns.items())
    if len(names) > len(pairs):
        return None
    renamed: dict[str, int] = {}
    for i, name in enumerate(names):
        _add(renamed, name, pairs[i][1])
    for name, size in pairs[len(names) :]:
        _add(renamed, name.split("\x00")[0], size)
    return renamed


def _add(columns: dict[str, int], name: str, size: int) -> None:
    """Append a column, keeping its position even when the name repeats: a repeated name gets a
    suffix no query can spell (a NUL), so positional renames stay exact and it never resolves."""
    columns[f"{name}\x00{len(columns)}" if name in columns else name] = size


def _merge(*parts: Columns) -> Columns:
    if any(p is None for p in parts):
        return None
    merged: dict[str, int] = {}
    for part in parts:
        for name, size in part.items():  # type: ignore[union-attr]
            _add(merged, name.split("\x00")[0], size)
    return merged


class Resolver:
    """Works out the range items of a SELECT and the output columns of a query."""

    def __init__(
        self,
        tables: Mapping[str, Mapping[str, tuple[str, ...] | None]],
        default_schema: str | None,
        estimate: Callable[[object, Scope], int],
    ) -> None:
        self._tables = tables
        self._default_schema = default_schema
        self._estimate = estimate
        self._depth = 0

    def with_ctes(self, clause: ast.WithClause | None, scope: Scope) -> Scope:
        """The scope inside a query with this WITH clause (each CTE's columns worked out in order)."""
        if clause is None:
            return scope
        ctes: dict[str, Columns] = {}
        for cte in clause.ctes or ():
            if not isinstance(cte, ast.CommonTableExpr) or not isinstance(cte.ctequery, ast.SelectStmt):
                continue
            query = cte.ctequery
            if clause.recursive and query.op != SetOperation.SETOP_NONE and query.larg is not None:
                query = query.larg  # the recursive term's names come from the non-recursive one
            columns = self.output_columns(query, scope.with_ctes(ctes))
            ctes[str(cte.ctename)] = _rename(columns, [n for n in _strings(cte.aliascolnames) if n])
        return scope.with_ctes(ctes)

    def output_columns(self, select: ast.SelectStmt, scope: Scope) -> Columns:
        """The names (and size bounds) of the columns a query returns."""
        self._depth += 1
        try:
            if self._depth > _MAX_NESTING:
                raise too_complex(f"more than {_MAX_NESTING} nested queries")
            return self._output_columns(select, scope)
        finally:
            self._depth -= 1

    def _output_columns(self, select: ast.SelectStmt, scope: Scope) -> Columns:
        if select.op != SetOperation.SETOP_NONE and select.larg is not None and select.rarg is not None:
            left = self.output_columns(select.larg, scope)
            right = self.output_columns(select.rarg, scope)
            if left is None or right is None:
                return left
            arms = zip(left.items(), [*right.values(), *[0] * len(left)], strict=False)
            return {name: max(size, other) for (name, size), other in arms}
        inner = self.with_ctes(select.withClause, scope)
        if select.valuesLists:
            rows = [tuple(r) for r in select.valuesLists]
            width = len(rows[0])
            return {
                f"column{i + 1}": max(self._estimate(r[i], inner) for r in rows if i < len(r)) for i in range(width)
            }
        level = self.level(select, inner)
        inner = inner.with_level(level)
        columns: dict[str, int] = {}
        for target in select.targetList or ():
            if not isinstance(target, ast.ResTarget):
                return None
            value = target.val
            if isinstance(value, ast.ColumnRef) and isinstance((value.fields or (None,))[-1], ast.A_Star):
                expanded = self._star(value, level, inner)
                if expanded is None:
                    return None
                for name, size in expanded.items():
                    _add(columns, name.split("\x00")[0], size)
                continue
            name = str(target.name) if target.name else figure_colname(value)[0]
            _add(columns, name, self._estimate(value, inner))
        return columns

    @staticmethod
    def _star(ref: ast.ColumnRef, level: Level, scope: Scope) -> Columns:
        qualifier = _strings(ref.fields)[:-1]
        if not qualifier:
            return _merge(*(i.columns for i in level.items))
        if len(qualifier) != 1 or qualifier[0] is None:
            return None
        found = scope.find(qualifier[0])
        return found[0].columns if len(found) == 1 else None

    def level(self, select: ast.SelectStmt, scope: Scope) -> Level:
        """The range items a SELECT's FROM clause introduces."""
        items: list[Item] = []
        for node in select.fromClause or ():
            items.extend(self._from_item(node, scope))
        return Level(tuple(items))

    def _from_item(self, node: object, scope: Scope) -> list[Item]:
        match node:
            case ast.RangeVar():
                return [self._relation(node, scope)]
            case ast.RangeTableSample():
                return self._from_item(node.relation, scope)
            case ast.RangeSubselect():
                name = str(node.alias.aliasname) if node.alias is not None else None
                query = node.subquery
                columns = self.output_columns(query, scope) if isinstance(query, ast.SelectStmt) else None
                return [Item(name, None, _rename(columns, _alias_names(node.alias)))]
            case ast.RangeFunction():
                return [self._function_item(node, scope)]
            case ast.JoinExpr():
                return self._join(node, scope)
        # JSON_TABLE and anything unforeseen: referenced only unqualified.
        alias = getattr(node, "alias", None)
        return [Item(str(alias.aliasname) if isinstance(alias, ast.Alias) else None, None, None)]

    def _relation(self, node: ast.RangeVar, scope: Scope) -> Item:
        name = str(node.relname)
        alias = str(node.alias.aliasname) if node.alias is not None else None
        if node.schemaname is None and node.catalogname is None and name in scope.ctes:
            return Item(alias or name, None, _rename(scope.ctes[name], _alias_names(node.alias)))
        schema = str(node.schemaname).lower() if node.schemaname is not None else self._default_schema
        names = self._tables.get(schema or "", {}).get(name.lower()) if node.catalogname is None else None
        columns: Columns = {c: 1 for c in names} if names is not None else None
        return Item(alias or name, None if alias else schema, _rename(columns, _alias_names(node.alias)))

    def _function_item(self, node: ast.RangeFunction, scope: Scope) -> Item:
        alias = str(node.alias.aliasname) if node.alias is not None else None
        calls = [f[0] for f in node.functions or () if isinstance(f, tuple) and f]
        columns: Columns = None
        if len(calls) == 1 and isinstance(calls[0], ast.FuncCall) and not node.coldeflist:
            call = calls[0]
            fname = str(_strings(call.funcname)[-1]).lower()
            size = sum(self._estimate(a, scope) for a in call.args or ())
            if fname in _RECORD_FUNCTIONS:
                columns = dict.fromkeys(_RECORD_FUNCTIONS[fname], size)
            elif fname in _SCALAR_FUNCTIONS and len(call.args or ()) <= (1 if fname == "unnest" else 4):
                columns = {alias or fname: size}
        elif node.coldeflist:
            defs = [c for c in node.coldeflist if isinstance(c, ast.ColumnDef)]
            columns = {str(c.colname): TABLE_VALUE_SIZE for c in defs}
        if columns is not None and node.ordinality:
            columns["ordinality"] = TABLE_VALUE_SIZE
        single = calls[0] if len(calls) == 1 and isinstance(calls[0], ast.FuncCall) else None
        name = alias or (str(_strings(single.funcname)[-1]) if single is not None else None)
        return Item(name, None, _rename(columns, _alias_names(node.alias)))

    def _join(self, node: ast.JoinExpr, scope: Scope) -> list[Item]:
        left = self._from_item(node.larg, scope)
        right = self._from_item(node.rarg, scope)
        inner = left + right
        if node.isNatural:
            columns: Columns = None  # which columns merge depends on both sides; refuse to guess
        else:
            columns = _merge(*(i.columns for i in inner))
        if node.alias is not None:
            renames = _alias_names(node.alias)
            if renames and node.usingClause:
                columns = None  # USING moves the merged columns first; positions would be guessed
            return [Item(str(node.alias.aliasname), None, _rename(columns, renames))]
        if node.join_using_alias is not None:
            using = [n for n in _strings(node.usingClause) if n]
            shared = {n: columns.get(n, TABLE_VALUE_SIZE) for n in using} if columns is not None else None
            inner.append(Item(str(node.join_using_alias.aliasname), None, shared))
        return inner
