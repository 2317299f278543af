"""The registration's words: how answers are read (phone numbers, amounts, options, commands, voice), the request
wordings, the privacy notice's contents, the statutory citations of the advice, and the 2048-byte limit of every
reply, worst cases included."""

from __future__ import annotations

import re

import cn2an
import pytest

from dialogue.intents import Intent, detect_intent
from intake import parse, steps, texts
from intake.kinds import KINDS, NONE
from intake.routing import Routing
from knowledge import KnowledgeBase
from storage.vocab import CaseKind

LIMIT = 2048
ROUTING = Routing.parse("甘肃省某某市某某区人民检察院（名称很长的检察院）", "城关区,七里河区,西固区,安宁区,红古区,永登县,皋兰县,榆中县")


@pytest.mark.parametrize(
    "text, number",
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("幺三九一二三四五六七八", "13912345678"),
        ("一三九 一二三四 五六七八。", "13912345678"),
        ("我的手机是１３９１２３４５６７８", "13912345678"),
        ("1391234567", None),
        ("12912345678", None),
        ("13912345678，13812345678", None),
        ("", None),
    ],
)
def test_mobile_numbers(text, number):
    assert parse.phone(text) == number


@pytest.mark.parametrize(
    "text, value, approx",
    [
        ("八千五", 8500, False),
        ("1.2万", 12000, False),
        ("3万多", 30000, True),
        ("两万三", 23000, False),
        ("一万二", 12000, False),
        ("1万5", 15000, False),
        ("5000元", 5000, False),
        ("八千五百块钱。", 8500, False),
        ("大概三千来块", 3000, True),
        ("五千左右", 5000, True),
        ("3w", 30000, False),
        ("每月五百", 500, False),
        ("每月一千五，已欠两万", 20000, False),
    ],
)
def test_amounts(text, value, approx):
    assert parse.amount(text) == (value, approx)


@pytest.mark.parametrize("text", ["很多", "不少钱", "😀", "0", "", "abc"])
def test_not_amounts(text):
    assert parse.amount(text) is None


OPTIONS = KINDS[0].evidence  # 欠条 … 都没有


@pytest.mark.parametrize(
    "text, codes",
    [
        ("1 3 4", ["iou", "chat", "transfer"]),
        ("1、3", ["iou", "chat"]),
        ("134", ["iou", "chat", "transfer"]),
        ("一三", ["iou", "chat"]),
        ("有欠条和聊天记录", ["iou", "chat"]),
        ("8", [NONE]),
        ("都没有", [NONE]),
        ("9", None),
        ("好的", None),
    ],
)
def test_multi_select(text, codes):
    assert parse.choices(text, OPTIONS, multi=True) == codes


@pytest.mark.parametrize(
    "text, command",
    [("返回", parse.BACK), ("跳过。", parse.SKIP), ("取消", parse.CANCEL), ("重填", parse.RESTART), ("0", parse.PAUSE),
     ("继续登记", parse.RESUME), ("撤回", parse.WITHDRAW), ("删除我的信息", parse.DELETE), ("王师傅", None)],  # fmt: skip
)
def test_commands(text, command):
    assert parse.command(text) == command


@pytest.mark.parametrize(
    "text, intent",
    [("我要登记", Intent.REGISTER), ("帮我登记一下", Intent.REGISTER), ("我要登记欠薪", Intent.REGISTER),
     ("申请支持起诉", Intent.REGISTER), ("让检察院联系我", Intent.REGISTER), ("想让检察院帮我打官司", Intent.REGISTER),
     ("查询", Intent.PROGRESS), ("进度", Intent.PROGRESS), ("查询登记", Intent.PROGRESS),
     ("查一下我的登记", Intent.PROGRESS), ("检察院能帮我起诉吗", None), ("登记需要什么材料", None)],  # fmt: skip
)
def test_request_wordings(text, intent):
    assert detect_intent(text) == intent


def test_the_notice_tells_what_the_law_asks_for():
    """个人信息保护法第十七条第一款: who and how to reach them, purpose and means, the items, how long, how to
    exercise one's rights; 第二十八条、第三十一条: sensitive data and children under fourteen."""
    notice = texts.notice("城关区人民检察院", 365, by_county=True)
    for part in ("谁收集：城关区人民检察院", "12309", "做什么用", "收集哪些", "手机号", "保存多久", "7 天后删除",
                 "365 天", "敏感个人信息", "不满十四周岁", "受家庭暴力", "撤回", "删除我的信息", "回复 1 同意",
                 "不回复，什么都不保存"):  # fmt: skip
        assert part in notice, part
    assert len(notice.encode()) <= LIMIT


@pytest.mark.parametrize("kind", [k for k in KINDS if k.sensitive])
def test_sensitive_kinds_have_a_separate_consent(kind):
    text = texts.sensitive_consent(kind.kind)
    assert "单独" in text and "第二十九条" in text and "为什么需要" in text and "对您的影响" in text
    assert len(text.encode()) <= LIMIT
    assert {k.kind for k in KINDS if k.sensitive} == {
        CaseKind.CHILD_SUPPORT, CaseKind.DOMESTIC_VIOLENCE, CaseKind.WORK_INJURY, CaseKind.DISABILITY
    }


_CITED = re.compile(r"([\u4e00-\u9fa5]{2,12}(?:法|条例))第([一二三四五六七八九十百]+)条")


@pytest.mark.parametrize("kind", KINDS, ids=[k.kind.value for k in KINDS])
def test_the_advice_cites_articles_the_knowledge_base_has(kind):
    kb = KnowledgeBase.load()
    for law, number in _CITED.findall(kind.advice):
        citation = f"《{law}》第{cn2an.cn2an(number, 'smart')}条"
        assert kb.has(citation), citation


def worst_case(kind: str) -> dict:
    long = "很长的回答" * 60
    spec = next(k for k in KINDS if k.kind == kind)
    return {
        "kind": kind, "sensitive": True, "for_whom": "relative", "relation": long, "name": "王" * 20,
        "phone": "13912345678", "county": "其他地方", "place": long, "party": long,
        "amount": {"yuan": 123456789.0, "approx": True, "text": "一亿两千三百四十五万六千七百八十九元还多" * 2},
        "since": long, "actions": [c for c, _ in spec.actions], "evidence": [c for c, _ in spec.evidence],
        "account": long * 3, "call_time": {"code": None, "note": long[:60]},
    }  # fmt: skip


@pytest.mark.parametrize("kind", [k.kind.value for k in KINDS])
def test_every_reply_fits_one_wechat_message(kind):
    data = worst_case(kind)
    assert len(texts.summary(data, ROUTING).encode()) <= LIMIT
    done = texts.done("2612310001", ROUTING.main, {**data, "actions": [NONE]}, 3, "12月31日")
    assert len(done.encode()) <= LIMIT
    for step in steps.visible(data, ROUTING):
        prefix = next(k for k in KINDS if k.kind == kind).advice
        assert len(texts.step_text(step.name, data, ROUTING, prefix).encode()) <= LIMIT, step.name
    cases = [{"number": f"26123100{i:02d}", "created": 0, "kind": kind, "status": "accepted",
              "public_note": "说明" * 250} for i in range(6)]  # fmt: skip
    assert len(texts.progress(cases, 3, True).encode()) <= LIMIT


def test_the_offer_never_pushes_an_answer_over_the_limit():
    from faq.loader import load_entries
    from faq.render import render_answer
    from intake.offer import OFFER, offers, with_offer
    from tests.conftest import ROOT

    entries = load_entries(ROOT / "faq" / "entries")
    offered = [e for e in entries if offers(e)]
    assert len(offered) > 100  # wage arrears, 工伤, 家暴, disability, 支持起诉, 赡养费 and 抚养费 answers
    assert not offers(next(e for e in entries if e["topic"] == "labor_contract"))
    for entry in offered:
        text = with_offer(render_answer(entry))
        assert len(text.encode()) <= LIMIT and text.endswith(OFFER), entry["id"]
