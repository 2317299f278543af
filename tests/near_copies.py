"""Near-copies: an evaluation question that is (almost) a FAQ variant or a tuning-set question measures lookup,
not generalisation. Used by the held-out guard (test_faq_data.py) and the matcher table (test_matcher.py).

Texts are compared in the matcher's own normal form (faq.normalize: simplified, half width, no punctuation or
emoji, Chinese numerals as digits) with the spaces removed. A question is a near-copy of a reference text when

- EDIT: they are at most 2 edits apart, and at most one edit per 4 characters of the longer text. Two edits
  cover a typo plus a particle (吗/不/啊) or one swapped word; the per-4-characters cap keeps short openers from
  matching unrelated ones (家暴 and 残联 are 2 edits apart, so are 欠薪黑名单 and 欠薪失信名单, which are
  different words), or
- OVERLAP: the question has at least 10 characters, and runs of 4 characters that occur verbatim in the other
  text cover at least 80% of the question and at least 60% of the other text. Four characters are about two
  words, so a shared run is more than a shared legal term; measured on the sets of 2026-12-06, pairs above both
  thresholds were all one sentence re-used with a clause added or dropped, or a number changed (在新疆交了五年社保
  ... / ...四年社保...), which edit distance misses; pairs below them shared a set phrase (支持起诉, 拒不支付劳动
  报酬罪) and a common frame but were written separately.

Questions under 5 characters are bare keywords or greetings (支付令, 在吗): there are only a few ways to write
them, the FAQ must list them as variants, and they are not checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from faq.normalize import normalize

MIN_CHARS = 5
MAX_EDITS = 2
CHARS_PER_EDIT = 4
RUN = 4
OVERLAP_MIN_CHARS = 10
OVERLAP_QUESTION = 0.8
OVERLAP_OTHER = 0.6


def squash(text: object) -> str:
    """The matcher's normal form without spaces."""
    return normalize(str(text)).replace(" ", "")


def _runs(text: str) -> set[str]:
    return {text[i : i + RUN] for i in range(len(text) - RUN + 1)}


def _covered(text: str, runs: set[str]) -> float:
    """The share of `text`'s characters inside a run of RUN characters that is in `runs`."""
    covered = [False] * len(text)
    for i in range(len(text) - RUN + 1):
        if text[i : i + RUN] in runs:
            covered[i : i + RUN] = [True] * RUN
    return sum(covered) / len(text) if text else 0.0


@dataclass(frozen=True)
class NearCopy:
    source: str  # where the other text is, e.g. "faq:arb-free" or "tune2_questions.yaml:u107"
    text: str  # the other text as written
    reason: str  # "edit 1" or "overlap 0.93/0.86"

    def __str__(self) -> str:
        return f"{self.source} {self.text!r} ({self.reason})"


class NearCopyFinder:
    """The reference texts (FAQ questions and variants, tuning questions), indexed for `find`."""

    def __init__(self, references: list[tuple[str, str]]):
        self.labels = [label for label, _ in references]
        self.raw = [text for _, text in references]
        self.texts = [squash(text) for text in self.raw]
        self.runs = [_runs(t) for t in self.texts]
        self.by_run: dict[str, list[int]] = defaultdict(list)
        for k, runs in enumerate(self.runs):
            for run in runs:
                self.by_run[run].append(k)

    def find(self, question: object) -> list[NearCopy]:
        """Every reference text `question` is a near-copy of (empty for a short question)."""
        q = squash(question)
        if len(q) < MIN_CHARS:
            return []
        found: dict[int, str] = {}
        for _, distance, k in process.extract(
            q, self.texts, scorer=Levenshtein.distance, score_cutoff=MAX_EDITS, limit=None
        ):
            if distance <= max(len(q), len(self.texts[k])) // CHARS_PER_EDIT:
                found[k] = f"edit {distance}"
        if len(q) >= OVERLAP_MIN_CHARS:
            q_runs = _runs(q)
            for k in {k for run in q_runs for k in self.by_run.get(run, ())} - set(found):
                mine, theirs = _covered(q, self.runs[k]), _covered(self.texts[k], q_runs)
                if mine >= OVERLAP_QUESTION and theirs >= OVERLAP_OTHER:
                    found[k] = f"overlap {mine:.2f}/{theirs:.2f}"
        return [NearCopy(self.labels[k], self.raw[k], reason) for k, reason in sorted(found.items())]


def faq_references(entries: list[dict]) -> list[tuple[str, str]]:
    """(label, text) for every FAQ question and variant."""
    return [(f"faq:{e['id']}", v) for e in entries for v in [e["question"], *e["variants"]]]


def question_references(path, items: list[dict]) -> list[tuple[str, str]]:
    """(label, text) for every question of an evaluation file, and the earlier messages of its conversations
    (`before:`): tuning on a conversation tunes on those too."""
    out = []
    for i in items:
        out.append((f"{path.name}:{i.get('id')}", str(i["text"])))
        out += [(f"{path.name}:{i.get('id')}:before", str(b)) for b in i.get("before") or []]
    return out
