"""Extractive answers: the passages' own sentences that best answer the question, verbatim, each cited.

Three steps, each its own module: the evidence stage scores every sentence of the retrieved passages
(qa/evidence.py), the judge decides whether the best of them answers at all (qa/judge.py), and this module
quotes it. A quote is the sentence plus its neighbours where they belong to it: the sentence before, when the
chosen one begins by referring back ("It is chaired by …"), and the sentence after, when that one continues it;
a lead-in with the list it announces; a table's row under the table's header; a FAQ's answer for its question;
a numbered item's run-in heading with the sentence it heads.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from qa import lines, templates
from qa.answer_types import ASKS_FOR_ANY, ASKS_FOR_TIME, YEAR, AskedFor, asked_for
from qa.answerers import Answer, Citation
from qa.conversation import without_counted_years, without_time_of_speaking
from qa.editions import document_periods
from qa.evidence import Candidate, by_evidence, candidates, question_terms_unknown, refers_back, table_header, year_context
from qa.identifiers import is_identifier, kind_words
from qa.judge import answer_probability, judge_features
from qa.lexical import terms
from qa.lines import ASKS, CAPTION_LABEL, DATE_LINE, LEADS_IN, TABLE_ROW, announced, flowing
from qa.names import (
    chinese_place_away, designations_asked, names_away_from, names_letter, other_ones_told, told_apart,
    unknown_chinese_places, unknown_names,
)
from qa.quantities import holds_quantity
from qa.search import Passage, Retriever
from qa.section_names import NamedSections, named_sections
from qa.sentences import approx_tokens, has_cjk, sentence_spans
from qa.settings import Settings
from qa.store import StoredIndex

# A further sentence's probability must be at least this share of the best one's. Over every tuning set
# (tests/data/tuning/ and the summary's, 324 answers; bench/tune_quality.py's questions, 2026-12-06, with the
# ranker of qa/evidence.py) the share 0.5 quoted a right sentence in 286 answers and a second sentence in 254;
# 0.6 to 0.7 in 285 (226, 207, 188 second sentences), 0.75 in 284 (157), 0.8 in 282 (136): the highest share
# that cites as many right sentences, within one.
NEAR_BEST = 0.7
REDUNDANT = 0.6  # share of shared terms above which a sentence repeats one already said
# Questions of at most this many terms, none of which the documents contain, are refused outright: on the
# tuning sets that catches "ok thanks" after a real question and "Who directed the movie Titanic?" asked alone,
# and refuses no answerable question. Paraphrases of four terms and more can share no word with a small corpus
# and still be answered (the summary's tuning sets), so three is the most that holds (bench/tune_quality.py).
SHORT_UNRELATED_TERMS = 3
# A numbered item's run-in heading, a sentence of a few words without a figure that names what the rest of its
# line says, as Chinese notices write them ("（二）建设环山绿道。围绕凤凰山建设环山绿道36公里，…") and English reports
# ("(2) The Bayantuo Desert Edge-Locking Shelterbelt Project. From 2018 to 2023 …", a probe's PDF, whose
# heading of six words was quoted alone): alone it says nothing.
RUN_IN_HEADING = re.compile(
    rf"\s*(?:[(（](?:\d+|{lines.CHINESE_NUMBER})[)）]|{lines.CHINESE_NUMBER}、|\(?\d{{1,2}}[.)])\s*"
    r"(?:[^\s\d。.!?！？]{1,16}|(?:[^\s\d.!?]+\s+){0,9}[^\s\d.!?]+)[。.]\s*"
)
# A clause's number that the sentence splitter left alone ("A.1" of "A.1 Header fields: …"): quoted with what it numbers.
NUMBER_ALONE = re.compile(r"\s*(?:[A-Z]|\d{1,3})(?:\.\d{1,3})+\.?\s*")
SHORT_ANSWER_TOKENS = 5  # a FAQ's answer this short ("A: No, see below.") is quoted with its question
# A short line that gives a value under a label, after the sentence it belongs to: a configuration reference's
# "The compression algorithm applied to each chunk. Default: zstd." (a probe's answers quoted the description
# alone, or with the value as a second citation, for 14 of its 20 questions on defaults).
LABELLED_VALUE = re.compile(r"\s*(?:[A-Z][A-Za-z]*(?: [a-z]+){0,2}|[\u4e00-\u9fff]{1,6})\s*[:：]\s*\S")
TABLE_QUOTE_CHARS = 600  # a row is quoted from its table's header up to this length; alone beyond it
# Chinese text is cut into sentences at "；" too (qa/sentences.py): a long official sentence chains its facts so.
# A quoted piece that ends with one goes on to the end of its sentence, up to this length: "…给予一次性入职奖励6万元；"
# stopped before "大专学历的，给予4万元。" (a probe's plan).
CHAINED_QUOTE_CHARS = 300
# A word in this share of a document's chunks or more is the document's own, not what a question asks of one
# of its articles (`words_of_its_kind`): 规定 in a third of a probe's regulation.
COMMON_WORD_SHARE = 1 / 3


def redundant(candidate: Candidate, span: tuple[int, int], chosen: list[tuple[Candidate, tuple[int, int]]]) -> bool:
    """Whether a candidate's quote overlaps a quote already chosen, or mostly repeats its words."""
    new = set(terms(candidate.text))
    for earlier, (start, end) in chosen:
        if earlier.passage.source == candidate.passage.source and start < span[1] and span[0] < end:
            return True
        old = set(terms(earlier.text))
        if new and len(new & old) / len(new) > REDUNDANT:
            return True
    return False


def unrelated(query: str, retriever: Retriever, turn: str | None = None) -> bool:
    """A question with no word of its own ("When was that?" asked first), or a short one that shares no word
    with the documents ("ok thanks", "tell me a joke"): nothing in the documents can be its answer. A follow-up
    joined to the question before it is read in the user's own words too: "Tell me a funny story about them."
    names nothing the documents hold, whatever it was joined to. The time of speaking ("these days") is no
    word of the documents' topic, nor is a year counted from one said before (a probe's "前一年呢？" was refused
    at 0.00 for its "一年", which its documents never write)."""
    if not terms(query):
        return True
    texts = {without_time_of_speaking(without_counted_years(text)) for text in {query, turn or query}}
    return any(
        0 < len(set(terms(text))) <= SHORT_UNRELATED_TERMS and question_terms_unknown(text, retriever) == 1.0
        for text in texts
    )


def about_other_years(asked: AskedFor, candidate: Candidate, index: StoredIndex) -> bool:
    """Whether the sentence to be quoted first, with what says which year it is about (`year_context`: the
    nearest sentence before it in its passage that names a year, or its section's heading), names years but
    none that the question asks about. The ranker counts a sentence on another year as not fitting the
    question, so when the best one is still about other years the documents rarely hold the year asked: "What
    was the health department's budget for 2019?" over notes on 2022 and 2024 is refused, not answered with
    2022's. Tuning (bench/tune_quality.py, 2026-12-07): the library's near-topic questions refused 0 -> 20 %, no
    answerable question refused on any set. Answering with the best sentence on the year asked instead found a
    probe's right 2024 figure but answered its 2019 question with a committee's request; no score of that
    sentence told them apart. Reading the nearest year before the sentence, not only the sentence before it,
    changed no tuning figure and refused 2 more of the two latest probes' 19 near-topic questions ("临江市2022年有多少
    百岁老人？" over a 2023 bulletin), and none of their 99 answerable ones. A sentence of a document dated to the
    year asked (qa/editions.py) that names only later years is about that year's plans for them."""
    passage = candidate.passage
    context = year_context(passage, candidate.start - passage.start, index.heading_path(passage.chunk_id, passage.section))
    text = f"{candidate.text} {context}"
    period = document_periods(index).get(candidate.passage.source)
    if asked.years and not YEAR.search(text) and period is not None and period.single_year and not ASKS_FOR_TIME.search(asked.asking):
        # a sentence that names no year speaks of its document's: the 2024 report's table row for a question on 2022
        # (tuning set `coastal`, once a table became one chunk)
        return str(period.when[0]) not in asked.years
    if not asked.about_other_years(text):
        return False
    # A report of the year asked that sets a target for a later one speaks of its own year: "…a leakage rate
    # of 17.8 per cent, against a target of 15 per cent by 2025" in the 2023 report (a probe's city).
    own_year = period.when[0] if period is not None and period.single_year else None
    return own_year is None or str(own_year) not in asked.years or any(int(year) <= own_year for year in YEAR.findall(text))


def first_at(quotes: list[tuple[Candidate, tuple[int, int]]], at: int) -> list[tuple[Candidate, tuple[int, int]]]:
    """The quotes with the one at `at` put first, the others in their order."""
    return [quotes[at], *quotes[:at], *quotes[at + 1 :]]


def first_that(
    quotes: list[tuple[Candidate, tuple[int, int]]], holds: Callable[[Candidate], bool], start: int = 0
) -> list[tuple[Candidate, tuple[int, int]]]:
    """The quotes with the first from `start` on whose candidate `holds` put first; as they were when none does."""
    at = next((at for at in range(start, len(quotes)) if holds(quotes[at][0])), None)
    return quotes if at is None else first_at(quotes, at)


def by_quantity_asked(
    asked: AskedFor, selected: list[tuple[Candidate, tuple[int, int]]], index: StoredIndex
) -> tuple[list[tuple[Candidate, tuple[int, int]]], bool]:
    """The quotes chosen, the first that states the kind of quantity the question asks for (an amount of money, a
    count, an area: qa/quantities.py) first, and whether any does (True when it asks for none). Each is read with
    what says what its numbers are: a table's header row and caption ("Landings by species (tonnes)"), the
    sentence before, its heading path ("Part 6. Budget and finance" over figures in a report's own currency).

    None stating it refuses the answer: "How much does an entrance ticket cost?" was answered with "The core zone
    … admits no more than 3,000 visitors a day": the subject is in the documents, the fact asked is not. Tuning
    (bench/tune_quality.py, 2026-12-07): near-topic questions answered over every tuning set 88 -> 66 (the white
    paper's refused 0 -> 27 %, papers' 22 -> 56 %, the summary's 69 -> 77 %); right sentence cited up 1 to 4
    points on seven sets; the 10 answerable questions it refused had each been answered with a sentence that did
    not hold the answer. Reading the first quoted sentence alone lost 13 right answers (the count is often in the
    second). Preferring a lower-ranked sentence that states the quantity moved four answers, one of them wrong;
    counting it in the ranker's type feature cost the transport and water reports 6 to 13 points of answerable
    questions answered through the judge. Both were left out. A neighbour's figure of the same kind still answers
    ("How much is a club jersey?" with the membership fee).

    The one stating it goes first: "How much did the Greenway Recycling Centre cost to build?" quoted a news
    item's lead, which names the centre and its tonnes, before "The centre opened in 2019 at a cost of €12.4
    million" (a probe). Tuning rows the same; that probe's answers right 129 -> 132 of 165 (three costs), the
    other finance probe's the same."""
    if asked.quantity is None:
        return selected, True
    at = next((at for at, item in enumerate(selected) if states_quantity_asked(asked, item, index)), None)
    if at is None:
        return selected, False
    return first_at(selected, at), True


def states_quantity_asked(asked: AskedFor, item: tuple[Candidate, tuple[int, int]], index: StoredIndex) -> bool:
    """Whether a quote (a candidate and its span) states a quantity of the kind asked (`by_quantity_asked`)."""
    candidate, (start, end) = item
    passage = candidate.passage
    row = candidate.start - passage.start
    caption = lines.table_caption(passage.text, lines.table_start(passage.text, row)) if TABLE_ROW.match(passage.text, row) else None
    context = " ".join((
        year_context(passage, row), passage.text[caption[0] : caption[1]] if caption else "",
        index.heading_path(passage.chunk_id, passage.section),
    ))
    return holds_quantity(asked.quantity, passage.text[start - passage.start : end - passage.start], context, asked.asking)


MEANING_VERB = frozenset(terms("mean"))
# a sentence that defines a term: '"Service Credits" means …', "A Sub-processor is defined as …", "生态红线是指…"
DEFINES = r"""(?:\s*[)"'”’]|\s+\([^)]{1,40}\))*\s*(?:means|shall mean|refers to|is defined as|是指|指的是)"""
# a glossary's entry after its term: "- Pass: a sequence of …", "Exuvia (plural exuviae) — the empty larval skin"
GLOSSED = r"(?:\s*\([^)]{1,40}\))?\s*[:：—–]\s"
USED_WHERE = re.compile(r"\s+(?:in|for|on|at|during|when)\s+", re.IGNORECASE)
ASKS_WHAT_IT_SAYS = re.compile(r"\s*what (?:does|do|did|will) (?P<subject>.+) (?P<verb>[a-z]+)\s*[?？]?\s*$", re.IGNORECASE)


def words_asked_of_section(
    query: str, named: NamedSections, asked: AskedFor, retriever: Retriever, index: StoredIndex
) -> set[str] | None:
    """For a question that asks what a section it names says ("What does Article 12 say?", "Summarise Article
    20.", "What does Article 25 prohibit?", "2025年主要目标任务有哪些？" of a report's "（二）2025年主要目标任务"),
    the words of its own besides the name that the documents use, which the section's opening must hold to
    answer it; None for any other question: one that names no section, or asks for a kind of answer (a number,
    a date, a person), or cites a unit by its number ("What does section 4.2 say?", "5.2.3条规定了什么？"). Such a question shares
    few words with the article's text or none, and the judge refused all five of a probe's ("What does
    Chapter II say about fees?" is not answered by the chapter's first article, which says nothing of fees)."""
    if not (named.groups or named.cited) or any(pattern.search(asked.asking) for pattern in ASKS_FOR_ANY):
        return None
    names = [*named.names(), *named.cited_words]
    # "What does error TW-E101 mean?" asks what the section "TW-E101 Repository locked" says, as "… say?" does
    kinds = [kind_words(query, name) for name in names if is_identifier(name)]
    name_terms = {term for name in [*names, *kinds] for term in terms(name)} | (MEANING_VERB if asks_meaning(query) else set())
    # the verb that ends "What does clause 10.3 cover?" asks what it says, as "say" does (a probe's "state", "cover")
    if (asks := ASKS_WHAT_IT_SAYS.match(query)) and any(name.lower() in asks.group("subject").lower() for name in names):
        name_terms |= set(terms(asks.group("verb")))
    sources = {group.source for group, _ in named.groups} | {source for source, _, _ in named.cited}
    common = set().union(*(words_of_its_kind(index, source) for source in sources))
    return {term for term in set(terms(query)) - name_terms - common if retriever.knows(term)}


# The term a question asks the meaning of: "What does 'Service Credits' mean?", "How is a sub-processor defined?",
# "What is meant by GEP?", "What is a trap night?", "水土保持率是什么意思？", "水土保持率是怎么定义的？".
MEANING_OF = re.compile(
    r"\bwhat (?:does|do|did) (?P<english>.+?) mean\b|\bhow (?:is|are) (?P<defined>.+?) defined\b|"
    r"^\s*what(?:'s|\s+is|\s+are)\s+(?:a|an)\s+(?P<indefinite>[^?？]+?)\s*[?？.]*$|"
    r"\b(?:what is meant by|definition of|define) (?P<meant>.+?)\s*[?？.]*$|"
    r"^\s*(?P<chinese>[^？?]+?)(?:是什么意思|指什么|是指什么|是怎么定义的|怎么定义|如何定义|的定义)",
    re.IGNORECASE,
)


def asks_meaning(query: str) -> bool:
    """Whether the question asks what something means in those words ("What does … mean?", "…是什么意思？"), which of
    a named section asks what it says."""
    asks = MEANING_OF.search(query)
    return asks is not None and bool(asks.group("english") or asks.group("chinese"))


def definition_asked(query: str) -> re.Pattern | None:
    """A pattern for a sentence that defines the term the question asks the meaning of, or None: 'X means …' and
    its kin anywhere, "A pass is a …" and a glossary's "- Pass: a sequence of …" at its start. "What is a pass in
    bat surveys?" asks of "pass": what follows "in", "for", "on", "at", "during" or "when" says where it is used."""
    asks = MEANING_OF.search(query)
    if not asks:
        return None
    subject = next(group for group in asks.groups() if group).strip(" \t'\"“”‘’「」《》")
    subject = re.sub(r"^(?:the|a|an)\s+", "", subject, flags=re.IGNORECASE)
    if asks.group("indefinite"):
        subject = USED_WHERE.split(subject)[0]
    if not subject:
        return None
    term = re.escape(subject)
    return re.compile(rf"(?<!\w){term}{DEFINES}|^\W{{0,3}}{term}{GLOSSED}|^(?:an?|the)\s+{term}\s+(?:is|are)\s+(?:an?|the)\b", re.IGNORECASE)


def defines(definition: re.Pattern | None, quotable: list[tuple[Candidate, tuple[int, int]]]) -> bool:
    """Whether "What does X mean?" (or "X是什么意思？") is answered by a sentence that defines X (`definition_asked`):
    a contract's '1.3 "Service Credits" means …' rather than the opening of its SLA's section "3. Service Credits",
    which a probe's question was answered with, as "What does error TW-E101 mean?" is with its section's opening."""
    return definition is not None and any(definition.search(candidate.text) for candidate, _ in quotable)


def definition_first(
    definition: re.Pattern | None, quotes: list[tuple[Candidate, tuple[int, int]]]
) -> list[tuple[Candidate, tuple[int, int]]]:
    """The quotes with the sentence that defines the term asked about (`definition_asked`) first: a probe's
    "水土保持率是什么意思？" quoted a sentence with the rate's figure, ahead of its white paper's footnote
    "②水土保持率是指…"."""
    return quotes if definition is None else first_that(quotes, lambda candidate: definition.search(candidate.text) is not None)


def words_of_its_kind(index: StoredIndex, source: str) -> frozenset[str]:
    """The words a document uses in a third or more of its chunks (COMMON_WORD_SHARE): "第十二条规定了什么？"
    asks what the article provides, and 规定 is in 11 of a probe's regulation's 32 chunks, so only the penalty
    article that names "本细则第十二条规定" held it, and was quoted in the article's place. Once per document and
    build."""
    key = ("words of its kind", source)
    if key not in index.cache:
        rows = index.document_rows()[source]
        counts = Counter(term for row in rows for term in set(terms(index.chunks[int(row)].text)))
        index.cache[key] = frozenset(term for term, count in counts.items() if count >= COMMON_WORD_SHARE * len(rows))
    return index.cache[key]


def elsewhere(named: NamedSections, candidate: Candidate) -> str | None:
    """`NamedSections.elsewhere` for a candidate sentence."""
    return named.elsewhere(candidate.passage.source, candidate.passage.section, candidate.text, candidate.passage.text)


def short_answer(candidate: Candidate) -> bool:
    """Whether the candidate is a FAQ's answer of `SHORT_ANSWER_TOKENS` or fewer, right after its question."""
    if candidate.previous is None or approx_tokens(candidate.text) > SHORT_ANSWER_TOKENS:
        return False
    start, end = (offset - candidate.passage.start for offset in candidate.previous)
    return ASKS.search(candidate.passage.text[start:end]) is not None


def quote_span(candidate: Candidate) -> tuple[int, int] | None:
    """The candidate's sentence with the neighbours that belong to it, as offsets into the passage's source:
    the sentence before, when this one refers back to it; the sentence after, when it continues this one; and
    what a lead-in announces ("The main varieties are:"), the list items after it or else one sentence; a
    table's row with the rows above it from the header; a numbered item's run-in heading with the sentence after
    it on its line; a Chinese piece cut at "；" with the rest of its sentence (`whole_sentence`). A sentence that
    asks (a FAQ's "Q: Can I reserve a room?") is answered by the sentence after it, quoted in its place, or with
    it when that is `SHORT_ANSWER_TOKENS` or fewer ("A: Yes."); a short labelled value ("Default: zstd.") with
    the sentence before it; a dateline, or a clause's number left alone by the
    sentence splitter ("A.1"), with the sentence after it, and a sentence right after a dateline with that line. None when the candidate says nothing of its own: a question with no answer after
    it, a lead-in with nothing after it, a table's caption or header row, a figure's or table's caption that holds no figure."""
    passage = candidate.passage
    local = lambda span: passage.text[span[0] - passage.start : span[1] - passage.start]  # noqa: E731
    if ASKS.search(candidate.text):
        answered = candidate.following and not ASKS.search(local(candidate.following))
        if answered and approx_tokens(local(candidate.following)) <= SHORT_ANSWER_TOKENS:
            # "A: No, see below." says which question it answers only with it (a probe's answers read "A: Yes. [1]"),
            # and "A: No." says why in the sentence after it on its line
            return candidate.start, reason_after(passage, candidate.following[1])
        return candidate.following if answered else None
    start, end = candidate.start, candidate.end
    if captions_table(passage, candidate) or captions_without_figures(candidate.text):
        return None
    if RUN_IN_HEADING.fullmatch(candidate.text) and candidate.following:
        between = passage.text[candidate.end - passage.start : candidate.following[0] - passage.start]
        if "\n" not in between:  # on its own line it is a short list item ("2) Keep it dry."), its own sentence
            return start, candidate.following[1]
    if DATE_LINE.fullmatch(candidate.text) or NUMBER_ALONE.fullmatch(candidate.text):  # quoted with what it dates or numbers
        return (start, candidate.following[1]) if candidate.following else None
    if candidate.following and run_in_label(passage, (candidate.start, candidate.end), candidate.following):
        return start, candidate.following[1]
    if candidate.previous and run_in_label(passage, candidate.previous, (candidate.start, candidate.end)):
        start = candidate.previous[0]  # "Lower ground floor. The Mint Vaults, …": the label says where
    if candidate.previous and (refers_back(candidate.text, local(candidate.previous)) or DATE_LINE.fullmatch(local(candidate.previous))):
        start = candidate.previous[0]
    if candidate.text.rstrip().endswith(LEADS_IN):
        announced = announced_end(candidate)
        return (start, announced) if announced > candidate.end else None
    if TABLE_ROW.match(candidate.text):
        header = table_start(candidate)
        if header == candidate.start:  # the header row itself: alone, it says what the cells are, not what they hold
            heads_rows = candidate.following is not None and TABLE_ROW.match(local(candidate.following))
            return None if heads_rows else (start, end)
        return (header, end) if end - header <= TABLE_QUOTE_CHARS else (start, end)
    if candidate.following and refers_back(local(candidate.following), candidate.text):
        end = candidate.following[1]
    if candidate.following and labelled_value(local(candidate.following)):
        end = candidate.following[1]
    elif candidate.previous and labelled_value(candidate.text) and not ASKS.search(local(candidate.previous)):
        start = min(start, candidate.previous[0])
    return whole_sentence(passage, start, end)


def named_section_first(
    query: str, quotable: list[tuple[Candidate, tuple[int, int]]], named: NamedSections
) -> list[tuple[Candidate, tuple[int, int]]]:
    """The quotable candidates, with the best one under the section the question names first when the ranker's
    best sits under a sibling of it and the other says what the question asks as well: a probe's "How much can a
    group get from the Green Streets Grant?" was refused as answered only under "Neighbourhood Small Grants",
    whose "up to €2,500 per group" the ranker put just ahead of Green Streets' "Groups … can apply for up to
    €4,000". "As well" is the question's words, its section's name left out, that the sibling's sentence holds:
    "How many seahorses were counted in the Western Estuary?" is still refused, no sentence of the Western Estuary
    naming seahorses (tuning: rows the same; preferring any sentence of the named section answered that one)."""
    if not named.groups or not quotable or elsewhere(named, quotable[0][0]) is None:
        return quotable
    name_terms = {term for name in named.names() for term in terms(name)}
    asked_terms = (set(terms(query)) - name_terms) & set(terms(quotable[0][0].text))
    return first_that(quotable, lambda candidate: elsewhere(named, candidate) is None and asked_terms <= set(terms(candidate.text)))


LABEL_MAX_WORDS = 3
LABEL_MAX_CHINESE_CHARACTERS = 10  # "（二）建设环山绿道。": a Chinese sentence has no spaces between its words
LIST_NUMBER = re.compile(r"\s*\d{1,3}[.)]\s")  # a numbered list's item: "4. Take out the foam filter…"


def run_in_label(passage: Passage, label: tuple[int, int], following: tuple[int, int]) -> bool:
    """Whether a sentence is a run-in label of the one after it on its line: a line's first sentence of at most
    LABEL_MAX_WORDS words (a bold label, "Lower ground floor.", "Ground floor:"). Quoted alone, the sentence after
    it loses what the label says: a probe's visitor guide never told which floor a gallery is on."""
    text = passage.text
    start, end = label[0] - passage.start, label[1] - passage.start
    opens_line = start == 0 or text[:start].rstrip(" \t*").endswith("\n") or not text[:start].strip(" \t*")
    between = text[end : following[0] - passage.start]
    return opens_line and "\n" not in between and is_label(text[start:end])


def is_label(sentence: str) -> bool:
    """Whether a sentence is short enough to be a label: LABEL_MAX_WORDS words, or LABEL_MAX_CHINESE_CHARACTERS,
    asking nothing."""
    limit = LABEL_MAX_CHINESE_CHARACTERS if has_cjk(sentence) else LABEL_MAX_WORDS
    return approx_tokens(sentence) <= limit and not ASKS.search(sentence)


def joins_label(before: tuple[Candidate, tuple[int, int]], candidate: Candidate, span: tuple[int, int]) -> bool:
    """Whether the quote `before` is a label or a run-in heading that `span` follows in the same passage with
    nothing but white space between."""
    label, (start, end) = before
    passage = candidate.passage
    return (
        label.passage.chunk_id == passage.chunk_id and is_label(label.text)
        and end <= span[0] and not passage.text[end - passage.start : span[0] - passage.start].strip()
    )


def designated_first(question: str, quotes: list[tuple[Candidate, tuple[int, int]]]) -> list[tuple[Candidate, tuple[int, int]]]:
    """The quotes, the first that names the one of a kind the question tells by a letter first, when the best
    names only others: a probe's "What notice period applies to a Grade C employee?" quoted the clause on "Grades
    A and B" before the one on "Grades C and D"."""
    designations = designations_asked(question)
    if not quotes or not designations or not other_ones_told(designations, quotes[0][0].text):
        return quotes
    return first_that(quotes, lambda candidate: all(names_letter(candidate.text, kind, letter) for kind, letter in designations))


def quoted_with_the_sentence_before(candidate: Candidate, span: tuple[int, int]) -> str:
    """A quote's text, from the sentence before its candidate's if that comes first."""
    passage = candidate.passage
    start = min(span[0], candidate.previous[0]) if candidate.previous else span[0]
    return passage.text[start - passage.start : span[1] - passage.start]


def row_of_year_first(
    asked: AskedFor, quotes: list[tuple[Candidate, tuple[int, int]]], index: StoredIndex
) -> list[tuple[Candidate, tuple[int, int]]]:
    """The quotes, a table's row first whose header row names the year asked and whose cells name what the question
    asks of it, when the best quote is about other years: a probe's "2020年国控断面水质优良比例是多少？" met the
    white paper's sentence on 2023 first and the bulletin's row "| 国控断面水质优良比例（%） | 88.4 | 91.1 | …",
    under "| 指标 | 2019年 | 2020年 | …", second, and was refused as about other years."""
    if not quotes or not about_other_years(asked, quotes[0][0], index):
        return quotes
    asked_terms = set(terms(asked.asking))

    def row_of_year(candidate: Candidate) -> bool:
        header = table_header(candidate.passage.text, candidate.start - candidate.passage.start)
        return bool(header and asked.years & set(YEAR.findall(header)) and asked_terms & set(terms(candidate.text)))

    return first_that(quotes, row_of_year, start=1)


def said_around(candidate: Candidate, index: StoredIndex) -> str:
    """What is said around a sentence of a section's opening: its heading path, its passage, and its document's
    first chunk."""
    passage = candidate.passage
    first = index.first_chunk(passage.source)
    return f"{index.heading_path(passage.chunk_id, passage.section)}\n{passage.text}\n{first.text if first else ''}"


def named_nearby_first(
    question: str, quotable: list[tuple[Candidate, tuple[int, int]]], index: StoredIndex
) -> list[tuple[Candidate, tuple[int, int]]]:
    """The quotable candidates, with the best one written around the question's proper names first when the
    ranker's best is not (`names_away_from`) and the other holds the question's words that the best holds: a
    probe's "When will the Marrowbridge diagnostic centre open?" was refused as answered only by another
    centre's opening, ahead of "… Saltmere in 2027 and Marrowbridge in 2029"."""
    best = quotable[0][0] if quotable else None
    if best is None or has_cjk(question) or has_cjk(best.text) or not names_away_from(question, best.passage.chunk_id, index):
        return quotable
    # compared by their first five letters, as the stems of a word's forms differ ("centre", "centr" of "centres")
    best_terms = {term[:5] for term in terms(best.text)}
    asked_terms = {term[:5] for term in terms(question)} & best_terms
    return first_that(quotable, lambda candidate: asked_terms <= {term[:5] for term in terms(candidate.text)}
                      and not names_away_from(question, candidate.passage.chunk_id, index))


def reason_after(passage: Passage, end: int) -> int:
    """The end (in the source) of the sentence that follows a short answer on its line, or the answer's own
    `end`: a probe's "Q: Can Harrowgate see my backups?" was answered "A: No." without the rest of its line,
    "Data is encrypted on the agent with a key that never leaves your site" (its reason)."""
    offset = passage.start
    after = next(((first, last) for first, last in sentence_spans(passage.text) if offset + first >= end), None)
    if after is None or "\n" in passage.text[end - offset : after[0]] or ASKS.search(passage.text[after[0] : after[1]]):
        return end
    return offset + after[1]


def labelled_value(text: str) -> bool:
    """Whether the sentence is a short labelled value ("Default: 300 seconds.", "默认值：7"), which belongs to the
    sentence before it."""
    return LABELLED_VALUE.match(text) is not None and approx_tokens(text) <= SHORT_ANSWER_TOKENS


def captions_without_figures(text: str) -> bool:
    """Whether the sentence is a labelled caption with no figure of its own: "Table 1. Bumblebee counts and
    species richness in the two surveys of the Tollervik Fjordlands." says what a table holds, and a probe's
    paper, whose table the PDF did not lay out as one, quoted it for three questions on what the table holds
    ("What does Table 1 show?" is refused either way: the judge finds no word of it in the caption)."""
    label = CAPTION_LABEL.match(text)
    # the years it covers are no figures: "Table 1. Spending by project and year, 2025–2029 (million euros)",
    # a Word table's caption a probe's budget question was answered with alone
    return label is not None and not any(character.isdigit() for character in YEAR.sub("", text[label.end() :]))


def captions_table(passage: Passage, candidate: Candidate) -> bool:
    """Whether the candidate is (part of) a table's caption (`qa.lines.table_caption`): "Budget by programme,
    2022–2024 (million talers)" names what the rows hold and holds none of it, yet a probe's question on the
    total budget of 2022 was answered with it alone. The table's rows are read and quoted under it."""
    text, offset = passage.text, candidate.start - passage.start
    line_end = text.find("\n", offset)
    if line_end < 0 or not TABLE_ROW.match(text, line_end):  # TABLE_ROW's leading \s* passes blank lines
        return False
    caption = lines.table_caption(text, text.index("|", line_end))
    return caption is not None and caption[0] <= offset < caption[1]


def whole_sentence(passage: Passage, start: int, end: int) -> tuple[int, int]:
    """The quote start:end (in the source) widened to the whole sentence its pieces were cut from at "；", back
    to its start and on to its end, within its line and `CHAINED_QUOTE_CHARS`."""
    text, offset = passage.text, passage.start
    spans = [(offset + first, offset + last) for first, last in sentence_spans(text)]
    chained = lambda left, right: text[left - offset : right - offset].strip(" \t") == "" and (  # noqa: E731
        text[: left - offset].rstrip().endswith("；")
    )
    for first, last in reversed([span for span in spans if span[1] <= start]):
        if not chained(last, start) or end - first > CHAINED_QUOTE_CHARS:
            break
        start = first
    for first, last in [span for span in spans if span[0] >= end]:
        if not chained(end, first) or last - start > CHAINED_QUOTE_CHARS:
            break
        end = last
    return start, end


def table_start(row: Candidate) -> int:
    """Where the table a row belongs to begins in its passage (in the source)."""
    return row.passage.start + lines.table_start(row.passage.text, row.start - row.passage.start)


def announced_end(lead_in: Candidate) -> int:
    """The end (in the source) of what a lead-in sentence announces in its passage (`qa.lines.announced`)."""
    passage = lead_in.passage
    after = [(first, last) for first, last in sentence_spans(passage.text) if passage.start + first >= lead_in.end]
    count = announced(passage.text[first:last] for first, last in after)
    return passage.start + after[count - 1][1] if count else lead_in.end


class ExtractiveAnswerer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def select(
        self, quotable: list[tuple[Candidate, tuple[int, int]]], asked: AskedFor, named: NamedSections, index: StoredIndex
    ) -> list[tuple[Candidate, tuple[int, int]]]:
        """Of the quotable candidates (each with the span it is quoted by, the ranker's best first), the best and
        up to `answer_max_sentences - 1` more from the same document that score near it, about the year asked if
        the question names one, and from the section it names if it names one; none overlaps another."""
        if not quotable:
            return []
        best, _ = quotable[0]
        designations = designations_asked(asked.asking)
        chosen = [quotable[0]]
        length = len(best.text)
        for candidate, span in quotable[1:]:
            if len(chosen) == self.settings.answer_max_sentences or candidate.score < best.score * NEAR_BEST:
                break
            if candidate.passage.source != best.passage.source:
                continue  # a neighbouring document's figures are the plausible wrong answer, never a second one
            if length + len(candidate.text) > self.settings.answer_max_chars or redundant(candidate, span, chosen):
                continue
            if about_other_years(asked, candidate, index):
                continue  # "2018年，…21.5万公顷" beside the answer on 2020 (a probe)
            if elsewhere(named, candidate):
                continue  # the 2025 outlook of another region beside the answer on this one
            if other_ones_told(designations, candidate.text):
                continue  # Grades A and B's notice beside the answer on Grade C
            chosen.append((candidate, span))
            length += len(candidate.text)
        return chosen

    def section_opening(
        self, quotable: list[tuple[Candidate, tuple[int, int]]], named: NamedSections, index: StoredIndex, query: str
    ) -> list[tuple[Candidate, tuple[int, int]]]:
        """The first sentences of the section or numbered unit the question names, in the document's order, within
        the answer's limits, from the document of the ranker's best sentence among them: those of a named section
        that heads no other (an article, not the chapter around it), and those of the chunk where a named or cited
        unit opens, from where it opens (`NamedSections.openings`): the first paragraph under "一、大气环境", which
        heads "（一）环境空气质量", or the clause "8.3 The Biosecurity Officer may close…" for "What does section 8.3
        say?". Of a bulletin's two editions and a neighbour's, each with a "七、声环境", the one the search put first;
        of two documents that cite a unit alike, the one whose heading shares more of the question's words
        (`NamedSections.opening_source`). A numbered list's item is quoted without the items after it."""
        openings = named.openings(index)

        def opens_here(candidate: Candidate) -> bool:
            place = openings.get(candidate.passage.source)
            if place is None or index.chunks[place[0]].chunk_id != candidate.passage.chunk_id:
                return False
            return candidate.start >= index.chunks[place[0]].start + place[1]

        inside = [
            (candidate, span) for candidate, span in quotable
            if named.is_named(candidate.passage.source, candidate.passage.section) or opens_here(candidate)
        ]
        source = named.opening_source(index, query, [candidate.passage.source for candidate, _ in inside]) if inside else None
        chosen: list[tuple[Candidate, tuple[int, int]]] = []
        length = 0
        counted = 0
        for candidate, span in sorted((item for item in inside if item[0].passage.source == source), key=lambda item: item[1]):
            if chosen and span[0] < chosen[-1][1][1]:
                continue  # overlapping chunks hold the same sentence twice
            length += span[1] - span[0]
            if counted == self.settings.answer_max_sentences or length > self.settings.answer_max_chars:
                break
            if chosen and LIST_NUMBER.match(chosen[0][0].text) and LIST_NUMBER.match(candidate.text):
                break  # the next step of a numbered list is another step
            # a label or a run-in heading ("Step 6.", "Resolution meeting.") says nothing yet: a probe's "What is
            # step 6 of the complaints procedure?" was answered with those two alone. It is quoted with what follows.
            if chosen and joins_label(chosen[-1], candidate, span):
                chosen[-1] = (candidate, (chosen[-1][1][0], span[1]))
            else:
                chosen.append((candidate, span))
            counted += not is_label(candidate.text)
        return chosen

    def answer(self, query: str, passages: list[Passage], retriever: Retriever, turn: str | None = None) -> Answer:
        # A sentence that says nothing of its own (an unanswered question, an empty lead-in) is no evidence
        # either: the judge reading "Q: Are tours offered in German?" would answer with whatever came next.
        quotable = [(candidate, span) for candidate in candidates(query, passages, retriever) if (span := quote_span(candidate))]
        ranked = [candidate for candidate, _ in quotable]
        if self.settings.rerank == "sentences":
            passages = by_evidence(passages, ranked)
        # The judge weighs the strongest evidence, the quote is the ranker's best: usually the same sentence.
        # A FAQ's short answer ("A: Yes.") is judged by its question, which is what it says: alone its cosine with
        # any question is under the judge's floor, and a probe's "Are dogs welcome at Kestrel Moor?" was refused at 0.00
        weighed = [candidate for candidate in ranked if not short_answer(candidate)] or ranked
        strongest = max(weighed, key=lambda candidate: candidate.holds_answer, default=None)
        confidence = answer_probability(judge_features(query, strongest, passages, retriever, turn)) if strongest else 0.0
        if unrelated(query, retriever, turn):
            confidence = 0.0
        index = retriever.current()[0]  # one build for the whole answer, as for the search
        asked, named = asked_for(query), named_sections(query, index)
        wanted = words_asked_of_section(query, named, asked, retriever, index)
        definition = definition_asked(query)
        opening = self.section_opening(quotable, named, index, query) if wanted is not None and not defines(definition, quotable) else []
        # its heading path counts: "What does Step 5 of the disinfection procedure say?" under "6.3 Disinfection procedure";
        # so does its document's opening, which says what the document is (a probe's "What is step 6 of the
        # complaints procedure?" of a text headed "How to make a complaint", then "… Complaints Procedure")
        said = {term for candidate, _ in opening for term in terms(said_around(candidate, index))}
        if opening and wanted <= said:
            # the documents hold the section asked for, and it speaks of what is asked: its words are the answer,
            # or the sentence of it that holds them all (with its headings) when its opening does not ("Can Service
            # Credits be paid out in cash?" of an SLA's section "3. Service Credits", whose opening a probe's
            # question was answered with; "What does Part V say about citizen science?" of its "2. Citizen Science")
            holds = lambda candidate: wanted <= set(terms(f"{candidate.passage.section}\n{candidate.text}"))  # noqa: E731
            specific = [
                (candidate, span) for candidate, span in quotable
                if holds(candidate) and named.holds(candidate.passage.source, candidate.passage.section)
            ]
            if wanted and specific and not any(holds(candidate) for candidate, _ in opening):
                opening = specific[:1]
            confidence, selected = 1.0, opening
        else:
            quotable = named_nearby_first(turn or query, named_section_first(query, definition_first(definition, quotable), named), index)
            quotable = row_of_year_first(asked, designated_first(asked.asking, quotable), index)
            selected = self.select(quotable, asked, named, index) if confidence >= self.settings.answer_threshold else []
        question = turn or query

        def refused(refusal: str) -> Answer:
            return Answer(refusal, True, passages, confidence=confidence, query=query, question=question)

        if selected and about_other_years(asked, selected[0][0], index):
            # the year asked is not in the documents: "What was the budget for 2019?" over 2022's
            return refused(templates.no_answer_for_years(question, asked.years))
        selected, quantity_stated = by_quantity_asked(asked, selected, index)
        if selected and not quantity_stated:
            # "How much does a ticket cost?" over a park's visitor numbers
            return refused(templates.no_answer_for_quantity(question, asked.quantity))
        if selected and (other := elsewhere(named, selected[0][0])):
            # the section asked about does not say it: "How many seahorses in the Western Estuary?" over the
            # Southern Lagoons' count, in a report written region by region (qa/section_names.py)
            return refused(templates.no_answer_for_named(question, named.names(), other))
        if named.missing and not named.groups:
            # "第四十条规定了什么？" of a regulation that ends at 第三十一条 was answered with 第二十四条
            return refused(templates.no_such_section(question, named.missing))
        if selected and not has_cjk(question) and not has_cjk(selected[0][0].text):
            # A Chinese quote may write the question's names in its own script.
            if unknown := unknown_names(question, index):
                # "How many vessels are registered at the port of Brindlecove?" of a report that never names it
                return refused(templates.no_such_section(question, unknown))
            if away := names_away_from(question, selected[0][0].passage.chunk_id, index):
                # "How much has the fund given to projects in Orvandy Province?" over the fund's total
                return refused(templates.no_answer_for_name(question, away))
        if selected and has_cjk(question):
            if unknown := unknown_chinese_places(question, index):
                # "青崖市2023年PM2.5是多少？" of a province's documents that name no such city
                return refused(templates.no_such_section(question, unknown))
            quoted = quoted_with_the_sentence_before(*selected[0])
            if place := chinese_place_away(question, quoted, selected[0][0].passage.chunk_id, index):
                # "嵘江省有多少名生态护林员？" over a white paper on 澜川省: "全省选聘生态护林员2.3万名"
                return refused(templates.no_answer_for_name(question, [place]))
        if selected and (told := told_apart(designations_asked(asked.asking), selected[0][0].text)):
            # "What notice period applies to a Grade C employee?" over the clause on "Grades A and B"
            (kind, letter), other = told
            designation = re.search(rf"(?<![\w'’&-])(?i:{re.escape(kind)})[ -]{letter}", asked.asking).group(0)
            return refused(templates.no_answer_for_designation(question, designation, other))
        if not selected:
            return refused(templates.no_answer(question))
        citations, parts = [], []
        for n, (candidate, (start, end)) in enumerate(selected, 1):
            citation = Citation.of(n, candidate.passage, start, end)
            citations.append(citation)
            parts.append(f"{flowing(citation.quote)} {templates.CITATION_MARKER.format(n=n)}")
        return Answer(" ".join(parts), False, passages, citations, confidence, query, question=question)
