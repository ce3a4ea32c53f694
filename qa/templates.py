"""Every sentence the assistant says in its own words, in one place: answers, refusals, headings, and the prompts
it sends to a language model."""

import calendar

from qa.lines import flowing, has_cjk

NO_ANSWER = "I could not find an answer to that in the documents."
NO_ANSWER_ZH = "文档中找不到这个问题的答案。"  # for a question asked in Chinese
# The answer would be about other years than the one asked: said, so that a refusal whose judge was confident
# (the documents speak of the subject) is not a riddle (a probe: "abstained", confidence 0.81).
NO_ANSWER_FOR_YEARS = "I could not find that for {years} in the documents: the closest passages are about other years."
NO_ANSWER_FOR_YEARS_ZH = "文档中找不到{years}的这项信息：与问题最接近的段落讲的是其他年份。"
NO_ANSWER_FOR_MONTHS = "I could not find that for {months} in the documents: the closest passages are about other months."
NO_ANSWER_FOR_MONTHS_ZH = "文档中找不到{months}的这项信息：与问题最接近的段落讲的是其他月份。"
NO_ANSWER_FOR_QUANTITY = "I could not find that in the documents: the closest passages give no {kind}."
NO_ANSWER_FOR_QUANTITY_ZH = "文档中找不到这项信息：与问题最接近的段落没有给出{kind}。"
# What each kind of quantity (qa/quantities.py) is called in those refusals.
QUANTITY_NAMES = {
    "money": ("amount of money", "金额"),
    "count": ("such number", "相关数量"),
    "area": ("area", "面积"),
    "length": ("length or distance", "长度或距离"),
    "mass": ("weight", "重量"),
    "volume": ("volume", "体积"),
    "percent": ("percentage", "百分比"),
    "temperature": ("temperature", "温度"),
    "duration": ("length of time", "时长"),
    "energy": ("amount of energy", "电量或能量"),
    "email": ("email address", "电子邮件地址"),
    "phone": ("phone number", "电话号码"),
    "web address": ("web address", "网址"),
}
NO_ANSWER_FOR_NAME = "I could not find that in the documents: the closest passages do not name {named}."
NO_ANSWER_FOR_NAME_ZH = "文档中找不到这项信息：与问题最接近的段落没有提到{named}。"
NO_SUCH_SECTION = "The documents have no {named}: I could not find an answer to that in them."
NO_SUCH_SECTION_ZH = "文档中没有{named}，找不到这个问题的答案。"
NO_ANSWER_FOR_NAMED = "I could not find that for “{named}” in the documents: the closest passage is under “{other}”."
NO_ANSWER_FOR_NAMED_ZH = "文档中找不到“{named}”的这项信息：与问题最接近的段落在“{other}”部分。"
NO_ANSWER_FOR_DESIGNATION = "I could not find that for “{named}” in the documents: the closest passage speaks of “{other}”."
NO_ANSWER_FOR_DESIGNATION_ZH = "文档中找不到“{named}”的这项信息：与问题最接近的段落讲的是“{other}”。"
RELATED_HEADING = "Possibly related passages (they do not answer the question)"
RELATED_HEADING_ZH = "可能相关的段落（它们没有回答这个问题）"
SOURCES_HEADING = "Sources"
SOURCES_HEADING_ZH = "来源"
PAGE = "page {page}"
PAGE_ZH = "第 {page} 页"
CITATION_MARKER = "[{n}]"
EMPTY_QUESTION = "Please type a question about the documents."
NO_INDEX_YET = "Building the index from {corpus}/ first…"
INDEX_OUTDATED = "The index in {index}/ was built by an earlier version; rebuilding it from {corpus}/ first…"
CORPUS_CHANGED = "{changes}: updating the index first…"
UNEXPECTED_ERROR = "Something went wrong ({kind}); the server's terminal has the details. Please try again."
INDEX_INFO = "{documents} document(s), {chunks} chunks · model {model} · built {built_at}"
CHAT_TITLE = "China's Biodiversity Conservation — ask the white paper"
CHAT_INTRO = (
    "Answers are sentences quoted from the documents in the corpus, each with its source. "
    "When the documents do not answer a question, the assistant says so."
)
EXAMPLE_QUESTIONS = [
    "What is the ecological protection red line?",
    "Which law did China pass on biosafety?",
    "How does China protect endangered species outside their habitats?",
    "What is the capital of France?",
]

# Language-model answers (QA_ANSWERER=llm): the prompt, the judge's question, and what the chat says when the
# model fails or writes nothing the passages support.
LLM_ANSWER_INSTRUCTIONS = (
    "You answer questions using only the numbered passages below. Write one to three short sentences. "
    "End each sentence with the number of the passage it comes from, like [1]. Copy numbers, names and dates "
    "exactly as the passage writes them. Answer in the language of the question."
)
LLM_PASSAGE = "[{n}] {where}\n{text}"
LLM_QUESTION = "Passages:\n\n{passages}\n\nQuestion: {question}"
LLM_JUDGE_INSTRUCTIONS = "Answer with Yes or No only."
LLM_JUDGE_QUESTION = "Passage:\n{text}\n\nQuestion: {question}\n\nDoes the passage answer the question?"
LLM_JUDGE_REFUSED = "The language model judged that none of the passages answers the question (QA_LLM_JUDGE)."
LLM_FAILED = "The language model did not answer ({reason}); these are the quoted sentences instead."
LLM_UNSUPPORTED = (
    "Nothing the language model wrote could be checked against the passages; these are the quoted sentences "
    "instead."
)
LLM_DROPPED = "{count} sentence(s) the language model wrote were left out: the passages do not support them."
WRITING = "{text} …"  # the sentence the model is still writing, not yet checked


def in_language_of(question: str, english: str, chinese: str) -> str:
    """What the assistant says around an answer, in Chinese for a question asked in Chinese: the quotes stay in
    the documents' language, the words around them follow the user's."""
    return chinese if has_cjk(question) else english


def no_answer(question: str) -> str:
    return in_language_of(question, NO_ANSWER, NO_ANSWER_ZH)


def no_answer_for_months(question: str, years: frozenset[str], months: frozenset[int]) -> str:
    """The refusal of a question on `months` (of `years`, if it names any) that the documents answer only for
    other months."""
    chinese = has_cjk(question)
    year = "、".join(sorted(years)) if chinese else " and ".join(sorted(years))
    if chinese:
        named = "、".join(f"{year + '年' if year else ''}{month}月" for month in sorted(months))
    else:
        named = " and ".join(calendar.month_name[month] for month in sorted(months)) + (f" {year}" if year else "")
    return in_language_of(question, NO_ANSWER_FOR_MONTHS, NO_ANSWER_FOR_MONTHS_ZH).format(months=named)


def no_answer_for_years(question: str, years: set[str] | frozenset[str]) -> str:
    """The refusal of a question on `years` that the documents answer only for other years."""
    chinese = has_cjk(question)
    ordered = sorted(years, key=int)
    if len(ordered) >= 3 and int(ordered[-1]) - int(ordered[0]) == len(ordered) - 1:
        named = f"{ordered[0]}—{ordered[-1]}年" if chinese else f"{ordered[0]}–{ordered[-1]}"
    elif chinese:
        named = "和".join(f"{year}年" for year in ordered)
    else:
        named = ", ".join(ordered[:-1]) + (" and " if len(ordered) > 1 else "") + ordered[-1]
    return in_language_of(question, NO_ANSWER_FOR_YEARS, NO_ANSWER_FOR_YEARS_ZH).format(years=named)


def quoted_names(question: str, names: tuple[str, ...] | list[str]) -> str:
    """The names, each in quotation marks, listed as the question's language lists them."""
    return ("、" if has_cjk(question) else ", ").join(f"“{name}”" for name in names)


def no_such_section(question: str, missing: tuple[str, ...] | list[str]) -> str:
    """The refusal of a question on an article (a chapter, a section) that the documents' numbering lacks."""
    return in_language_of(question, NO_SUCH_SECTION, NO_SUCH_SECTION_ZH).format(named=quoted_names(question, missing))


def no_answer_for_name(question: str, names: list[str]) -> str:
    """The refusal of a question whose names ("Orvandy") the documents write, but not around its best answer."""
    return in_language_of(question, NO_ANSWER_FOR_NAME, NO_ANSWER_FOR_NAME_ZH).format(named=quoted_names(question, names))


def no_answer_for_quantity(question: str, kind: str) -> str:
    """The refusal of a question on a kind of quantity (`kind`, "money") that the closest passages do not state."""
    english, chinese = QUANTITY_NAMES[kind]
    return in_language_of(question, NO_ANSWER_FOR_QUANTITY, NO_ANSWER_FOR_QUANTITY_ZH).format(kind=chinese if has_cjk(question) else english)


def no_answer_for_named(question: str, named: list[str], other: str) -> str:
    """The refusal of a question on a named section ("the Western Estuary") that the documents answer only
    for a sibling of it (`other`, "Southern Lagoons")."""
    chinese = has_cjk(question)
    joined = ("”和“" if chinese else "” and “").join(named)
    return in_language_of(question, NO_ANSWER_FOR_NAMED, NO_ANSWER_FOR_NAMED_ZH).format(named=joined, other=other)


def no_answer_for_designation(question: str, named: str, other: str) -> str:
    """The refusal of a question on one of a kind told by a letter ("Grade C") whose closest passage names only
    others of it (`other`, "Grades A and B")."""
    return in_language_of(question, NO_ANSWER_FOR_DESIGNATION, NO_ANSWER_FOR_DESIGNATION_ZH).format(named=named, other=other)


def sources_heading(question: str) -> str:
    return in_language_of(question, SOURCES_HEADING, SOURCES_HEADING_ZH)


def related_heading(question: str) -> str:
    return in_language_of(question, RELATED_HEADING, RELATED_HEADING_ZH)


def page_label(page: int, question: str) -> str:
    return in_language_of(question, PAGE, PAGE_ZH).format(page=page)


def llm_messages(question: str, passages: list) -> list[dict]:
    """The chat messages that ask the model to answer `question` from `passages`, numbered from 1."""
    numbered = "\n\n".join(
        LLM_PASSAGE.format(n=n, where=" — ".join(filter(None, [p.source, p.section])), text=flowing(p.text))
        for n, p in enumerate(passages, 1)
    )
    return [
        {"role": "system", "content": LLM_ANSWER_INSTRUCTIONS},
        {"role": "user", "content": LLM_QUESTION.format(passages=numbered, question=question)},
    ]


def llm_judge_messages(question: str, passage_text: str, judge_question: str = LLM_JUDGE_QUESTION) -> list[dict]:
    """The judge's yes/no messages; `judge_question` is another wording to try (bench/tune_llm_judge.py)."""
    return [
        {"role": "system", "content": LLM_JUDGE_INSTRUCTIONS},
        {"role": "user", "content": judge_question.format(text=flowing(passage_text), question=question)},
    ]
