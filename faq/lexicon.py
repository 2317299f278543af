"""The colloquial lexicon: synonyms, dialect and common misspellings mapped to one canonical term.

Loaded from `lexicon.yaml` beside this file. Applied to FAQ text and user text alike, after normalisation and
before segmentation, longest variant first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from faq.normalize import normalize
from faq.yamlio import load_yaml

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")


def _longest_first(words) -> re.Pattern | None:
    """One alternation of `words`, the longest first (冇出粮 before 冇), or None when there are none."""
    ordered = sorted((w for w in words if w), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None


def _replaced(rx: re.Pattern | None, mapping: dict[str, str], text: str) -> str:
    return text if rx is None else rx.sub(lambda m: mapping[m.group(0)], text)


@dataclass
class Lexicon:
    mapping: dict[str, str]
    domain_words: list[str]
    stopwords: frozenset[str]
    greetings: tuple[str, ...]
    # who and where, not what (城中村, 环卫工, 按摩店): dropped from the text so that they neither pull a question to
    # the one entry that happens to mention them nor leave it "unexplained" by every entry
    context: tuple[str, ...] = ()
    # venting (憋屈死了, 气得我肺都要炸了, 这活干得要命): how the person feels, not what they ask. Dropped before matching
    # and before the scope check, which both read them as unexplained words; safety still reads the message as sent.
    venting: tuple[str, ...] = ()
    # Cantonese words (冇, 唔, 睇, 佢 …) -> Mandarin, before anything else: unlike synonyms, not topics of their own
    dialect: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._dialect = _longest_first(self.dialect)
        self._pattern = _longest_first(self.mapping)
        context = _longest_first(self.context)
        # (a place's card is a thing: 超市卡 is wages paid in kind, not a supermarket)
        self._context = re.compile(f"(?:{context.pattern})(?!卡)") if context is not None else None
        self._venting = re.compile("|".join(f"(?:{p})" for p in self.venting)) if self.venting else None

    def calm(self, text: str) -> str:
        """`text` without its venting (the whole text when nothing else is left)."""
        if self._venting is None:
            return text
        rest, found = self._venting.subn(" ", text)
        return (" ".join(rest.split()) or text) if found else text

    def mandarin(self, normalized: str) -> str:
        """`normalized` with its Cantonese words in Mandarin (冇签合同 -> 没签合同)."""
        return _replaced(self._dialect, self.dialect, normalized)

    def apply(self, normalized: str) -> str:
        text = self.calm(self.mandarin(normalized))
        if self._context is not None:
            text = self._context.sub("", text)
        return _replaced(self._pattern, self.mapping, text)

    @classmethod
    def load(cls, path: Path = LEXICON_FILE) -> Lexicon:
        data = load_yaml(path)
        dialect = {normalize(str(k)): normalize(str(v)) for k, v in (data.get("dialect") or {}).items()}
        spoken = _longest_first(dialect)

        def mandarin(word: object) -> str:
            return _replaced(spoken, dialect, normalize(str(word)))

        mapping: dict[str, str] = {}
        for canonical, variants in (data.get("synonyms") or {}).items():
            canon = mandarin(canonical)
            # The canonical word maps to itself, so that a variant inside it is not replaced again
            # (工头 -> 包工头 must leave 包工头 alone rather than make 包包工头).
            mapping.setdefault(canon, canon)
            for variant in variants or []:
                key = mandarin(variant)  # 冇出粮 is read as 没出粮, so it is listed so
                if key and key != canon:
                    mapping[key] = canon
        domain = [normalize(str(w)) for w in data.get("domain_words") or []]
        domain += [c for c in set(mapping.values()) if c]
        stop = frozenset(normalize(str(w)) for w in data.get("stopwords") or [])
        greet = tuple(sorted((normalize(str(w)) for w in data.get("greetings") or []), key=len, reverse=True))
        context = tuple(normalize(str(w)) for w in data.get("context_words") or [])
        venting = tuple(str(p) for p in data.get("venting") or [])
        return cls(
            mapping=mapping,
            domain_words=sorted(set(domain)),
            stopwords=stop,
            greetings=greet,
            context=context,
            venting=venting,
            dialect=dialect,
        )


@cache
def shipped_lexicon() -> Lexicon:
    """lexicon.yaml, read once per process: the analyzer and the scope check (which drops venting) share it."""
    return Lexicon.load()
