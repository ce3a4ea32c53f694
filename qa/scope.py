"""Everyday questions: how much a question resembles small talk rather than the documents, for the judge.

A score threshold alone leaves a gap: "what's the weather in Beijing today?" finds a dateline that names
Beijing and a day. So each question is also compared with a fixed set of everyday questions (weather,
food, shopping, travel, health, sport, computers..., and the greetings and thanks that open and close a
chat), in English and Chinese, in the vector set that judges it; the cosine with the nearest of them is one
of the judge's features (qa/judge.py), whose weight bench/tune_answers.py fits on the tuning questions: it
measured as the strongest signal against off-topic questions there, so it stays.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from qa.embedders import Embedder

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
    "Translate this sentence into French.",
    "Tell me a joke.",
    "Write a poem about love.",
    "What time is it now?",
    "Thank you, that is all I wanted to know.",
    "Hello, how are you today?",
    "Goodbye, see you tomorrow.",
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
    "谢谢你的帮助，没有别的问题了。",
    "你好，你是谁？",
]


@lru_cache(maxsize=4)
def everyday_vectors(embedder: Embedder) -> np.ndarray:
    """The everyday questions' vectors, once per loaded model."""
    return embedder.encode_queries(EVERYDAY_QUESTIONS)


def everyday_similarity(embedder: Embedder, query_vector: np.ndarray) -> float:
    """Cosine of the question with the nearest everyday question."""
    return float(np.max(everyday_vectors(embedder) @ query_vector))
