"""The material a model answer may use: the most relevant knowledge articles and FAQ entries for a question.

Articles are ranked with BM25 over the Analyzer's features (jieba words and character bigrams) of each article's
law name, title, summary and keywords. FAQ entries come from the matcher's own ranking (the Decision the dialogue
already made); the articles those entries cite are added with a boost, because an FAQ entry's legal basis was
checked by staff. Pure Python, no Flask.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from faq.analyzer import Analyzer, Features
from faq.matcher import Decision
from knowledge import Article, KnowledgeBase

K1, B = 1.5, 0.75
MIN_ARTICLE_SCORE = 5.0  # BM25 below this is noise (one or two shared common bigrams)
MIN_FAQ_SCORE = 0.2  # matcher score below this says nothing about the question
FAQ_BASIS_BOOST = 6.0  # what citing an article from a retrieved FAQ entry adds (times the entry's score)


@dataclass
class Material:
    """What the model is shown, best first."""

    articles: list[Article] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # citation -> score, for the log
    top_article_score: float = 0.0  # best BM25 of any article (before the FAQ boost)
    top_faq_score: float = 0.0  # best matcher score among the FAQ entries used

    @property
    def citations(self) -> set[str]:
        return {a.citation for a in self.articles}

    def __bool__(self) -> bool:
        return bool(self.articles or self.entries)


class Retriever:
    """BM25 over the knowledge base's articles. Build with `Retriever.for_kb` to share one index per process."""

    _shared: dict[tuple, Retriever] = {}

    def __init__(self, kb: KnowledgeBase, analyzer: Analyzer):
        self.kb = kb
        self.analyzer = analyzer
        self.docs: list[Counter] = []
        for a in kb.articles:
            terms = Counter(_terms(analyzer.features(" ".join([a.law, a.title, a.summary]))))
            # keywords are what people actually say: they count double
            keywords = _terms(analyzer.features(" ".join(a.keywords)))
            terms.update(keywords * 2)
            self.docs.append(terms)
        n = len(self.docs)
        df: Counter = Counter()
        for terms in self.docs:
            df.update(terms.keys())
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.lengths = [sum(t.values()) for t in self.docs]
        self.avg_length = (sum(self.lengths) / n) if n else 1.0

    @classmethod
    def for_kb(cls, kb: KnowledgeBase, analyzer: Analyzer) -> Retriever:
        """The index for these articles, built once per process (jieba over every article takes a while)."""
        key = (id(analyzer), tuple((a.citation, a.title, a.summary, a.keywords) for a in kb.articles))
        index = cls._shared.get(key)
        if index is None:
            index = cls._shared[key] = cls(kb, analyzer)
        elif index.kb is not kb:
            index = cls._shared[key] = _with_kb(index, kb)
        return index

    def score_articles(self, question: str) -> list[tuple[float, Article]]:
        query = set(_terms(self.analyzer.features(question)))
        out = []
        for doc, length, article in zip(self.docs, self.lengths, self.kb.articles, strict=True):
            s = 0.0
            for term in query:
                tf = doc.get(term)
                if tf:
                    s += self.idf[term] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avg_length))
            if s > 0:
                out.append((s, article))
        out.sort(key=lambda x: -x[0])
        return out

    def retrieve(
        self,
        question: str,
        decision: Decision | None = None,
        entry_lookup: Callable[[str], dict | None] | None = None,
        k_articles: int = 6,
        k_entries: int = 3,
    ) -> Material:
        """Top articles and FAQ entries for `question`; empty Material when nothing relevant was found."""
        scores: dict[str, float] = {}
        by_citation: dict[str, Article] = {}
        ranked_articles = self.score_articles(question)
        top_article = ranked_articles[0][0] if ranked_articles else 0.0
        top_faq = 0.0
        for s, article in ranked_articles[: k_articles * 2]:
            if s >= MIN_ARTICLE_SCORE:
                scores[article.citation] = s
                by_citation[article.citation] = article
        entries = []
        if decision is not None and entry_lookup is not None:
            for c in decision.candidates:
                if c.score < MIN_FAQ_SCORE or len(entries) >= k_entries:
                    continue
                entry = entry_lookup(c.entry_id)
                if not entry:
                    continue
                entries.append(entry)
                top_faq = max(top_faq, c.score)
                # the entry's legal basis, and any article its answer cites inline, may be cited too
                inline = [written for written, _ in self.kb.find_citations(entry.get("answer", ""))]
                for citation in [*(entry.get("legal_basis") or []), *inline]:
                    article = self.kb.get(citation)
                    if article is not None:
                        scores[article.citation] = scores.get(article.citation, 0.0) + FAQ_BASIS_BOOST * c.score
                        by_citation[article.citation] = article
        ranked = sorted(scores, key=lambda c: -scores[c])[:k_articles]
        return Material(
            articles=[by_citation[c] for c in ranked],
            entries=entries,
            scores={c: round(scores[c], 2) for c in ranked},
            top_article_score=round(top_article, 2),
            top_faq_score=top_faq,
        )


def _terms(f: Features) -> list[str]:
    """Words of two or more characters that are not bare numbers (single characters and digits are noise for
    articles: 月, 年, 3), plus the character bigrams."""
    return [w for w in f.words if len(w) > 1 and not w.isdigit()] + list(f.bigrams)


def _with_kb(index: Retriever, kb: KnowledgeBase) -> Retriever:
    """The same index over an equal knowledge base object."""
    clone = object.__new__(Retriever)
    clone.__dict__.update(index.__dict__)
    clone.kb = kb
    return clone
