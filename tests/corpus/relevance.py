"""Questions a store manager or a customer might ask, and the products a person would accept.

A result is relevant when its name is in ``products``, or its product type is in ``types``, or
its category is in ``categories``. ``{sku:NAME}`` in a question is replaced by that product's SKU
(SKUs come from the dataset generator, names are stable).

**Two halves, fixed once.** Every case carries its ``split``: ``"tune"`` cases are the ones any
parameter of search (fusion, thresholds, what is embedded, priors) may be chosen on;
``"held_out"`` cases only ever measure the result. The first 44 questions were used to choose
the defaults before the split existed, so they are all in the tuning half. The questions written
after them (symptoms and jobs, from the catalog's product types) were assigned once,
deterministically and stratified by the category of their first accepted type or product: within
each category, sorted by the SHA-256 of the question, the first ones went to ``held_out`` until
that category's held-out count reached half its questions (rounded up); the rest to ``tune``.
``tests/unit/test_relevance_corpus.py`` checks that rule against the file, so a case added later
must be placed by it, not by how search does on it.

Metrics, binary relevance, for one question:

* precision@k: relevant among the first k / ``min(k, relevant products in the catalog)``, so a
  question with two right answers can score 1.0;
* recall@k: relevant among the first k / ``min(k, relevant in the catalog)`` (capped recall: a
  question that accepts a whole type of six products is fully answered by ten results);
* nDCG@k: DCG of the ranking (gain 1 per relevant result, ``1 / log2(rank + 1)``) over the DCG of
  ``min(k, relevant in the catalog)`` relevant results at the top.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CASES",
    "HELD_OUT",
    "PRE_SPLIT_CASES",
    "SPLITS",
    "TUNING",
    "RelevanceCase",
    "Split",
    "ndcg_at",
    "precision_at",
    "recall_at",
]

Split = Literal["tune", "held_out"]
SPLITS: tuple[Split, ...] = ("tune", "held_out")

#: (product name, product type, category): how a result and a catalog product are judged.
Item = tuple[str, str, str]


@dataclass(frozen=True)
class RelevanceCase:
    question: str
    products: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    split: Split = "tune"

    def is_relevant(self, name: str, product_type: str, category: str) -> bool:
        return name in self.products or product_type in self.types or category in self.categories

    def resolve(self, sku_of: Callable[[str], str]) -> str:
        return re.sub(r"\{sku:([^}]+)\}", lambda m: sku_of(m.group(1)), self.question)

    def relevant_total(self, catalog: Iterable[Item]) -> int:
        total = sum(1 for item in catalog if self.is_relevant(*item))
        if total == 0:
            raise ValueError(f"no product in the catalog is relevant to {self.question!r}")
        return total


def precision_at(case: RelevanceCase, results: Sequence[Item], catalog: Iterable[Item], k: int = 5) -> float:
    """``results`` and ``catalog`` hold (name, type, category) triples."""
    hits = sum(1 for item in results[:k] if case.is_relevant(*item))
    return hits / min(k, case.relevant_total(catalog))


def recall_at(case: RelevanceCase, results: Sequence[Item], catalog: Iterable[Item], k: int = 10) -> float:
    """Capped recall: the share of the ``min(k, relevant)`` best possible hits found in the first k."""
    hits = sum(1 for item in results[:k] if case.is_relevant(*item))
    return hits / min(k, case.relevant_total(catalog))


def ndcg_at(case: RelevanceCase, results: Sequence[Item], catalog: Iterable[Item], k: int = 10) -> float:
    """Binary-gain nDCG: early relevant results count more than late ones."""
    dcg = sum(1 / math.log2(rank + 2) for rank, item in enumerate(results[:k]) if case.is_relevant(*item))
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(k, case.relevant_total(catalog))))
    return dcg / ideal


def T(
    question: str, *, products: tuple[str, ...] = (), types: tuple[str, ...] = (), categories: tuple[str, ...] = ()
) -> RelevanceCase:
    """A case of the tuning half."""
    return RelevanceCase(question, products, types, categories, "tune")


def H(
    question: str, *, products: tuple[str, ...] = (), types: tuple[str, ...] = (), categories: tuple[str, ...] = ()
) -> RelevanceCase:
    """A case of the held-out half."""
    return RelevanceCase(question, products, types, categories, "held_out")


CASES: tuple[RelevanceCase, ...] = (
    # What a product is for, in plain words.
    T(
        "something to keep the garden hose tidy",
        products=(
            "Retractable Hose Hanger",
            "Heavy Duty Wall Hook Set",
            "Rubber Coated Hooks",
            "Retractable Cord Reel",
        ),
    ),
    T(
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
    T("water the lawn automatically while I'm away", types=("Sprinklers",), products=("Soaker Hose 25-foot",)),
    T("fix a toilet that keeps running", types=("Toilet Repair",)),
    T("unclog a blocked kitchen sink", types=("Drain Cleaning",)),
    T("seal the threads of a leaking pipe joint", types=("Thread Sealants & Putty",)),
    T("paint the bedroom walls", types=("Interior Paint", "Rollers & Extension Poles", "Paint Brushes")),
    T("protect the floor and furniture from paint splatter", types=("Drop Cloths & Masking",)),
    T("refresh the color of an old wooden deck", types=("Deck & Fence Stains", "Wood Stains")),
    T("clear protective coat for a hardwood floor", types=("Polyurethane & Clear Finishes",)),
    T("cut curves in plywood", types=("Jigsaws",), products=("Coping Saw",)),
    T("smooth wood before finishing it", types=("Finishing Sanders", "Belt Sanders", "Files & Rasps")),
    T(
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
    T("make accurate angled cuts on trim and molding", types=("Miter Saws",), products=("Coping Saw",)),
    T(
        "light up the garden path at night without wiring",
        products=("Solar Path Light Set", "Solar Deck Light Set", "Landscape Spotlight Kit", "String Lights 48-foot"),
    ),
    T("grow vegetables and herbs from seed", types=("Seeds",), products=("Seed Starting Mix",)),
    T("feed the lawn in spring", types=("Fertilizer & Plant Food",)),
    T("keep weeds down in flower beds", types=("Mulch",)),
    T("organize screws and small parts", types=("Drawer Units & Organizers",), products=("Pegboard Storage Bins",)),
    T("store bikes and ladders up off the garage floor", types=("Overhead Storage", "Hooks & Hangers")),
    T("a sturdy bench to work on in the garage", types=("Workbenches",)),
    T("lockable storage for staff belongings", types=("Lockers",)),
    T("carry my tools to a job site", types=("Tool Storage",)),
    T("add a wall outlet that can charge phones", types=("Outlets & Receptacles",)),
    T("dim the living room lights", types=("Switches & Dimmers",)),
    T("protect against electric shock near the bathroom sink", products=("GFCI Outlet 20-Amp", "GFCI Breaker 20-Amp")),
    T("backer board for tiles on a shower wall", types=("Cement Board",)),
    T("keep a house warm and cut energy bills", types=("Insulation",)),
    T("set a fence post in the ground", types=("Concrete & Mortar Mixes",), products=("Round Fence Post 8ft",)),
    T("measure and mark a square corner", types=("Measuring & Layout Tools",)),
    T("tool to drive nails", types=("Hammers",)),
    T("shut off the water supply under the sink", types=("Valves",)),
    T("replace a dripping tap", types=("Faucets",)),
    T("stop pipes freezing in winter", types=("Pipe Insulation",), products=("Pipe Heat Tape",)),
    T("lock for the front door", types=("Locks & Door Hardware",)),
    T("wheels for moving a heavy cabinet", types=("Casters",)),
    T("keep a metal railing from rusting", products=("Rust Prevention Spray", "Metal Primer")),
    # Names, brands and codes: the words must be found as written.
    T("Romex 12-2", products=("Romex Wire 12-2 250ft", "Romex Wire 14-2 250ft")),
    T("Hardiebacker", products=("Hardiebacker 3x5x1/4",)),
    T("PTFE tape", products=("PTFE Thread Tape White", "Heavy Duty Teflon Tape")),
    T("Track Saw", products=("Track Saw",)),
    T("{sku:Hydro Jet Drain Cleaner}", products=("Hydro Jet Drain Cleaner",)),
    T("{sku:Toggle Bolt Set}", products=("Toggle Bolt Set",)),
    T("Quikrete 80lb", products=("Quikrete Mix 80lb", "High Strength Mix 80lb")),
    # Symptoms and jobs, as staff and customers say them (written from the catalog's types).
    T("the breaker keeps tripping when the space heater runs", types=("Circuit Breakers",)),
    H("somewhere safe to join the wires behind a new ceiling light", types=("Electrical Boxes", "Wire Connectors")),
    H("cap the bare wire ends after taking a light down", types=("Wire Connectors", "Electrical Tape")),
    H("wrap a nicked cable so nobody gets a shock", types=("Electrical Tape",)),
    T("protect the wires running along the outside of the garage", types=("Conduit",)),
    H("the hedge trimmer plug does not reach the end of the yard", types=("Extension Cords & Power Strips",)),
    H("too many plugs behind the TV and only one socket", types=("Extension Cords & Power Strips",)),
    H("hanging lights over the kitchen island", types=("Light Fixtures",)),
    T(
        "lights that come on by themselves when someone walks in",
        products=("Motion Sensor Switch",),
        types=("Outdoor Lighting",),
    ),
    H("turn the stair light on from upstairs and downstairs", types=("Switches & Dimmers",)),
    T("run power out to the shed underground", types=("Wire & Cable", "Conduit")),
    H("new wiring for a circuit in the basement", types=("Wire & Cable",)),
    T(
        "a socket on the patio that survives the rain",
        products=("Weather Resistant Outlet", "Weatherproof Box", "GFCI Outlet 20-Amp"),
    ),
    H("the bathroom mirror needs better light", types=("Light Fixtures",)),
    H("my tomatoes look pale and stopped growing", types=("Fertilizer & Plant Food",)),
    H("bare patches all over the lawn", types=("Seeds", "Fertilizer & Plant Food", "Soil & Compost")),
    H("soil for pots on the balcony", types=("Soil & Compost",)),
    H("the flower beds dry out too fast in summer", types=("Mulch", "Sprinklers"), products=("Soaker Hose 25-foot",)),
    H("cut branches that are too high to reach", products=("Pole Saw Pruner 8-foot", "Anvil Pruners Heavy Duty")),
    T("dig holes to plant new shrubs", types=("Garden Hand Tools",)),
    H("wash the car on the driveway", types=("Garden Hoses",)),
    T("fill the dog's water bowl from the garden tap", types=("Garden Hoses",)),
    H("the hose keeps kinking and tangling", types=("Garden Hoses",), products=("Retractable Hose Hanger",)),
    H("grow basil and mint on the patio", types=("Planters", "Seeds")),
    H("houseplants dry out whenever I travel", products=("Self-Watering Planter",), types=("Planters",)),
    H("fairy lights for a backyard party", types=("Outdoor Lighting",)),
    T("the deck steps are dark at night", types=("Outdoor Lighting",)),
    T("heavy clay soil where nothing grows", types=("Soil & Compost",)),
    H("flowers that bring bees and butterflies", types=("Seeds",)),
    T("pull old nails out of reclaimed boards", types=("Hammers",), products=("Locking Pliers 10-inch",)),
    T("break up an old concrete step", products=("Sledge Hammer 3lb",), types=("Grinders & Cut-Off Tools",)),
    H("put together flat-pack furniture", types=("Hex Keys", "Screwdrivers")),
    H("the tiny screws on my glasses are loose", products=("Precision Screwdriver Kit",), types=("Screwdrivers",)),
    T("a screwdriver that is safe near live wires", products=("Insulated Screwdriver Set",), types=("Screwdrivers",)),
    H(
        "tighten the wheel bolts to the right tightness",
        products=("Torque Wrench 1/2-drive",),
        types=("Wrenches", "Impact Drivers & Wrenches"),
    ),
    T(
        "grab a rounded-off bolt that nothing else can turn",
        products=("Locking Pliers 10-inch", "Pipe Wrench Set"),
        types=("Pliers", "Wrenches"),
    ),
    H("strip the plastic off electrical wire", products=("Wire Stripping Pliers", "Lineman's Pliers 9-inch")),
    H("check the shelf is straight before I screw it in", types=("Measuring & Layout Tools",)),
    H("measure how thick a bolt is exactly", types=("Measuring & Layout Tools",)),
    H("smooth a rough edge on a board by hand", types=("Files & Rasps",)),
    T("the nut on the pipe under the sink will not budge", types=("Wrenches",)),
    H("the office chair does not roll smoothly anymore", types=("Casters",)),
    T("hang a heavy mirror on a hollow wall", products=("Toggle Bolt Set",), types=("Hooks & Hangers",)),
    H("the kitchen cabinet door is sagging", types=("Hinges",)),
    H("the garden gate will not stay shut in the wind", types=("Latches & Hasps",)),
    T("lock up the shed", types=("Latches & Hasps", "Locks & Door Hardware")),
    H("new handles for the kitchen drawers", types=("Cabinet Hardware",)),
    H("hold up a shelf with no visible support", types=("Brackets",)),
    H("support the overhang of a breakfast bar", types=("Brackets",)),
    H("screws that will not rust on the deck", products=("Deck Screws 2-1/2 inch",), types=("Screws",)),
    T("bolts keep shaking loose on the trailer", types=("Washers", "Bolts")),
    H(
        "fasten a ledger board to the house",
        products=("Lag Bolts 1/2 x 6-inch", "Carriage Bolt Set"),
        types=("Impact Drivers & Wrenches",),
    ),
    T("nails for putting shingles on the roof", types=("Nails",)),
    T("a door that closes by itself", products=("Spring Hinge Self-Closing",), types=("Hinges",)),
    H("frame a new wall in the garage", types=("Dimensional Lumber",)),
    T(
        "wood for a raised garden bed that will not rot",
        products=(
            "Pressure Treated 2x4x8",
            "Cedar 2x4x8",
            "Cedar Board 1x8x10",
            "PT Landscape Timber",
            "Treated 2x8x12 Joist",
        ),
    ),
    T("patch a hole in the plasterboard", types=("Drywall",)),
    H("the basement walls are cold and bare", types=("Insulation",)),
    H(
        "I can hear the neighbours through the bedroom wall",
        types=("Insulation",),
        products=("Soundproof Drywall 4x8",),
    ),
    H("wallboard that can take a steamy bathroom", products=("Moisture Resistant Drywall",), types=("Cement Board",)),
    H("cover the gap where the floor meets the wall", types=("Molding & Trim",)),
    H(
        "sheets for a boat dock that stays wet",
        products=("Marine Plywood 4x8x3/4", "Pressure Treated Plywood", "Exterior Cement Board"),
    ),
    H("the floor under the carpet feels spongy", types=("Sheathing & Subfloor", "Plywood")),
    H("the concrete path has cracks and holes", types=("Concrete & Mortar Mixes",)),
    H("posts to hold up a new deck", types=("Posts & Timbers",)),
    T("a nice board to build a bookshelf", types=("Boards", "Plywood")),
    H("paint the outside of the house", types=("Exterior Paint",)),
    H("water stains on the ceiling show through the paint", products=("Stain-Blocking Primer",), types=("Primers",)),
    H("paint will not stick to the shiny bathroom tiles", products=("Universal Bonding Primer",), types=("Primers",)),
    H("paint the long fence in one afternoon", types=("Paint Sprayers", "Deck & Fence Stains", "Exterior Paint")),
    T("touch up the scratches on a bike frame", types=("Spray Paint",)),
    T("make a pine table look dark like walnut", types=("Wood Stains",)),
    H("a clean line where the wall meets the ceiling", types=("Paint Brushes", "Drop Cloths & Masking")),
    T("something to pour the paint into for the roller", types=("Paint Trays & Grids",)),
    H("reach the top of the stairwell wall with the roller", types=("Rollers & Extension Poles",)),
    H("paint without fumes for the baby's room", products=("Zero VOC Interior Paint",), types=("Interior Paint",)),
    H("the deck boards have gone grey and weathered", types=("Deck & Fence Stains",)),
    H("keep paint off the windows", types=("Drop Cloths & Masking",)),
    T("protect a new dining table top from spills and rings", types=("Polyurethane & Clear Finishes",)),
    H(
        "the kitchen sink is leaking under the basin",
        types=("Thread Sealants & Putty", "Fittings & Connectors", "Valves"),
    ),
    H("the shower drain is slow and full of hair", types=("Drain Cleaning",)),
    H("the toilet wobbles and leaks at the base", products=("Toilet Wax Ring",), types=("Toilet Repair",)),
    H("the toilet will not flush properly", types=("Toilet Repair", "Drain Cleaning")),
    H("the outside tap drips all the time", products=("Outdoor Spigot Faucet",), types=("Faucets", "Valves")),
    H("the water heater pressure gets too high", products=("Pressure Relief Valve",), types=("Valves",)),
    H("replace the old copper water line", types=("Copper Pipe",)),
    H("run a drain line for the new basement sink", types=("PVC Pipe", "Fittings & Connectors")),
    T("join two water pipes without soldering", products=("Push-Fit Connectors", "Compression Fittings")),
    H("cold water pipes drip with condensation in the basement", types=("Pipe Insulation",)),
    H("seal a threaded gas line connection", products=("Yellow Gas Line Tape",), types=("Thread Sealants & Putty",)),
    H("the washing machine needs its own shut-off", types=("Valves",)),
    T("water keeps pooling by the back door", types=("PVC Pipe", "Fittings & Connectors")),
    T(
        "something to make holes in a brick wall",
        products=("Hammer Drill 1/2-inch", "Masonry Nails"),
        types=("Drills",),
    ),
    H("my drill battery dies too fast", types=("Drills", "Impact Drivers & Wrenches")),
    T("drive long screws into the deck frame without stripping them", types=("Impact Drivers & Wrenches",)),
    H(
        "cut through old pipes and nails when tearing out a wall",
        types=("Reciprocating Saws", "Oscillating Multi-Tools"),
    ),
    T(
        "trim the door casing so new flooring slides under it",
        types=("Oscillating Multi-Tools",),
        products=("Coping Saw",),
    ),
    H("rip long sheets of plywood in a straight line", types=("Circular Saws",)),
    H("cut the hole in the countertop for a new sink", types=("Jigsaws",)),
    H("strip old paint off a flat door fast", types=("Belt Sanders", "Finishing Sanders")),
    H("sand the drywall patches smooth", types=("Finishing Sanders",)),
    H("cut rusty bolts and rebar", types=("Grinders & Cut-Off Tools", "Reciprocating Saws")),
    H("put a rounded decorative edge on a tabletop", types=("Routers",)),
    T("drill perfectly straight holes in metal", products=("Benchtop Drill Press",), types=("Drills",)),
    H("drill between floor joists where a drill does not fit", products=("Right Angle Drill", "Right Angle Impact")),
    H("cut neat corners for picture frames", types=("Miter Saws",)),
    H("boxes to keep holiday decorations", types=("Bins & Totes",)),
    T("the garage floor is covered in stuff", types=("Overhead Storage", "Shelving", "Bins & Totes")),
    H("hang my tools on the garage wall", types=("Pegboard & Accessories", "Hooks & Hangers")),
    H("sort beads and craft supplies", types=("Drawer Units & Organizers",)),
    H(
        "store paint thinner and pool chemicals safely",
        products=("Chemical Storage Cabinet",),
        types=("Storage Cabinets",),
    ),
    H("shelves for the pantry", types=("Shelving",)),
    H("a spot for the kids' sports gear by the back door", types=("Lockers", "Hooks & Hangers")),
    H("a rolling chest for a mechanic's tools", types=("Tool Storage",)),
    T("a table that folds away for projects in the driveway", types=("Workbenches",)),
    H("lift the kayaks up to the garage ceiling", types=("Overhead Storage",)),
    H(
        "keep camping gear dry in the shed",
        products=("Weatherproof Storage Box", "Heavy Duty Tote 35-Gallon"),
        types=("Bins & Totes",),
    ),
)

#: The first cases, used to choose the defaults before the split existed: all in the tuning half.
PRE_SPLIT_CASES = 44

TUNING: tuple[RelevanceCase, ...] = tuple(c for c in CASES if c.split == "tune")
HELD_OUT: tuple[RelevanceCase, ...] = tuple(c for c in CASES if c.split == "held_out")
