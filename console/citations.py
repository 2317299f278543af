"""The legal-basis picker: knowledge-base citations as checkboxes, so a citation can't be mistyped.

An entry may cite a paragraph or item (《劳动合同法》第30条第1款) of an article the knowledge base has; such a
citation is kept exactly as written, shown checked beside its article. The order of an entry's citations is
the order of its 【依据】 line, so a save keeps it and appends newly ticked ones.
"""

from __future__ import annotations

from knowledge import KnowledgeBase


def citation_groups(kb: KnowledgeBase, selected: list[str]) -> tuple[list[dict], list[str]]:
    """(groups by law for the checkbox list, selected citations the knowledge base lacks)."""
    chosen = set(selected)
    details: dict[tuple[str, str], list[str]] = {}
    for citation in selected:
        article = kb.get(citation)
        if article is not None and citation != article.citation:
            details.setdefault((article.law, article.article), []).append(citation)
    groups: dict[str, dict] = {}
    for article in kb.articles:
        group = groups.setdefault(article.law, {"law": article.law, "items": [], "checked": 0})
        items = [(article.citation, article.article)]
        items += [(c, c.split("》", 1)[-1]) for c in details.get((article.law, article.article), [])]
        for value, label in items:
            checked = value in chosen
            group["items"].append({"value": value, "label": label, "title": article.title, "checked": checked})
            group["checked"] += checked
    unknown = [c for c in selected if not kb.has(c)]
    return list(groups.values()), unknown


def keep_order(previous: list[str], submitted: list[str]) -> list[str]:
    """The submitted citations in their previous order, newly ticked ones at the end."""
    return [c for c in previous if c in submitted] + [c for c in submitted if c not in previous]
