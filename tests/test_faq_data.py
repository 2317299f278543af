"""The shipped FAQ and knowledge base: shape, size limits, citations, and the usual legal mistakes."""

import re
import subprocess
import sys
from collections import Counter

import pytest

from faq.loader import TOPICS, collection_problems, load_entries
from faq.render import render_answer
from knowledge import KnowledgeBase, parse_citation
from settings import Settings


@pytest.fixture(scope="module")
def entries():
    return load_entries(Settings().FAQ_DIR)


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def test_enough_entries_on_every_topic(entries):
    assert len(entries) >= 80
    per_topic = Counter(e["topic"] for e in entries)
    assert set(per_topic) == set(TOPICS)
    assert per_topic["wage_arrears"] == max(per_topic.values()), "wage arrears is the bulk"


def test_no_problems(entries, kb):
    assert collection_problems(entries, kb) == []


def test_replies_fit_wechat_limit(entries):
    for e in entries:
        assert len(render_answer(e).encode("utf-8")) <= 2048, e["id"]


def test_every_entry_cites_the_law(entries):
    for e in entries:
        assert e["legal_basis"], e["id"]


def test_inline_citations_resolve(entries, kb):
    """A 《…》第N条 written inside an answer must also be in the knowledge base."""
    for e in entries:
        for text, article in kb.find_citations(e["answer"]):
            assert article is not None, f"{e['id']}: {text}"


def test_variants_are_not_shared_between_entries(entries):
    seen = {}
    for e in entries:
        for v in [e["question"], *e["variants"]]:
            assert seen.setdefault(v, e["id"]) == e["id"], f"{v!r} in {seen[v]} and {e['id']}"


def test_knowledge_records_are_complete(kb):
    assert len(kb.articles) >= 60
    keys = Counter((a.law, a.article) for a in kb.articles)
    assert [k for k, n in keys.items() if n > 1] == []
    for a in kb.articles:
        assert re.fullmatch(r"第\d+条(之[一二三四五六七八九十]+)?", a.article), a.citation
        assert a.summary and a.title, a.citation
        assert parse_citation(a.citation) == (a.law, a.article)


@pytest.mark.parametrize(
    "citation, expected",
    [
        ("《劳动合同法》第82条", ("劳动合同法", "第82条")),
        ("《保障农民工工资支付条例》第29条第2款", ("保障农民工工资支付条例", "第29条")),
        ("《刑法》第276条之一", ("刑法", "第276条之一")),
        ("《劳动争议调解仲裁法》第二十七条第四款", ("劳动争议调解仲裁法", "第27条")),
        ("劳动合同法第82条", None),
    ],
)
def test_parse_citation(citation, expected):
    assert parse_citation(citation) == expected


# The usual mistakes (../shared/legal-facts.md section 18), as checks on every answer's citations.
def _cites(entry, law, numbers):
    return any(parse_citation(c) in {(law, f"第{n}条") for n in numbers} for c in entry["legal_basis"])


def test_payment_order_cites_the_2023_civil_procedure_law(entries):
    for e in entries:
        if "支付令" in e["answer"]:
            assert not _cites(e, "民事诉讼法", range(221, 225)), e["id"]


def test_legal_aid_for_migrant_workers_is_article_42(entries):
    for e in entries:
        if "免予核查" in e["answer"] or "免于核查" in e["answer"]:
            assert _cites(e, "法律援助法", [42]) or _cites(e, "保障农民工工资支付条例", [45]), e["id"]


def test_wage_ledger_is_kept_three_years(entries):
    ledger = [e for e in entries if "台账" in e["question"]]
    assert ledger
    for e in ledger:
        assert "3年" in e["answer"], e["id"]


def test_arbitration_limit_is_one_year_with_the_in_service_exception(entries):
    limit = [e for e in entries if "时效" in e["question"] and "仲裁" in e["question"]]
    assert limit
    assert any("1年" in e["answer"] and "劳动关系" in e["answer"] and "离职" in e["answer"] for e in limit)


def test_double_wage_is_capped_at_eleven_months(entries):
    double = [e for e in entries if "二倍工资" in e["answer"] and _cites(e, "劳动合同法", [82])]
    assert double
    assert any("11个月" in e["answer"] for e in double)


def test_core_does_not_import_flask():
    code = "import sys, faq.matcher, faq.loader, knowledge, storage, dialogue; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_held_out_questions_are_not_faq_variants(entries):
    """The held-out set measures generalisation only while none of its questions is copied into the FAQ
    (bare keywords such as 支付令 excepted: anyone would write those)."""
    from bench.evaluation import load_questions
    from faq.normalize import normalize

    held = {normalize(str(i["text"])).replace(" ", "") for i in load_questions("tests/data/heldout_questions.yaml")}
    held = {q for q in held if len(q) > 4}
    for e in entries:
        for v in [e["question"], *e["variants"]]:
            assert normalize(v).replace(" ", "") not in held, f"{e['id']}: {v}"
