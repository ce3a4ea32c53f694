"""Question answering over the white paper "China's Biodiversity Conservation": the public Python API.

    import qa
    qa.build_index()                      # corpus/ -> index/
    for p in qa.retrieve("biosafety law"):
        print(p.score, p.source, p.section, p.text)
    answer = qa.ask("What law did China pass on biosafety?")
    print(answer.text, answer.citations)

The chat UI and the `qa` command are thin layers over these functions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from qa.answerers import Answer, Citation, Draft, load_answerer
from qa.build import BuildProgress, BuildReport
from qa.build import build_index as _build_index
from qa.conversation import contextual_query, joined_turn, names_in, names_no_topic, points_back, user_turns
from qa.corpus import Corpus, Document
from qa.corpus import load_corpus as _load_corpus
from qa.errors import EmptyQueryError, IndexMismatchError, IndexMissingError, QAError
from qa.evidence import reranked
from qa.ingest import AddReport, add_documents
from qa.lexical import terms
from qa.limits import check_files, check_flag, check_history, check_k, check_progress, check_question, folder_or_default
from qa.search import Passage, Retriever
from qa.settings import Settings, get_settings
from qa.store import FORMAT_VERSION, read_manifest

__all__ = [
    "AddReport",
    "Answer",
    "Citation",
    "BuildReport",
    "Document",
    "Draft",
    "EmptyQueryError",
    "IndexMismatchError",
    "IndexMissingError",
    "Passage",
    "QAError",
    "Settings",
    "add",
    "ask",
    "ask_stream",
    "build_index",
    "get_settings",
    "index_info",
    "load_corpus",
    "preload",
    "retrieve",
    "retriever",
]

_retrievers: dict[Path, Retriever] = {}
TURN_WORDS_QUOTED = 0.5  # share of a subjectless turn's word weight its joined answer must quote (see subject_from_before)
WARM_UP_QUESTION = "What do these documents cover?"  # asked by `preload` of the evidence stage alone, never of an LLM


def build_index(
    corpus_dir: str | Path | None = None,
    index_dir: str | Path | None = None,
    progress: BuildProgress | None = None,
    full: bool = False,
) -> BuildReport:
    """Index every document in `corpus_dir` (default: settings.corpus_dir, "corpus") into `index_dir`
    (default: settings.index_dir, "index"). Only chunks with new text are embedded, unless `full` is set
    or the model or chunk settings changed (the report says why). The previous index keeps serving until
    the new one is complete. `progress(done, total)` is called as chunks are embedded."""
    settings = get_settings()
    return _build_index(
        folder_or_default(corpus_dir, settings.corpus_dir, "corpus folder"),
        folder_or_default(index_dir, settings.index_dir, "index folder"),
        settings,
        check_progress(progress),
        check_flag(full, "full"),
    )


def add(
    files: str | Path | list[str | Path],
    corpus_dir: str | Path | None = None,
    index_dir: str | Path | None = None,
    progress: BuildProgress | None = None,
    replace: bool = False,
) -> AddReport:
    """Copy documents into the corpus (safe names, supported types, size limit, readable) and update the
    index incrementally. `files` is one path or a list of them, a folder standing for the documents below it.
    Files that cannot be added are listed in `rejected` with the reason and not kept; none at all raises
    QAError. A corpus file of the same name (compared without case) is never overwritten unless `replace`:
    a different file is stored under a free name (`notes` says so), an identical one is left as it is."""
    settings = get_settings()
    return add_documents(
        check_files(files),
        folder_or_default(corpus_dir, settings.corpus_dir, "corpus folder"),
        folder_or_default(index_dir, settings.index_dir, "index folder"),
        settings,
        check_progress(progress),
        check_flag(replace, "replace"),
    )


def load_corpus(corpus_dir: str | Path | None = None) -> Corpus:
    """Every document of `corpus_dir` (default: settings.corpus_dir) as the index reads it: its text, metadata
    and pages; `skipped` names the files that cannot be read, with the reason."""
    return _load_corpus(folder_or_default(corpus_dir, get_settings().corpus_dir, "corpus folder"))


def retriever(index_dir: str | Path | None = None) -> Retriever:
    """The shared Retriever for an index folder (model and index loaded once per process)."""
    key = folder_or_default(index_dir, get_settings().index_dir, "index folder").resolve()
    if key not in _retrievers:
        _retrievers[key] = Retriever(key, get_settings())
    return _retrievers[key]


def preload(index_dir: str | Path | None = None) -> threading.Thread:
    """Load the live index and its models, and answer one question with them, in a background thread: a
    server that imports its web framework meanwhile (Gradio: 2-3.5 s) then answers its first question at once.
    It only warms what `ask` would load; whatever fails here is left for the caller's own steps to meet
    and report. Join the thread before building, so that two threads do not load the models at once."""

    def load() -> None:
        try:
            settings = get_settings()
            evidence_answer(WARM_UP_QUESTION, None, settings.top_k, retriever(index_dir), None, settings)
        except Exception:  # noqa: BLE001 - the foreground meets the same error and says what to do
            pass

    loading = threading.Thread(target=load, name="qa-preload", daemon=True)
    loading.start()
    return loading


def index_info(index_dir: str | Path | None = None) -> dict | None:
    """What the live index holds ({documents, chunks, model, built_at, outdated}), or None if none is built.
    `outdated`: it was written by another version of this program and must be rebuilt before use."""
    manifest = read_manifest(folder_or_default(index_dir, get_settings().index_dir, "index folder"))
    if manifest is None:
        return None
    return {
        "documents": manifest["counts"]["documents"],
        "chunks": manifest["counts"]["chunks"],
        "model": manifest["model"],
        "built_at": manifest["built_at"],
        "outdated": manifest.get("format_version") != FORMAT_VERSION,
    }


def retrieve(
    query: str, k: int | None = None, index_dir: str | Path | None = None, mode: str | None = None
) -> list[Passage]:
    """The `k` passages (default: settings.top_k, 5) most relevant to `query`, best first.
    `mode` is "dense", "bm25" or "hybrid" (default: settings.search_mode). The passages an answer reads (the
    first settings.top_k) come in the order of their best sentence, as the answer orders them, unless
    settings.rerank is "off": `retrieve(q, k=1)` is the first of `retrieve(q)`."""
    settings = get_settings()
    k = check_k(k, settings)
    search = retriever(index_dir)
    if settings.rerank == "off":
        return search.search(query, k, mode)
    # The passages an answer reads (settings.top_k) are ordered as the answer orders them, whatever k is cut to.
    passages = search.search(query, max(k, settings.top_k), mode)
    return reranked(query, passages, search, settings.top_k)[:k]


def ask(
    question: str,
    history: list | None = None,
    k: int | None = None,
    index_dir: str | Path | None = None,
    mode: str | None = None,
) -> Answer:
    """A short answer to `question` made of cited sentences from the documents, or a plain refusal
    (`abstained`) when they do not answer it. `history` is the conversation so far, as Gradio
    messages ([{"role": "user", "content": ...}, ...]) or (question, answer) pairs.
    With QA_ANSWERER=llm a language model writes the sentences; each is checked against its citation."""
    answer = None
    for answer in ask_stream(question, history, k, index_dir, mode):
        pass
    return answer


def ask_stream(
    question: str,
    history: list | None = None,
    k: int | None = None,
    index_dir: str | Path | None = None,
    mode: str | None = None,
) -> Iterator[Draft | Answer]:
    """`ask`, as it happens: with QA_ANSWERER=llm, a Draft each time the model writes (the sentences checked so
    far, and the one being written); always, last, the Answer itself. Bad input and a missing index raise here,
    when it is called, not at the first draft."""
    settings = get_settings()
    check_question(question, settings)
    check_history(history, settings)
    k = check_k(k, settings)
    search = retriever(index_dir)
    search.current()  # a missing or unreadable index is reported now
    return answer_stream(question, history, k, search, mode, settings)


def answer_stream(
    question: str, history: list | None, k: int, search: Retriever, mode: str | None, settings: Settings
) -> Iterator[Draft | Answer]:
    evidence = evidence_answer(question, history, k, search, mode, settings)
    if settings.answerer == "llm":
        from qa.answerers.generative import GenerativeAnswerer  # the openai client loads only when used

        yield from GenerativeAnswerer(settings).stream(evidence, search)
    else:
        yield evidence


def evidence_answer(
    question: str, history: list | None, k: int, search: Retriever, mode: str | None, settings: Settings
) -> Answer:
    """The evidence stage's answer: retrieve, judge, quote. It decides refusals for every answerer."""
    answerer = load_answerer(settings)
    # A chain of follow-ups joins every turn it leans on; the latest ones count, within the question limit.
    query = contextual_query(question, history, search.knows)[-settings.max_question_chars :].strip()
    answer = answerer.answer(query, search.search(query, k, mode), search, question)
    if query == question.strip() and answer.abstained and user_turns(history):
        return subject_from_before(question, history, k, search, mode, settings, answer)
    if query != question.strip() and not names_no_topic(question, search.knows) and not asks_earlier_again(question, history, search):
        # A follow-up is also asked on its own: when that answers it better, the turn changed the topic and
        # the earlier question must not drag its topic in.
        alone = answerer.answer(question, search.search(question, k, mode), search)
        better = alone.confidence >= answer.confidence or speaks_of_turn(alone, question, answer, search)
        if not alone.abstained and better and not loses_what_it_points_at(question, query, alone, answer):
            return alone
    return answer


def asks_earlier_again(turn: str, history: list | None, search: Retriever) -> bool:
    """Whether the turn asks the earlier question again of another thing it names and nothing else ("What about
    step 2?" after "What is step 1 of eDNA sampling?", "And the Central Bay?", "那2020年呢？"): no topic switch,
    so it is not also asked alone, where a probe's "What about step 2?" quoted another procedure's step 2 at
    the same confidence."""
    earlier = earlier_query(history, search)
    return earlier is not None and joined_turn(earlier, turn) != f"{earlier} {turn}"


def earlier_query(history: list | None, search: Retriever) -> str | None:
    """The query the latest earlier turn was searched as (joined to the turns it leant on), or None."""
    turns = user_turns(history)
    return contextual_query(turns[-1], turns[:-1], search.knows) if turns else None


def subject_from_before(
    turn: str, history: list, k: int, search: Retriever, mode: str | None, settings: Settings, refused: Answer
) -> Answer:
    """A turn that names no subject and leans on nothing ("谁担任副组长？" after a question on a leading group,
    Chinese leaves the subject out) is refused alone; asked with the question before it, it is answered when
    the quote holds most of the turn's own words, so an off-topic turn ("tell me a joke") stays refused, as
    the judge, reading the turn itself, also refuses it."""
    own = terms(turn)
    if not any(map(search.knows, own)):
        return refused
    query = joined_turn(earlier_query(history, search), turn)[-settings.max_question_chars :].strip()
    joined = load_answerer(settings).answer(query, search.search(query, k, mode), search, turn)
    quoted = set(terms(" ".join(citation.quote for citation in joined.citations)))
    covered = search.term_weights().coverage(own, quoted)
    return joined if not joined.abstained and covered >= TURN_WORDS_QUOTED else refused


def loses_what_it_points_at(turn: str, query: str, alone: Answer, joined: Answer) -> bool:
    """Whether a turn that points back, asked alone, is answered of something else than what it points at: a
    name the earlier turns gave is in the joined answer's quotes or heading paths and in none of the answer
    alone's. "How many new trees is it allocated?" after "What is the canopy cover of Kestrel Hill ward?" was
    answered alone, with Copperlane's allocation (a new-user probe's conversations: 10 such turns)."""
    if not points_back(turn):
        return False
    earlier = [name for name in names_in(query[: len(query) - len(turn)]) if name not in turn]
    if not earlier:
        return False
    cited = lambda answer: " ".join(f"{c.section} {c.quote}" for c in answer.citations)  # noqa: E731
    speaks = lambda answer: any(name in cited(answer) for name in earlier)  # noqa: E731
    return speaks(joined) and not speaks(alone)


def speaks_of_turn(alone: Answer, turn: str, joined: Answer, search: Retriever) -> bool:
    """Whether the turn's own words are more of the answer asked alone than of the answer asked with the
    earlier question (weighted by how rare each is): "What about the ecological protection red line?" after a
    question on biosafety quoted the biosafety law again, the judge being surer of the earlier topic (a probe).
    A turn that points back ("Who chairs it?") is left to the judge: its few words are often not the answer's."""
    if points_back(turn):
        return False
    own = [term for term in terms(turn) if search.knows(term)]
    weights = search.term_weights()
    quoted = lambda answer: set(terms(" ".join(citation.quote for citation in answer.citations)))  # noqa: E731
    return bool(own) and weights.coverage(own, quoted(alone)) > weights.coverage(own, quoted(joined))
