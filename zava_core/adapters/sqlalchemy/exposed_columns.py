"""The columns of the exposed tables, by name: what the statement check resolves ``alias.column``
and ``(row).field`` against.

PostgreSQL reads ``t.f`` and ``(t).f`` as the call ``f(t)`` when ``t`` has no column ``f``, so the
check must know every column to tell a column from a function. Names only: types change (keys
become UUIDs) without touching this list. An integration test keeps it equal to the catalog.
"""

from __future__ import annotations

from zava_core.adapters.sqlalchemy.catalog import EXPOSED_TABLES, SCHEMA

__all__ = ["EXPOSED_COLUMNS"]


def _columns(words: str) -> tuple[str, ...]:
    return tuple(words.split())


#: schema -> table -> column names, in table order.
EXPOSED_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    SCHEMA: {
        "stores": _columns("store_id store_name location is_online rls_user_id created_at updated_at"),
        "customers": _columns("store_id first_name last_name email phone created_at customer_id"),
        "categories": _columns("category_id category_name"),
        "product_types": _columns("type_id category_id type_name"),
        "products": _columns(
            "product_id sku product_name category_id type_id cost base_price gross_margin_percent "
            "product_description discontinued created_at search_document"
        ),
        "inventory": _columns("store_id product_id stock_level"),
        "orders": _columns(
            "store_id order_date status subtotal discount_amount total_amount created_at order_id customer_id"
        ),
        "order_items": _columns(
            "store_id product_id quantity unit_price discount_percent discount_amount total_amount "
            "order_item_id order_id"
        ),
        "product_description_embeddings": _columns("product_id model description_embedding content_hash updated_at"),
    }
}

if {s: frozenset(t) for s, t in EXPOSED_COLUMNS.items()} != EXPOSED_TABLES:  # pragma: no cover
    raise RuntimeError("EXPOSED_COLUMNS must describe exactly the tables in EXPOSED_TABLES")
