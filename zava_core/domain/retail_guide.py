"""What the retail tables mean: one line per table, a few words per column, the usual mistakes.

The database's catalog says what a column *is*; this says what it *means*, in as few words as a
model needs to write a correct query. Kept terse on purpose: it is sent on every schema call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["NON_REVENUE_STATUSES", "TABLE_GUIDES", "TableGuide"]

#: Orders that earn nothing: the business layer and the hints below leave them out of revenue.
NON_REVENUE_STATUSES: tuple[str, ...] = ("cancelled", "returned")

_REVENUE_HINT = "Revenue: sum total_amount (after discounts) without cancelled, returned."


@dataclass(frozen=True, slots=True)
class TableGuide:
    purpose: str
    columns: dict[str, str]
    hints: tuple[str, ...] = field(default=())


TABLE_GUIDES: dict[str, TableGuide] = {
    "stores": TableGuide(
        "Stores; one is online.",
        {
            "store_id": "id",
            "store_name": "name",
            "location": "city or 'Online'",
            "is_online": "online",
            "rls_user_id": "manager's user id",
            "created_at": "created",
            "updated_at": "changed",
        },
    ),
    "customers": TableGuide(
        "Customers, one home store each.",
        {
            "customer_id": "id",
            "store_id": "home store",
            "first_name": "given name",
            "last_name": "family name",
            "email": "email",
            "phone": "phone",
            "created_at": "signed up",
        },
    ),
    "categories": TableGuide("Product categories.", {"category_id": "id", "category_name": "name"}),
    "product_types": TableGuide(
        "Types within a category.",
        {"type_id": "id", "category_id": "its category", "type_name": "name"},
        ("~90 types: SELECT them to list.",),
    ),
    "products": TableGuide(
        "Catalog for all stores.",
        {
            "product_id": "id",
            "sku": "stock code",
            "product_name": "name",
            "category_id": "category",
            "type_id": "type",
            "cost": "unit cost",
            "base_price": "list price",
            "gross_margin_percent": "(price-cost)/price, %",
            "product_description": "text",
            "discontinued": "no longer sold",
            "created_at": "created",
            "search_document": "keyword index",
        },
    ),
    "inventory": TableGuide(
        "Stock now, by store and product.",
        {"store_id": "store", "product_id": "product", "stock_level": "units on hand"},
    ),
    "orders": TableGuide(
        "Orders, one store each; amounts in USD.",
        {
            "order_id": "random id; sort by order_date",
            "customer_id": "buyer",
            "store_id": "store",
            "order_date": "day of sale",
            "status": "see values",
            "subtotal": "before discount",
            "discount_amount": "discount",
            "total_amount": "subtotal-discount",
            "created_at": "created",
        },
        (_REVENUE_HINT,),
    ),
    "order_items": TableGuide(
        "Order lines.",
        {
            "order_item_id": "id",
            "order_id": "order",
            "store_id": "order's store",
            "product_id": "product",
            "quantity": "units",
            "unit_price": "unit price paid",
            "discount_percent": "line discount, %",
            "discount_amount": "line discount",
            "total_amount": "line revenue, after discount",
        },
        ("Product revenue: sum total_amount; date and status are on orders.",),
    ),
    "product_description_embeddings": TableGuide(
        "Vectors for semantic search; use semantic_search_products instead.",
        {
            "product_id": "product",
            "description_embedding": "vector",
            "model": "embedding model",
            "content_hash": "hash of the embedded text",
            "created_at": "created",
        },
    ),
}
