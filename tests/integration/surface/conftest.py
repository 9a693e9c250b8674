"""The surface tests call every tool, product search included, so they need the embedded catalog."""

from tests.integration.search.conftest import embedded_catalog

__all__ = ["embedded_catalog"]
