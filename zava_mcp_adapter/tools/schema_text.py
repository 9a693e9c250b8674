"""The schema guide as lines of text, for clients that read only the text block."""

from __future__ import annotations

from zava_mcp_adapter.schemas import TablesOut

__all__ = ["tables_text"]


def tables_text(out: TablesOut) -> str:
    """One block per table: ``name: purpose``, ``col type: meaning`` lines, key and joins (on the
    same-named column), values, hints."""
    dates = f"orders dated {out.dates[0]}..{out.dates[1]}" if out.dates else "no orders visible"
    lines = [f"schema retail; {dates}"]
    for t in out.tables:
        joins = f"; joins {','.join(t.joins)}" if t.joins else ""
        lines.append(f"{t.table.removeprefix('retail.')}: {t.purpose} Key {','.join(t.key)}{joins}")
        lines.extend(f"{name} {kind}: {meaning}" for name, kind, meaning in t.columns)
        lines.extend(f"{col} in {','.join(values)}" for col, values in t.values.items())
        lines.extend(f"hint: {h}" for h in t.hints)
    return "\n".join(lines)
