"""Loading the per-law YAML files and resolving citations like 《劳动合同法》第82条第1款."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from faq.yamlio import load_yaml

ARTICLES_DIR = Path(__file__).with_name("articles")

# 《法名》第N条[之一][第N款][第N项] — N may be Arabic or Chinese numerals in model output.
CITATION_RE = re.compile(
    r"《(?P<law>[^《》\n]{2,40})》\s*第(?P<num>[0-9零一二三四五六七八九十百]+)条(?P<sub>之[一二三四五六七八九十]+)?"
    r"(?:第[0-9零一二三四五六七八九十]+款)?(?:第[0-9零一二三四五六七八九十]+项)?"
)
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _to_int(num: str) -> int:
    if num.isdigit():
        return int(num)
    total, current = 0, 0
    for ch in num:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def parse_citation(text: str) -> tuple[str, str] | None:
    """(law, article key like 第82条 / 第276条之一) for a citation string, or None when it is not one."""
    m = CITATION_RE.search(text or "")
    if not m:
        return None
    return m.group("law").strip(), f"第{_to_int(m.group('num'))}条{m.group('sub') or ''}"


@dataclass(frozen=True)
class Article:
    law: str
    article: str
    title: str
    summary: str
    full_name: str = ""
    version: str = ""
    source: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.article}"


class KnowledgeBase:
    def __init__(self, articles: list[Article]):
        self.articles = articles
        self._by_key = {(a.law, a.article): a for a in articles}
        self.laws = sorted({a.law for a in articles})

    @classmethod
    def load(cls, directory: str | Path = ARTICLES_DIR) -> KnowledgeBase:
        articles = []
        for path in sorted(Path(directory).glob("*.yaml")):
            data = load_yaml(path) or {}
            for rec in data.get("articles") or []:
                articles.append(
                    Article(
                        law=data["law"],
                        article=str(rec["article"]).strip(),
                        title=str(rec.get("title", "")),
                        summary=str(rec.get("summary", "")).strip(),
                        full_name=data.get("full_name", ""),
                        version=str(data.get("version", "")),
                        source=data.get("source", ""),
                        keywords=tuple(rec.get("keywords") or ()),
                    )
                )
        return cls(articles)

    def get(self, citation: str) -> Article | None:
        key = parse_citation(citation)
        return self._by_key.get(key) if key else None

    def has(self, citation: str) -> bool:
        return self.get(citation) is not None

    def citations(self) -> list[str]:
        return [a.citation for a in self.articles]

    def find_citations(self, text: str) -> list[tuple[str, Article | None]]:
        """Every 《…》第…条 in a text with the article it resolves to (None when unknown)."""
        out = []
        for m in CITATION_RE.finditer(text or ""):
            out.append((m.group(0), self.get(m.group(0))))
        return out
