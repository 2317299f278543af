"""The colloquial lexicon: synonyms, dialect and common misspellings mapped to one canonical term.

Loaded from `lexicon.yaml` beside this file. Applied to FAQ text and user text alike, after normalisation and
before segmentation, longest variant first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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

    def __post_init__(self) -> None:
        keys = sorted(self.mapping, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None

    def apply(self, normalized: str) -> str:
        if self._pattern is None:
            return normalized
        return self._pattern.sub(lambda m: self.mapping[m.group(0)], normalized)

    @classmethod
    def load(cls, path: Path = LEXICON_FILE) -> Lexicon:
        data = load_yaml(path)
        mapping: dict[str, str] = {}
        for canonical, variants in (data.get("synonyms") or {}).items():
            canon = normalize(str(canonical))
            # The canonical word maps to itself, so that a variant inside it is not replaced again
            # (工头 -> 包工头 must leave 包工头 alone rather than make 包包工头).
            mapping.setdefault(canon, canon)
            for variant in variants or []:
                key = normalize(str(variant))
                if key and key != canon:
                    mapping[key] = canon
        domain = [normalize(str(w)) for w in data.get("domain_words") or []]
        domain += [c for c in set(mapping.values()) if c]
        stop = frozenset(normalize(str(w)) for w in data.get("stopwords") or [])
        greet = tuple(sorted((normalize(str(w)) for w in data.get("greetings") or []), key=len, reverse=True))
        return cls(mapping=mapping, domain_words=sorted(set(domain)), stopwords=stop, greetings=greet)
