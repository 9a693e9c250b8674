"""How a product type is described: the keyword rule that assigns names to it and its phrases.

Kept apart from the tables (``types_tools``, ``types_building``) so that both can import it and
``catalog`` can import them without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CategorySpec", "TypeSpec", "type_spec"]


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """A product type within a category.

    ``keywords`` are lower-case substrings of product names; within a category the first type
    with a matching keyword wins, so narrow rules come before broad ones. ``lead`` is the feature
    every product of the type mentions (what a semantic search should find); one of ``features``
    is added at random for variety.
    """

    code: str
    name: str
    noun: str
    keywords: tuple[str, ...]
    cost_range: tuple[float, float]
    purpose: str
    lead: str
    features: tuple[str, ...]

    def matches(self, product_name: str) -> bool:
        lowered = product_name.lower()
        return any(keyword in lowered for keyword in self.keywords)


@dataclass(frozen=True, slots=True)
class CategorySpec:
    """A category's SKU prefix and its types, in rule order."""

    name: str
    code: str
    types: tuple[TypeSpec, ...]


def type_spec(  # noqa: PLR0917 - positional on purpose: the tables stay one entry per few lines
    code: str,
    name: str,
    noun: str,
    keywords: tuple[str, ...],
    cost_range: tuple[float, float],
    purpose: str,
    lead: str,
    *features: str,
) -> TypeSpec:
    """Positional shorthand that keeps the type tables one entry per few lines."""
    return TypeSpec(code, name, noun, keywords, cost_range, purpose, lead, features)
