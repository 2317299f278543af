"""Retrieval: the right articles for a question, FAQ legal bases added, and the scope gate."""

from __future__ import annotations

import pytest

from faq.matcher import Candidate, Decision
from knowledge import Article, KnowledgeBase
from llm.guard import in_scope
from llm.prompt import build_messages
from llm.retrieval import Retriever
from pufa.services import shared_analyzer

ARTICLES = [
    Article(
        "保障农民工工资支付条例",
        "第30条",
        "分包拖欠由总包先行清偿",
        "分包单位拖欠农民工工资的，由施工总承包单位先行清偿，再依法追偿。",
        keywords=("包工头跑了", "总包"),
    ),
    Article("劳动法", "第44条", "加班工资标准", "延长工作时间的，支付不低于工资150%的报酬。", keywords=("加班费",)),
    Article(
        "劳动合同法",
        "第38条",
        "劳动者可以解除合同",
        "用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同。",
        keywords=("辞职", "拖欠工资"),
    ),
    Article(
        "反家庭暴力法",
        "第23条",
        "人身安全保护令",
        "遭受家庭暴力的，可以向法院申请人身安全保护令。",
        keywords=("家暴", "保护令"),
    ),
]


@pytest.fixture(scope="module")
def retriever():
    return Retriever(KnowledgeBase(ARTICLES), shared_analyzer())


@pytest.mark.parametrize(
    "question, citation",
    [
        ("包工头跑了，工钱找谁要", "《保障农民工工资支付条例》第30条"),
        ("周末加班费怎么算", "《劳动法》第44条"),
        ("被老公家暴了能申请保护令吗", "《反家庭暴力法》第23条"),
    ],
)
def test_best_article(retriever, question, citation):
    material = retriever.retrieve(question)
    assert material.articles[0].citation == citation


def test_faq_entries_bring_their_legal_basis(retriever):
    entry = {
        "id": "e1",
        "topic": "wage_arrears",
        "question": "欠薪了能辞职吗",
        "answer": "可以。",
        "legal_basis": ["《劳动合同法》第38条"],
    }
    decision = Decision(
        "suggested", [Candidate("e1", 0.35, entry["question"], "wage_arrears"), Candidate("e2", 0.1, "x", "x")]
    )
    material = retriever.retrieve("老板一直欠钱我能走吗", decision, {"e1": entry}.get)
    assert material.entries == [entry] and material.top_faq_score == 0.35
    assert "《劳动合同法》第38条" in material.citations


def test_scope_gate(retriever):
    analyzer = shared_analyzer()
    for question, expected in [
        ("包工头跑了，工钱找谁要", True),
        ("怎么做红烧肉", False),
        ("我朋友借钱不还怎么办", False),
    ]:
        material = retriever.retrieve(question)
        assert in_scope(analyzer.canonical(question), material, analyzer.lexicon.domain_words) is expected, question


def test_prompt_keeps_the_user_text_out_of_the_system_message(retriever):
    material = retriever.retrieve("包工头跑了，工钱找谁要")
    messages = build_messages("包工头跑了，工钱找谁要", material)
    assert messages[1] == {"role": "user", "content": "包工头跑了，工钱找谁要"}
    system = messages[0]["content"]
    assert "工钱找谁要" not in system
    assert "《保障农民工工资支付条例》第30条（分包拖欠由总包先行清偿）" in system
    assert "《简称》第N条" in system and "600" in system


def test_shared_index_is_built_once_per_knowledge_base():
    analyzer = shared_analyzer()
    first = Retriever.for_kb(KnowledgeBase(ARTICLES), analyzer)
    assert Retriever.for_kb(KnowledgeBase(list(ARTICLES)), analyzer).docs is first.docs
