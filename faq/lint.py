"""The citation checker: every law + article an answer cites must be unambiguous, listed, and real.

Rules for an answer (faq/README.md explains them to staff):

1. Which law. A 第N条 in the text must belong to exactly one law:
   - right after a law's name (short name, full name or a listed alias, 《》 optional): 劳动合同法第82条;
   - right after a generic name (条例, 解释, 规定, 细则, 批复, 意见): the one law of that kind named earlier in the
     answer; when none is named, the one law of that kind in the entry's legal basis; two or more: ambiguous;
   - bare (第N条, （第N条）, 第N条、第M条, 第N条至第M条): the law named last before it, which must be named in the
     same paragraph (paragraphs are separated by a blank line). A bare article is read as the last-named law,
     so when another law was named in between, or in another paragraph, write the name.
2. Listed. Every cited article is in the entry's legal basis (a basis entry of the same article covers it
   unless both name different paragraphs or items).
3. Real. Every cited article has a knowledge record, and a cited paragraph (款) or item (项) exists in it;
   the legal basis is checked the same way.

For the knowledge base (`knowledge_findings`): a record is `original` only for a law whose statute text is
listed in knowledge/references.yaml (and an article inside the listed range), `verified` only with a note of
the official text it was checked against, otherwise `secondary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from knowledge import KnowledgeBase
from knowledge.base import SOURCES, Citation, chinese_number, load_references, parse_parts

GENERIC = ("条例", "解释", "规定", "细则", "批复", "意见")
_NUM = "[0-9零〇一二两三四五六七八九十百千]+"
_CITE = re.compile(
    rf"第(?P<num>{_NUM})条(?P<sub>之[一二三四五六七八九十]+)?(?:第(?P<para>{_NUM})款)?(?:第(?P<item>{_NUM})项)?"
)
_LAWISH = re.compile(r"[\u4e00-\u9fff]{2,24}(?:法|条例|规定|解释[一二]?|办法|细则|意见|批复|决定)$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")
_NOT_A_NAME_AFTER = ("律", "规")  # 劳动法律、劳动法规 do not name 劳动法


@dataclass(frozen=True)
class Finding:
    rule: str  # law | basis | article | source
    where: str  # the text it is about, as written
    message: str  # for staff, in Chinese

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Cited:
    written: str  # as it appears in the answer
    citation: Citation
    end: int = 0  # where it ends in the answer


@lru_cache(maxsize=4)
def _names_regex(kb: KnowledgeBase) -> re.Pattern:
    """One pattern for every name of every law, longest first (so 劳动合同法实施条例 wins over 劳动合同法)."""
    names = sorted(kb.names, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


def _mentions(text: str, kb: KnowledgeBase, names: re.Pattern) -> list[tuple[int, int, str]]:
    """(start, end, law) for every place a law is named in `text`."""
    out = []
    for m in names.finditer(text):
        if text[m.end() : m.end() + 1] in _NOT_A_NAME_AFTER:
            continue
        out.append((m.start(), m.end(), kb.names[m.group(0)]))
    return out


def _paragraph_of(text: str) -> list[int]:
    """The paragraph number of each character (paragraphs end at a blank line)."""
    index, number, pos = [0] * len(text), 0, 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        index[pos : m.end()] = [number] * (m.end() - pos)
        number, pos = number + 1, m.end()
    index[pos:] = [number] * (len(text) - pos)
    return index


def _generic(prefix: str) -> str | None:
    """The generic name (条例, 解释一, …) the text before a citation ends with, if any."""
    for word in GENERIC:
        for suffix in (word, word + "一", word + "二"):
            if prefix.endswith(suffix):
                return suffix
    return None


def _of_kind(law: str, word: str) -> bool:
    return law.endswith(word) or word in law[-len(word) - 1 :]


def scan(answer: str, basis: list[str], kb: KnowledgeBase) -> tuple[list[Cited], list[Finding]]:
    """Every citation in `answer` resolved to its law (rule 1), and the findings of rule 1."""
    mentions = _mentions(answer, kb, _names_regex(kb))
    paragraph = _paragraph_of(answer)
    basis_laws = [c.law for c in (parse_parts(b) for b in basis) if c]
    cited: list[Cited] = []
    findings: list[Finding] = []
    last: tuple[int, str] | None = None  # (index of its last character, law) of the last law named or cited
    upcoming = iter(mentions)
    mention = next(upcoming, None)
    for m in _CITE.finditer(answer):
        while mention is not None and mention[1] <= m.start():
            last = (mention[1] - 1, mention[2])
            mention = next(upcoming, None)
        written = m.group(0)
        prefix = answer[: m.start()].rstrip(" 　》")
        is_range = prefix.endswith("至") and bool(cited) and cited[-1].end == len(prefix) - 1  # 第20条至第22条
        if last is not None and last[0] == len(prefix) - 1:
            law = last[1]  # right after the law's name
        elif is_range:
            law = cited[-1].citation.law
        elif word := _generic(prefix):
            named = {law for _, end, law in mentions if end <= m.start() and _of_kind(law, word)}
            pool = named or {b for b in basis_laws if _of_kind(b, word)}
            if len(pool) != 1:
                laws = "、".join(sorted(pool)) or "无"
                findings.append(
                    Finding("law", word + written, f"“{word}{written}”看不出是哪一部（可能是：{laws}），请写上法律名称")
                )
                continue
            law = pool.pop()
        elif lawish := _LAWISH.search(re.split(r"[^\u4e00-\u9fff]", prefix)[-1]):
            name = lawish.group(0)[-12:]
            findings.append(Finding("law", name + written, f"“{name}{written}”：知识库里没有这部法律"))
            continue
        elif last is None or paragraph[last[0]] != paragraph[m.start()]:
            findings.append(
                Finding("law", written, f"单写的“{written}”：本段前面没有提到法律，看不出是哪部法律的，请写上法律名称")
            )
            continue
        else:
            law = last[1]  # bare: the law named last, in this paragraph
        last = (m.end() - 1, law)
        number = chinese_number(m.group("num"))
        if is_range:
            start = int(re.sub(r"\D", "", cited[-1].citation.article) or 0)
            cited += [Cited(f"第{n}条", Citation(law, f"第{n}条"), m.end()) for n in range(start + 1, number)]
        citation = Citation(
            law,
            f"第{number}条{m.group('sub') or ''}",
            chinese_number(m.group("para")) if m.group("para") else None,
            chinese_number(m.group("item")) if m.group("item") else None,
        )
        cited.append(Cited(written, citation, m.end()))
    return cited, findings


def _covers(basis: Citation, cited: Citation) -> bool:
    return (
        basis.law == cited.law
        and basis.article == cited.article
        and (basis.paragraph is None or cited.paragraph is None or basis.paragraph == cited.paragraph)
        and (basis.item is None or cited.item is None or basis.item == cited.item)
    )


def _real(citation: Citation, kb: KnowledgeBase, where: str) -> Finding | None:
    article = kb.article(citation.law, citation.article)
    if article is None:
        return Finding("article", where, f"知识库里没有{citation.law and '《' + citation.law + '》'}{citation.article}")
    problem = article.part_problem(citation.paragraph, citation.item)
    return Finding("article", where, problem) if problem else None


def entry_findings(entry: dict, kb: KnowledgeBase) -> list[Finding]:
    """What the citation checker finds in one entry (empty when every citation is in order)."""
    basis = [c for c in (parse_parts(b) for b in entry.get("legal_basis") or []) if c]
    cited, findings = scan(entry.get("answer") or "", entry.get("legal_basis") or [], kb)
    seen = set()
    for c in cited:
        if c.citation in seen:
            continue
        seen.add(c.citation)
        if problem := _real(c.citation, kb, c.written):
            findings.append(problem)
        if not any(_covers(b, c.citation) for b in basis):
            findings.append(
                Finding("basis", c.written, f"正文引用的{c.citation.text}（原文“{c.written}”）不在法律依据里")
            )
    for b in basis:
        if kb.article(b.law, b.article) is not None and (problem := _real(b, kb, b.text)):
            findings.append(Finding("article", b.text, f"法律依据{b.text}：{problem}"))
    return findings


def lint_entries(entries: list[dict], kb: KnowledgeBase) -> list[tuple[dict, list[Finding]]]:
    """(entry, findings) for every entry with findings, in order."""
    return [(e, f) for e in entries if (f := entry_findings(e, kb))]


def knowledge_findings(kb: KnowledgeBase, references: dict[str, dict] | None = None) -> list[Finding]:
    """Records whose `source` does not match where their text was checked, or whose structure is malformed."""
    references = load_references() if references is None else references
    out = []
    for a in kb.articles:
        number = int(re.sub(r"\D", "", a.article.split("之")[0]))
        if a.source not in SOURCES:
            out.append(Finding("source", a.citation, f"{a.citation}：source 只能是 {'、'.join(SOURCES)}"))
        elif a.source == "original":
            ref = references.get(a.law)
            first, last = (ref or {}).get("articles") or (1, 10**6)
            if ref is None or not first <= number <= last:
                out.append(
                    Finding(
                        "source",
                        a.citation,
                        f"{a.citation}标为 original，但 knowledge/references.yaml 没有列出包含这一条的原文；"
                        "没有对照原文核实的请标 verified（写明核对的官方文本）或 secondary",
                    )
                )
        elif a.source == "verified" and not a.checked_against:
            out.append(
                Finding(
                    "source", a.citation, f"{a.citation}标为 verified，但没有写 checked_against（核对的是哪个官方文本）"
                )
            )
        if a.paragraphs < 1 or any(not 1 <= p <= a.paragraphs or n < 1 for p, n in a.items):
            out.append(Finding("article", a.citation, f"{a.citation}：paragraphs / items 写得不对"))
    return out
