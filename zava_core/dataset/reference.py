"""The Zava reference facts, read from package data and checked before anything is generated.

The facts (eight stores with their managers' RLS user ids and weights, the year weights, 423
product names in nine categories) ship inside ``zava_core.data`` so that an installed package
needs nothing else. They are validated once here: a broken data file must fail loudly at load,
not as a skewed dataset or a foreign-key error halfway through a COPY.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import uuid
from dataclasses import dataclass
from importlib import resources
from typing import Any

from zava_core.domain.errors import ConfigurationError

__all__ = [
    "ONLINE_STORE_NAME",
    "ProductName",
    "ReferenceData",
    "StoreProfile",
    "load_reference",
    "parse_reference",
]

ONLINE_STORE_NAME = "Zava Retail Online"
_STORE_PREFIX = "Zava Retail "
# Every physical Zava store is in Washington State; the facts name only the city.
_STATE = "WA"
_EXPECTED_STORES = 8


@dataclass(frozen=True, slots=True)
class StoreProfile:
    """One store and the weights that shape its share of customers, orders and basket value."""

    name: str
    rls_user_id: uuid.UUID
    customer_weight: float
    order_frequency_multiplier: float
    order_value_multiplier: float

    @property
    def is_online(self) -> bool:
        return self.name == ONLINE_STORE_NAME

    @property
    def city(self) -> str:
        return self.name.removeprefix(_STORE_PREFIX)

    @property
    def location(self) -> str:
        return "Online" if self.is_online else f"{self.city}, {_STATE}"


@dataclass(frozen=True, slots=True)
class ProductName:
    """A product name and its category, as listed in the reference CSV."""

    category: str
    name: str


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """Everything the generator takes from outside its own code."""

    stores: tuple[StoreProfile, ...]
    year_weights: tuple[tuple[int, float], ...]
    product_names: tuple[ProductName, ...]

    @property
    def categories(self) -> tuple[str, ...]:
        """Category names in the order they first appear in the product list."""
        return tuple(dict.fromkeys(p.category for p in self.product_names))

    def store(self, name: str) -> StoreProfile:
        for store in self.stores:
            if store.name == name:
                return store
        raise KeyError(name)


def _positive(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigurationError(f"Reference data: {what} must be a positive number, got {value!r}.")
    return float(value)


def _parse_stores(raw: Any) -> tuple[StoreProfile, ...]:
    if not isinstance(raw, dict) or len(raw) != _EXPECTED_STORES:
        raise ConfigurationError(f"Reference data: expected {_EXPECTED_STORES} stores.")
    stores = []
    for name, facts in raw.items():
        if not name.startswith(_STORE_PREFIX):
            raise ConfigurationError(f"Reference data: store name {name!r} does not start with {_STORE_PREFIX!r}.")
        try:
            user_id = uuid.UUID(str(facts["rls_user_id"]))
        except (KeyError, ValueError):
            raise ConfigurationError(f"Reference data: store {name!r} has no valid rls_user_id.") from None
        stores.append(
            StoreProfile(
                name=name,
                rls_user_id=user_id,
                customer_weight=_positive(facts.get("customer_distribution_weight"), f"{name} customer weight"),
                order_frequency_multiplier=_positive(facts.get("order_frequency_multiplier"), f"{name} frequency"),
                order_value_multiplier=_positive(facts.get("order_value_multiplier"), f"{name} value multiplier"),
            )
        )
    if len({s.rls_user_id for s in stores}) != len(stores):
        raise ConfigurationError("Reference data: two stores share a manager's rls_user_id.")
    if ONLINE_STORE_NAME not in raw:
        raise ConfigurationError(f"Reference data: {ONLINE_STORE_NAME!r} is missing.")
    return tuple(stores)


def _parse_years(raw: Any) -> tuple[tuple[int, float], ...]:
    if not isinstance(raw, dict) or not raw:
        raise ConfigurationError("Reference data: year_weights is missing.")
    years = sorted((int(year), _positive(weight, f"weight of {year}")) for year, weight in raw.items())
    if [y for y, _ in years] != list(range(years[0][0], years[-1][0] + 1)):
        raise ConfigurationError("Reference data: year_weights must cover consecutive years.")
    return tuple(years)


def _parse_products(raw_csv: str) -> tuple[ProductName, ...]:
    rows = list(csv.DictReader(io.StringIO(raw_csv)))
    products = tuple(ProductName(r["category"].strip(), r["product_name"].strip()) for r in rows)
    if not products or any(not p.category or not p.name for p in products):
        raise ConfigurationError("Reference data: product names must all have a category and a name.")
    if len({p.name for p in products}) != len(products):
        raise ConfigurationError("Reference data: product names must be unique.")
    return products


def parse_reference(raw_json: str, raw_csv: str) -> ReferenceData:
    """Parse and validate the two reference files (separate from I/O so tests can feed bad data)."""
    try:
        facts = json.loads(raw_json)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"Reference data: reference_data.json is not valid JSON ({exc}).") from None
    if not isinstance(facts, dict):
        raise ConfigurationError("Reference data: reference_data.json must hold an object.")
    return ReferenceData(
        stores=_parse_stores(facts.get("stores")),
        year_weights=_parse_years(facts.get("year_weights")),
        product_names=_parse_products(raw_csv),
    )


@functools.cache
def load_reference() -> ReferenceData:
    """The packaged reference data, parsed once per process."""
    package = resources.files("zava_core.data")
    return parse_reference(
        (package / "reference_data.json").read_text(encoding="utf-8"),
        (package / "product_names_by_category.csv").read_text(encoding="utf-8"),
    )
