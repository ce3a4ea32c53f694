"""Extractive answers: the passages' own sentences that best answer the question, verbatim, each cited.

Three steps, each its own module: the evidence stage scores every sentence of the retrieved passages
(qa/evidence.py), the judge decides whether the best of them answers at all (qa/judge.py), and this module
quotes it. A quote is the sentence plus its neighbours where they belong to it (qa/answerers/quotes.py); this
module orders the quotes by what the question asks (a definition, the section or year it names, the quantity it
asks for: qa/answerers/definitions.py and the checks here), chooses those to show, and refuses when the documents
hold the subject but not the fact asked.
"""

from __future__ import annotations

import re
from collections import Counter

from qa import lines, templates
from qa.answer_types import ASKS_FOR_ANY, ASKS_FOR_TIME, YEAR, AskedFor, asked_for, role_asked, writes_role
from qa.answerers import Answer, Citation
from qa.answerers.definitions import MEANING_VERB, asks_meaning, definition_asked, definition_first, defines
from qa.answerers.quotes import (
    LIST_NUMBER, Quote, first_at, first_that, is_label, joins_label, quote_span, quoted_with_the_sentence_before, short_answer,
)
from qa.conversation import without_counted_years, without_time_of_speaking
from qa.editions import document_periods
from qa.periods import QUARTER_MONTHS, asked_months, covers_asked, months_written
from qa.evidence import Candidate, by_evidence, candidates, question_terms_unknown, table_header, year_context
from qa.identifiers import is_identifier, kind_words
from qa.judge import answer_probability, judge_features
from qa.lexical import terms
from qa.lines import TABLE_ROW, flowing
from qa.names import (
    chinese_place_away, designations_asked, names_away_from, names_letter, other_ones_told, told_apart,
    unknown_chinese_places, unknown_names,
)
from qa.quantities import asks_per_one, counted_in, counted_thing, holds_quantity, states_rate
from qa.search import Passage, Retriever
from qa.section_names import NamedSections, named_sections
from qa.sentences import has_cjk
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
# A word in this share of a document's chunks or more is the document's own, not what a question asks of one
# of its articles (`words_of_its_kind`): 规定 in a third of a probe's regulation.
COMMON_WORD_SHARE = 1 / 3


def redundant(candidate: Candidate, span: tuple[int, int], chosen: list[Quote]) -> bool:
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


# Words compared by their first letters, as the stems of a word's forms differ: "centre" and "centr" of
# "centres", "absence" and "absenc" of "absences".
STEM_LETTERS = 5


def word_stems(text: str) -> set[str]:
    """The text's terms, each cut to STEM_LETTERS letters."""
    return {term[:STEM_LETTERS] for term in terms(text)}


def said_when(candidate: Candidate) -> str:
    """What says which time the candidate's sentence is about (`qa.evidence.year_context`, read with its heading
    path)."""
    return year_context(candidate.passage, candidate.start - candidate.passage.start, candidate.heading)


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
    text = f"{candidate.text} {said_when(candidate)}"
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


def about_other_months(asked_period: tuple[frozenset[str], frozenset[int]], candidate: Candidate, index: StoredIndex) -> bool:
    """Whether a question names months (`qa.periods.asked_months`: "in July 2024", "in Q2") and the sentence to be
    quoted is not of them: its document is dated, but not to one of them within a quarter, and neither the sentence,
    nor what says which time it is about (`year_context`), nor its heading path names one. A probe's monthly
    bulletins answered "What was PM2.5 in Millbrook in July?" with March's figure, and a city plan's yearly
    table took its place once the other months' bulletins no longer answered."""
    years, months = asked_period
    if not months:
        return False
    period = document_periods(index).get(candidate.passage.source)
    if period is None:
        return False  # an undated document may be of any month: a probe's terms of service, "published 3 March 2024"
    if len(period.months) <= QUARTER_MONTHS and covers_asked(period, years, months):
        return False
    return not months_written(f"{candidate.text} {said_when(candidate)} {candidate.heading}") & months


def by_quantity_asked(
    asked: AskedFor, selected: list[Quote], index: StoredIndex, retriever: Retriever
) -> tuple[list[Quote], bool]:
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
    at = next((at for at, item in enumerate(selected) if states_quantity_asked(asked, item, index, retriever)), None)
    if at is None:
        return selected, False
    return first_at(selected, at), True


def by_role_asked(asking: str, selected: list[Quote]) -> tuple[list[Quote], str | None]:
    """The quotes chosen, the first that writes the post a "who" question asks about ("the deputy director",
    副厅长: `qa.answer_types.role_asked`) first, with the sentence before it and its heading path; and the post,
    when none in the question's script writes it. The person the documents name in a post is no answer for
    another post: a probe's "省水利厅副厅长是谁？" was answered with the 厅长, "Who is the deputy chair of the
    National Wetland Committee?" (tuning set `white paper`) with its chair. Tuning (bench/tune_quality.py,
    2026-12-08): near-topic refused on the white paper 55 -> 64 % (alone and in its library), the Chinese paper
    33 -> 67 %, the fisheries report 71 -> 76 %, and two answerable questions cited right ("Who was the first head
    of the national mobility agency?" now quotes "The first Director-General of NUMA was …"); none refused. The
    nineteen earlier new-user probes, with the check of a figure for each one (qa/quantities.py): near-topic
    refused 382 -> 400 of 697, answerable right 2,343 -> 2,344 of 3,213. Requiring the whole of a Chinese post
    written lost "墨岭国家公园管理局的第一任负责人是谁？" (its 首任局长), hence only a prefix before a common title."""
    role = role_asked(asking)
    if role is None:
        return selected, None
    readable = [at for at, (candidate, _) in enumerate(selected) if has_cjk(candidate.text) == has_cjk(role)]
    at = next((at for at in readable if writes_role(role, f"{quoted_with_the_sentence_before(*selected[at])}\n{selected[at][0].heading}")), None)
    if at is not None:
        return first_at(selected, at), None
    return selected, role if readable else None


def states_quantity_asked(asked: AskedFor, item: Quote, index: StoredIndex, retriever: Retriever) -> bool:
    """Whether a quote (a candidate and its span) states a quantity of the kind asked (`by_quantity_asked`)."""
    candidate, (start, end) = item
    passage = candidate.passage
    row = candidate.start - passage.start
    caption = lines.table_caption(passage.text, lines.table_start(passage.text, row)) if TABLE_ROW.match(passage.text, row) else None
    context = " ".join((
        year_context(passage, row), passage.text[caption[0] : caption[1]] if caption else "", candidate.heading,
    ))
    quoted = passage.text[start - passage.start : end - passage.start]
    if not holds_quantity(asked.quantity, quoted, context, asked.asking):
        return False
    with_before = quoted_with_the_sentence_before(*item)
    if asks_per_one(asked.asking) and not states_rate(f"{with_before} {context}"):
        return False
    return asked.quantity != "count" or counts_thing_asked(asked.asking, with_before, context, retriever)


# A "how many" question's counted thing and the words after a quote's number, as MiniLM compares them, at least.
# Measured 2026-12-08 on the tuning sets (bench/tune_quality.py, dense) at 0.2 and 0.3: at 0.3 near-topic
# questions refused rose on four sets (community 0 -> 25 %, coastal 77 -> 85 %, editions 75 -> 83 %, papers 56 -> 78 %)
# and one answerable one was refused (transport's "How many people use the journey planning app?", answered by
# "downloaded 1.9 million times"); at 0.2 two sets gained. Eleven earlier new-user probes at 0.3: near-topic
# refused 195 -> 204 of 404, answerable right 1,434 -> 1,434 of 1,855 (two lost, one gained).
COUNTED_LIKENESS = 0.3
COUNTED_WORDS_SAID = 2 / 3  # the share of the counted thing's words the quote or its context writes, which suffices


def counts_thing_asked(question: str, quoted: str, context: str, retriever: Retriever) -> bool:
    """Whether an English quote counts the thing a "how many" question asks about (`qa.quantities.counted_thing`):
    the quote or its context writes two thirds of its words, or one of its numbers counts something MiniLM puts
    near it ("3,760 staff" for "employees"). A number of another thing is no answer: a probe's "How many staff
    work at Saltmere Cottage Hospital?" was answered with its 48 beds, "How many salmon were released in the
    Eastern Delta?" with its 146 spoonbill pairs (tuning set `coastal`). A quote with no number followed by words
    (a table's row, "Days of good air: 21 of 31") is not read so."""
    thing = counted_thing(question)
    if thing is None or has_cjk(quoted):
        return True
    # a verb the question adds ("How many never events occurred?") may be missing
    said = word_stems(f"{quoted} {context}")
    asked = set().union(*(word_stems(word) for word in re.split(r"[\s-]+", thing)))
    if sum(term in said for term in asked) >= COUNTED_WORDS_SAID * len(asked):
        return True
    counted = counted_in(quoted)
    if not counted:
        return True
    vectors = retriever.vectors([thing, *counted], kind="query")
    return float((vectors[1:] @ vectors[0]).max()) >= COUNTED_LIKENESS


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


def named_section_first(
    query: str, quotable: list[Quote], named: NamedSections
) -> list[Quote]:
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


def designated_first(question: str, quotes: list[Quote]) -> list[Quote]:
    """The quotes, the first that names the one of a kind the question tells by a letter first, when the best
    names only others: a probe's "What notice period applies to a Grade C employee?" quoted the clause on "Grades
    A and B" before the one on "Grades C and D"."""
    designations = designations_asked(question)
    if not quotes or not designations or not other_ones_told(designations, quotes[0][0].text):
        return quotes
    return first_that(quotes, lambda candidate: all(names_letter(candidate.text, kind, letter) for kind, letter in designations))


def row_of_year_first(
    asked: AskedFor, quotes: list[Quote], index: StoredIndex
) -> list[Quote]:
    """The quotes, a table's row first whose header row names the year asked and whose cells name what the question
    asks of it, when the best quote is about other years: a probe's "2020年国控断面水质优良比例是多少？" met the
    white paper's sentence on 2023 first and the bulletin's row "| 国控断面水质优良比例（%） | 88.4 | 91.1 | …",
    under "| 指标 | 2019年 | 2020年 | …", second, and was refused as about other years. Else a sentence first that
    names the year asked, is not about other years, scores at least NEAR_BEST of the best and holds every word of
    the question that the best holds: a probe's "How many Vessen porpoises were counted in 2023?" met an older
    summary's "A survey in 2014 counted 810 Vessen porpoises." just ahead of "… numbered 1,240 in the 2023
    survey" (probes 48-67 rerun: four answers right, none lost, no near-topic question answered; tuning rows the
    same). The words keep a neighbour's figure for the year from taking the place: a probe's 2019 question was
    answered with a committee's request when any sentence on the year asked could."""
    if not quotes or not about_other_years(asked, quotes[0][0], index):
        return quotes
    asked_terms = set(terms(asked.asking))

    def row_of_year(candidate: Candidate) -> bool:
        header = table_header(candidate.passage.text, candidate.start - candidate.passage.start)
        return bool(header and asked.years & set(YEAR.findall(header)) and asked_terms & set(terms(candidate.text)))

    ordered = first_that(quotes, row_of_year, start=1)
    if ordered is not quotes:
        return ordered
    best = quotes[0][0]
    # what the best says of the question, years aside, compared by their first five letters
    shared = {term[:STEM_LETTERS] for term in set(terms(asked.asking)) & set(terms(best.text)) if not YEAR.fullmatch(term)}

    def says_it_of_the_year(candidate: Candidate) -> bool:
        return (
            candidate.score >= NEAR_BEST * best.score and asked.years & set(YEAR.findall(candidate.text))
            and shared <= word_stems(candidate.text) and not about_other_years(asked, candidate, index)
        )

    return first_that(quotes, says_it_of_the_year, start=1)


def asked_line_first(query: str, opening: list[Quote]) -> list[Quote]:
    """A section's opening with the first sentence that holds a word of the question first, when its first
    sentence holds none (the words of its headings left out, which name the section): of a district's lines in a
    bulletin, "Ozone (highest 8-hour mean): 92 µg/m³" before the "PM2.5 monthly mean" line above it, for "How high
    did ozone get in Halden in September?" (a probe's bulletins quoted the PM2.5 line first)."""
    if len(opening) < 2:
        return opening
    first = opening[0][0]
    asked = set(terms(query)) - set(terms(first.heading))
    if not asked or asked & set(terms(first.text)):
        return opening
    return first_that(opening, lambda candidate: bool(asked & set(terms(candidate.text))))


def said_around(candidate: Candidate, index: StoredIndex) -> str:
    """What is said around a sentence of a section's opening: its heading path, its passage, and its document's
    first chunk."""
    passage = candidate.passage
    first = index.first_chunk(passage.source)
    return f"{candidate.heading}\n{passage.text}\n{first.text if first else ''}"


def named_nearby_first(
    question: str, quotable: list[Quote], index: StoredIndex
) -> list[Quote]:
    """The quotable candidates, with the best one written around the question's proper names first when the
    ranker's best is not (`names_away_from`) and the other holds the question's words that the best holds: a
    probe's "When will the Marrowbridge diagnostic centre open?" was refused as answered only by another
    centre's opening, ahead of "… Saltmere in 2027 and Marrowbridge in 2029"."""
    best = quotable[0][0] if quotable else None
    if best is None or has_cjk(question) or has_cjk(best.text) or not names_away_from(question, best.passage.chunk_id, index):
        return quotable
    asked_terms = word_stems(question) & word_stems(best.text)
    return first_that(quotable, lambda candidate: asked_terms <= word_stems(candidate.text)
                      and not names_away_from(question, candidate.passage.chunk_id, index))


class ExtractiveAnswerer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def select(
        self, quotable: list[Quote], asked: AskedFor, named: NamedSections, index: StoredIndex
    ) -> list[Quote]:
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
        self, quotable: list[Quote], named: NamedSections, index: StoredIndex, query: str
    ) -> list[Quote]:
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
        chosen: list[Quote] = []
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
            else:
                opening = asked_line_first(query, opening)
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
        if selected and about_other_months(asked_period := asked_months(query), selected[0][0], index):
            return refused(templates.no_answer_for_months(question, *asked_period))
        selected, quantity_stated = by_quantity_asked(asked, selected, index, retriever)
        if selected and not quantity_stated:
            # "How much does a ticket cost?" over a park's visitor numbers
            return refused(templates.no_answer_for_quantity(question, asked.quantity))
        selected, role_unwritten = by_role_asked(asked.asking, selected)
        if selected and role_unwritten:
            return refused(templates.no_answer_for_name(question, [role_unwritten]))
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
