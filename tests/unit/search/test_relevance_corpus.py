"""The relevance set is judged against the real catalog and split by its stated rule.

Without a database: the catalog comes from the dataset generator, which is what the test and
bench databases are seeded with.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from tests.corpus.relevance import CASES, HELD_OUT, PRE_SPLIT_CASES, TUNING, RelevanceCase, ndcg_at, recall_at
from zava_core.dataset.catalog import CATEGORY_SPECS
from zava_core.dataset.reference import load_reference

TYPE_CATEGORY = {t.name: c.name for c in CATEGORY_SPECS.values() for t in c.types}
PRODUCT_CATEGORY = {p.name: p.category for p in load_reference().product_names}


def stratum(case: RelevanceCase) -> str:
    """The category of the case's first accepted type, else of its first accepted product."""
    if case.types:
        return TYPE_CATEGORY[case.types[0]]
    if case.products:
        return PRODUCT_CATEGORY[case.products[0]]
    return case.categories[0]


def test_every_accepted_product_type_and_category_is_in_the_catalog() -> None:
    for case in CASES:
        assert set(case.products) <= PRODUCT_CATEGORY.keys(), case.question
        assert set(case.types) <= TYPE_CATEGORY.keys(), case.question
        assert set(case.categories) <= set(CATEGORY_SPECS), case.question


def test_questions_are_unique_and_the_set_is_large_enough() -> None:
    assert len({c.question for c in CASES}) == len(CASES) >= 120
    assert len(HELD_OUT) >= 60
    assert len(TUNING) + len(HELD_OUT) == len(CASES)


def test_the_split_follows_its_rule_stratified_by_category() -> None:
    assert all(c.split == "tune" for c in CASES[:PRE_SPLIT_CASES])
    before = Counter(stratum(c) for c in CASES[:PRE_SPLIT_CASES])
    later: dict[str, list[RelevanceCase]] = defaultdict(list)
    for case in CASES[PRE_SPLIT_CASES:]:
        later[stratum(case)].append(case)
    for category, cases in later.items():
        held = min(len(cases), (before[category] + len(cases) + 1) // 2)
        ordered = sorted(cases, key=lambda c: hashlib.sha256(c.question.encode()).hexdigest())
        assert [c.split for c in ordered] == ["held_out"] * held + ["tune"] * (len(cases) - held), category


def test_every_category_is_in_both_halves() -> None:
    assert {stratum(c) for c in TUNING} == {stratum(c) for c in HELD_OUT} == set(CATEGORY_SPECS)


def test_recall_and_ndcg_are_capped_by_what_the_catalog_holds() -> None:
    case = RelevanceCase("q", products=("A", "B"))
    catalog = [("A", "t", "c"), ("B", "t", "c"), ("C", "t", "c")]
    assert recall_at(case, [("C", "t", "c"), ("A", "t", "c"), ("B", "t", "c")], catalog) == 1.0
    assert ndcg_at(case, [("A", "t", "c"), ("B", "t", "c")], catalog) == 1.0
    assert (
        0
        < ndcg_at(case, [("C", "t", "c"), ("A", "t", "c")], catalog)
        < recall_at(case, [("C", "t", "c"), ("A", "t", "c"), ("B", "t", "c")], catalog)
    )
