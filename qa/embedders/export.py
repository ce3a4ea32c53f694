"""Int8 ONNX graphs made on this machine from a sentence-transformers model: exported once with torch,
quantised by ONNX Runtime, kept in the model cache (`QA_MODEL_CACHE`) and run without torch from then on.

Why int8 matrix products: on a 2-core x86 CPU with AVX-512 VNNI, 400 chunks of Python's reference topics
took 3.7 s against 7.6 s for the torch model and 7.3 s for a graph that stores int8 weights but multiplies in
float. Why per channel: one scale per output column kept the vectors at a cosine of 0.993 on average (0.985
at worst) with the torch model's, where one scale per matrix gave 0.958 (0.886). On the tuning questions
recall and citations stayed as with that float-multiplying graph, whose vectors were within 0.9995 of the
torch model's (`bench/tune_quality.py`).

Only models made of a transformer, mean pooling and an optional normalisation are exported, since that is
what `OnnxEmbedder` computes; any other model stays on torch. A model whose export failed is written down
beside the cache, so later processes do not try again at each start.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
import warnings
from pathlib import Path

from filelock import FileLock

from qa.embedders.model_cache import content_stamp
from qa.errors import QAError

log = logging.getLogger("qa")
EXPORT_VERSION = 1  # part of each cached graph's folder name: a change of the recipe makes new graphs
GRAPH, TOKENIZER, CONFIG, FAILED = "model.onnx", "tokenizer.json", "sentence_bert_config.json", "export-failed.txt"
SUPPORTED_MODULES = (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"])


def cache_folder(name: str, location: str, cache_dir: Path) -> Path:
    """Where the graph of a model is kept: named by the model folder's content (weights, configuration, tokenizer),
    so that a retrained or reconfigured model in the same folder is exported again and one installed twice is
    exported once."""
    files = sorted(path for path in Path(location).rglob("*") if path.is_file() and path.suffix != ".lock")
    key = content_stamp(EXPORT_VERSION, *([] if files else [str(location)]), files=files)
    slug = "".join(c if c.isalnum() or c in "-_." else "-" for c in Path(name).name)[:40] or "model"
    return Path(cache_dir).expanduser() / f"{slug}-int8-{key}"


def int8_graph(name: str, location: str, cache_dir: Path) -> Path | None:
    """The folder holding the model's int8 graph, its tokenizer and its window, made first if need be;
    None when the model cannot be exported (the reason is logged once and kept)."""
    folder = cache_folder(name, location, cache_dir)
    failed = folder.with_name(folder.name + "." + FAILED)
    if (folder / GRAPH).is_file():
        return folder
    if failed.is_file():
        return None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a folder this user cannot make: falling back to torch would mismatch the index
        raise QAError(
            f"the model cache {folder.parent} cannot be made ({error.strerror or error}): set QA_MODEL_CACHE to a "
            "folder you can write, or QA_EMBED_RUNTIME=torch"
        ) from None
    with FileLock(str(folder) + ".lock"):  # two processes starting at once export once
        if (folder / GRAPH).is_file():
            return folder
        try:
            model = load_model(location)
        except Exception:  # noqa: BLE001 - not loadable here: the torch path says why, and a later download may fix it
            return None
        try:
            if problem := unsupported(model):
                raise ValueError(problem)
            log.warning("exporting %s to an int8 ONNX graph in %s, once on this machine (about 10 s)", name, folder)
            export(model, location, folder)
        except Exception as error:  # noqa: BLE001 - any failure leaves the model on torch, said once
            reason = f"{type(error).__name__}: {error}"
            failed.write_text(reason + "\n")
            log.warning("%s stays on torch: its ONNX export failed (%s)", name, reason)
            return None
    return folder


def unsupported(model) -> str | None:
    """Why `OnnxEmbedder` would not compute what the model computes, or None."""
    modules = [type(module).__name__ for module in model]
    if modules not in SUPPORTED_MODULES or model[1].get_config_dict().get("pooling_mode") != "mean":
        return f"its modules {modules} are not a transformer with mean pooling"
    return None


def load_model(location: str):
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    return SentenceTransformer(location, device="cpu")


def export(model, location: str, folder: Path) -> None:
    """Export and quantise into a new folder, renamed into place only when complete."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    transformer = model[0].auto_model.eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    building = folder.with_name(f".{folder.name}.{uuid.uuid4().hex[:8]}")
    building.mkdir(parents=True)
    try:
        names = ["input_ids", "attention_mask", "token_type_ids"]
        example = torch.ones(2, 16, dtype=torch.long)
        float_graph = building / "float.onnx"
        with warnings.catch_warnings():  # the tracer's notes on shapes taken as constants: none varies here
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHiddenState(), (example, torch.ones_like(example), torch.zeros_like(example)), str(float_graph),
                input_names=names, output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
            )
        logging.getLogger().disabled = True  # the quantiser's advice to pre-process, at every export
        try:
            quantize_dynamic(str(float_graph), str(building / GRAPH), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            logging.getLogger().disabled = False
        float_graph.unlink()
        tokenizer = Path(location) / TOKENIZER
        if tokenizer.is_file():
            shutil.copy(tokenizer, building / TOKENIZER)
        else:
            model.tokenizer.save_pretrained(str(building))  # a fast tokenizer writes tokenizer.json
        (building / CONFIG).write_text(json.dumps({"max_seq_length": model.max_seq_length}))
        os.replace(building, folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
