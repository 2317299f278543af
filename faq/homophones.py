"""Voice-input slips by sound: a run of characters that reads exactly like a domain term becomes that term.

Speech recognition writes what it hears, so 怀孕 arrives as 怀运, 性骚扰 as 性扫扰, 法律援助 as 法律圆助. The lexicon
lists the slips seen so far; this catches the ones not yet seen, by toneless pinyin, with three guards so that
real words are left alone:

- the run must start and end on the segmenter's word boundaries and span at least two of its words, so a word in
  jieba's dictionary (检查, 工商, 同工同酬) is never rewritten, nor is part of one;
- a lexicon key (a known variant such as 法援) is never rewritten;
- a two-character run is rewritten only when neither character is a common function character: 不交 (bù jiāo)
  stays "not paying", though it sounds like 补缴.

Measured on every tuning, held-out and FAQ text (about 22,000): 72 rewrites, all of them real slips.

The readings come from `readings.txt` beside this file: each character's default reading without tones, written
from pypinyin by `python -m faq.homophones --write` (pypinyin is a development dependency; importing it costs
about 57 MB per worker, the table 2 MB). Terms are read character by character, as the user's text is.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

READINGS_FILE = Path(__file__).with_name("readings.txt")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
FUNCTION_CHARS = frozenset(
    "不了的是我你他她它在有就和也都还要会能给把被让说到去来对这那个么吗呢吧啊没很又再才只一上下中老小大多少几"
)
MIN_LEN, MAX_LEN = 2, 6


@lru_cache(maxsize=1)
def load_readings(path: Path = READINGS_FILE) -> dict[str, str]:
    """character -> toneless reading, from lines of "reading characters"."""
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            reading, chars = line.split(" ", 1)
            table.update(dict.fromkeys(chars, reading))
    return table


def _readable_terms(terms: Iterable[str]) -> list[str]:
    """The terms a reading can restore: 2–6 Chinese characters."""
    return [t for t in terms if MIN_LEN <= len(t) <= MAX_LEN and _HAN.fullmatch(t)]


def _sound(text: str, read: Callable[[str, str], str]) -> tuple[str, ...] | None:
    """Each character's toneless reading, or None when one has none."""
    sound = tuple(read(c, "") for c in text)
    return None if "" in sound else sound


class Homophones:
    def __init__(
        self,
        terms: Iterable[str],
        known: Iterable[str],
        cut: Callable[[str], list[str]],
        readings: dict[str, str] | None = None,
    ):
        """terms: the canonical domain words to restore; known: strings never rewritten (lexicon keys);
        cut: the segmenter (no HMM), whose word boundaries a rewrite must respect."""
        self._read = (readings if readings is not None else load_readings()).get
        terms = set(_readable_terms(terms))
        self._known = frozenset(known) | terms
        self._cut = cut
        self._by_sound: dict[tuple[str, ...], str] = {}
        for term in sorted(terms):
            sound = _sound(term, self._read)
            if sound is not None:
                self._by_sound.setdefault(sound, term)
        self._lengths = sorted({len(s) for s in self._by_sound}, reverse=True)
        self._openings = {s[:2] for s in self._by_sound}  # the first two readings of some term: prunes most starts

    def apply(self, text: str) -> str:
        return " ".join(self._chunk(chunk) for chunk in text.split(" "))

    def _chunk(self, chunk: str) -> str:
        spans = self._candidates(chunk)
        if not spans:  # the common case: nothing sounds like a term but the term itself; no segmentation needed
            return chunk
        words = self._cut(chunk)
        if sum(map(len, words)) != len(chunk):  # the segmenter changed the text: leave it alone
            return chunk
        starts, ends, pos = {}, {}, 0
        for i, w in enumerate(words):
            starts[pos] = i
            pos += len(w)
            ends[pos] = i
        out, last = [], 0
        for start, end, term in spans:
            if start < last or start not in starts or end not in ends or starts[start] == ends[end]:
                continue  # overlaps a rewrite, cuts through a word, or is one dictionary word
            if end - start == 2 and (set(chunk[start:end]) & FUNCTION_CHARS):
                continue
            out += [chunk[last:start], term]
            last = end
        return "".join(out) + chunk[last:] if out else chunk

    def _candidates(self, chunk: str) -> list[tuple[int, int, str]]:
        """(start, end, term) for each run that sounds like a term without being it, longest first at each start."""
        if len(chunk) < MIN_LEN:
            return []
        sound = [self._read(c, "") for c in chunk]
        found = []
        openings = self._openings
        for start in range(len(chunk) - 1):
            if (sound[start], sound[start + 1]) not in openings:
                continue
            for length in self._lengths:
                end = start + length
                if end > len(chunk):
                    continue
                term = self._by_sound.get(tuple(sound[start:end]))
                if term is None:
                    continue
                run = chunk[start:end]
                if run not in self._known:
                    found.append((start, end, term))
                break  # the longest term that sounds right at this start decides
        return found


class PinyinWords:
    """Whole words typed in pinyin (gongshang, she bao, chanjia几天): a run of Latin letters that spells the toneless
    reading of domain terms, end to end, becomes those terms. Nothing shorter than four letters or two syllables is
    touched, so ok, hi, app and sos stay as they are; a run that does not spell terms completely stays too."""

    MIN_LETTERS = 4

    def __init__(self, terms: Iterable[str], readings: dict[str, str] | None = None):
        """terms: the Chinese words to restore, first listed first kept when two share a spelling (工伤, 工商)."""
        read = (readings if readings is not None else load_readings()).get
        self._by_spelling: dict[str, str] = {}
        for term in _readable_terms(terms):
            sound = _sound(term, read)
            if sound is not None:
                self._by_spelling.setdefault("".join(sound), term)
        self._longest = max(map(len, self._by_spelling), default=0)

    def apply(self, text: str) -> str:
        if not self._by_spelling or not _LATIN.search(text):
            return text
        return _LATIN_RUN.sub(self._replace, text)

    def _replace(self, m: re.Match[str]) -> str:
        run = m.group(0)
        joined = run.replace(" ", "")
        if len(joined) < self.MIN_LETTERS:
            return run
        whole = self._spell(joined)
        if whole is not None:
            return whole
        return " ".join(self._spell(w) or w if len(w) >= self.MIN_LETTERS else w for w in run.split(" "))

    def _spell(self, letters: str) -> str | None:
        """The terms that spell `letters` exactly, fewest terms first, or None."""
        best: list[list[str] | None] = [[]] + [None] * len(letters)
        for end in range(1, len(letters) + 1):
            for start in range(max(0, end - self._longest), end):
                prefix = best[start]
                term = self._by_spelling.get(letters[start:end])
                if prefix is not None and term is not None and (best[end] is None or len(prefix) + 1 < len(best[end])):
                    best[end] = [*prefix, term]
        found = best[-1]
        return "".join(found) if found else None


_LATIN = re.compile(r"[a-z]{2}")
_LATIN_RUN = re.compile(r"[a-z]+(?: [a-z]+)*")


def write_readings(path: Path = READINGS_FILE) -> int:
    """Write the reading table from pypinyin (default reading of each CJK character, without tones)."""
    from pypinyin import lazy_pinyin

    chars: dict[str, list[str]] = {}
    for cp in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]:
        ch = chr(cp)
        reading = lazy_pinyin(ch)[0]
        if reading != ch and reading.isascii() and reading.isalpha():
            chars.setdefault(reading, []).append(ch)
    head = "# 每个汉字的默认读音（不带声调），由 pypinyin 生成：python -m faq.homophones --write\n"
    path.write_text(head + "".join(f"{r} {''.join(c)}\n" for r, c in sorted(chars.items())), encoding="utf-8")
    return sum(len(c) for c in chars.values())


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        print(f"wrote {write_readings()} characters to {READINGS_FILE}")
    else:
        sys.exit("usage: python -m faq.homophones --write")
