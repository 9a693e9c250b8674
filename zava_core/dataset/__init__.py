"""A deterministic, fast generator of the Zava retail dataset (pure Python, stdlib only)."""

from zava_core.dataset.generator import (
    DATASET_NAMESPACE,
    HEAD_OFFICE_USER_ID,
    MAX_SCALE,
    REGIONAL_MANAGER_STORES,
    REGIONAL_MANAGER_USER_ID,
    TABLES,
    Dataset,
    Row,
    TableSpec,
    generate,
    store_id,
)
from zava_core.dataset.progress import Progress

__all__ = [
    "DATASET_NAMESPACE",
    "HEAD_OFFICE_USER_ID",
    "MAX_SCALE",
    "REGIONAL_MANAGER_STORES",
    "REGIONAL_MANAGER_USER_ID",
    "TABLES",
    "Dataset",
    "Progress",
    "Row",
    "TableSpec",
    "generate",
    "store_id",
]
