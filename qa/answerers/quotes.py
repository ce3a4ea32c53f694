"""What a quote spans: a candidate sentence with the neighbours that belong to it, as offsets into its source.

The sentence before, when the chosen one begins by referring back ("It is chaired by …"), and the sentence after,
when that one continues it; a lead-in with the list it announces; a table's row under the table's header; a FAQ's
answer for its question; a numbered item's run-in heading with the sentence it heads; a Chinese sentence's pieces
cut at "；". A quote is a candidate with its span (`Quote`); the extractive answerer orders and chooses them
(qa/answerers/extractive.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qa import lines
from qa.answer_types import YEAR
from qa.evidence import Candidate, refers_back
from qa.lines import ASKS, CAPTION_LABEL, DATE_LINE, LEADS_IN, TABLE_ROW, announced
from qa.search import Passage
from qa.sentences import approx_tokens, has_cjk, sentence_spans

Quote = tuple[Candidate, tuple[int, int]]  # a candidate sentence and the span (in its source) it is quoted by

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


def first_at(quotes: list[Quote], at: int) -> list[Quote]:
    """The quotes with the one at `at` put first, the others in their order."""
    return [quotes[at], *quotes[:at], *quotes[at + 1 :]]


def first_that(
    quotes: list[Quote], holds: Callable[[Candidate], bool], start: int = 0
) -> list[Quote]:
    """The quotes with the first from `start` on whose candidate `holds` put first; as they were when none does."""
    at = next((at for at in range(start, len(quotes)) if holds(quotes[at][0])), None)
    return quotes if at is None else first_at(quotes, at)


def short_answer(candidate: Candidate) -> bool:
    """Whether the candidate is a FAQ's answer of `SHORT_ANSWER_TOKENS` or fewer, right after its question: the
    sentence before, or the heading of a passage it opens (a FAQ page's "Can I run Sluiceway on Windows?" over
    "Not natively. Run the Linux binary under WSL2…", whose question a probe's user asked word for word, refused
    at 0.00: the judge read "Not natively." alone)."""
    if approx_tokens(candidate.text) > SHORT_ANSWER_TOKENS:
        return False
    if candidate.previous is None:
        return ASKS.search(candidate.passage.section or "") is not None
    start, end = (offset - candidate.passage.start for offset in candidate.previous)
    return ASKS.search(candidate.passage.text[start:end]) is not None


# A passage of one word or two, no figure, no end: the title of a documentation page's box ("Note", "Warning"),
# which a probe's "How do I try my transforms without writing to real destinations?" was answered with alone.
BOX_TITLE = re.compile(r"[^\W\d_]+(?:[ -][^\W\d_]+)?")


def box_title(candidate: Candidate) -> bool:
    return BOX_TITLE.fullmatch(candidate.passage.text.strip()) is not None


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
    it, a lead-in with nothing after it, a table's caption or header row, a figure's or table's caption that holds no figure, a box's title."""
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
    if captions_table(passage, candidate) or captions_without_figures(candidate.text) or box_title(candidate):
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


def joins_label(before: Quote, candidate: Candidate, span: tuple[int, int]) -> bool:
    """Whether the quote `before` is a label or a run-in heading that `span` follows in the same passage with
    nothing but white space between."""
    label, (start, end) = before
    passage = candidate.passage
    return (
        label.passage.chunk_id == passage.chunk_id and is_label(label.text)
        and end <= span[0] and not passage.text[end - passage.start : span[0] - passage.start].strip()
    )


def quoted_with_the_sentence_before(candidate: Candidate, span: tuple[int, int]) -> str:
    """A quote's text, from the sentence before its candidate's if that comes first."""
    passage = candidate.passage
    start = min(span[0], candidate.previous[0]) if candidate.previous else span[0]
    return passage.text[start - passage.start : span[1] - passage.start]


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
