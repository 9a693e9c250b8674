"""Hypothesis strategies over the Zava schema (needs the ``hypothesis`` package).

``analytics_queries()`` draws read queries whose first column is a ``store_id``, from a small
grammar of the store-scoped tables: joins, filters, aggregates and orderings. Property tests use
it to state isolation: whatever the query, every row belongs to the principal's stores.
"""

from __future__ import annotations

from hypothesis import strategies as st

__all__ = ["analytics_queries"]

# table -> (alias, a numeric expression over it, a join to another store-scoped table on its own key)
_TABLES = {
    "orders": ("o", "o.total_amount", ("order_items", "i", "i.order_id = o.order_id")),
    "order_items": ("i", "i.quantity", ("orders", "o", "o.order_id = i.order_id")),
    # Customer keys are random uuids, not numbers: the e-mail's length stands in.
    "customers": ("c", "length(c.email)", ("orders", "o", "o.customer_id = c.customer_id")),
    "inventory": ("v", "v.stock_level", ("order_items", "i", "i.product_id = v.product_id")),
    "stores": ("s", "s.is_online::int", ("inventory", "v", "v.store_id = s.store_id")),
}
_PREDICATES = (
    "{a}.store_id IS NOT NULL",
    "{n} > {k}",
    "{n} < {k}",
    "NOT ({n} = {k})",
    "{a}.store_id IN (SELECT store_id FROM retail.stores)",
    "EXISTS (SELECT 1 FROM retail.stores s2 WHERE s2.store_id = {a}.store_id)",
    "true",
    "{a}.store_id <> '00000000-0000-0000-0000-000000000000'",
)


@st.composite
def analytics_queries(draw: st.DrawFn) -> str:
    table = draw(st.sampled_from(sorted(_TABLES)))
    alias, numeric, (join_table, join_alias, join_on) = _TABLES[table]
    joined = draw(st.booleans())
    predicate = draw(st.sampled_from(_PREDICATES)).format(a=alias, n=numeric, k=draw(st.integers(0, 500)))
    source = f"retail.{table} {alias}"
    if joined:
        source += f" {draw(st.sampled_from(['JOIN', 'LEFT JOIN']))} retail.{join_table} {join_alias} ON {join_on}"
    shape = draw(st.sampled_from(["rows", "grouped", "window", "cte", "union"]))
    if shape == "grouped":
        return (
            f"SELECT {alias}.store_id, count(*), sum({numeric}) FROM {source} WHERE {predicate} GROUP BY 1 ORDER BY 1"
        )
    if shape == "window":
        return (
            f"SELECT {alias}.store_id, rank() OVER (PARTITION BY {alias}.store_id ORDER BY {numeric}) "
            f"FROM {source} WHERE {predicate} LIMIT {draw(st.integers(1, 300))}"
        )
    if shape == "cte":
        return f"WITH x AS (SELECT {alias}.store_id FROM {source} WHERE {predicate}) SELECT DISTINCT store_id FROM x"
    if shape == "union":
        return f"SELECT {alias}.store_id FROM {source} WHERE {predicate} UNION SELECT store_id FROM retail.orders"
    return f"SELECT {alias}.store_id, {numeric} FROM {source} WHERE {predicate} LIMIT {draw(st.integers(1, 500))}"
