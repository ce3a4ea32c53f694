"""Everyday questions: how much a question resembles small talk rather than the documents, for the judge.

A score threshold alone leaves a gap: "what's the weather in Beijing today?" finds a dateline that names
Beijing and a day. So each question is also compared with a fixed set of everyday questions (weather,
food, shopping, travel, health, sport, computers..., and the greetings and thanks that open and close a
chat), in English and Chinese, in the vector set that judges it; the cosine with the nearest of them is one
of the judge's features (qa/judge.py), whose weight bench/tune_answers.py fits on the tuning questions: it
measured as the strongest signal against off-topic questions there, so it stays.

An everyday question that the documents themselves come near is no small talk for them: "How long does the
train take between two cities?" is a question about a report on urban transport. So each build leaves out the
everyday questions that one of its chunks comes near (`NEAR_DOCUMENTS`), in the vector set that compares them.
Not the greetings, thanks and goodbyes (`SPOKEN_TO_THE_ASSISTANT`): they ask nothing of any document, and a
manual that opens "Thank you for choosing the K7" had made "ok thanks" a question about it, answered with a
citation, for a new-user probe.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

import numpy as np

from qa.dense import multilingual_rows
from qa.embedders import Embedder
from qa.store import StoredIndex
from qa.vector_stores import EXACT

# An everyday question is left out for a build when one of its chunks has at least this cosine with it. On the
# development corpora (bench/tune_quality.py's sets, 2026-12-06) the nearest chunk to any everyday question
# had 0.25-0.30 on the white paper, its library, the Chinese paper and the summary, and none is left out; on the
# urban-transport report, 0.41 (MiniLM) and 0.39 (USE) for "How long does the train take between two cities?",
# the one left out there; on Python's reference topics 0.36-0.46 for five questions on programming, translating
# and the time (nine in the USE's set). The transport tuning set then answered 13 of its 15 answerable
# questions instead of 8 (the right sentence in 8 instead of 6), its near-topic and off-topic ones as before;
# no other tuning figure moved, at 0.35 or 0.38.
NEAR_DOCUMENTS = 0.35
KEPT_BUILDS = 8  # the everyday questions kept for the last few builds and vector sets a process has read

EVERYDAY_QUESTIONS = [
    "What will the weather be like tomorrow?",
    "Will it rain this weekend?",
    "What is a good recipe for dinner tonight?",
    "How do I cook pasta?",
    "Who won the football match last night?",
    "When do the Olympic Games start?",
    "How do I fix my computer when it will not start?",
    "Which phone should I buy?",
    "How do I write a function in JavaScript?",
    "What is the stock price of Apple today?",
    "How do I open a bank account?",
    "What are the symptoms of the flu?",
    "How can I sleep better?",
    "What is a good exercise routine for beginners?",
    "Recommend a movie to watch tonight.",
    "Who sings this song?",
    "How do I learn to play the guitar?",
    "What is the capital of Australia?",
    "How far is the Moon from the Earth?",
    "How do I get a visa to travel abroad?",
    "Where can I book a cheap flight?",
    "How long does the train take between two cities?",
    "What is the best hotel near the airport?",
    "How do I solve this math equation?",
    "What is 12 times 7?",  # sums with figures in them: two probes' "What is 17 times 23?" was answered
    "Translate this sentence into French.",
    "Tell me a joke.",
    "Write a poem about love.",
    "What time is it now?",
    "今天天气怎么样？",
    "明天会下雨吗？",
    "晚饭做什么菜好？",
    "怎么做蛋炒饭？",
    "昨晚的足球比赛谁赢了？",
    "怎么修电脑？",
    "买什么手机好？",
    "怎么学编程？",
    "今天的股票行情怎么样？",
    "怎么办信用卡？",
    "感冒了吃什么药？",
    "怎样才能睡得好？",
    "推荐一部好看的电影。",
    "怎么学吉他？",
    "去哪里旅游好？",
    "怎么订机票？",
    "火车票怎么买？",
    "附近有什么好吃的餐厅？",
    "这道数学题怎么做？",
    "把这句话翻译成英文。",
    "讲个笑话吧。",
    "现在几点了？",
]
# Kept for every build, however near its documents come. The short forms too: MiniLM put "ok thanks" at 0.22
# from the long thanks, too far for the judge to call it small talk once the documents knew the word "thank";
# and a lone "thanks" at 0.34 from "OK, thanks!", so that a probe's "thanks" after a real question, over a
# transcript that says "I thank the Honourable Member", was answered with the last answer again. With the
# one-word forms, "thanks", "thank you", "perfect", "bye" and "cheers" come at 0.54-0.86 and the follow-ups
# "Where?", "Why?", "Which year?", "Site B?" and "And in 2030?" at 0.29 or less (MiniLM, 2026-12-07).
SPOKEN_TO_THE_ASSISTANT = [
    "Thank you, that is all I wanted to know.",
    "OK, thanks!",
    "Thanks!",
    "Thank you!",
    "Great, got it.",
    "Perfect.",
    "Hello, how are you today?",
    "Hi!",
    "Goodbye, see you tomorrow.",
    "Bye!",
    "谢谢你的帮助，没有别的问题了。",
    "好的，谢谢！",
    "谢谢！",
    "再见！",
    "你好，你是谁？",
]


@lru_cache(maxsize=4)
def everyday_vectors(embedder: Embedder) -> np.ndarray:
    """The everyday questions' vectors, then those spoken to the assistant, once per loaded model."""
    return embedder.encode_queries(EVERYDAY_QUESTIONS + SPOKEN_TO_THE_ASSISTANT)


_kept: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def everyday_kept(index: StoredIndex, space: str, embedder: Embedder) -> np.ndarray:
    """The vectors of the everyday questions that no chunk of the build comes near, in a vector set (for the
    English set, its English chunks), and of those spoken to the assistant, once per build."""
    key = (index.build_id, space)
    kept = _kept.get(key)
    if kept is None:
        vectors = everyday_vectors(embedder)
        topics, spoken = vectors[: len(EVERYDAY_QUESTIONS)], vectors[len(EVERYDAY_QUESTIONS) :]
        kept = np.concatenate([topics[nearest_chunks(index, space, topics) < NEAR_DOCUMENTS], spoken])
        _kept[key] = kept
        while len(_kept) > KEPT_BUILDS:
            _kept.popitem(last=False)
    return kept


def nearest_chunks(index: StoredIndex, space: str, vectors: np.ndarray) -> np.ndarray:
    """For each vector, the highest cosine of a chunk of the build with it: every chunk, read once, or each
    vector's ten nearest in the graph."""
    vector_set = index.vector_sets[space]

    def readable(rows: np.ndarray) -> np.ndarray:  # the rows this set compares with an English question
        return rows[~multilingual_rows(index, False, rows)] if space == "dense" else rows

    if vector_set.kind == EXACT:
        rows = readable(np.arange(len(index.chunks)))
        if not len(rows):
            return np.zeros(len(vectors), dtype=np.float32)
        return (vectors @ np.asarray(vector_set.chunks[rows]).T).max(axis=1)
    best = []
    for vector in vectors:
        rows = readable(vector_set.nearest(vector, 10))
        best.append(float(np.max(np.asarray(vector_set.chunks[rows]) @ vector)) if len(rows) else 0.0)
    return np.array(best, dtype=np.float32)


def everyday_similarity(everyday: np.ndarray, query_vector: np.ndarray) -> float:
    """Cosine of the question with the nearest of the everyday questions' vectors (0 when none is left)."""
    return float(np.max(everyday @ query_vector)) if len(everyday) else 0.0
