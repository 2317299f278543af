"""Masking personal information (storage.privacy.mask_pii): names, addresses, numbers in digits or Chinese
numerals, on the annotated message sets; nothing else touched; the log and the model see only masked text.
bench/masking.py prints the same measurements with timings."""

from __future__ import annotations

import pytest

from bench.masking import SETS, load_set, ordinary_questions, score_set
from storage.privacy import mask_pii
from tests.llm_fakes import QUESTION, Chat
from tests.test_log_privacy import db_bytes

pytest_plugins = ["tests.llm_fixtures"]

DEV = load_set(SETS["development"])
HELDOUT = load_set(SETS["second"])


@pytest.mark.parametrize("message", DEV + HELDOUT, ids=lambda m: m["text"][:24])
def test_each_annotated_message(message):
    """Issue 12: names, addresses and phone numbers in Chinese numerals were stored unmasked."""
    out = mask_pii(message["text"])
    for secret in message["secrets"]:
        assert secret not in out, (message["text"], out)
    for kept in message["keep"]:
        assert kept in out, (message["text"], out)
    if not message["secrets"]:
        assert out == message["text"]


def test_the_sets_are_large_enough_and_the_scores_add_up():
    assert len(DEV) + len(HELDOUT) >= 60
    for messages in (DEV, HELDOUT):
        s = score_set(messages)
        assert s["with_pii"] >= 20 and s["clean"] >= 15
        assert s["recall"] == 1.0 and s["false_positives"] == 0 and s["kept_parts_lost"] == 0


def test_ordinary_messages_are_never_changed():
    """3,100 messages of the FAQ tuning sets: amounts, dates, law, hotlines, places; none is personal."""
    questions = ordinary_questions()
    assert len(questions) > 2000
    assert [(q, mask_pii(q)) for q in questions if mask_pii(q) != q] == []


@pytest.mark.parametrize(
    "text,masked",
    [
        ("我叫张建国，老板欠我八千五", "我叫张某，老板欠我八千五"),
        ("我名叫欧阳明月，在深圳", "我名叫欧阳某，在深圳"),
        ("我电话一三八一二三四五六七八", "我电话一三八****五六七八"),
        ("手机 一三八 一二三四 五六七八", "手机 一三八****五六七八"),
        ("联系方式幺三九八七六五四三二幺", "联系方式幺三九****四三二幺"),
        ("我家住河南省周口市太康县城关镇李庄村三组", "我家住河南省周口市太康县某地"),
        ("我在幸福小区5栋3单元1202室，老公每天打我", "我在某地，老公每天打我"),
        ("身份证号四一二七二七一九八零零一零一一二三四", "身份证号四一二****一二三四"),
        ("我电话13812345678，欠薪八千", "我电话138****5678，欠薪八千"),
        # where someone is from is no name (甘 is a surname too), but a name after 我是 still is
        ("男方是河南的 我是甘肃的 在哪领证", "男方是河南的 我是甘肃的 在哪领证"),
        ("我是甘小明，在工地干活", "我是甘某，在工地干活"),
    ],
)
def test_what_masked_text_looks_like(text, masked):
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "八千五",
        "一万二千五百",
        "2024年3月15号",
        "每月15号发工资",
        "二〇二四年十月",
        "打12309",
        "第八十二条",
        "一二三月份",
    ],
)
def test_amounts_dates_and_hotlines_stay(text):
    assert mask_pii(text) == text


def test_masking_is_idempotent():
    for m in DEV:
        once = mask_pii(m["text"])
        assert mask_pii(once) == once


def test_the_log_and_the_model_see_only_masked_text(fake_llm, llm_app_factory):
    """Issue 12: such text would have been sent to a model. Through the real webhook, to a local fake model."""
    app = llm_app_factory(fake_llm.url)
    secrets = ["建国", "一二三四", "城关镇", "李庄村"]
    Chat(app).send(f"我叫张建国，电话一三八一二三四五六七八，家住河南省太康县城关镇李庄村。{QUESTION}")
    assert len(fake_llm.requests) == 1
    sent = str(fake_llm.requests[0])
    assert not [s for s in secrets if s in sent]
    assert "张某" in sent and "一三八****五六七八" in sent and "太康县某地" in sent
    store = app.extensions["pufa"].store
    text = store.db.get().execute("SELECT text FROM consultations").fetchone()[0]
    assert "张某" in text and not [s for s in secrets if s in text]
    raw = db_bytes(store.db.path)
    assert not [s for s in secrets if s.encode() in raw]


def test_roads_in_general_are_no_address():
    """村里修路, 过马路: roads in general; a road's name with a number stays masked."""
    from storage.privacy import mask_pii

    assert mask_pii("今年娘家村里修路土地征用") == "今年娘家村里修路土地征用"
    assert "金山路" not in mask_pii("住在渝北区龙溪街道金山路9号")
