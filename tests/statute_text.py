"""Reading the structure of a statute text in the LawRefBook markdown layout (as in ../shared/laws).

Only what the citation checker needs: for each article, how many paragraphs (款) it has and how many items (项)
each paragraph lists. An article starts a line with 第…条 (…之一); every further non-empty line is a new
paragraph, except lines starting with （一）, （二）…, which are items of the paragraph before them.
Used by the tests that compare knowledge/ against the texts when ../shared is present; never at run time.
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.base import chinese_number

_ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条(之[一二三四五六七八九十]+)?[\s\u3000]*(.*)$")
_ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
_ENDS = ("。", "；", "：", ";", ":", "！", "？", "”")


def article_structure(path: str | Path) -> dict[str, list[int]]:
    """{"第27条": [0, 0, 0, 0], …}: one number per paragraph, the count of its items."""
    text = Path(path).read_text(encoding="utf-8")
    if "<!-- INFO END -->" in text:
        text = text.split("<!-- INFO END -->", 1)[1]
    out: dict[str, list[int]] = {}
    current: list[int] | None = None
    previous = ""
    for raw in text.splitlines():
        line = raw.replace("\u200b", "").replace("\ufeff", "").strip()
        if not line or line.startswith("#") or line.startswith("<!--"):
            continue
        if line.startswith(("附录", "附件")):
            break
        m = _ARTICLE.match(line)
        if m:
            current = out.setdefault(f"第{chinese_number(m.group(1))}条{m.group(2) or ''}", [0] if m.group(3) else [])
            previous = m.group(3) or "。"
            continue
        if current is None:
            continue
        if _ITEM.match(line) and current:
            current[-1] += 1
        elif previous.endswith(_ENDS):  # otherwise a line broken in the middle of a sentence (some older texts)
            current.append(0)
        previous = line
    return out
