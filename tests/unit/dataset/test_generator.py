"""The dataset generator: deterministic, shaped like the original Zava data, internally consistent."""

from __future__ import annotations

import json
import random
import re
import uuid
from collections import Counter, defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zava_core.dataset import (
    HEAD_OFFICE_USER_ID,
    REGIONAL_MANAGER_STORES,
    REGIONAL_MANAGER_USER_ID,
    TABLES,
    Dataset,
    Row,
    generate,
    store_id,
)
from zava_core.dataset.catalog import build_catalog
from zava_core.dataset.keys import KeyTable, key_from_bits
from zava_core.dataset.reference import ProductName, ReferenceData, load_reference, parse_reference
from zava_core.dataset.transactions import LAST_ORDER_DATE, expected_item_count, expected_order_count
from zava_core.domain.errors import ConfigurationError, ValidationError

ORIGINAL_ORDERS = 197_665
ORIGINAL_ITEMS = 414_241
STATUSES = {"pending", "processing", "shipped", "delivered", "cancelled", "returned"}
CENT = Decimal("0.01")


def money(value: object) -> Decimal:
    assert isinstance(value, Decimal)
    return value


def day_of(value: object) -> date:
    assert isinstance(value, date)
    return value


def all_rows(dataset: Dataset) -> dict[str, list[Row]]:
    return {spec.name: list(dataset.rows(spec.name)) for spec in TABLES}


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate(42, 0.02)


@pytest.fixture(scope="module")
def tables(small: Dataset) -> dict[str, list[Row]]:
    return all_rows(small)


def assert_consistent(dataset: Dataset, tables: dict[str, list[Row]]) -> None:
    """The invariants every generated dataset keeps (see the property test)."""
    assert {name: len(rows) for name, rows in tables.items()} == dataset.row_counts()
    for spec in TABLES:
        assert all(len(row) == len(spec.columns) for row in tables[spec.name]), spec.name
    store_ids = {row[0] for row in tables["stores"]}
    customers = {row[0]: row[1] for row in tables["customers"]}
    product_ids = {row[0] for row in tables["products"]}
    assert set(customers.values()) <= store_ids
    lines: dict[object, list[Row]] = defaultdict(list)
    for item in tables["order_items"]:
        lines[item[1]].append(item)
        assert item[3] in product_ids
        quantity, unit, percent, off, total = item[4:9]
        assert isinstance(quantity, int)
        assert 1 <= quantity <= 5
        assert isinstance(unit, Decimal)
        assert isinstance(off, Decimal)
        assert isinstance(total, Decimal)
        assert total == unit * quantity - off >= 0
        assert off == (unit * quantity * Decimal(str(percent)) / 100).quantize(CENT, ROUND_HALF_UP)
    assert len(lines) == len(tables["orders"])
    for order_id, customer_id, order_store, day, status, subtotal, discount, total in tables["orders"]:
        assert customers[customer_id] == order_store
        assert status in STATUSES
        assert isinstance(day, date)
        assert date(2020, 1, 1) <= day <= LAST_ORDER_DATE
        items = lines[order_id]
        assert 1 <= len(items) <= 5
        assert all(item[2] == order_store for item in items)
        assert subtotal == sum(money(item[5]) * int(str(item[4])) for item in items)
        assert discount == sum(money(item[7]) for item in items)
        assert total == money(subtotal) - money(discount) == sum(money(item[8]) for item in items)


def test_same_seed_and_scale_give_byte_identical_rows() -> None:
    assert repr(all_rows(generate(7, 0.01))) == repr(all_rows(generate(7, 0.01)))


def test_another_seed_gives_other_rows() -> None:
    first, second = all_rows(generate(1, 0.01)), all_rows(generate(2, 0.01))
    assert first["stores"] == second["stores"]  # store ids do not depend on the seed
    for table in ("products", "customers", "orders", "order_items", "inventory"):
        assert first[table] != second[table], table


def test_catalog_and_inventory_do_not_change_with_the_scale() -> None:
    small, large = all_rows(generate(42, 0.01)), all_rows(generate(42, 0.05))
    for table in ("stores", "principals", "principal_stores", "categories", "product_types", "products", "inventory"):
        assert small[table] == large[table], table
    assert len(large["customers"]) == 5 * len(small["customers"])


def test_row_counts_are_known_exactly_before_generation(small: Dataset, tables: dict[str, list[Row]]) -> None:
    assert {name: len(rows) for name, rows in tables.items()} == small.row_counts()
    assert small.row_counts()["customers"] == 1_000
    assert small.row_counts()["inventory"] == 8 * 423


def test_chunks_stream_every_row_in_foreign_key_order(small: Dataset, tables: dict[str, list[Row]]) -> None:
    chunks = list(small.chunks(size=700))
    assert all(0 < len(rows) <= 700 for spec, rows in chunks if spec.name != "order_items")
    names = list(dict.fromkeys(spec.name for spec, _ in chunks))
    assert names == [spec.name for spec in TABLES]
    for spec in TABLES:
        streamed = list(chain.from_iterable(rows for s, rows in chunks if s.name == spec.name))
        assert streamed == tables[spec.name], spec.name


def test_scale_one_reproduces_the_original_volumes() -> None:
    """Only the order plan runs here (a fraction of a second), not the row generation."""
    counts = generate(42, 1.0).row_counts()
    assert counts["customers"] == 50_000
    assert counts["orders"] == pytest.approx(ORIGINAL_ORDERS, rel=0.05)
    assert counts["order_items"] == pytest.approx(ORIGINAL_ITEMS, rel=0.05)
    assert (counts["stores"], counts["categories"], counts["products"]) == (8, 9, 423)
    assert 85 <= counts["product_types"] <= 95


def test_expected_volume_formulas_match_the_original() -> None:
    stores = load_reference().stores
    assert expected_order_count(stores, 1.0) == pytest.approx(ORIGINAL_ORDERS, rel=0.05)
    assert expected_item_count(stores, 1.0) == pytest.approx(ORIGINAL_ITEMS, rel=0.05)
    assert expected_order_count(stores, 10.0) == pytest.approx(10 * expected_order_count(stores, 1.0))


def test_stores_are_those_of_the_reference_with_stable_ids(tables: dict[str, list[Row]]) -> None:
    reference = load_reference()
    assert [row[1] for row in tables["stores"]] == [s.name for s in reference.stores]
    for sid, name, location, is_online, manager in tables["stores"]:
        assert sid == store_id(str(name))
        assert is_online == (name == "Zava Retail Online")
        assert location == ("Online" if is_online else f"{str(name).removeprefix('Zava Retail ')}, WA")
        assert manager == reference.store(str(name)).rls_user_id


def test_principals_are_head_office_store_managers_and_one_regional_manager(tables: dict[str, list[Row]]) -> None:
    roles = {row[0]: row[2] for row in tables["principals"]}
    assert roles[HEAD_OFFICE_USER_ID] == "head_office"
    assert roles[REGIONAL_MANAGER_USER_ID] == "regional_manager"
    assert Counter(roles.values()) == {"store_manager": 8, "head_office": 1, "regional_manager": 1}
    assert tables["principal_stores"] == [(REGIONAL_MANAGER_USER_ID, store_id(n)) for n in REGIONAL_MANAGER_STORES]


def test_products_are_priced_at_a_33_percent_gross_margin(tables: dict[str, list[Row]]) -> None:
    for row in tables["products"]:
        cost, base_price, margin = row[5], row[6], row[7]
        assert isinstance(cost, Decimal)
        assert cost > 0
        assert base_price == (cost / Decimal("0.67")).quantize(CENT, ROUND_HALF_UP)
        assert margin == Decimal("33.00")


def test_every_product_has_a_type_of_its_own_category(tables: dict[str, list[Row]]) -> None:
    category_of_type = {type_id: category_id for type_id, category_id, _ in tables["product_types"]}
    for row in tables["products"]:
        assert category_of_type[row[4]] == row[3], row[2]
    assert set(category_of_type) == {row[4] for row in tables["products"]}  # no empty type


def test_catalog_has_about_89_types_and_unique_well_formed_skus(tables: dict[str, list[Row]]) -> None:
    assert 85 <= len(tables["product_types"]) <= 95
    skus = [str(row[1]) for row in tables["products"]]
    assert len(set(skus)) == len(skus) == 423
    assert all(re.fullmatch(r"[A-Z]{2}-[A-Z]{3}-\d{4}", sku) for sku in skus)
    hammer = next(row for row in tables["products"] if row[2] == "Ball Peen Hammer 12oz")
    assert str(hammer[1]).startswith("HT-HAM-")


def test_descriptions_say_what_a_semantic_search_looks_for(tables: dict[str, list[Row]]) -> None:
    described = {str(row[2]): str(row[8]) for row in tables["products"]}
    hose_hanger = described["Retractable Hose Hanger"].lower()
    assert "garden hose" in hose_hanger
    assert "tidy" in hose_hanger
    assert "organized" in hose_hanger
    drill = described["Cordless Drill 18V Li-Ion"].lower()
    assert "battery" in drill
    assert "compact" in drill
    assert "quieter" in described["Brushless Impact Driver"].lower()
    for name in ("Interior Eggshell Paint", "Exterior Acrylic Paint", "Zero VOC Interior Paint"):
        assert "coverage" in described[name], name
        assert "finish" in described[name], name
    for name, text in described.items():
        assert name in text
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", text)) <= 3, text


def test_customers_follow_the_store_weights_and_have_unique_emails() -> None:
    reference = load_reference()
    customers = list(generate(42, 0.2).rows("customers"))
    assert len({row[4] for row in customers}) == len(customers) == 10_000
    shares = Counter(row[1] for row in customers)
    total_weight = sum(s.customer_weight for s in reference.stores)
    for store in reference.stores:
        assert shares[store_id(store.name)] / len(customers) == pytest.approx(
            store.customer_weight / total_weight, abs=0.02
        )


def test_orders_are_in_date_order_but_their_keys_are_random(tables: dict[str, list[Row]]) -> None:
    days = [day_of(row[3]) for row in tables["orders"]]
    assert days == sorted(days)
    keys = [row[0] for row in tables["orders"]]
    assert keys != sorted(keys, key=str)  # no key order follows the dates


@pytest.mark.parametrize("table", ["customers", "orders", "order_items"])
def test_customer_order_and_line_keys_are_unique_random_version_4_uuids(
    tables: dict[str, list[Row]], table: str
) -> None:
    keys = [row[0] for row in tables[table]]
    assert all(isinstance(key, uuid.UUID) and key.version == 4 for key in keys)
    assert all(key.variant == uuid.RFC_4122 for key in keys if isinstance(key, uuid.UUID))
    assert len(set(keys)) == len(keys)


def test_keys_do_not_depend_on_the_chunk_size(small: Dataset, tables: dict[str, list[Row]]) -> None:
    streamed = [rows for spec, rows in small.chunks(size=333) if spec.name == "order_items"]
    assert [row[0] for row in chain.from_iterable(streamed)] == [row[0] for row in tables["order_items"]]


@given(bits=st.integers(min_value=0, max_value=2**128 - 1))
def test_fast_key_equals_the_standard_library_version_4_uuid(bits: int) -> None:
    """For any 128 bits, the fast constructor gives exactly ``uuid.UUID(int=bits, version=4)``."""
    fast, standard = key_from_bits(bits), uuid.UUID(int=bits, version=4)
    assert fast == standard
    assert str(fast) == str(standard)
    assert hash(fast) == hash(standard)
    assert fast.is_safe == standard.is_safe


def test_key_table_gives_the_same_key_for_the_same_index_and_refuses_others() -> None:
    table = KeyTable(random.Random(3), 5)
    assert [table[i] for i in range(5)] == [table[i] for i in range(5)]
    assert len({table[i] for i in range(5)}) == len(table) == 5
    with pytest.raises(IndexError):
        table[5]


def test_recent_orders_are_still_on_their_way() -> None:
    orders = list(generate(42, 0.2).rows("orders"))
    recent = Counter(row[4] for row in orders if (LAST_ORDER_DATE - day_of(row[3])).days < 10)
    older = Counter(row[4] for row in orders if (LAST_ORDER_DATE - day_of(row[3])).days >= 30)
    assert recent["delivered"] == 0
    assert recent["pending"] + recent["processing"] + recent["shipped"] > 0
    assert older["delivered"] / sum(older.values()) > 0.85
    assert older["pending"] == older["processing"] == 0


def test_small_dataset_is_consistent(small: Dataset, tables: dict[str, list[Row]]) -> None:
    assert_consistent(small, tables)


@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_invariants_hold_for_any_seed(seed: int) -> None:
    """For every seed: the row counts are those announced; each order's subtotal, discount and
    total are the sums over its lines; every line carries its order's store; every customer,
    product, store and order referenced exists; and every amount is exact to the cent."""
    dataset = generate(seed, 0.002)
    assert_consistent(dataset, all_rows(dataset))


@pytest.mark.parametrize("seed", [-1, 2**31, True, 1.5])
def test_an_out_of_range_seed_is_refused(seed: object) -> None:
    with pytest.raises(ValidationError):
        generate(seed, 0.01)  # type: ignore[arg-type]


@pytest.mark.parametrize("scale", [0, -1, float("nan"), float("inf"), 100.5])
def test_an_out_of_range_scale_is_refused(scale: float) -> None:
    with pytest.raises(ValidationError):
        generate(42, scale)


def test_broken_reference_data_is_refused() -> None:
    package_json = '{"stores": {"Zava Retail Online": {"rls_user_id": "x"}}, "year_weights": {"2020": 1}}'
    with pytest.raises(ConfigurationError, match="8 stores"):
        parse_reference(package_json, "category,product_name\nHAND TOOLS,Hammer\n")
    with pytest.raises(ConfigurationError, match="unique"):
        parse_reference(_valid_json(), "category,product_name\nHAND TOOLS,Hammer\nHAND TOOLS,Hammer\n")
    with pytest.raises(ConfigurationError, match="consecutive"):
        parse_reference(_valid_json().replace('"2021"', '"2031"'), "category,product_name\nHAND TOOLS,Hammer\n")


def test_a_product_name_no_rule_matches_is_a_configuration_error() -> None:
    reference = load_reference()
    odd = ReferenceData(reference.stores, reference.year_weights, (ProductName("HAND TOOLS", "Mystery Gadget"),))
    with pytest.raises(ConfigurationError, match="Mystery Gadget"):
        build_catalog(odd, random.Random(0))


def _valid_json() -> str:
    reference = load_reference()
    return json.dumps(
        {
            "stores": {
                s.name: {
                    "rls_user_id": str(s.rls_user_id),
                    "customer_distribution_weight": s.customer_weight,
                    "order_frequency_multiplier": s.order_frequency_multiplier,
                    "order_value_multiplier": s.order_value_multiplier,
                }
                for s in reference.stores
            },
            "year_weights": {str(year): weight for year, weight in reference.year_weights},
        }
    )
