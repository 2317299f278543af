"""The FAQ matcher: which entry answers a question, and how sure we are.

Every entry is represented by its standard question and each colloquial variant ("documents"). A question is
compared with every document on two channels, jieba words and character bigrams (bigrams make it robust to
typos and to segmentation differences). On each channel the overlap is weighted by inverse document frequency
and read two ways: how much of the question the document explains (query coverage) and how much of the
document the question contains (document coverage). Long, rambling messages are judged mostly on document
coverage, since the question is buried in a story. An entry scores the best of its documents plus a little
credit for the whole entry's vocabulary. Scores lie in [0, 1].

The decision has three outcomes: answered (confident), suggested (offer up to 3 numbered choices),
unanswered (fallback). The bands were tuned on the dev set and on the FAQ's own variants (leave-one-out);
see `python bot.py bench quality`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from faq.analyzer import Analyzer, Features
from faq.index import FeatureIndex
from faq.normalize import normalize
from faq.yamlio import load_yaml
from storage.vocab import Outcome

OUT_OF_SCOPE_FILE = Path(__file__).with_name("out_of_scope.yaml")
DECISION_CACHE_SIZE = 4096
TOPIC_BONUS = 0.08  # added to the entries of the conversation's topic when a follow-up is read in context

# A decision's outcome is the outcome logged for it.
ANSWERED, TENTATIVE, SUGGESTED, UNANSWERED = Outcome.ANSWERED, Outcome.TENTATIVE, Outcome.SUGGESTED, Outcome.UNANSWERED


@dataclass(frozen=True)
class Bands:
    """Confidence bands.

    answered: the best entry reaches `answer` and leads the runner-up by `margin` (or reaches `sure`).
    tentative: the best entry reaches `tentative` and leads by `tentative_margin`: answer it, and offer the
    runners-up as numbered choices. suggested: only the numbered choices. Below `suggest`: the fallback.
    """

    answer: float = 0.44
    margin: float = 0.04
    sure: float = 0.62
    # A score over `sure` answers only when it leads the runner-up by `sure_margin`: the top of a near-tie between
    # two strong entries is not "sure" (老板欠我工钱不给: legal aid 0.74, where to complain 0.73).
    sure_margin: float = 0.03
    # Short messages (up to `head_chars` characters) are head queries: the topic's hub (the entry that says what
    # to do first) answers them when it scores within `hub_gap` of the best entry, and wins every near-tie.
    head_chars: int = 12
    hub_gap: float = 0.05
    tentative: float = 0.18
    tentative_margin: float = 0.0
    suggest: float = 0.14
    suggest_gap: float = 0.12  # only offer runners-up within this distance of the best
    alternative_gap: float = 0.25  # with a tentative answer, offer runners-up within this distance
    # Below `answer`, the best entry's vocabulary must explain this share of the question's words (idf-weighted);
    # otherwise the question is mostly about something the FAQ doesn't know (新能源车, 彩礼…): fallback.
    min_coverage: float = 0.2
    # ... and for long messages (a story with one question in it), whose own words the FAQ cannot explain
    min_coverage_long: float = 0.1
    # A long story scores lower against every entry (most of its words are the story's own), while its ranking
    # stays good: for long messages the tentative and suggest thresholds are multiplied by this.
    long_scale: float = 0.9


@dataclass(frozen=True)
class Weights:
    """How a score is made (tuned on the dev and tuning sets, never on the held-out set)."""

    word: float = 0.5  # word channel vs character-bigram channel
    entry: float = 0.5  # credit for the whole entry's vocabulary vs the best single document
    alpha_short: float = 0.5  # weight of query coverage (vs document coverage) for short questions
    alpha_long: float = 0.4  # ... and for long, rambling ones
    long_chars: int = 40  # a question longer than this (normalised) is "long"
    idf_power: float = 1.0  # >1 favours rare, specific words
    # Terms found in more than this share of entries can be dropped like stopwords. Off (1.0): a message made only
    # of common words (老板不给钱) must still reach the entry written for it, and two-stage scoring keeps the cost
    # flat without pruning.
    max_df: float = 1.0
    shortlist: int = 40  # with more entries than this, only the best-covered ones get document-level scoring


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    score: float
    question: str
    topic: str
    coverage: float = 1.0  # share of the question's word mass found in the entry's vocabulary


@dataclass
class Decision:
    outcome: str
    candidates: list[Candidate] = field(default_factory=list)  # ranked, best first
    choices: list[Candidate] = field(default_factory=list)  # what to offer when suggesting

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@cache
def load_out_of_scope() -> tuple[str, ...]:
    return tuple(str(q) for q in load_yaml(OUT_OF_SCOPE_FILE) or [])


class Matcher:
    """Ranks FAQ entries for a question. Build once per FAQ version; `rank` and `decide` are thread-safe.

    `decide(text)` is `decide_uncached(text)` behind an LRU cache of recent questions; Decisions are shared, so
    callers must not change them.
    """

    def __init__(
        self,
        entries: Sequence[dict],
        analyzer: Analyzer,
        bands: Bands | None = None,
        out_of_scope: Sequence[str] | None = None,
        weights: Weights | None = None,
    ):
        """`out_of_scope`: example questions the bot must not answer (default: faq/out_of_scope.yaml)."""
        self.analyzer = analyzer
        self.bands = bands or Bands()
        self.weights = w = weights or Weights()
        self.entries = [e for e in entries if e.get("enabled", True)]
        self.by_id = {e["id"]: e for e in self.entries}
        negatives = load_out_of_scope() if out_of_scope is None else list(out_of_scope)
        # The out-of-scope examples are indexed after the real entries, as one pseudo-entry each.
        indexed = self.entries + [{"question": q} for q in negatives]
        self._n_real = len(self.entries)
        words, bigrams, owner = [], [], []
        for i, entry in enumerate(indexed):
            for text in [entry["question"], *entry.get("variants", [])]:
                f = analyzer.features(text)
                if not f.words and not f.bigrams:
                    continue
                words.append(f.words)
                bigrams.append(f.bigrams)
                owner.append(i)
        self.doc_entry = np.array(owner, dtype=np.int64)
        n = len(indexed)
        self.words = FeatureIndex(words, self.doc_entry, n, w.idf_power, w.max_df)
        self.bigrams = FeatureIndex(bigrams, self.doc_entry, n, w.idf_power, w.max_df)
        # documents are stored entry by entry, so an entry's documents are one contiguous run [first, first+count)
        self._doc_count = np.bincount(self.doc_entry, minlength=n)
        self._doc_first = np.cumsum(self._doc_count) - self._doc_count
        self._negatives = np.arange(self._n_real, n)
        self._hubs = [i for i, e in enumerate(self.entries) if e.get("hub")]
        self._hub_index = np.array(self._hubs, dtype=np.int64)
        exact: dict[str, set[int]] = {}
        for i, entry in enumerate(self.entries):
            for text in [entry["question"], *entry.get("variants", [])]:
                exact.setdefault(analyzer.canonical(text).replace(" ", ""), set()).add(i)
        self._exact = {k: tuple(sorted(v)) for k, v in exact.items()}
        self.hub_of = {self.entries[i]["topic"]: self.entries[i]["id"] for i in self._hubs}
        topic_rows: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            topic_rows.setdefault(e["topic"], []).append(i)
        self._topic_index = {t: np.array(rows, dtype=np.int64) for t, rows in topic_rows.items()}
        # Many users send the same words (工资被拖欠了怎么办, 包工头跑了): remember recent decisions. A new FAQ
        # version builds a new Matcher, so the cache never outlives the entries it was computed from.
        self._recent = lru_cache(maxsize=DECISION_CACHE_SIZE)(self.decide_uncached)

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def _channel_score(doc_hit, mass_q, doc_mass, alpha: float) -> np.ndarray:
        cq = doc_hit / mass_q if mass_q else np.zeros_like(doc_hit)
        cd = doc_hit / doc_mass
        if alpha == 0.5:
            return np.sqrt(cq * cd)
        return np.power(cq, alpha) * np.power(cd, 1 - alpha)

    def scores(self, features: Features) -> np.ndarray:
        """One score per entry (real entries, then out-of-scope examples) for an analysed question."""
        return self._scores(features)[0]

    def _scores(self, features: Features) -> tuple[np.ndarray, np.ndarray]:
        """(scores, word coverage) per entry.

        Two stages: every entry gets its vocabulary coverage (cheap: entry postings); only the entries with the
        best coverage (and the out-of-scope examples) get their documents scored one by one. An entry's coverage
        bounds its documents' query coverage, so the best entries are never cut at this stage.
        """
        if not self.entries:
            return np.zeros(0), np.zeros(0)
        w = self.weights
        alpha = w.alpha_long if len(features.text) > w.long_chars else w.alpha_short
        wk, wm = self.words.query(features.words)
        bk, bm = self.bigrams.query(features.bigrams)
        word_cover = self.words.entry_overlap(wk) / wm if wm else np.zeros(self.words.n_entries)
        bigram_cover = self.bigrams.entry_overlap(bk) / bm if bm else np.zeros(self.words.n_entries)
        entry_cover = w.word * word_cover + (1 - w.word) * bigram_cover
        score = w.entry * entry_cover

        if self._n_real <= w.shortlist:
            shortlist = np.arange(self.words.n_entries)
        else:
            # The best-covered entries, plus the hubs and any entry with a question or variant written exactly like
            # this message: a message of common words (工资) ties most entries on coverage, and cutting that tie
            # arbitrarily dropped the very entry written for it.
            best = np.argpartition(-entry_cover[: self._n_real], w.shortlist - 1)[: w.shortlist]
            extra = self._exact.get(features.text.replace(" ", ""), ())
            best = np.union1d(best, np.concatenate([self._hub_index, np.array(extra, dtype=np.int64)]))
            shortlist = np.concatenate([best, self._negatives])
        shortlist = shortlist[self._doc_count[shortlist] > 0]
        counts = self._doc_count[shortlist]
        ends = np.cumsum(counts)
        docs = np.arange(int(ends[-1])) + np.repeat(self._doc_first[shortlist] - (ends - counts), counts)
        doc_score = w.word * self._channel_score(
            self.words.doc_overlap(wk, docs), wm, self.words.doc_mass[docs], alpha
        ) + (1 - w.word) * self._channel_score(
            self.bigrams.doc_overlap(bk, docs), bm, self.bigrams.doc_mass[docs], alpha
        )
        score[shortlist] += (1 - w.entry) * np.maximum.reduceat(doc_score, ends - counts)
        return score, word_cover

    def rank(self, text: str, k: int = 5) -> list[Candidate]:
        return self._rank(text, k)[0]

    def _candidate(self, i: int, s: np.ndarray, coverage: np.ndarray) -> Candidate:
        e = self.entries[i]
        return Candidate(e["id"], round(float(s[i]), 4), e["question"], e["topic"], round(float(coverage[i]), 4))

    def _rank(self, text: str, k: int, topic: str | None = None) -> tuple[list[Candidate], float, list[Candidate]]:
        """(top-k real entries, best out-of-scope example score, hub entries by score).

        `topic`: the conversation's topic, whose entries get TOPIC_BONUS (a follow-up is read in its context)."""
        all_scores, coverage = self._scores(self.analyzer.features(text))
        s = all_scores[: self._n_real]
        if topic is not None and topic in self._topic_index:
            s = s.copy()
            s[self._topic_index[topic]] += TOPIC_BONUS
        negative = float(all_scores[self._n_real :].max()) if len(all_scores) > self._n_real else 0.0
        if not len(s):
            return [], negative, []
        k = min(k, len(s))
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top], kind="stable")]
        hubs = sorted(self._hubs, key=lambda i: -s[i])
        return [self._candidate(int(i), s, coverage) for i in top], negative, [self._candidate(i, s, coverage) for i in hubs]

    def decide(self, text: str, topic: str | None = None) -> Decision:
        """Answered / tentative / suggested / unanswered for a question (remembered for repeated questions).

        `topic`: read the question as part of a conversation about this topic (see `_rank`)."""
        return self._recent(text, topic)

    def is_hub(self, entry_id: str) -> bool:
        return bool(self.by_id.get(entry_id, {}).get("hub"))

    def _hub_for(self, text: str, ranked: list[Candidate], hubs: list[Candidate]) -> Candidate | None:
        """Head queries: the hub that should answer a short, generic message instead of the best (more specific)
        entry, when it is about as good as that entry and explains as much of the message."""
        if not ranked or not hubs or self.is_hub(ranked[0].entry_id):
            return None
        if len(normalize(text).replace(" ", "")) > self.bands.head_chars:
            return None
        top = ranked[0]
        for hub in hubs[:3]:
            if hub.score >= top.score - self.bands.hub_gap and hub.coverage >= top.coverage:
                return hub
        return None

    def decide_uncached(self, text: str, topic: str | None = None) -> Decision:
        """Answered / tentative / suggested / unanswered, with the ranked candidates (see `decide`)."""
        ranked, negative, hubs = self._rank(text, k=5, topic=topic)
        decision = self._decide(text, ranked, negative)
        hub = self._hub_for(text, ranked, hubs)
        if hub is None or decision.outcome == UNANSWERED:
            return decision
        rest = [c for c in decision.candidates if c.entry_id != hub.entry_id]
        if decision.outcome in (ANSWERED, TENTATIVE):
            return Decision(decision.outcome, [hub, *rest], [c for c in decision.choices if c.entry_id != hub.entry_id])
        return Decision(decision.outcome, [hub, *rest], [hub, *[c for c in decision.choices if c.entry_id != hub.entry_id]][:3])

    def _decide(self, text: str, ranked: list[Candidate], negative: float) -> Decision:
        b = self.bands
        long = len(text) > self.weights.long_chars
        suggest = b.suggest * b.long_scale if long else b.suggest
        tentative = b.tentative * b.long_scale if long else b.tentative
        if not ranked or ranked[0].score < suggest:
            return Decision(UNANSWERED, ranked)
        top = ranked[0].score
        if negative >= top and top < b.sure:  # more like a known out-of-scope question than like any entry
            return Decision(UNANSWERED, ranked)
        floor = b.min_coverage_long if long else b.min_coverage
        if top < b.answer and ranked[0].coverage < floor:
            return Decision(UNANSWERED, ranked)
        second = ranked[1].score if len(ranked) > 1 else 0.0
        hub_first = self.is_hub(ranked[0].entry_id)
        if top >= b.sure and (top - second >= b.sure_margin or hub_first):
            return Decision(ANSWERED, ranked)
        if top >= b.answer and top - second >= b.margin:
            return Decision(ANSWERED, ranked)
        if top >= b.sure:  # a near-tie of strong entries: a hub among them wins, else answer tentatively
            close = [c for c in ranked[1:4] if top - c.score < b.sure_margin]
            hub = next((c for c in close if self.is_hub(c.entry_id)), None)
            if hub is not None:
                return Decision(ANSWERED, [hub, *[c for c in ranked if c.entry_id != hub.entry_id]])
            return Decision(TENTATIVE, ranked, close)
        close = [c for c in ranked[:3] if top - c.score <= b.suggest_gap and c.score >= suggest]
        if top >= tentative and top - second >= b.tentative_margin:
            others = [c for c in ranked[1:4] if c.score >= suggest and top - c.score <= b.alternative_gap]
            return Decision(TENTATIVE, ranked, others)
        return Decision(SUGGESTED, ranked, close)
