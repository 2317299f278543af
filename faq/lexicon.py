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
        spoken = sorted(self.dialect, key=len, reverse=True)
        self._dialect = re.compile("|".join(re.escape(k) for k in spoken)) if spoken else None
        keys = sorted(self.mapping, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None
        words = sorted((w for w in self.context if w), key=len, reverse=True)
        self._context = re.compile("|".join(re.escape(w) for w in words)) if words else None
        self._venting = re.compile("|".join(f"(?:{p})" for p in self.venting)) if self.venting else None

    def calm(self, text: str) -> str:
        """`text` without its venting (the whole text when nothing else is left)."""
        if self._venting is None:
            return text
        rest, found = self._venting.subn(" ", text)
        return (" ".join(rest.split()) or text) if found else text

    def mandarin(self, normalized: str) -> str:
        """`normalized` with its Cantonese words in Mandarin (冇签合同 -> 没签合同)."""
        if self._dialect is None:
            return normalized
        return self._dialect.sub(lambda m: self.dialect[m.group(0)], normalized)

    def apply(self, normalized: str) -> str:
        text = self.calm(self.mandarin(normalized))
        if self._context is not None:
            text = self._context.sub("", text)
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.mapping[m.group(0)], text)

    @classmethod
    def load(cls, path: Path = LEXICON_FILE) -> Lexicon:
        data = load_yaml(path)
        dialect = {normalize(str(k)): normalize(str(v)) for k, v in (data.get("dialect") or {}).items()}
        spoken = Lexicon(mapping={}, domain_words=[], stopwords=frozenset(), greetings=(), dialect=dialect)
        mapping: dict[str, str] = {}
        for canonical, variants in (data.get("synonyms") or {}).items():
            canon = spoken.mandarin(normalize(str(canonical)))
            # The canonical word maps to itself, so that a variant inside it is not replaced again
            # (工头 -> 包工头 must leave 包工头 alone rather than make 包包工头).
            mapping.setdefault(canon, canon)
            for variant in variants or []:
                key = spoken.mandarin(normalize(str(variant)))  # 冇出粮 is read as 没出粮, so it is listed so
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
