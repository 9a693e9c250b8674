"""The statement the executor sends: the model's query, bounded in rows and bytes inside PostgreSQL.

The model's text is wrapped, never edited, and the whole is fetched in one go (no portal), so the
planner keeps parallel plans under the LIMIT (PostgreSQL plans a portal that can be suspended
without parallel workers). Three bounds hold before anything crosses the wire:

* at most ``max_rows + 1`` rows are read (the extra row says "there was more");
* a row whose own size passes the byte budget is sent with every column NULL, so one huge value
  never leaves the server (the ``LEFT JOIN LATERAL`` blanks it; ``OFFSET 0`` keeps the planner
  from folding the size back above the window, which would carry the value into it);
* rows stop after the first one whose running size passes the budget: the executor receives
  at most the byte cap plus one bounded row.

Sizes are ``pg_column_size`` of each row as a composite (the bytes PostgreSQL holds for it).
The two trailing columns (``zava_size``, ``zava_bytes``) are stripped by position, and the model's
row travels as one composite until the last level expands it, so its column names (duplicates,
or even ``zava_bytes``) come back as written and never clash with the wrapper's. The model's text
sits on its own lines so a trailing ``--`` comment cannot swallow the wrapper.
"""

from __future__ import annotations

__all__ = ["BOUND_COLUMNS", "bounded_statement"]

#: Columns the wrapper appends after the model's columns: this row's size, the running size.
BOUND_COLUMNS = 2


def bounded_statement(sql: str, max_rows: int, max_bytes: int) -> str:
    """Wrap ``sql`` (one checked SELECT, WITH, VALUES or set operation) in the row and byte bounds."""
    rows, budget = int(max_rows) + 1, int(max_bytes)
    return (
        "SELECT (zava_w.zava_v).*, zava_w.zava_size, zava_w.zava_bytes FROM (\n"
        " SELECT zava_v, zava_s.zava_size,"
        " sum(zava_s.zava_size) OVER (ROWS UNBOUNDED PRECEDING) AS zava_bytes\n"
        " FROM (SELECT zava_q AS zava_r, pg_column_size(zava_q) AS zava_size\n"
        "  FROM (SELECT * FROM (\n"
        f"{sql}\n"
        f"  ) AS zava_q LIMIT {rows}) AS zava_q OFFSET 0) AS zava_s\n"
        f" LEFT JOIN LATERAL (SELECT (zava_s.zava_r).* WHERE zava_s.zava_size <= {budget}) AS zava_v ON true\n"
        f") AS zava_w WHERE zava_w.zava_bytes - zava_w.zava_size <= {budget}"
    )
