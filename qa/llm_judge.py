"""The language-model judge (QA_LLM_JUDGE=on): does this passage answer the question? Asked of each of the top
passages; they are reranked by the probability of Yes, and the best probability is the answer's confidence."""

from __future__ import annotations

from qa import templates
from qa.llm import LLMClient
from qa.search import Passage
from qa.settings import Settings


def judge_passages(
    query: str, passages: list[Passage], client: LLMClient, settings: Settings
) -> tuple[list[Passage], float]:
    """The passages with the judged ones (the first `llm_passages`) reordered by P(yes), and the best P(yes)."""
    judged = passages[: settings.llm_passages]
    probabilities = [client.yes_probability(templates.llm_judge_messages(query, p.text)) for p in judged]
    order = sorted(range(len(judged)), key=lambda i: -probabilities[i])
    return [judged[i] for i in order] + passages[len(judged) :], max(probabilities, default=0.0)
