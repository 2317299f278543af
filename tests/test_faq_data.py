"""The shipped FAQ and knowledge base: shape, size limits, citations, and the usual legal mistakes."""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.evaluation import load_questions
from faq.loader import TOPICS, collection_problems, load_entries
from faq.render import render_answer
from knowledge import KnowledgeBase, parse_citation
from settings import Settings
from tests.near_copies import NearCopyFinder, faq_references, question_references


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


DATA = Path(__file__).resolve().parent / "data"
HELD_OUT = sorted(DATA.glob("heldout_*.yaml"))
TUNING = sorted(DATA.glob("tune*.yaml"))  # the dev set lives in ../shared, which CI does not have
# Near-copies in the held-out sets written on 2026-12-06 (another engineer owns them), reported in issue 15 and
# listed here until they are reworded: a new near-copy fails, and so does a listed one that is fixed (drop it).
REPORTED = {
    "heldout_followups.yaml": (
        "hf003 hf013 hf027 hf036 hf040 hf051 hf052 hf055 hf058 hf066 hf067 hf069 hf070 hf092 hf097 hf119"
    ),
    "heldout_head.yaml": (
        "hh005 hh006 hh010 hh016 hh017 hh025 hh026 hh027 hh031 hh036 hh041 hh043 hh047 hh052 hh053 hh056 hh060 hh063"
        " hh070 hh071 hh073 hh074 hh076 hh079 hh085 hh086 hh090 hh098 hh100 hh103 hh105 hh113 hh114 hh116 hh120 hh121"
        " hh122 hh126 hh129 hh133 hh134 hh135 hh136 hh137 hh138 hh139 hh140 hh142 hh143 hh148 hh152 hh157 hh158 hh161"
        " hh164 hh167 hh169 hh170 hh178 hh179 hh180 hh181 hh182 hh184 hh185 hh187 hh189 hh192 hh193 hh198 hh199 hh200"
        " hh201 hh207 hh208 hh211 hh214 hh219 hh222 hh227 hh230 hh235 hh237 hh247 hh248 hh254 hh255 hh258 hh261 hh268"
        " hh269 hh270 hh277 hh278 hh279 hh280 hh287 hh288 hh291 hh292 hh294 hh295 hh296 hh301 hh302 hh304 hh306 hh309"
        " hh311 hh313 hh319 hh321 hh326"
    ),
    "heldout_oos.yaml": (
        "ho001 ho018 ho019 ho025 ho037 ho072 ho073 ho094 ho104 ho119 ho121 ho142 ho147 ho155 ho162 ho165 ho168 ho176"
        " ho177 ho178 ho196 ho212 ho220 ho224"
    ),
    "heldout_safety.yaml": "hs075 hs108 hs117",
}


@pytest.fixture(scope="module")
def near_copies(entries) -> NearCopyFinder:
    """Everything the bot was built or tuned on: FAQ questions and variants, and every tuning set."""
    references = faq_references(entries)
    for path in TUNING:
        references += question_references(path, load_questions(path))
    return NearCopyFinder(references)


def test_the_guard_sees_every_set():
    assert {p.name for p in HELD_OUT} >= {"heldout_questions.yaml", *REPORTED}
    assert "tune_questions.yaml" in {p.name for p in TUNING} and len(TUNING) >= 7


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda p: p.stem)
def test_held_out_questions_are_not_near_copies(near_copies, path):
    """A held-out set measures generalisation only while none of its questions is (almost) a FAQ variant or a
    tuning question: one added particle, a typo or a dropped clause is still a copy (see tests/near_copies.py)."""
    found = {}
    for item in load_questions(path):
        copies = near_copies.find(item["text"])
        if copies:
            found[item["id"]] = f"{item['text']!r} ~ " + "; ".join(map(str, copies[:3]))
    reported = set(REPORTED.get(path.name, "").split())
    assert {k: v for k, v in found.items() if k not in reported} == {}, "near-copies (reword the question)"
    assert reported - set(found) == set(), "no longer near-copies: drop them from REPORTED"


@pytest.mark.parametrize(
    "question, copied",
    [
        ("支付令", None),  # a bare keyword: not checked
        ("工伤认定申请交上去多久出结果了", "edit 1"),  # one character added to a copy
        ("生育保险要自己交钱不", "edit 1"),  # a particle swapped (吗 -> 不)
        ("仲裁委说不受理 我该咋办呢", "overlap"),  # a clause reworded around the same sentence
        ("老板欠了三个月工资 人社让他限期发 他还是不发 算犯罪吗", None),  # the same facts in other words
    ],
)
def test_what_counts_as_a_near_copy(question, copied):
    finder = NearCopyFinder(
        [
            ("faq:a", "工伤认定申请交上去多久出结果"),
            ("faq:b", "生育保险要自己交钱吗"),
            ("tune:c", "仲裁委说不受理我的案子 我该咋办"),
            ("faq:d", "支付令"),
            ("faq:e", "拒不支付劳动报酬罪是啥意思"),
        ]
    )
    found = finder.find(question)
    if copied is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].reason.startswith(copied), found
