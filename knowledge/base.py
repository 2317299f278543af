"""Loading the per-law YAML files and resolving citations like 《劳动合同法》第82条第1款.

Each record says how many paragraphs (款) its article has and how many items (项) each paragraph lists, so a
citation of a paragraph or item can be checked (`Article.part_problem`). Each record also says where its text
was checked (`source`, see knowledge/README.md); `references.yaml` lists the statute texts behind `original`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from faq.yamlio import load_yaml

ARTICLES_DIR = Path(__file__).with_name("articles")
REFERENCES_FILE = Path(__file__).with_name("references.yaml")
SOURCES = ("original", "verified", "secondary")

_NUM = "[0-9零〇一二两三四五六七八九十百千]+"
# 《法名》第N条[之一][第N款][第N项] — N may be Arabic or Chinese numerals in model output.
CITATION_RE = re.compile(
    rf"《(?P<law>[^《》\n]{{2,40}})》\s*第(?P<num>{_NUM})条(?P<sub>之[一二三四五六七八九十]+)?"
    rf"(?:第(?P<para>{_NUM})款)?(?:第(?P<item>{_NUM})项)?"
)
_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(num: str) -> int:
    """27 for "27" or "二十七"; 1045 for "一千零四十五"."""
    if num.isdigit():
        return int(num)
    total, current = 0, 0
    for ch in num:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
    return total + current


@dataclass(frozen=True)
class Citation:
    """One citation: law, article key (第82条 / 第276条之一), and the paragraph and item when given."""

    law: str
    article: str
    paragraph: int | None = None
    item: int | None = None

    @property
    def text(self) -> str:
        para = f"第{self.paragraph}款" if self.paragraph else ""
        item = f"第{self.item}项" if self.item else ""
        return f"《{self.law}》{self.article}{para}{item}"


def parse_parts(text: str) -> Citation | None:
    """The first 《…》第…条[第…款][第…项] in `text` as a Citation, or None."""
    m = CITATION_RE.search(text or "")
    if not m:
        return None
    return Citation(
        m.group("law").strip(),
        f"第{chinese_number(m.group('num'))}条{m.group('sub') or ''}",
        chinese_number(m.group("para")) if m.group("para") else None,
        chinese_number(m.group("item")) if m.group("item") else None,
    )


def parse_citation(text: str) -> tuple[str, str] | None:
    """(law, article key like 第82条 / 第276条之一) for a citation string, or None when it is not one."""
    c = parse_parts(text)
    return (c.law, c.article) if c else None


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
    paragraphs: int = 1  # how many 款 the article has
    items: tuple[tuple[int, int], ...] = ()  # (paragraph, number of 项) for each paragraph that lists items
    checked_against: str = ""  # for source `verified`: the official text it was compared with

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.article}"

    def item_count(self, paragraph: int) -> int:
        return dict(self.items).get(paragraph, 0)

    def part_problem(self, paragraph: int | None, item: int | None) -> str | None:
        """Why 第`paragraph`款第`item`项 of this article does not exist (in Chinese), or None when it does."""
        if paragraph is not None and not 1 <= paragraph <= self.paragraphs:
            return f"{self.citation}只有{self.paragraphs}款，没有第{paragraph}款"
        if item is None:
            return None
        if paragraph is None:
            with_items = [p for p, n in self.items if n]
            if not with_items:
                return f"{self.citation}不分项，没有第{item}项"
            if len(with_items) > 1:
                return f"{self.citation}有几款都分项，引用第{item}项要写明是第几款"
            paragraph = with_items[0]
        count = self.item_count(paragraph)
        if not 1 <= item <= count:
            where = f"第{paragraph}款" if self.paragraphs > 1 else ""
            return f"{self.citation}{where}只有{count}项，没有第{item}项" if count else f"{self.citation}{where}不分项"
        return None


def _article(data: dict, rec: dict) -> Article:
    items = tuple(sorted((int(p), int(n)) for p, n in (rec.get("items") or {}).items()))
    return Article(
        law=data["law"],
        article=str(rec["article"]).strip(),
        title=str(rec.get("title", "")),
        summary=str(rec.get("summary", "")).strip(),
        full_name=data.get("full_name", ""),
        version=str(data.get("version", "")),
        source=str(rec.get("source") or data.get("source", "")),
        keywords=tuple(rec.get("keywords") or ()),
        paragraphs=int(rec.get("paragraphs") or 1),
        items=items,
        checked_against=str(rec.get("checked_against") or data.get("checked_against") or ""),
    )


class KnowledgeBase:
    def __init__(self, articles: list[Article], aliases: dict[str, str] | None = None):
        self.articles = articles
        self._by_key = {(a.law, a.article): a for a in articles}
        self.laws = sorted({a.law for a in articles})
        # every way the FAQ may name a law -> its short name: the short name, the full name, listed aliases
        self.names: dict[str, str] = {}
        for a in articles:
            self.names[a.law] = a.law
            if a.full_name:
                self.names.setdefault(a.full_name, a.law)
        for name, law in (aliases or {}).items():
            self.names.setdefault(name, law)

    @classmethod
    def load(cls, directory: str | Path = ARTICLES_DIR) -> KnowledgeBase:
        articles, aliases = [], {}
        for path in sorted(Path(directory).glob("*.yaml")):
            data = load_yaml(path) or {}
            for alias in data.get("aliases") or []:
                aliases[str(alias)] = data["law"]
            articles += [_article(data, rec) for rec in data.get("articles") or []]
        return cls(articles, aliases)

    def get(self, citation: str) -> Article | None:
        key = parse_citation(citation)
        return self._by_key.get(key) if key else None

    def article(self, law: str, article: str) -> Article | None:
        return self._by_key.get((law, article))

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


def load_references(path: str | Path = REFERENCES_FILE) -> dict[str, dict]:
    """{law: {"file": name in ../shared/laws, "articles": [first, last] or absent}} — the texts behind `original`."""
    return load_yaml(path) or {}
