"""The statement the executor sends: the model's query, bounded in rows and bytes inside PostgreSQL.

The model's text is wrapped, never edited, and the whole is fetched in one go (no portal), so the
planner keeps parallel plans (PostgreSQL plans a portal that can be suspended without parallel
workers). Three bounds hold before anything crosses the wire:

* at most ``max_rows + 1`` rows are read (the extra row says "there was more"). Not with a
  ``LIMIT``: a LIMIT makes the planner pick a fast-start plan (measured: head office's monthly
  revenue lost its parallel workers and took twice as long). ``row_number() <= n`` over the
  window is a run condition instead: execution stops after ``n`` rows, but the plan is costed
  for the whole result, as a plain fetch is;
* a row whose own size passes the byte budget is sent with every column NULL, so one huge value
  never leaves the server (the ``LEFT JOIN LATERAL`` blanks it; ``OFFSET 0`` keeps the planner
  from folding the size back above the window, which would carry the value into it);
* rows after the first one whose running size passes the budget are filtered out: the executor
  receives at most the byte cap plus one bounded row.

A row's size is the larger of ``pg_column_size`` of the row as a composite (the bytes PostgreSQL
holds for it) and the length of its text form, the latter only for rows already under the budget.
The text form tracks the JSON the caller gets and, unlike the stored size, cannot be tiny for a
large decoded value: an array of a million NULLs is 125 kB stored but 5 MB as text, and would be
tens of MB as Python objects.
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
        " SELECT zava_v, zava_s.zava_size, sum(zava_s.zava_size) OVER zava_f AS zava_bytes,"
        " row_number() OVER zava_f AS zava_n\n"
        " FROM (SELECT zava_q AS zava_r, CASE WHEN pg_column_size(zava_q) > "
        f"{budget} THEN pg_column_size(zava_q)\n"
        "   ELSE greatest(pg_column_size(zava_q), octet_length(zava_q::text)) END AS zava_size\n"
        "  FROM (\n"
        f"{sql}\n"
        "  ) AS zava_q OFFSET 0) AS zava_s\n"
        f" LEFT JOIN LATERAL (SELECT (zava_s.zava_r).* WHERE zava_s.zava_size <= {budget}) AS zava_v ON true\n"
        " WINDOW zava_f AS (ROWS UNBOUNDED PRECEDING)\n"
        f") AS zava_w WHERE zava_w.zava_n <= {rows} AND zava_w.zava_bytes - zava_w.zava_size <= {budget}"
    )
