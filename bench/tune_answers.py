"""Fits the evidence stage's two sentence models (qa/evidence.py) and the judge (qa/judge.py) on the tuning
questions, and prints their weights with cross-validated figures.

    .venv/bin/python bench/tune_answers.py [--judge-on code]

Reads only tests/data/tuning/ (bench_env.TUNING_SETS); eval/ is never read. For every question it runs the
real search and evidence stage, labels each candidate sentence (does it contain the expected text?), and fits:
- the ranker: a conditional logistic model (a softmax over each question's candidates, so it learns which
  sentence of a question's evidence is the answer, not how answerable the question is), then calibrated into
  a probability by one logistic fit of its score; judged by how often the best-scored sentence is a right one
  (5-fold cross-validation over questions, against the ranker in the code, the answer model in the code and a
  plain logistic fit);
- the answer model: a plain logistic model over every candidate of every answerable question (right sentence
  or not), the strength of the evidence that the judge reads;
- the judge: a logistic model over the question-level features, answerable against unanswerable questions;
  it prints, for each threshold, the share of answerable questions refused and of near-topic and off-topic
  ones answered (cross-validated), and the default: of the thresholds that refuse at most 5 % of answerable
  questions held out, the one that answers the fewest others.
The judge is fitted on the strongest sentence as the newly fitted answer model scores them, or, with
`--judge-on code`, as the answer model in the code does (for refitting the judge alone).
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np

from bench_env import TUNING_SETS, tuning_cases  # first: puts the repository on the path for the qa imports

import qa
from qa import evidence, judge
from qa.conversation import contextual_query
from qa.evaluate import eval_index, holds
from qa.settings import Settings

FOLDS = 5
L2 = 0.01
# Penalty of the conditional fit, on standardised features: 0.1 to 3 put the right sentence first for 0.74-0.75
# of the answerable tuning questions held out, 10 for 0.71 (2026-12-06).
LISTWISE_L2 = 1.0


def fit_logistic(x: np.ndarray, y: np.ndarray, balance: bool = True) -> tuple[np.ndarray, float]:
    """Weights and bias on the raw features (fitted on standardised ones), by Newton's method with L2."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    sample = np.where(y == 1, len(y) / (2 * max(1, y.sum())), len(y) / (2 * max(1, (1 - y).sum()))) if balance else np.ones(len(y))
    w = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (sample * (p - y)) + L2 * np.r_[w[:-1], 0]
        hessian = (z * (sample * p * (1 - p))[:, None]).T @ z + L2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    weights = w[:-1] / scale
    return weights.astype(np.float32), float(w[-1] - (w[:-1] * mean / scale).sum())


def fit_listwise(questions: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, float]:
    """Weights and bias of a sentence scorer that ranks each question's candidates (x, y) as a softmax over
    them (Newton's method with L2), its score then turned into a probability by a plain logistic fit of
    score against label over every candidate; the calibration keeps the ranking and keeps the scorer linear."""
    x = np.vstack([features for features, _ in questions])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    standard = [((features - mean) / scale, labels) for features, labels in questions if labels.any()]
    w = np.zeros(x.shape[1])
    for _ in range(60):
        gradient, hessian = LISTWISE_L2 * w, LISTWISE_L2 * np.eye(len(w))
        for z, labels in standard:
            scores = z @ w
            p = np.exp(scores - scores.max())
            p /= p.sum()
            gradient += z.T @ (p - labels / labels.sum())
            mean_z = z.T @ p
            hessian += (z * p[:, None]).T @ z - np.outer(mean_z, mean_z)
        w -= np.linalg.solve(hessian, gradient)
    raw_weights = w / scale
    score = x @ raw_weights
    slope, intercept = fit_logistic(score[:, None], np.concatenate([labels for _, labels in questions]))
    return (slope[0] * raw_weights).astype(np.float32), float(intercept)


def collect():
    """Per question: (set name, case, query, passages, candidates)."""
    rows = []
    for name, questions, corpora in TUNING_SETS:
        index_dir = eval_index(corpora)
        search = qa.retriever(index_dir)
        for case in tuning_cases(questions):
            query = contextual_query(case.question, [{"role": "user", "content": q} for q in case.history], search.knows)
            passages = search.search(query, qa.get_settings().top_k)
            rows.append((name, case, query, passages, evidence.candidates(query, passages, search, every_sentence=True), search))
    return rows


def labelled(rows) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each answerable question's candidates: their features, and whether each holds the expected text."""
    return [
        (np.array([c.features for c in r[4]]), np.array([float(holds(c.text, r[1].expect)) for c in r[4]]))
        for r in rows
        if r[1].expect and r[4]
    ]


def top1(rows, weights, bias) -> float:
    hits = []
    for _, case, _, _, cands, _ in rows:
        if case.expect and any(holds(c.text, case.expect) for c in cands):
            scores = [float(c.features @ weights + bias) for c in cands]
            hits.append(holds(cands[int(np.argmax(scores))].text, case.expect))
    return sum(hits) / len(hits)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--judge-on", choices=("fitted", "code"), default="fitted",
                        help="the answer model whose strongest sentence the judge reads: the one fitted here, or the code's")
    args = parser.parse_args()
    rows = collect()
    answerable = [r for r in rows if r[1].expect]
    print(f"{len(rows)} tuning questions, {len(answerable)} answerable, "
          f"{sum(any(holds(c.text, r[1].expect) for c in r[4]) for r in answerable)} with a right sentence among the candidates")

    # The ranker.
    folds = [rows[i::FOLDS] for i in range(FOLDS)]
    fitted, pointwise, ranker, answer_model = [], [], [], []
    for held in range(FOLDS):
        train = labelled([r for i, fold in enumerate(folds) if i != held for r in fold])
        fitted.append(top1(folds[held], *fit_listwise(train)))
        x = np.vstack([features for features, _ in train])
        pointwise.append(top1(folds[held], *fit_logistic(x, np.concatenate([y for _, y in train]))))
        ranker.append(top1(folds[held], evidence.RANKING_WEIGHTS, evidence.RANKING_BIAS))
        answer_model.append(top1(folds[held], evidence.ANSWER_WEIGHTS, evidence.ANSWER_BIAS))
    print(f"\nranker, right sentence first (5-fold): fitted {np.mean(fitted):.3f}, a plain logistic fit "
          f"{np.mean(pointwise):.3f}; in the code (fitted on all): ranker {np.mean(ranker):.3f}, "
          f"answer model {np.mean(answer_model):.3f}")
    questions = labelled(answerable)
    weights, bias = fit_listwise(questions)
    print("RANKING_WEIGHTS =", np.array2string(np.round(weights, 3), separator=", ", max_line_width=200), f"\nRANKING_BIAS = {bias:.3f}")
    for name, weight in zip(evidence.FEATURES, weights):
        print(f"  {name:20s} {weight:+.3f}")

    # The answer model.
    x = np.vstack([features for features, _ in questions])
    weights, bias = fit_logistic(x, np.concatenate([y for _, y in questions]))
    print("\nANSWER_WEIGHTS =", np.array2string(np.round(weights, 3), separator=", ", max_line_width=200), f"\nANSWER_BIAS = {bias:.3f}")

    # The judge, on the strongest sentence as the fitted answer model (or the code's) scores them.
    if args.judge_on == "code":
        weights, bias = evidence.ANSWER_WEIGHTS, evidence.ANSWER_BIAS
    features, labels, groups = [], [], []
    for _, case, query, passages, cands, search in rows:
        if not cands:
            continue
        best = max(cands, key=lambda c: float(c.features @ weights + bias))
        best = dataclasses.replace(best, holds_answer=evidence.probability(best.features, weights, bias))
        features.append(judge.judge_features(query, best, passages, search, case.question))
        labels.append(1.0 if case.expect else 0.0)
        groups.append("answerable" if case.expect else ("off-topic" if case.unanswerable == "off-topic" else "near-topic"))
    x, y, groups = np.array(features), np.array(labels), np.array(groups)
    held_out = np.zeros(len(y))
    for held in range(FOLDS):
        mask = np.arange(len(y)) % FOLDS == held
        w, b = fit_logistic(x[~mask], y[~mask])
        held_out[mask] = 1 / (1 + np.exp(-(x[mask] @ w + b)))
    print("\njudge (5-fold): threshold  answerable refused  near-topic answered  off-topic answered")
    trade_offs = {}
    for threshold in np.round(np.arange(0.05, 0.96, 0.05), 2):
        shares = [np.mean(held_out[groups == g] < threshold) if g == "answerable" else np.mean(held_out[groups == g] >= threshold)
                  for g in ("answerable", "near-topic", "off-topic")]
        trade_offs[float(threshold)] = shares
        print(f"  {threshold:.2f}       {shares[0]:6.1%}              {shares[1]:6.1%}               {shares[2]:6.1%}")
    # The default: of the thresholds that refuse at most 5 % of answerable questions held out, the one that
    # answers the fewest near-topic and off-topic ones; of equals, the lowest (it refuses fewer answerable ones).
    within = {t: shares for t, shares in trade_offs.items() if shares[0] <= 0.05}
    chosen = min(within, key=lambda t: (within[t][1] + within[t][2], t))
    print(f"default threshold (held out: at most 5 % of answerable refused, fewest others answered): {chosen:.2f}")
    # The judge in the code (its floor on the sentence's cosine included), at the default threshold, for
    # comparison: fitted on an earlier set of these questions, so its figures are partly in-sample.
    in_code = np.array([judge.answer_probability(row) for row in x])
    threshold = Settings().answer_threshold
    shares = [np.mean(in_code[groups == g] < threshold) if g == "answerable" else np.mean(in_code[groups == g] >= threshold)
              for g in ("answerable", "near-topic", "off-topic")]
    print(f"  in the code at {threshold:.2f}: {shares[0]:6.1%}              {shares[1]:6.1%}               {shares[2]:6.1%}")
    w, b = fit_logistic(x, y)
    probabilities = 1 / (1 + np.exp(-(x @ w + b)))
    cut = float(np.sort(probabilities[groups == "answerable"])[int(0.05 * (groups == "answerable").sum())])
    print("JUDGE_WEIGHTS =", np.array2string(np.round(w, 3), separator=", "), f"\nJUDGE_BIAS = {b:.3f}")
    for name, weight in zip(judge.JUDGE_FEATURES, w):
        print(f"  {name:20s} {weight:+.3f}")
    print(f"threshold refusing 5 % of answerable tuning questions (fitted on all): {cut:.3f}")
    for g in ("answerable", "near-topic", "off-topic"):
        print(f"  {g:11s} n={int((groups == g).sum()):3d} answered at that threshold: {np.mean(probabilities[groups == g] >= cut):.1%}")


if __name__ == "__main__":
    main()
