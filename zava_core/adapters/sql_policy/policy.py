"""The statement check: PostgreSQL's own grammar (through pglast) decides what a query is.

Regular expressions over SQL text lose to comments, quoting, Unicode escapes and dollar quoting;
the parser does not, because it is the very grammar the server will use. This check is one wall
of several: the database role, the read-only transaction, row-level security and the statement
timeout each stand on their own as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pglast import ast, parse_sql
from pglast.error import Error as PglastError
from pglast.parser import fingerprint, parse_sql_json, scan

from zava_core.domain.statements import CheckedStatement

from .names import too_complex
from .refusals import refuse
from .walker import TreeChecker

__all__ = ["PglastStatementPolicy"]

# Explain options that only describe the plan. ANALYZE runs the statement, and WAL, TIMING and
# SERIALIZE are meaningful only with it.
_EXPLAIN_OPTIONS = frozenset({"verbose", "costs", "settings", "buffers", "format", "summary", "generic_plan", "memory"})
_NOT_TEXT = frozenset({"C_COMMENT", "SQL_COMMENT", "ASCII_59"})
_MAX_ERROR = 200
_COMMANDS = {
    "InsertStmt": "INSERT",
    "UpdateStmt": "UPDATE",
    "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE",
    "VariableSetStmt": "SET/RESET",
    "VariableShowStmt": "SHOW",
    "CopyStmt": "COPY",
    "DoStmt": "DO",
    "CallStmt": "CALL",
    "TransactionStmt": "Transaction control (BEGIN/COMMIT/ROLLBACK/SAVEPOINT)",
    "CreateTableAsStmt": "CREATE TABLE AS",
    "PrepareStmt": "PREPARE",
    "ExecuteStmt": "EXECUTE",
    "DeclareCursorStmt": "DECLARE CURSOR",
    "LockStmt": "LOCK",
    "ListenStmt": "LISTEN",
    "NotifyStmt": "NOTIFY",
    "VacuumStmt": "VACUUM/ANALYZE",
    "TruncateStmt": "TRUNCATE",
}
_READ_ONLY_HINT = "Send a single SELECT (or EXPLAIN (COSTS OFF) SELECT ...); this tool only reads data."


def _command(node: object) -> str:
    name = type(node).__name__
    return _COMMANDS.get(name, name.removesuffix("Stmt"))


class PglastStatementPolicy:
    """Accepts exactly one read-only query over the exposed tables; refuses everything else.

    ``exposed_tables`` maps each schema to the tables the model may read, either as a collection
    of names or as a mapping of each table to its column names (needed to resolve ``alias.column``;
    without columns every qualified column reference is refused). The first schema is the one on
    the server's ``search_path``: unqualified table names are resolved against it.

    The check's own cost is bounded by ``max_nodes``: the parse tree is first built by the C
    parser as JSON and its nodes counted there, before pglast builds its Python tree (where the
    time goes: seconds for a 20,000-character expression); the walk counts nodes again.
    """

    def __init__(
        self,
        exposed_tables: Mapping[str, Iterable[str] | Mapping[str, Iterable[str]]],
        *,
        max_sql_length: int = 20_000,
        max_generate_series_rows: int = 100_000,
        max_nodes: int = 5_000,
    ) -> None:
        if min(max_sql_length, max_generate_series_rows, max_nodes) < 1:
            raise ValueError("max_sql_length, max_generate_series_rows and max_nodes must be positive")
        if any(isinstance(tables, str) for tables in exposed_tables.values()):
            raise TypeError("exposed_tables maps each schema to a collection of table names, not one string")
        self._tables = {s.lower(): _columns_of(ts) for s, ts in exposed_tables.items()}
        self._default_schema = next(iter(self._tables), None)
        self._max_sql_length = max_sql_length
        self._max_series_rows = max_generate_series_rows
        self._max_nodes = max_nodes

    def check(self, sql: str) -> CheckedStatement:
        if len(sql) > self._max_sql_length:
            raise refuse(
                "too_long",
                f"The query is {len(sql)} characters long; the limit is {self._max_sql_length}.",
                "Shorten it: SELECT only the columns you need and aggregate (GROUP BY), or ask in several queries.",
            )
        if "\x00" in sql:
            # The C parser would stop at the NUL and judge a prefix of what the server receives.
            raise refuse(
                "syntax_error",
                "The query contains a NUL character.",
                "Remove the NUL character and send the SELECT again.",
            )
        self._check_cost(sql)
        statements = self._parse(sql)
        if not statements:
            raise refuse("empty_statement", "The query is empty.", "Send one SELECT statement.")
        if len(statements) > 1:
            raise refuse(
                "single_statement",
                f"The query holds {len(statements)} statements; exactly one is allowed.",
                "Send one SELECT statement without semicolons between statements.",
            )
        root = statements[0].stmt
        kind, query = self._top_level(root)
        checker = TreeChecker(self._tables, self._default_schema, self._max_series_rows, self._max_nodes)
        try:
            tables = checker.check(query)
        except RecursionError:
            raise too_complex("nested too deeply") from None
        if isinstance(root, ast.ExplainStmt) and not _costs_off(root.options or ()):
            raise refuse(
                "explain_costs",
                "EXPLAIN must turn costs off: cost and row estimates come from statistics over every "
                "store, including stores this user may not see.",
                "Write EXPLAIN (COSTS OFF) SELECT ... to see the plan's shape.",
            )
        text = self._statement_text(sql)
        return CheckedStatement(sql=text, fingerprint=fingerprint(text), kind=kind, tables=tables)

    def _check_cost(self, sql: str) -> None:
        """Refuse before pglast builds its Python tree: the C parser's JSON costs a fraction of it."""
        try:
            nodes = parse_sql_json(sql).count("{")
        except PglastError:
            return  # _parse reports the syntax error with its position
        if nodes > self._max_nodes:
            raise too_complex(f"{nodes} syntax nodes; the limit is {self._max_nodes}")

    @staticmethod
    def _parse(sql: str) -> tuple[ast.RawStmt, ...]:
        try:
            return parse_sql(sql)
        except PglastError as exc:
            message = str(exc.args[0]) if exc.args else "syntax error"
            if len(message) > _MAX_ERROR:
                message = message[: _MAX_ERROR - 3] + "..."
            location = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
            where = f" (at character {location + 1})" if location is not None else ""
            raise refuse(
                "syntax_error",
                f"Syntax error: {message}{where}.",
                "Fix the SQL: it must be valid PostgreSQL, for example SELECT col FROM retail.orders WHERE ...",
            ) from None

    @staticmethod
    def _top_level(root: ast.Node | None) -> tuple[str, ast.SelectStmt]:
        if isinstance(root, ast.SelectStmt):
            return "select", root
        if isinstance(root, ast.ExplainStmt):
            seen: set[str] = set()
            for option in root.options or ():
                name = str(option.defname).lower() if isinstance(option, ast.DefElem) else "?"
                if name in seen:
                    # PostgreSQL takes the last of a repeated option; a check reading the first
                    # would judge another statement than the one that runs.
                    raise refuse(
                        "duplicate_option",
                        f"EXPLAIN option {name.upper()} is given more than once.",
                        "Give each option once, for example EXPLAIN (COSTS OFF, VERBOSE) SELECT ...",
                    )
                seen.add(name)
                if name == "analyze":
                    raise refuse(
                        "explain_analyze",
                        "EXPLAIN ANALYZE executes the statement and is not allowed.",
                        "Write EXPLAIN (COSTS OFF) SELECT ... to see the plan without running it.",
                    )
                if name not in _EXPLAIN_OPTIONS:
                    raise refuse(
                        "explain_option",
                        f"EXPLAIN option {name.upper()} is not allowed.",
                        "Write EXPLAIN (COSTS OFF) SELECT ..., optionally with VERBOSE or FORMAT JSON.",
                    )
            if isinstance(root.query, ast.SelectStmt):
                return "explain", root.query
            raise refuse("not_read_only", f"EXPLAIN of {_command(root.query)} is not allowed.", _READ_ONLY_HINT)
        raise refuse("not_read_only", f"{_command(root)} statements are not allowed.", _READ_ONLY_HINT)

    @staticmethod
    def _statement_text(sql: str) -> str:
        """The original text from the first to the last real token.

        Leading and trailing comments and semicolons go, so the executor may wrap the statement
        (a trailing ``-- comment`` would otherwise swallow whatever follows it).
        """
        tokens = [t for t in scan(sql) if t.name not in _NOT_TEXT]
        return sql[tokens[0].start : tokens[-1].end + 1] if tokens else sql.strip()


def _columns_of(tables: Iterable[str] | Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...] | None]:
    if isinstance(tables, Mapping):
        return {t.lower(): tuple(tables[t]) for t in tables}
    return {t.lower(): None for t in tables}


def _costs_off(options: object) -> bool:
    for option in options:  # type: ignore[attr-defined]
        if isinstance(option, ast.DefElem) and str(option.defname).lower() == "costs":
            value = getattr(option.arg, "sval", None) or getattr(option.arg, "boolval", None)
            if value is None and option.arg is not None:
                value = getattr(option.arg, "ival", None)
            return str(value).lower() in {"false", "off", "0"}
    return False
