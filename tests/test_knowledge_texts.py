"""The knowledge base against the statute texts: paragraph and item counts, and where each record's text came from.

The texts live in ../shared/laws, which a bare clone lacks: the comparisons skip without it. What they check
is encoded in the project (knowledge/references.yaml and the records' `paragraphs`/`items`), so the citation
checker works the same with or without ../shared.
"""

from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.base import load_references
from tests.statute_text import article_structure

LAWS = Path(__file__).resolve().parent.parent.parent / "shared" / "laws"
needs_texts = pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/laws is not here (a bare clone)")


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def test_reading_a_statute_text(tmp_path):
    text = tmp_path / "law.md"
    text.write_text(
        "# 某法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
        "第一条 本法的目的。\n\n"
        "第二条 下列争议适用本法：\n\n（一）甲；\n\n（二）乙。\n\n前款规定以外的，\n\n接着上一行写的。\n\n"
        "第二百七十六条之一 第一款。\n\n第二款。\n\n附录：\n\n一、不是条文\n",
        encoding="utf-8",
    )
    assert article_structure(text) == {"第1条": [0], "第2条": [2, 0], "第276条之一": [0, 0]}


def test_records_state_where_their_text_came_from(kb):
    assert kb.article("民法典", "第26条").source == "secondary"  # 总则编 is not among the statute texts
    assert kb.article("民法典", "第1045条").source == "original"  # 婚姻家庭编 is
    assert kb.article("残疾人保障法", "第59条").source == "verified"
    assert kb.article("残疾人保障法", "第59条").checked_against
    assert kb.article("人身安全保护令规定", "第4条").source == "verified"
    assert kb.article("民法典婚姻家庭编解释一", "第53条").source == "verified"


@needs_texts
def test_every_reference_text_is_there():
    for law, ref in load_references().items():
        assert (LAWS / ref["file"]).is_file(), f"{law}: {ref['file']}"


@needs_texts
def test_original_records_have_the_statute_texts_paragraphs_and_items(kb):
    references = load_references()
    texts = {law: article_structure(LAWS / ref["file"]) for law, ref in references.items()}
    wrong = []
    for a in kb.articles:
        if a.source != "original":
            continue
        structure = texts[a.law].get(a.article)
        if structure is None:
            wrong.append(f"{a.citation}: not in {references[a.law]['file']}")
            continue
        expected = (len(structure), tuple((p, n) for p, n in enumerate(structure, start=1) if n))
        if (a.paragraphs, a.items) != expected:
            wrong.append(f"{a.citation}: paragraphs={a.paragraphs} items={dict(a.items)}, text has {structure}")
    assert wrong == []
