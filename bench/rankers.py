"""Baseline rankers for the quality benchmark, and the adapter that runs any ranker through the real dialogue.

A "ranker" is anything with `decide(text) -> Decision`, `by_id`, `entries` and `is_hub`, like faq.matcher.Matcher. The
baselines see the same entries (question + variants) and the same normalisation (faq.normalize) as the project's
matcher; only the ranking differs. Each entry scores the best of its documents (its question and each variant).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import jieba
import numpy as np
from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process

from dialogue import Dialogue
from faq.matcher import ANSWERED, SUGGESTED, UNANSWERED, Candidate, Decision, Matcher
from faq.normalize import normalize

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Thresholds:
    """answered: best >= answer and best - second >= margin * best; suggested: best >= suggest; else fallback."""

    answer: float
    suggest: float
    margin: float = 0.0


class BaselineRanker:
    """Scores every entry with `entry_scores` (higher is better) and decides with calibrated thresholds."""

    name = "baseline"
    is_hub = Matcher.is_hub  # (reads the entry's `hub` through by_id, which every ranker has)

    def __init__(self, entries: Sequence[dict], thresholds: Thresholds | None = None):
        self.entries = [e for e in entries if e.get("enabled", True)]
        self.by_id = {e["id"]: e for e in self.entries}
        self.docs: list[str] = []
        owner: list[int] = []
        for i, entry in enumerate(self.entries):
            for text in [entry["question"], *entry.get("variants", [])]:
                norm = normalize(text)
                if norm:
                    self.docs.append(norm)
                    owner.append(i)
        self.doc_entry = np.array(owner, dtype=np.int32)
        self._starts = np.flatnonzero(np.r_[True, self.doc_entry[1:] != self.doc_entry[:-1]]) if owner else []
        self._run_entry = self.doc_entry[self._starts] if owner else []
        self.thresholds = thresholds or Thresholds(answer=float("inf"), suggest=float("inf"))
        self._ranked = lru_cache(maxsize=4096)(self._rank)

    def __len__(self) -> int:
        return len(self.entries)

    def doc_scores(self, query: str) -> np.ndarray:
        raise NotImplementedError

    def entry_scores(self, text: str) -> np.ndarray:
        scores = np.zeros(len(self.entries))
        query = normalize(text)
        if not query or not self.docs:
            return scores
        scores[self._run_entry] = np.maximum.reduceat(self.doc_scores(query), self._starts)
        return scores

    def _rank(self, text: str) -> tuple[Candidate, ...]:
        s = self.entry_scores(text)
        top = np.argsort(-s, kind="stable")[:5]
        return tuple(
            Candidate(self.entries[i]["id"], float(s[i]), self.entries[i]["question"], self.entries[i]["topic"])
            for i in top
        )

    def rank(self, text: str, k: int = 5) -> list[Candidate]:
        return list(self._ranked(text)[:k])

    def decide(self, text: str, topic: str | None = None) -> Decision:
        """`topic` (the conversation's) is ignored: the baselines rank each message on its own."""
        ranked = self.rank(text)
        t = self.thresholds
        if not ranked or ranked[0].score <= 0 or ranked[0].score < t.suggest:
            return Decision(UNANSWERED, ranked)
        top = ranked[0].score
        second = ranked[1].score if len(ranked) > 1 else 0.0
        if top >= t.answer and top - second >= t.margin * top:
            return Decision(ANSWERED, ranked)
        return Decision(SUGGESTED, ranked, [c for c in ranked[:3] if c.score >= t.suggest])


def jieba_tokens(normalized: str) -> list[str]:
    """Plain jieba (default dictionary, no domain words, no stopwords): the words of a normalised text."""
    return [w for w in jieba.lcut(normalized, HMM=True) if w.strip()]


class Bm25Ranker(BaselineRanker):
    """Okapi BM25 (rank-bm25, k1=1.5, b=0.75) over jieba words; one document per question or variant."""

    name = "bm25"

    def __init__(self, entries: Sequence[dict], thresholds: Thresholds | None = None):
        super().__init__(entries, thresholds)
        self.bm25 = BM25Okapi([jieba_tokens(d) for d in self.docs]) if self.docs else None

    def doc_scores(self, query: str) -> np.ndarray:
        return self.bm25.get_scores(jieba_tokens(query))


class FuzzyRanker(BaselineRanker):
    """rapidfuzz similarity (0-100) of the normalised question with each document; WRatio by default."""

    name = "fuzzy"
    SCORERS = {"WRatio": fuzz.WRatio, "token_set_ratio": fuzz.token_set_ratio, "partial_ratio": fuzz.partial_ratio}

    def __init__(self, entries: Sequence[dict], thresholds: Thresholds | None = None, scorer: str = "WRatio"):
        super().__init__(entries, thresholds)
        self.scorer_name = scorer
        self.scorer = self.SCORERS[scorer]
        # token_set_ratio compares whitespace tokens: give it jieba words, since Chinese has no spaces
        self._tokenised = scorer == "token_set_ratio"
        self.choices = [" ".join(jieba_tokens(d)) for d in self.docs] if self._tokenised else self.docs

    def doc_scores(self, query: str) -> np.ndarray:
        q = " ".join(jieba_tokens(query)) if self._tokenised else query
        return process.cdist([q], self.choices, scorer=self.scorer, dtype=np.float32, workers=1)[0].astype(float)


class RankerDialogue(Dialogue):
    """The project's Dialogue (greetings, menu, numbered choices, fallback) over any ranker instead of the FAQ index."""

    def __init__(self, store, analyzer, ranker):
        super().__init__(store, analyzer)
        self.ranker = ranker

    def matcher(self):  # type: ignore[override]
        return self.ranker


__all__ = ["ANSWERED", "SUGGESTED", "UNANSWERED", "Bm25Ranker", "FuzzyRanker", "RankerDialogue", "Thresholds"]
