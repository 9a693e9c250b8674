"""Questions a store manager might ask, and the products a person would expect for each.

A result is relevant when its name is in ``products``, or its product type is in ``types``, or
its category is in ``categories``. Precision@5 divides the relevant results among the first five
by ``min(5, relevant products in the catalog)``, so a question with two right answers can score
1.0. ``{sku:NAME}`` in a question is replaced by that product's SKU (SKUs come from the dataset
generator, names are stable).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["CASES", "RelevanceCase", "precision_at"]


@dataclass(frozen=True)
class RelevanceCase:
    question: str
    products: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def is_relevant(self, name: str, product_type: str, category: str) -> bool:
        return name in self.products or product_type in self.types or category in self.categories

    def resolve(self, sku_of: Callable[[str], str]) -> str:
        return re.sub(r"\{sku:([^}]+)\}", lambda m: sku_of(m.group(1)), self.question)


def precision_at(
    case: RelevanceCase,
    results: Sequence[tuple[str, str, str]],
    catalog: Iterable[tuple[str, str, str]],
    k: int = 5,
) -> float:
    """``results`` and ``catalog`` hold (name, type, category) triples."""
    relevant_total = sum(1 for item in catalog if case.is_relevant(*item))
    if relevant_total == 0:
        raise ValueError(f"no product in the catalog is relevant to {case.question!r}")
    hits = sum(1 for item in results[:k] if case.is_relevant(*item))
    return hits / min(k, relevant_total)


C = RelevanceCase
CASES: tuple[RelevanceCase, ...] = (
    # What a product is for, in plain words.
    C(
        "something to keep the garden hose tidy",
        products=(
            "Retractable Hose Hanger",
            "Heavy Duty Wall Hook Set",
            "Rubber Coated Hooks",
            "Retractable Cord Reel",
        ),
    ),
    C(
        "quiet cordless drill for a small flat",
        products=(
            "Cordless Drill 18V Li-Ion",
            "Impact Drill 20V",
            "Brushless Impact Driver",
            "Compact Impact Driver",
            "Impact Driver 18V",
            "Right Angle Drill",
            "Hammer Drill 1/2-inch",
        ),
    ),
    C("water the lawn automatically while I'm away", types=("Sprinklers",), products=("Soaker Hose 25-foot",)),
    C("fix a toilet that keeps running", types=("Toilet Repair",)),
    C("unclog a blocked kitchen sink", types=("Drain Cleaning",)),
    C("seal the threads of a leaking pipe joint", types=("Thread Sealants & Putty",)),
    C("paint the bedroom walls", types=("Interior Paint", "Rollers & Extension Poles", "Paint Brushes")),
    C("protect the floor and furniture from paint splatter", types=("Drop Cloths & Masking",)),
    C("refresh the color of an old wooden deck", types=("Deck & Fence Stains", "Wood Stains")),
    C("clear protective coat for a hardwood floor", types=("Polyurethane & Clear Finishes",)),
    C("cut curves in plywood", types=("Jigsaws",), products=("Coping Saw",)),
    C("smooth wood before finishing it", types=("Finishing Sanders", "Belt Sanders", "Files & Rasps")),
    C(
        "loosen rusted lug nuts quickly",
        products=(
            "Impact Wrench 1/2-inch",
            "Right Angle Impact",
            "Torque Wrench 1/2-drive",
            "Adjustable Wrench 10-inch",
            "Combination Wrench Set SAE",
            "Metric Wrench Set",
        ),
    ),
    C("make accurate angled cuts on trim and molding", types=("Miter Saws",), products=("Coping Saw",)),
    C(
        "light up the garden path at night without wiring",
        products=("Solar Path Light Set", "Solar Deck Light Set", "Landscape Spotlight Kit", "String Lights 48-foot"),
    ),
    C("grow vegetables and herbs from seed", types=("Seeds",), products=("Seed Starting Mix",)),
    C("feed the lawn in spring", types=("Fertilizer & Plant Food",)),
    C("keep weeds down in flower beds", types=("Mulch",)),
    C("organize screws and small parts", types=("Drawer Units & Organizers",), products=("Pegboard Storage Bins",)),
    C("store bikes and ladders up off the garage floor", types=("Overhead Storage", "Hooks & Hangers")),
    C("a sturdy bench to work on in the garage", types=("Workbenches",)),
    C("lockable storage for staff belongings", types=("Lockers",)),
    C("carry my tools to a job site", types=("Tool Storage",)),
    C("add a wall outlet that can charge phones", types=("Outlets & Receptacles",)),
    C("dim the living room lights", types=("Switches & Dimmers",)),
    C("protect against electric shock near the bathroom sink", products=("GFCI Outlet 20-Amp", "GFCI Breaker 20-Amp")),
    C("backer board for tiles on a shower wall", types=("Cement Board",)),
    C("keep a house warm and cut energy bills", types=("Insulation",)),
    C("set a fence post in the ground", types=("Concrete & Mortar Mixes",), products=("Round Fence Post 8ft",)),
    C("measure and mark a square corner", types=("Measuring & Layout Tools",)),
    C("tool to drive nails", types=("Hammers",)),
    C("shut off the water supply under the sink", types=("Valves",)),
    C("replace a dripping tap", types=("Faucets",)),
    C("stop pipes freezing in winter", types=("Pipe Insulation",), products=("Pipe Heat Tape",)),
    C("lock for the front door", types=("Locks & Door Hardware",)),
    C("wheels for moving a heavy cabinet", types=("Casters",)),
    C("keep a metal railing from rusting", products=("Rust Prevention Spray", "Metal Primer")),
    # Names, brands and codes: the words must be found as written.
    C("Romex 12-2", products=("Romex Wire 12-2 250ft", "Romex Wire 14-2 250ft")),
    C("Hardiebacker", products=("Hardiebacker 3x5x1/4",)),
    C("PTFE tape", products=("PTFE Thread Tape White", "Heavy Duty Teflon Tape")),
    C("Track Saw", products=("Track Saw",)),
    C("{sku:Hydro Jet Drain Cleaner}", products=("Hydro Jet Drain Cleaner",)),
    C("{sku:Toggle Bolt Set}", products=("Toggle Bolt Set",)),
    C("Quikrete 80lb", products=("Quikrete Mix 80lb", "High Strength Mix 80lb")),
)
