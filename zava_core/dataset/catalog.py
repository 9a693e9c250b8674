"""The product catalog: categories, product types and products with costs and descriptions.

Each reference product name gets a type by the keyword rules of its category (``types_tools``
and ``types_building``), a SKU, a cost drawn from the type's realistic range and a description.
Descriptions are written for semantic search: they name what the product is for (the type's
purpose), its defining feature, and what its name implies (cordless means a battery, a hose
hanger keeps a hose tidy), so that a question in plain words finds the right products.

The catalog draws from its own random stream seeded by the seed alone, so it does not change
with the scale.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from zava_core.dataset.reference import ProductName, ReferenceData
from zava_core.dataset.type_spec import CategorySpec, TypeSpec
from zava_core.dataset.types_building import (
    ELECTRICAL,
    GARDEN_AND_OUTDOOR,
    LUMBER_AND_BUILDING,
    PLUMBING,
    STORAGE_AND_ORGANIZATION,
)
from zava_core.dataset.types_tools import HAND_TOOLS, HARDWARE, PAINT_AND_FINISHES, POWER_TOOLS
from zava_core.domain.errors import ConfigurationError

__all__ = [
    "CATEGORY_SPECS",
    "GROSS_MARGIN_PERCENT",
    "Catalog",
    "ProductRow",
    "base_price_cents",
    "build_catalog",
]

CATEGORY_SPECS: dict[str, CategorySpec] = {
    spec.name: spec
    for spec in (
        ELECTRICAL,
        GARDEN_AND_OUTDOOR,
        HAND_TOOLS,
        HARDWARE,
        LUMBER_AND_BUILDING,
        PAINT_AND_FINISHES,
        PLUMBING,
        POWER_TOOLS,
        STORAGE_AND_ORGANIZATION,
    )
}

GROSS_MARGIN_PERCENT = Decimal("33.00")
_DISCONTINUED_SHARE = 0.02

#: (product_id, sku, product_name, category_id, type_id, cost, base_price, gross_margin_percent,
#: product_description, discontinued) — the COPY column order of retail.products.
ProductRow = tuple[int, str, str, int, int, Decimal, Decimal, Decimal, str, bool]

# What a product's name says about it, checked in order; the first match adds one sentence. Names
# are matched with a space on each side, so " set " does not match "Closet" nor " led " "Angled".
_NAME_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("hose hanger", "hose reel"),
        "It keeps a garden hose neatly coiled, tidy and organized on the wall, off the ground and free of kinks.",
    ),
    (("brushless",), "Its brushless motor runs cooler and quieter and gets more work out of every battery charge."),
    (
        ("cordless", "18v", "20v", "li-ion"),
        "It runs on a rechargeable lithium-ion battery, so you can work anywhere without an extension cord.",
    ),
    (
        ("compact", " mini ", " palm ", " mouse "),
        "Compact and lightweight, it fits tight spaces and reduces fatigue during long or overhead work.",
    ),
    (("corded",), "A corded motor delivers steady power all day with no batteries to charge."),
    (("variable speed",), "Variable speed lets you match the speed to the material and the task."),
    (("solar",), "Solar powered: it charges in daylight and turns on automatically at dusk, with no wiring."),
    (("gfci",), "GFCI protection cuts power in milliseconds on a ground fault, as code requires near water."),
    (("afci",), "AFCI protection detects dangerous arcing in damaged wiring before it can start a fire."),
    ((" usb ",), "Built-in USB ports charge phones and tablets without an adapter."),
    ((" led ",), "Made for LED lighting, which uses a fraction of the energy of incandescent bulbs and lasts years."),
    (("zero voc",), "The zero-VOC, low-odor formula suits nurseries, bedrooms and rooms with little ventilation."),
    (("one-coat",), "Formulated to cover in a single coat, it saves time and paint."),
    (("eggshell",), "The eggshell finish has a soft, low sheen that hides wall flaws and wipes clean."),
    (("semi-gloss",), "The semi-gloss finish is easy to scrub, ideal for kitchens, bathrooms and trim."),
    (("matte", "latex flat"), "The flat, matte finish hides surface imperfections and reduces glare."),
    (("satin",), "The satin finish gives a soft glow that is easy to keep clean."),
    (("gloss",), "The high-gloss finish is hard-wearing and reflects light for a bright, polished look."),
    (("oil-based",), "The oil-based formula penetrates deeply and levels to a rich, durable finish."),
    (("water-based",), "The water-based formula dries fast, cleans up with soap and water and will not yellow."),
    (("organic",), "Certified organic, it is safe for vegetable gardens, children and pets."),
    (("expandable",), "It expands to full length under water pressure and shrinks back for tangle-free storage."),
    (("drinking water",), "Lead-free and drinking water safe, it is ideal for filling pet bowls and RVs."),
    (("self-watering",), "A built-in reservoir waters plants for days, ideal for busy gardeners."),
    (("magnetic",), "Strong magnets hold tools securely and keep them in sight."),
    (("weatherproof", "weather resistant", "outdoor"), "Its weather-resistant build suits outdoor and damp locations."),
    (("heavy duty",), "Heavy-duty construction stands up to hard, everyday use."),
    (("professional", "premium"), "Premium, professional-grade quality for demanding projects."),
    (("rolling", "mobile", "portable"), "It moves easily around the garage, shop or job site."),
    ((" set ", " kit ", "assortment"), "It comes as a complete set, so the right size is always at hand."),
)

_COST_FACTORS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("professional", "premium", "heavy duty"), 1.3),
    ((" set ", " kit ", "assortment"), 1.2),
    ((" mini ", "compact"), 0.85),
    ((" stand ",), 0.6),
)

_QUALITIES = ("dependable", "durable", "versatile", "well-made", "reliable", "high-quality")


@dataclass(frozen=True, slots=True)
class Catalog:
    """Rows of the catalog tables in COPY column order, plus the base prices in cents."""

    categories: tuple[tuple[int, str], ...]
    product_types: tuple[tuple[int, int, str], ...]
    products: tuple[ProductRow, ...]
    base_prices_cents: tuple[int, ...]


def base_price_cents(cost_cents: int) -> int:
    """``round(cost / 0.67, 2)`` in whole cents, half up, without float error."""
    return (cost_cents * 200 + 67) // 134


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def _type_of(category: CategorySpec, product: ProductName) -> TypeSpec:
    for spec in category.types:
        if spec.matches(product.name):
            return spec
    raise ConfigurationError(f"No product type rule in {category.name!r} matches {product.name!r}.")


def _cost_cents(rng: random.Random, spec: TypeSpec, name: str) -> int:
    low, high = spec.cost_range
    lowered = f" {name.lower()} "
    factor = 1.0
    for keywords, weight in _COST_FACTORS:
        if any(k in lowered for k in keywords):
            factor *= weight
    return max(99, round(rng.uniform(low, high) * factor * 100))


def _hint(name: str) -> str | None:
    lowered = f" {name.lower()} "
    for keywords, sentence in _NAME_HINTS:
        if any(k in lowered for k in keywords):
            return sentence
    return None


def describe(rng: random.Random, name: str, spec: TypeSpec, category: str) -> str:
    """One to three sentences: what it is and is for, its defining feature, what its name implies."""
    quality = rng.choice(_QUALITIES)
    area = category.title()
    opening = rng.choice(
        (
            f"The {name} is a {quality} {spec.noun} {spec.purpose}.",
            f"A {quality} {spec.noun} from our {area} range, the {name} is made {spec.purpose}.",
            f"Made {spec.purpose}, the {name} is a {quality} choice in {area}.",
        )
    )
    sentences = [opening, f"It offers {spec.lead}, plus {rng.choice(spec.features)}."]
    hint = _hint(name)
    if hint is not None:
        sentences.append(hint)
    elif rng.random() < 0.25:
        # A short description now and then, as a real catalog has.
        sentences.pop()
    return " ".join(sentences)


def build_catalog(reference: ReferenceData, rng: random.Random) -> Catalog:
    """Categories, types and products, ids from 1 in reference order (categories, then rules)."""
    categories: list[tuple[int, str]] = []
    types: list[tuple[int, int, str]] = []
    type_ids: dict[tuple[str, str], int] = {}
    for category_id, name in enumerate(reference.categories, start=1):
        rules = CATEGORY_SPECS.get(name)
        if rules is None:
            raise ConfigurationError(f"No product type rules for category {name!r}.")
        categories.append((category_id, name))
        for type_spec in rules.types:
            type_ids[name, type_spec.code] = len(types) + 1
            types.append((len(types) + 1, category_id, type_spec.name))

    category_ids = {name: category_id for category_id, name in categories}
    products: list[ProductRow] = []
    prices: list[int] = []
    for product_id, product in enumerate(reference.product_names, start=1):
        category = CATEGORY_SPECS[product.category]
        spec = _type_of(category, product)
        cost = _cost_cents(rng, spec, product.name)
        price = base_price_cents(cost)
        products.append(
            (
                product_id,
                f"{category.code}-{spec.code}-{product_id:04d}",
                product.name,
                category_ids[product.category],
                type_ids[product.category, spec.code],
                _cents(cost),
                _cents(price),
                GROSS_MARGIN_PERCENT,
                describe(rng, product.name, spec, product.category),
                rng.random() < _DISCONTINUED_SHARE,
            )
        )
        prices.append(price)
    return Catalog(tuple(categories), tuple(types), tuple(products), tuple(prices))
