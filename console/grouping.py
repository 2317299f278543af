"""Grouping similar unanswered questions: greedy clustering on the Analyzer's features (Jaccard similarity).

Deterministic: questions are taken most frequent first, and each joins the most similar existing group whose
leader (its first, most frequent question) is at least THRESHOLD similar, or starts a new group.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

THRESHOLD = 0.45


@dataclass
class Group:
    leader: str
    members: list[dict] = field(default_factory=list)  # {"text", "n", "last_day"}, most frequent first
    features: frozenset = frozenset()

    @property
    def total(self) -> int:
        return sum(m["n"] for m in self.members)

    @property
    def last_day(self) -> str:
        return max(m["last_day"] for m in self.members)

    @property
    def outcomes(self) -> dict[str, int]:
        """How often each outcome was logged for the group's questions."""
        out: Counter[str] = Counter()
        for m in self.members:
            out.update(m.get("outcomes") or {})
        return dict(out)

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.members]


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def group_questions(
    rows: list[dict], features: Callable[[str], frozenset], threshold: float = THRESHOLD
) -> list[Group]:
    """Groups of similar questions, largest first (ties: most recent first). `rows` have text, n, last_day."""
    ordered = sorted(rows, key=lambda r: (-r["n"], r["text"]))
    groups: list[Group] = []
    postings: dict[str, list[int]] = defaultdict(list)  # feature -> groups whose leader has it
    for row in ordered:
        feats = features(row["text"])
        shared: Counter[int] = Counter()
        for feat in feats:
            for gi in postings.get(feat, ()):
                shared[gi] += 1
        best, best_sim = -1, 0.0
        for gi, n in shared.items():  # Jaccard with each leader that shares a feature; ties go to the older group
            sim = n / (len(feats) + len(groups[gi].features) - n)
            if sim > best_sim or (sim == best_sim and gi < best):
                best, best_sim = gi, sim
        member = {"text": row["text"], "n": row["n"], "last_day": row["last_day"], "outcomes": row.get("outcomes") or {}}
        if best >= 0 and best_sim >= threshold:
            groups[best].members.append(member)
        else:
            for feat in feats:
                postings[feat].append(len(groups))
            groups.append(Group(row["text"], [member], feats))
    groups.sort(key=lambda g: (-g.total, _neg_day(g.last_day), g.leader))
    return groups


def _neg_day(day: str) -> tuple:
    return tuple(-int(p) for p in day.split("-")) if day else ()


def analyzer_features(analyzer) -> Callable[[str], frozenset]:
    """Word and character-bigram features from the project's Analyzer (normalised, lexicon applied)."""

    def features(text: str) -> frozenset:
        f = analyzer.features(text)
        return frozenset(f.bigrams) | frozenset("w:" + w for w in f.words)

    return features
