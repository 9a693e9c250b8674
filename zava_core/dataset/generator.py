"""The entry point of the dataset: ``generate(seed, scale)`` returns a lazy ``Dataset``.

Nothing is generated until it is asked for. The catalog and the order plan (which fixes every
row count) are computed once and cached; the big tables are produced as iterators of tuples in
COPY column order, so a loader can stream them in chunks at any scale. Each table draws from its
own random stream seeded by (seed, table), which makes the output byte-identical for the same
seed and scale and keeps the catalog and inventory the same at every scale.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, islice

from zava_core.dataset.catalog import Catalog, build_catalog
from zava_core.dataset.keys import KeyTable
from zava_core.dataset.reference import ReferenceData, load_reference
from zava_core.dataset.transactions import (
    OrderItemRow,
    OrderPlan,
    OrderRow,
    customer_count,
    customer_rows,
    inventory_rows,
    order_blocks,
    plan_orders,
)
from zava_core.domain.errors import ValidationError
from zava_core.domain.principal import HEAD_OFFICE_USER_ID

__all__ = [
    "DATASET_NAMESPACE",
    "HEAD_OFFICE_USER_ID",
    "MAX_SCALE",
    "REGIONAL_MANAGER_STORES",
    "REGIONAL_MANAGER_USER_ID",
    "TABLES",
    "Dataset",
    "Row",
    "TableSpec",
    "generate",
    "store_id",
]

#: Store ids are uuid5(DATASET_NAMESPACE, store name): the same in every dataset, whatever the seed.
DATASET_NAMESPACE = uuid.UUID("5d0c1f0e-7a6b-5f43-9a51-2b7e3c9d8a10")
REGIONAL_MANAGER_USER_ID = uuid.uuid5(DATASET_NAMESPACE, "regional-manager-east-side")
#: The stores the east-side regional manager may see (through retail.principal_stores).
REGIONAL_MANAGER_STORES = ("Zava Retail Bellevue", "Zava Retail Redmond", "Zava Retail Kirkland")
MAX_SCALE = 100.0
_MAX_SEED = 2**31 - 1  # zava_private.seed_state.seed is an integer column

Row = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A table of the retail schema and the columns its rows carry, in COPY order."""

    name: str
    columns: tuple[str, ...]
    #: An identity column whose sequence must continue after max(id). Customers, orders and
    #: order lines have random uuid keys instead (no sequence, nothing to count).
    id_column: str | None = None

    @property
    def qualified_name(self) -> str:
        return f"retail.{self.name}"


#: Every table the dataset fills, in an order that satisfies the foreign keys.
TABLES = (
    TableSpec("stores", ("store_id", "store_name", "location", "is_online", "rls_user_id")),
    TableSpec("principals", ("user_id", "display_name", "role")),
    TableSpec("principal_stores", ("user_id", "store_id")),
    TableSpec("categories", ("category_id", "category_name"), "category_id"),
    TableSpec("product_types", ("type_id", "category_id", "type_name"), "type_id"),
    TableSpec(
        "products",
        (
            "product_id",
            "sku",
            "product_name",
            "category_id",
            "type_id",
            "cost",
            "base_price",
            "gross_margin_percent",
            "product_description",
            "discontinued",
        ),
        "product_id",
    ),
    TableSpec("customers", ("customer_id", "store_id", "first_name", "last_name", "email", "phone")),
    TableSpec("inventory", ("store_id", "product_id", "stock_level")),
    TableSpec(
        "orders",
        ("order_id", "customer_id", "store_id", "order_date", "status", "subtotal", "discount_amount", "total_amount"),
    ),
    TableSpec(
        "order_items",
        (
            "order_item_id",
            "order_id",
            "store_id",
            "product_id",
            "quantity",
            "unit_price",
            "discount_percent",
            "discount_amount",
            "total_amount",
        ),
    ),
)
_SPECS = {spec.name: spec for spec in TABLES}


def store_id(store_name: str) -> uuid.UUID:
    return uuid.uuid5(DATASET_NAMESPACE, store_name)


def _stream(seed: int, table: str) -> random.Random:
    # A str seed is hashed with SHA-512, the same in every process (unlike hash() of a tuple).
    return random.Random(f"zava-dataset:{seed}:{table}")


def _batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class Dataset:
    """The Zava dataset for one (seed, scale): exact row counts up front, rows on demand."""

    def __init__(self, seed: int = 42, scale: float = 1.0, *, reference: ReferenceData | None = None) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= _MAX_SEED:
            raise ValidationError(f"The seed must be an integer from 0 to {_MAX_SEED}, got {seed!r}.")
        if not isinstance(scale, int | float) or not math.isfinite(scale) or not 0 < scale <= MAX_SCALE:
            raise ValidationError(f"The scale must be above 0 and at most {MAX_SCALE:g}, got {scale!r}.")
        self.seed = seed
        self.scale = float(scale)
        self.reference = reference or load_reference()
        self.store_ids = tuple(store_id(s.name) for s in self.reference.stores)

    def __repr__(self) -> str:
        return f"Dataset(seed={self.seed}, scale={self.scale:g})"

    @cached_property
    def catalog(self) -> Catalog:
        return build_catalog(self.reference, _stream(self.seed, "catalog"))

    @cached_property
    def plan(self) -> OrderPlan:
        return plan_orders(
            self.reference.stores,
            self.reference.year_weights,
            customer_count(self.scale),
            _stream(self.seed, "customer_stores"),
            _stream(self.seed, "order_plan"),
        )

    @cached_property
    def customer_keys(self) -> KeyTable:
        """The customers' random keys, by the plan's customer index (orders look them up)."""
        return KeyTable(_stream(self.seed, "customer_keys"), self.plan.customers)

    def row_counts(self) -> dict[str, int]:
        """The exact number of rows of every table, known before any row is built."""
        stores = len(self.reference.stores)
        return {
            "stores": stores,
            "principals": stores + 2,
            "principal_stores": len(REGIONAL_MANAGER_STORES),
            "categories": len(self.catalog.categories),
            "product_types": len(self.catalog.product_types),
            "products": len(self.catalog.products),
            "customers": self.plan.customers,
            "inventory": stores * len(self.catalog.products),
            "orders": self.plan.order_count,
            "order_items": self.plan.item_count,
        }

    def _people(self) -> dict[str, list[Row]]:
        stores = self.reference.stores
        by_name = dict(zip((s.name for s in stores), self.store_ids, strict=True))
        principals: list[Row] = [(HEAD_OFFICE_USER_ID, "Zava Head Office", "head_office")]
        principals += [(s.rls_user_id, f"{s.city} Store Manager", "store_manager") for s in stores]
        principals.append((REGIONAL_MANAGER_USER_ID, "East Side Regional Manager", "regional_manager"))
        return {
            "stores": [(by_name[s.name], s.name, s.location, s.is_online, s.rls_user_id) for s in stores],
            "principals": principals,
            "principal_stores": [(REGIONAL_MANAGER_USER_ID, by_name[name]) for name in REGIONAL_MANAGER_STORES],
        }

    def _orders(self, block: int) -> Iterator[tuple[list[OrderRow], list[OrderItemRow]]]:
        yield from order_blocks(
            self.plan,
            stores=self.reference.stores,
            store_ids=self.store_ids,
            base_prices_cents=self.catalog.base_prices_cents,
            customer_keys=self.customer_keys,
            rng=_stream(self.seed, "order_lines"),
            order_key_rng=_stream(self.seed, "order_keys"),
            item_key_rng=_stream(self.seed, "order_item_keys"),
            block=block,
        )

    def rows(self, table: str) -> Iterator[Row]:
        """The rows of one table in COPY column order (``TABLES`` names the columns)."""
        if table not in _SPECS:
            raise ValidationError(f"Unknown table {table!r}; expected one of {', '.join(_SPECS)}.")
        if table in ("stores", "principals", "principal_stores"):
            return iter(self._people()[table])
        if table in ("categories", "product_types", "products"):
            return iter(getattr(self.catalog, table))
        if table == "customers":
            stores = self.reference.stores
            rng = _stream(self.seed, "customers")
            return iter(customer_rows(self.plan, stores, self.store_ids, self.customer_keys, rng))
        if table == "inventory":
            discontinued = [bool(p[9]) for p in self.catalog.products]
            rng = _stream(self.seed, "inventory")
            return iter(inventory_rows(self.reference.stores, self.store_ids, discontinued, rng))
        position = 0 if table == "orders" else 1
        return chain.from_iterable(pair[position] for pair in self._orders(10_000))

    def chunks(self, size: int = 10_000) -> Iterator[tuple[TableSpec, Sequence[Row]]]:
        """Every table in foreign-key order, ``size`` rows at a time.

        Orders come ``size`` at a time, each chunk followed by the chunk of their lines, so the
        two are generated together once and neither is ever held whole in memory.
        """
        if size < 1:
            raise ValidationError(f"The chunk size must be at least 1, got {size}.")
        for spec in TABLES:
            if spec.name in ("orders", "order_items"):
                continue
            for batch in _batched(self.rows(spec.name), size):
                yield spec, batch
        for orders, items in self._orders(size):
            yield _SPECS["orders"], orders
            yield _SPECS["order_items"], items


def generate(seed: int = 42, scale: float = 1.0) -> Dataset:
    """The dataset for ``seed`` and ``scale`` (1.0 is the original's 50,000 customers)."""
    return Dataset(seed, scale)
