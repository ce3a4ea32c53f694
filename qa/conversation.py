"""Follow-up questions: what an earlier turn contributes to the query of a question that leans on it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from qa.answer_types import QUESTION_END, YEAR
from qa.lexical import STOPWORDS, WORD, chinese_place_names, terms
from qa.lines import LOWER, MONTH, UPPER, has_cjk
from qa.section_names import CITED, MENTIONED, cited_as, unit_word, word_led

# Words that point back at something said before ("What law did they pass for it?", "它的目标是什么？").
POINTING = re.compile(
    r"\b(?:it|its|they|them|their|theirs|this|that|these|those|he|she|him|his|her|hers|there|such|same|former|latter|"
    r"above|mentioned)\b|[它他她其该此这那]|^\s*(?:里面|里头)",  # "里面记录了多少种鸟？": in the place just asked about
    re.IGNORECASE,
)
ADDING = re.compile(r"\b(?:also|else|more)\b", re.IGNORECASE)  # "What else did they plan?"
CONTINUING = re.compile(r"^\s*(?:and|also|but|so|what about|how about|then|那么?|还有|另外)\b", re.IGNORECASE)
# The second person speaks to the assistant ("Who are you?", "What else can you do?"): such a turn is about the
# assistant, not about what was asked before, unless it also points at that ("Can you say more about it?").
# Measured on the tuning sets' follow-ups and off-topic turns (bench/tune_quality.py --misses).
ADDRESSES_ASSISTANT = re.compile(r"\b(?:you|your|yours|yourself)\b|[你您]", re.IGNORECASE)
# The time of speaking ("these days", "this weekend", "today", "这几天"): its "these" or "这" points at the present,
# not at what was said before, and its "days" is no topic the documents could hold. "that year" does point back.
TIME_OF_SPEAKING = re.compile(
    r"\b(?:these days|nowadays|today|tonight|right now|at the moment|"
    r"this (?:morning|afternoon|evening|week|weekend|month|year))\b|这几[天年]|这些天|今天|今晚|现在|如今|最近",
    re.IGNORECASE,
)
# A year counted from one said earlier in the conversation: "How many of those cats died in traffic the year
# before?" after a question on 2022 asks about 2021, and is searched so. "Next year" and 明年 count from today.
RELATIVE_YEAR = {
    -1: re.compile(r"\b(?:the\s+)?(?:year\s+before|previous\s+year|prior\s+year|preceding\s+year)\b|"
                   r"\ba\s+year\s+(?:earlier|before)\b|前一年|上一年", re.IGNORECASE),
    1: re.compile(r"\b(?:the\s+)?(?:year\s+after|following\s+year)\b|\ba\s+year\s+later\b|后一年|下一年|次年|第二年",
                  re.IGNORECASE),
}
# A Chinese follow-up that names one thing and asks nothing else: "那宁波呢？", "湖州呢？", "还有宁波市的情况呢？".
CHINESE_ELLIPSIS = re.compile(r"^\s*(?:那么?|还有)?\s*(?P<named>[\u3400-\u9fff0-9A-Za-z.]{2,14}?)\s*(?:的情况)?\s*呢\s*[？?]?\s*$")
CHINESE_DATE = re.compile(r"\d{1,4}\s*(?:年|月份?|日|号)")  # "8月份", "2023年": a date, no word of a topic
SHORT_QUESTION_TERMS = 1  # "Why?" or "Which year?" carries too little topic to stand alone


def user_turns(history: Sequence | None) -> list[str]:
    """The user's earlier messages, from Gradio's messages ([{role, content}]) or (user, assistant) pairs."""
    questions = []
    for turn in history or []:
        if isinstance(turn, dict):
            if turn.get("role") == "user":
                questions.append(message_text(turn.get("content")))
        elif isinstance(turn, (list, tuple)) and turn:
            questions.append(message_text(turn[0]))
        elif isinstance(turn, str):
            questions.append(turn)
    return [q for q in questions if q.strip()]


def message_text(content) -> str:
    """Text of a message whose content is a string or a list of parts ({"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, (list, tuple)):
        return " ".join(message_text(part) for part in content)
    return ""


def leans_on_context(question: str, known: Callable[[str], bool] = lambda term: True) -> bool:
    """A pronoun or a continuation ("and what about…") points back; so does an ellipsis ("Which year?"), a
    question of at most one word of its own, but only when the documents know that word: "ok", "tell me a
    joke", "what is 2+2?" or "who are you?" stand alone (and are refused), whatever was asked before."""
    question = without_time_of_speaking(question)
    if points_back(question):
        return True
    if ADDRESSES_ASSISTANT.search(question):
        return False
    if CONTINUING.search(question) or ADDING.search(question):
        return True
    words = own_words(question)
    # a date is no word of a topic: "8月份最高呢？" and "8月呢？" (the documents write "8月") ask the same of August
    if CHINESE_ELLIPSIS.match(question) and all(map(known, own_words(CHINESE_DATE.sub(" ", question)))):
        return True  # "第二项呢？", "2024年的目标呢？": what about it, as "And …?" asks
    return len(words) <= SHORT_QUESTION_TERMS and all(map(known, words))


def names_no_topic(question: str, known: Callable[[str], bool] = lambda term: True) -> bool:
    """A follow-up that names at most one thing of its own that the documents know ("How tall is it?", "Who led
    it?", "Which year?") cannot change the topic: asked alone, its "it" would find any document's "It …". A year
    counted from one said before is no topic of its own either ("第二年呢？" alone found a "第二条"), nor is another
    year with nothing else ("And in 2021?", "那2020年呢？"): asked alone, a probe's "And in 2021?" after a question
    on library visits in 2020 found a table's caption that names 2021. Nor is one that names another thing and
    nothing else ("And the Western Estuary?" after "Who was the director of the Central Bay?"): it asks the
    earlier question of that thing (`with_name_swapped`), and asked alone it found the estuary's volunteers."""
    if only_name(question):
        return True
    question = without_time_of_speaking(question)
    counted = without_counted_years(question)
    words = own_words(counted)
    # "Who led it?", "增长了多少？" (asked alone, a probe's quoted another figure's growth); not "And pandas?", which
    # may ask the earlier question of another thing
    if len([word for word in words if known(word)]) <= SHORT_QUESTION_TERMS and (
        points_back(question) or (leans_on_context(question, known) and not CONTINUING.search(question))
    ):
        return True
    besides_years = [word for word in words if not YEAR.fullmatch(word) and not POINTING.fullmatch(word)]
    return bool(YEAR.search(counted)) and not besides_years


def points_back(question: str) -> bool:
    """A pronoun or a year counted from one said before ("the year before", 第二年)."""
    return bool(POINTING.search(question)) or any(pattern.search(question) for pattern in RELATIVE_YEAR.values())


def without_time_of_speaking(text: str) -> str:
    return TIME_OF_SPEAKING.sub(" ", text)


def without_counted_years(text: str) -> str:
    """The text without its years counted from one said before ("the year before", 前一年): no words of a topic."""
    for pattern in RELATIVE_YEAR.values():
        text = pattern.sub(" ", text)
    return text


def own_words(question: str) -> set[str]:
    """The question's terms, and the one-character words that terms leave out ("2+2"), which no document
    term can match."""
    single = {token for token in WORD.findall(question.lower()) if len(token) == 1 and token not in STOPWORDS}
    return set(terms(question)) | single


def contextual_query(question: str, history: Sequence | None = None, known: Callable[[str], bool] = lambda term: True) -> str:
    """The question as a search query: a follow-up is joined with the (contextual) question before it.
    `known(term)` says whether the documents contain a term (default: every term counts as known)."""
    query = ""
    for turn in [*user_turns(history), question]:
        # a turn that cites another unit of the kind the earlier one cited leans on it, whatever words it knows
        leans = query and (leans_on_context(turn, known) or with_unit_swapped(query, turn) != query)
        query = joined_turn(query, turn) if leans else turn
    return query


def joined_turn(earlier: str, turn: str) -> str:
    """A follow-up joined to the query before it. A follow-up on another year asks the same of that year:
    "塔尔迈省2016年完成了多少荒漠化治理面积？ 那2020年呢？" is searched with 2020 in the earlier question too, where 2016
    made every passage on 2016 outrank the one on 2020 (a probe). So is a year counted from the one said before
    ("the year before" 2022: 2021), which the turn also names in brackets, and another thing the turn names
    (`with_name_swapped`)."""
    turn = with_year_counted(turn, earlier)
    years = set(YEAR.findall(turn))
    if len(years) == 1:
        earlier = YEAR.sub(years.pop(), earlier)
    return f"{with_name_swapped(earlier, turn)} {turn}"


def with_name_swapped(earlier: str, turn: str) -> str:
    """The earlier query asked of the thing a follow-up names instead, when the follow-up names that thing and
    nothing else: "And the Central Bay?" after "How many volunteers did the Northern Coast have in 2024?" asks
    how many the Central Bay had. Joined as they were, the earlier name outweighed the new one, and a probe's
    report quoted the Northern Coast's volunteers. The name replaced is the earlier query's only one, or its
    only one with the same last word ("Ostmere Province" for "Orvandy Province"), or its only one written as the
    new one is, with a figure or without ("Kexing" for "Luomei" of "What was PM2.5 in Luomei?"); with several,
    nothing is.
    In Chinese, a place for a place: "那宁波呢？" after "杭州市2024年用水总量是多少？" (a probe quoted Hangzhou's)."""
    if (swapped := with_unit_swapped(earlier, turn)) != earlier:
        return swapped
    new = only_name(turn)
    if not new:
        return with_member_swapped(earlier, turn)
    if has_cjk(new):  # a place, whose last character says what kind it is (杭州市 and 宁波市, 浙江省)
        earlier_names = {name for name in chinese_place_names(earlier) if name != new}
        same_head = {name for name in earlier_names if name[-1] == new[-1]}
    else:
        # a month stands only for a month: "What about Millbrook?" after "… in Northbank in January 2024?" replaces
        # Northbank, "And in August?" after "… in Westharbour in June?" June
        month = re.fullmatch(MONTH, new) is not None
        earlier_names = {name for name in names_in(earlier) if name != new and (re.fullmatch(MONTH, name) is not None) == month}
        same_head = {name for name in earlier_names if name.split()[-1] == new.split()[-1]}
    replaced = same_head or earlier_names
    if len(replaced) > 1:
        replaced = {name for name in replaced if has_figure(name) == has_figure(new)}
    if len(replaced) != 1:
        return earlier
    old = replaced.pop()
    if has_cjk(new):
        return earlier.replace(whole_place(earlier, old, new), new)
    return re.sub(rf"\b{re.escape(old)}\b", new, earlier)


def whole_place(earlier: str, old: str, new: str) -> str:
    """The earlier question's place name in full, where jieba's tagger read it short ("湄市" of "石湄市2023年…"): as
    long as the new one, when that reaches back to the start of the question or of a clause. Replaced short, a
    probe's "那北垣市呢？" was asked as "石北垣市…"."""
    at = earlier.find(old)
    start = at - (len(new) - len(old))
    if len(old) >= len(new) or start < 0 or not all(has_cjk(character) for character in earlier[start:at]):
        return old
    return earlier[start : at + len(old)] if start == 0 or not has_cjk(earlier[start - 1]) else old


def with_unit_swapped(earlier: str, turn: str) -> str:
    """The earlier query asked of another numbered unit of the same kind, when a follow-up cites that unit and
    says nothing else: "What about step 2?" after "What is step 1 of eDNA sampling?", "And Article 24?" after
    "What does Article 23 of the Wildlife Protection Law say?", "第二步呢？" after "…的第一步是什么？". Asked alone,
    two probes' follow-ups quoted another procedure's step 2 and the regulations' Article 24."""
    cited = units_cited(turn)
    if len(cited) != 1:
        return earlier
    (start, end), kind = cited[0]
    ellipsis = CHINESE_ELLIPSIS.match(turn)  # "那第二十四条呢？"
    if not (ellipsis and ellipsis.group("named") == turn[start:end]) and own_words(turn[:start] + " " + turn[end:]):
        return earlier  # the turn says more than the unit
    before = [(span, other) for span, other in units_cited(earlier) if other == kind]
    if len(before) != 1:
        return earlier
    (first, last), _ = before[0]
    return f"{earlier[:first]}{turn[start:end]}{earlier[last:]}"


def units_cited(text: str) -> list[tuple[tuple[int, int], str]]:
    """The numbered units a text cites ("step 2", "Article 24", "第二步", "第二十四条"), each with its kind."""
    found: dict[tuple[int, int], str] = {}
    for match in CITED.finditer(text):
        found.setdefault(match.span(), cited_as(match)[0])
    for match in MENTIONED.finditer(text):
        if led := word_led(match.group(0)):
            if not any(start <= match.start() < end for start, end in found):
                found[match.span()] = unit_word(led[1])
    return sorted(found.items())


# One of a kind named by a word or a letter with the kind's word: "the Team plan" (after "the Professional plan"),
# "Zone C" (after "Zone B"), "Line 4" (after "Line 3").
MEMBER_BEFORE = r"(?P<member>[A-Z][A-Za-z]*|\d{1,3})"  # "Team" of "the Team plan"
MEMBER_AFTER = r"(?P<member>[A-Z]|\d{1,3})"  # Zone "C", Line "4"
MEMBER_BEFORE_KIND = re.compile(rf"\b{MEMBER_BEFORE}\s+(?P<kind>[a-z]{{3,}})\b")
MEMBER_AFTER_KIND = re.compile(rf"\b(?P<kind>[A-Z][a-z]{{2,}})\s+{MEMBER_AFTER}\b")


def with_member_swapped(earlier: str, turn: str) -> str:
    """The earlier query asked of another one of a kind, when a follow-up names that one and nothing else: "And
    on the Team plan?" after "How much is the Professional plan per month?", "And Zone C?" after "What is the
    hourly parking price in Zone B?" (two probes' follow-ups quoted the earlier plan's price and zone's row).
    The member replaced is the earlier query's only other one of that kind."""
    for pattern in (MEMBER_BEFORE_KIND, MEMBER_AFTER_KIND):
        found = [
            match for match in pattern.finditer(turn)
            if not YEAR.fullmatch(match.group("member")) and match.group("member").lower() not in STOPWORDS
            and match.group("kind").lower() not in STOPWORDS
        ]
        if len(found) != 1:
            continue
        member, kind = found[0].group("member"), found[0].group("kind")
        if {word for word in own_words(turn) if not YEAR.fullmatch(word)} - own_words(f"{member} {kind}"):
            continue  # the turn says more than the name
        pieces = (rf"{MEMBER_BEFORE}\s+{re.escape(kind)}\b" if pattern is MEMBER_BEFORE_KIND
                  else rf"\b{re.escape(kind)}\s+{MEMBER_AFTER}\b")
        others = {match.group("member") for match in re.finditer(pieces, earlier)} - {member}
        if len(others) == 1 and not QUESTION_END.search(earlier.rstrip().rstrip("?？")):
            old = others.pop()
            if pattern is MEMBER_BEFORE_KIND:
                return re.sub(rf"\b{re.escape(old)}(?=\s+{re.escape(kind)}\b)", member, earlier)
            return re.sub(rf"(?<=\b{re.escape(kind)}\s){re.escape(old)}\b", member, earlier)
    return earlier


def has_figure(name: str) -> bool:
    return any(character.isdigit() for character in name)


def only_name(turn: str) -> str | None:
    """The one thing a turn names when it says nothing else but years: "And the Central Bay?", "What about
    Dunmere in 2023?", and in Chinese a place and nothing else: "那宁波呢？", "湖州呢？"."""
    if has_cjk(turn):
        ellipsis = CHINESE_ELLIPSIS.match(turn)
        place = ellipsis.group("named") if ellipsis else None
        return place if place and chinese_place_names(place) == (place,) else None
    named = names_in(turn)
    if len(named) != 1 or {word for word in own_words(turn) if not YEAR.fullmatch(word)} - set(terms(named[0])):
        return None
    return named[0]


# A run of capitalised words, a possessive inside it ("St Aldric's Hospital", "the Bay of Kessin").
# A model's or a product's name written with a figure ("AD9 Pro", "X200", "E7") is a name too: a probe's "And for
# the AD9 Pro?" after a question on the AD8 asked nothing of it. Its figure may have decimals: "PM2.5" (read as
# "PM2", a probe's "And PM10?" asked of "PM10.5").
NAME_WORD = rf"(?:[{UPPER}][{LOWER}]+|[{UPPER}][{UPPER}{LOWER}]*\d[{UPPER}{LOWER}\d-]*(?:\.\d+)?)"
NAME_RUN = re.compile(rf"\b{NAME_WORD}(?:['’]s(?=\s+[{UPPER}]))?(?:\s+(?:of\s+(?:the\s+)?)?{NAME_WORD}(?:['’]s(?=\s+[{UPPER}]))?)+")


def names_in(text: str) -> list[str]:
    """The English names of each turn of the text: runs of capitalised words (`NAME_RUN`), and a single one
    that does not begin its turn ("Dunmere" in "What about Dunmere?")."""
    names = []
    for piece in QUESTION_END.split(text):
        # A first word such as "And" or "What" is capitalised for the turn, not for a name.
        piece = re.sub(r"^\s*[A-Z][a-z]*\b", lambda first: first.group(0).lower() if first.group(0).strip().lower()
                       in STOPWORDS else first.group(0), piece)
        taken = [match.span() for match in NAME_RUN.finditer(piece)]
        names += [piece[start:end] for start, end in taken]
        opening = len(piece) - len(piece.lstrip())
        names += [match.group(0) for match in re.finditer(rf"\b{NAME_WORD}\b", piece)
                  if match.start() > opening and not any(start <= match.start() < end for start, end in taken)]
    return names


def with_year_counted(turn: str, earlier: str) -> str:
    """The turn with the year it counts from the latest one said before it ("the year before" 2022: 2021)."""
    years = YEAR.findall(earlier)
    for step, pattern in RELATIVE_YEAR.items():
        if years and pattern.search(turn):
            return f"{turn} ({int(years[-1]) + step})"
    return turn
